import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { deferred } from '../../test/deferred';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { accounts, connection, fetchedOf, tlError } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { ConnectionAccountsProvider } from '../accounts/ConnectionAccountsProvider';
import { DirectDebitsPanel } from '../direct-debits/DirectDebitsPanel';
import { StandingOrdersPanel } from './StandingOrdersPanel';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const full = { ...connection, scopes: [...connection.scopes, 'standing_orders', 'direct_debits'] };
const order = {
  frequency: 'IntrvlMnthDay:01:15',
  status: 'Active',
  timestamp: '2026-01-01T00:00:00Z',
  currency: 'GBP',
  payee: 'Jane Landlord',
  reference: 'RENT',
  nextPaymentDate: '2026-02-15',
  nextPaymentAmount: 950,
  firstPaymentDate: null,
  firstPaymentAmount: null,
  finalPaymentDate: null,
  finalPaymentAmount: null,
};
const debit = {
  directDebitId: 'dd-1',
  name: 'EDF ENERGY',
  status: 'Active',
  timestamp: '2026-01-01T00:00:00Z',
  previousPaymentTimestamp: '2026-01-10T00:00:00Z',
  previousPaymentAmount: 84.2,
  currency: 'GBP',
};

const inConnection = (ui: React.ReactElement) =>
  renderInApp(<ConnectionAccountsProvider connection={connection}>{ui}</ConnectionAccountsProvider>);

describe('the standing orders view', () => {
  beforeEach(() => {
    vi.mocked(ipc.listConnections).mockResolvedValue([]);
    vi.mocked(ipc.listAccounts).mockResolvedValue(fetchedOf(accounts));
  });

  it('loads the first account’s standing orders and describes their frequency in words', async () => {
    vi.mocked(ipc.listStandingOrders).mockResolvedValue(fetchedOf([order]));
    inConnection(<StandingOrdersPanel connection={full} onReconsent={vi.fn()} />);
    const row = await screen.findByTestId('standing-order-row');
    expect(row).toHaveTextContent('Jane Landlord');
    expect(row).toHaveTextContent('Every month on the 15th');
    expect(row).toHaveTextContent('£950.00');
    expect(ipc.listStandingOrders).toHaveBeenCalledWith('conn-1', 'acc-1');
  });

  it('asks again for another account when the user picks it', async () => {
    vi.mocked(ipc.listStandingOrders).mockResolvedValue(fetchedOf([]));
    inConnection(<StandingOrdersPanel connection={full} onReconsent={vi.fn()} />);
    expect(await screen.findByTestId('standing-orders-empty')).toHaveTextContent('No standing orders');
    await userEvent.selectOptions(screen.getByTestId('account-picker'), 'acc-2');
    await screen.findByTestId('standing-orders-empty');
    expect(ipc.listStandingOrders).toHaveBeenLastCalledWith('conn-1', 'acc-2');
  });

  it('shows loading, then an explained error', async () => {
    const answer = deferred<never>();
    vi.mocked(ipc.listStandingOrders).mockReturnValue(answer.promise);
    inConnection(<StandingOrdersPanel connection={full} onReconsent={vi.fn()} />);
    expect(await screen.findByTestId('standing-orders-loading')).toBeInTheDocument();
    answer.reject(tlError('endpoint_not_supported', 'Feature not supported by the provider', 501));
    expect(await screen.findByTestId('standing-orders-error')).toHaveTextContent('This bank does not offer this data');
  });

  it('needs the standing_orders scope', () => {
    inConnection(<StandingOrdersPanel connection={connection} onReconsent={vi.fn()} />);
    expect(screen.getByText('No standing orders for this connection')).toBeInTheDocument();
  });
});

describe('the direct debits view', () => {
  beforeEach(() => {
    vi.mocked(ipc.listConnections).mockResolvedValue([]);
    vi.mocked(ipc.listAccounts).mockResolvedValue(fetchedOf(accounts));
  });

  it('lists mandates with their last payment', async () => {
    vi.mocked(ipc.listDirectDebits).mockResolvedValue(fetchedOf([debit]));
    inConnection(<DirectDebitsPanel connection={full} onReconsent={vi.fn()} />);
    const row = await screen.findByTestId('direct-debit-row');
    expect(row).toHaveTextContent('EDF ENERGY');
    expect(row).toHaveTextContent('£84.20');
    expect(ipc.listDirectDebits).toHaveBeenCalledWith('conn-1', 'acc-1');
  });

  it('shows loading, empty and error states', async () => {
    let answer: (value: ReturnType<typeof fetchedOf<(typeof debit)[]>>) => void = () => undefined;
    vi.mocked(ipc.listDirectDebits).mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    inConnection(<DirectDebitsPanel connection={full} onReconsent={vi.fn()} />);
    expect(await screen.findByTestId('direct-debits-loading')).toBeInTheDocument();
    answer(fetchedOf([]));
    expect(await screen.findByTestId('direct-debits-empty')).toBeInTheDocument();
    vi.mocked(ipc.listDirectDebits).mockRejectedValueOnce(tlError('provider_error', 'down'));
    await userEvent.click(screen.getByTestId('direct-debits-refresh'));
    expect(await screen.findByTestId('direct-debits-error')).toHaveTextContent('down');
  });

  it('says so when the connection has no accounts to ask about', async () => {
    vi.mocked(ipc.listAccounts).mockResolvedValue(fetchedOf([]));
    inConnection(<DirectDebitsPanel connection={full} onReconsent={vi.fn()} />);
    expect(await screen.findByText('No accounts')).toBeInTheDocument();
    expect(ipc.listDirectDebits).not.toHaveBeenCalled();
  });
});
