import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { accounts, connection } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { AccountsPanel } from './AccountsPanel';
import { ConnectionAccountsProvider } from './ConnectionAccountsProvider';

const panel = () => (
  <ConnectionAccountsProvider connection={connection}>
    <AccountsPanel />
  </ConnectionAccountsProvider>
);

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const fetched = (data = accounts) => ({
  data,
  raw: { '/data/v1/accounts': { results: [{ account_id: 'acc-1', surprise: 'kept' }] } },
  traceIds: ['trace-1'],
  fetchedAt: new Date().toISOString(),
});

describe('the accounts panel', () => {
  beforeEach(() => {
    vi.mocked(ipc.listConnections).mockResolvedValue([]);
  });

  it('shows placeholders while accounts load', () => {
    renderInApp(panel());
    expect(screen.getByTestId('accounts-loading')).toBeInTheDocument();
    expect(ipc.listAccounts).toHaveBeenCalledWith('conn-1');
  });

  it('shows each account with its identifiers and balances formatted in its own currency', async () => {
    vi.mocked(ipc.listAccounts).mockResolvedValue(fetched());
    renderInApp(panel());
    const card = await screen.findByTestId('account-card-acc-1');
    expect(card).toHaveTextContent('TRANSACTION ACCOUNT 1');
    expect(card).toHaveTextContent('01-21-31');
    expect(card).toHaveTextContent('10000000');
    expect(card).toHaveTextContent('GB08 CLRB 0406 6800 0034 35');
    const balance = screen.getByTestId('account-balance-acc-1');
    expect(balance).toHaveTextContent('Current£29.00');
    expect(balance).toHaveTextContent('Available£129.00');
    expect(balance).toHaveTextContent('Overdraft£100.00');
    expect(screen.getByText(/2 accounts · fetched just now · trace/)).toBeInTheDocument();
  });

  it('explains a balance that failed, with its trace id, without hiding the account', async () => {
    vi.mocked(ipc.listAccounts).mockResolvedValue(fetched());
    renderInApp(panel());
    const balance = await screen.findByTestId('account-balance-acc-2');
    expect(within(balance).getByRole('alert')).toHaveTextContent('The bank’s service is unavailable.');
    expect(balance).toHaveTextContent('trace id trace-503');
    expect(screen.getByTestId('account-card-acc-2')).toHaveTextContent('DE89 3704 0044 0532 0130 00');
  });

  it('says so when the bank returned no accounts', async () => {
    vi.mocked(ipc.listAccounts).mockResolvedValue(fetched([]));
    renderInApp(panel());
    expect(await screen.findByText('The bank returned no accounts')).toBeInTheDocument();
    expect(screen.queryByTestId('accounts-list')).not.toBeInTheDocument();
  });

  it('explains a TrueLayer error with its trace id and retries on request', async () => {
    vi.mocked(ipc.listAccounts).mockRejectedValueOnce({
      code: 'truelayer',
      message: 'Feature not supported by the provider',
      detail: { status: 501, tlError: 'endpoint_not_supported', traceId: 'trace-501' },
    });
    renderInApp(panel());
    const error = await screen.findByTestId('accounts-error');
    expect(error).toHaveTextContent('This bank does not offer this data');
    expect(error).toHaveTextContent('trace-501');
    vi.mocked(ipc.listAccounts).mockResolvedValue(fetched());
    await userEvent.click(within(error).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('accounts-list')).toBeInTheDocument();
  });

  it('shows exactly what came back, unknown fields included, behind the raw JSON toggle', async () => {
    vi.mocked(ipc.listAccounts).mockResolvedValue(fetched());
    renderInApp(panel());
    await userEvent.click(await screen.findByTestId('raw-json-toggle'));
    expect(screen.getByText('"kept"')).toBeInTheDocument();
  });

  it('masks account identifiers in presenter mode, on screen and in copies', async () => {
    vi.mocked(ipc.listAccounts).mockResolvedValue(fetched());
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderInApp(panel());
    const card = await screen.findByTestId('account-card-acc-1');
    await userEvent.keyboard('{Control>}{Shift>}P{/Shift}{/Control}');
    expect(card).not.toHaveTextContent('10000000');
    expect(card).toHaveTextContent('••••••00');
    expect(card).toHaveTextContent('••-••-••');
    await userEvent.click(screen.getByTestId('copy-account-number-acc-1'));
    expect(writeText).toHaveBeenCalledWith('••-••-•• ••••••00');
  });
});
