import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../ipc';
import { accounts, builtinEnv, connection, fetchedOf } from '../test/fixtures';
import { renderInApp } from '../test/render';
import { ConnectionView } from './ConnectionView';

vi.mock('../ipc', async () => (await import('../test/ipcMock')).ipcMockModule());

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
});
