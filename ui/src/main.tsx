import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Global styles first: tokens, then element defaults; the shared components' styles come with
// their module, then each component folder's with its components (below App).
import './styles/tokens.css';
import './styles/base.css';
import { ErrorBoundary } from './components/shared';
import { App } from './App';
import { captureConsole } from './components/app/captureConsole';
import { startTheme } from './hooks/useTheme';

startTheme();
captureConsole();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary area="Linkscope">
        <App />
      </ErrorBoundary>
    </StrictMode>,
  );
}
