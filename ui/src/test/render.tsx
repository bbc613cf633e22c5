// renderInApp renders a component inside the app's providers (query cache, toast, app data, presenter), with the ipc module
// already mocked by the calling test file.
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { AppDataProvider } from '../components/app/AppDataProvider';
import { PresenterProvider } from '../components/presenter/PresenterProvider';
import { ToastProvider } from '../components/shared';
import { QueryProvider } from '../query';

export function renderInApp(ui: ReactElement) {
  return render(
    <QueryProvider>
      <ToastProvider>
        <AppDataProvider>
          <PresenterProvider>{ui}</PresenterProvider>
        </AppDataProvider>
      </ToastProvider>
    </QueryProvider>,
  );
}

/** Renders a component with only a fresh query cache around it (rerender keeps it). */
export function renderWithQueries(ui: ReactElement) {
  return render(ui, { wrapper: QueryProvider });
}
