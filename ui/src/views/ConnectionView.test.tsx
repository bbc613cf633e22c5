import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionTab } from '../hooks/useRoute';
import * as ipc from '../ipc';
import { accounts, builtinEnv, connection, fetchedOf } from '../test/fixtures';
import { renderInApp } from '../test/render';
import { ConnectionView } from './ConnectionView';

vi.mock('../ipc', async () => (await import('../test/ipcMock')).ipcMockModule());

/** The connection screen with its route kept in state, as the app's router keeps it. */
function RoutedConnection({ start }: { start: ConnectionTab }) {
  const [tab, setTab] = useState<ConnectionTab>(start);
  return (
    <ConnectionView
      id="conn-1"
      tab={tab}
      sub={null}
      navigate={(route) => {
        if (route.view === 'connection') setTab(route.tab);
      }}
    />
  );
}

describe('the connection screen', () => {
  beforeEach(() => {
    vi.mocked(ipc.listConnections).mockResolvedValue([connection]);
    vi.mocked(ipc.listEnvironments).mockResolvedValue([builtinEnv]);
    vi.mocked(ipc.listAccounts).mockResolvedValue(fetchedOf(accounts));
  });

  it('opens on the accounts with the header: provider, label, status and consent expiry', async () => {
    renderInApp(<ConnectionView id="conn-1" tab="accounts" sub={null} navigate={vi.fn()} />);
    expect(await screen.findByTestId('connection-label')).toHaveTextContent('John Doe · Mock');
    expect(screen.getByTestId('connection-status')).toHaveTextContent('Active');
    expect(screen.getByTestId('consent-expiry')).toHaveTextContent('Consent expires');
    expect(await screen.findByTestId('accounts-list')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Accounts' })).toHaveAttribute('aria-selected', 'true');
  });

  it('switches tabs through the route, by click and with Alt+number', async () => {
    const navigate = vi.fn();
    renderInApp(<ConnectionView id="conn-1" tab="accounts" sub={null} navigate={navigate} />);
    await userEvent.click(await screen.findByRole('tab', { name: 'Transactions' }));
    expect(navigate).toHaveBeenLastCalledWith({ view: 'connection', id: 'conn-1', tab: 'transactions', sub: null });
    await userEvent.keyboard('{Alt>}1{/Alt}');
    expect(navigate).toHaveBeenLastCalledWith({ view: 'connection', id: 'conn-1', tab: 'overview', sub: null });
  });

  it('re-consents through a new link for the same bank', async () => {
    const navigate = vi.fn();
    renderInApp(<ConnectionView id="conn-1" tab="accounts" sub={null} navigate={navigate} />);
    await userEvent.click(await screen.findByTestId('action-reconsent'));
    expect(navigate).toHaveBeenCalledWith({ view: 'reconsent', id: connection.id });
  });

  it('says so when the connection does not exist (any more)', async () => {
    renderInApp(<ConnectionView id="gone" tab="accounts" sub={null} navigate={vi.fn()} />);
    expect(await screen.findByText('Connection not found')).toBeInTheDocument();
  });

  it('shows a tab’s data again from the cache, with no second call to core, until the user refreshes', async () => {
    vi.mocked(ipc.listCards).mockResolvedValue(fetchedOf([]));
    renderInApp(<RoutedConnection start="cards" />);
    expect(await screen.findByTestId('cards-empty')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('tab', { name: 'Accounts' }));
    expect(await screen.findByTestId('accounts-list')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('tab', { name: 'Cards' }));
    // At once, with no loading state: the cached answer.
    expect(screen.getByTestId('cards-empty')).toBeInTheDocument();
    expect(ipc.listCards).toHaveBeenCalledTimes(1);
    expect(ipc.listAccounts).toHaveBeenCalledTimes(1);
    await userEvent.click(screen.getByTestId('cards-refresh'));
    await waitFor(() => expect(ipc.listCards).toHaveBeenCalledTimes(2));
  });

  it('reads the connection’s data again after a token refresh invalidates it', async () => {
    vi.mocked(ipc.refreshConnection).mockResolvedValue(connection);
    renderInApp(<RoutedConnection start="accounts" />);
    expect(await screen.findByTestId('accounts-list')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('action-refresh'));
    await waitFor(() => expect(ipc.listAccounts).toHaveBeenCalledTimes(2));
  });
});
