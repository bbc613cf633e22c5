import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from './ipc';
import { App } from './App';
import { appInfo, builtinEnv, connection, liveEnv } from './test/fixtures';

vi.mock('./ipc', async () => (await import('./test/ipcMock')).ipcMockModule());

describe('the app shell', () => {
  beforeEach(() => {
    vi.mocked(ipc.getAppInfo).mockResolvedValue(appInfo);
    vi.mocked(ipc.listEnvironments).mockResolvedValue([builtinEnv, liveEnv]);
    vi.mocked(ipc.listConnections).mockResolvedValue([]);
    delete document.documentElement.dataset.theme;
  });

  it('greets a first-time user with what to do: link an account, and what happens next', async () => {
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Link an account' })).toBeInTheDocument();
    expect(screen.getByText(/opens the consent in your browser/)).toBeInTheDocument();
    expect(screen.getByText(/sign in as/)).toBeInTheDocument();
    expect(screen.getByTestId('link-account-button')).toBeEnabled();
  });

  it('shows the app version from core in the sidebar', async () => {
    render(<App />);
    expect(await screen.findByText('v0.1.0 · dev')).toHaveAttribute('data-testid', 'app-info-version');
  });

  it('warns when the keychain is unavailable, and says nothing when it is available', async () => {
    vi.mocked(ipc.getAppInfo).mockResolvedValue({
      ...appInfo,
      keychain: { available: false, detail: 'no Secret Service' },
    });
    render(<App />);
    const banner = await screen.findByTestId('keychain-banner');
    expect(banner).toHaveTextContent(
      'Keychain unavailable — secrets are kept in memory for this session and connections are marked not saved.',
    );
  });

  it('does not show the keychain banner when the keychain works', async () => {
    render(<App />);
    await screen.findByText('v0.1.0 · dev');
    await screen.findByRole('heading', { name: 'Link an account' });
    expect(screen.queryByTestId('keychain-banner')).not.toBeInTheDocument();
  });

  it('lists connections in the sidebar with their status, and opens one on click', async () => {
    vi.mocked(ipc.listConnections).mockResolvedValue([
      connection,
      { ...connection, id: 'conn-2', label: 'Old one', status: 'reauth_required', saved: false },
    ]);
    vi.mocked(ipc.listAccounts).mockReturnValue(new Promise(() => undefined));
    render(<App />);
    const item = await screen.findByTestId('connection-item-conn-1');
    expect(item).toHaveTextContent('John Doe · Mock');
    expect(item).toHaveTextContent('Active');
    const other = screen.getByTestId('connection-item-conn-2');
    expect(other).toHaveTextContent('Re-consent');
    expect(other).toHaveTextContent('Not saved');
    await userEvent.click(item);
    expect(window.location.hash).toBe('#/connection/conn-1/accounts');
    expect(await screen.findByTestId('connection-label')).toHaveTextContent('John Doe · Mock');
  });

  it('adds a connection to the sidebar when core reports a completed link', async () => {
    const { emit } = await import('./test/ipcMock');
    render(<App />);
    await screen.findByRole('heading', { name: 'Link an account' });
    act(() => emit('link://completed', { sessionId: 's', connection }));
    expect(await screen.findByTestId('connection-item-conn-1')).toBeInTheDocument();
  });

  it('toggles between light and dark and remembers the choice', async () => {
    render(<App />);
    const toggle = await screen.findByTestId('theme-toggle');
    await userEvent.click(toggle);
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(window.localStorage.getItem('linkscope.theme')).toBe('dark');
    await userEvent.click(toggle);
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('marks the active environment and shows a live one differently', async () => {
    vi.mocked(ipc.listEnvironments).mockResolvedValue([
      { ...builtinEnv, active: false },
      { ...liveEnv, active: true },
    ]);
    render(<App />);
    const switcher = await screen.findByTestId('environment-switcher');
    await screen.findByText('TrueLayer live', { selector: '.env-button-name' });
    expect(switcher).toHaveClass('env-button-live');
    expect(within(switcher).getByText('Live')).toBeInTheDocument();
    expect(screen.getByTestId('live-banner')).toHaveTextContent('real banks');
  });

  it('asks before switching to a live environment, and switches only once confirmed', async () => {
    window.sessionStorage.clear();
    vi.mocked(ipc.selectEnvironment).mockResolvedValue({ ...liveEnv, active: true });
    render(<App />);
    await userEvent.click(await screen.findByTestId('environment-switcher'));
    await userEvent.click(screen.getByTestId('environment-option-live'));
    expect(screen.getByTestId('live-confirm')).toBeInTheDocument();
    expect(ipc.selectEnvironment).not.toHaveBeenCalled();
    await userEvent.click(screen.getByTestId('live-confirm-accept'));
    expect(ipc.selectEnvironment).toHaveBeenCalledWith('live');
  });

  it('masks personal data while presenter mode is on and tells core', async () => {
    vi.mocked(ipc.listConnections).mockResolvedValue([connection]);
    render(<App />);
    await screen.findByTestId('connection-item-conn-1');
    await userEvent.keyboard('{Control>}{Shift>}P{/Shift}{/Control}');
    expect(screen.getByTestId('presenter-banner')).toBeInTheDocument();
    expect(ipc.setPresenterMode).toHaveBeenCalledWith(true);
    expect(screen.getByTestId('presenter-toggle')).toHaveAttribute('aria-pressed', 'true');
  });

  it('reports a refused redirect that no open link was waiting for, such as a forged callback', async () => {
    const { emit } = await import('./test/ipcMock');
    const { rememberSession } = await import('./components/link/sessions');
    render(<App />);
    await screen.findByRole('heading', { name: 'Link an account' });
    rememberSession('mine');
    act(() => emit('link://failed', { sessionId: 'mine', error: { code: 'link_expired', message: 'expired' } }));
    expect(screen.queryByTestId('link-error')).not.toBeInTheDocument();
    act(() =>
      emit('link://failed', {
        sessionId: '',
        error: { code: 'unknown_state', message: 'No link is waiting for this state.' },
      }),
    );
    const banner = await screen.findByTestId('link-error');
    expect(banner).toHaveTextContent('This redirect does not belong to a link started here');
    expect(banner).toHaveTextContent('Nothing was saved.');
    await userEvent.click(screen.getByTestId('link-error-dismiss'));
    expect(screen.queryByTestId('link-error')).not.toBeInTheDocument();
  });
});
