import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './components/shared';
import { applyStoredTheme } from './hooks/useTheme';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';
import './styles/app.css';

applyStoredTheme();

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
