import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { deferred } from '../../test/deferred';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import type {
  Transaction,
  TransactionFetchSummary,
  TransactionPage,
  TransactionQuery,
  TransactionSourceInfo,
} from '../../ipc';
import { emit } from '../../test/ipcMock';
import { accounts, connection, fetchedOf, tlError } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { AccountsPanel } from '../accounts/AccountsPanel';
import { activityIds, runningActivities } from '../../activity';
import { ConnectionAccountsProvider } from '../accounts/ConnectionAccountsProvider';
import { TransactionsPanel } from './TransactionsPanel';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const tx = (n: number, extra: Partial<Transaction> = {}): Transaction => ({
  transactionId: `t-${n}`,
  timestamp: `2026-01-${String((n % 28) + 1).padStart(2, '0')}T00:00:00Z`,
  description: n % 2 ? 'EDF ENERGY' : 'TESCO STORES',
  merchantName: null,
  amount: -10 - n,
  currency: 'GBP',
  transactionType: 'DEBIT',
  transactionCategory: 'PURCHASE',
  classification: [],
  runningBalance: 1000 - n,
  pending: false,
  ...extra,
});

const summary = (fetchId: string, total = 1000): TransactionFetchSummary => ({
  fetchId,
  total,
  currency: 'GBP',
  windows: 4,
  pendingError: null,
  firstDate: '2026-08-01',
  lastDate: '2026-11-01',
  pending: [tx(9999, { transactionId: 'p-1', description: 'COSTA PENDING', pending: true, runningBalance: null })],
  balanceSeries: [
    { date: '2026-01-01', balance: 1000 },
    { date: '2026-01-02', balance: 900 },
  ],
  sources: [{ source: 'account', accountId: 'acc-1', displayName: '', currency: 'GBP' }],
  sourceSeries: [],
  traceIds: ['tr-1', 'tr-2'],
  fetchedAt: new Date().toISOString(),
});

const twoAccounts: TransactionSourceInfo[] = [
  { source: 'account', accountId: 'acc-1', displayName: 'TRANSACTION ACCOUNT 1', currency: 'GBP' },
  { source: 'account', accountId: 'acc-2', displayName: 'SAVINGS ACCOUNT 1', currency: 'GBP' },
];

/** A lean page of `rows` (columns once), from source `source(i)`. */
function pageOf(
  q: TransactionQuery,
  total: number,
  rows: Transaction[],
  sources: TransactionSourceInfo[],
  partial = false,
): TransactionPage {
  return {
    total,
    offset: q.offset,
    sources,
    partial,
    rows: {
      index: rows.map((_, i) => q.offset + i),
      timestamp: rows.map((r) => r.timestamp),
      description: rows.map((r) => r.description),
      merchantName: rows.map((r) => r.merchantName),
      amount: rows.map((r) => r.amount),
      runningBalance: rows.map((r) => r.runningBalance),
      transactionCategory: rows.map((r) => r.transactionCategory),
      source: rows.map((_, i) => (q.offset + i) % sources.length),
    },
  };
}

function answerQueries(total: number) {
  vi.mocked(ipc.queryTransactions).mockImplementation((q: TransactionQuery) => {
    const matching = q.search ? Math.min(total, 3) : total;
    const rows = Array.from({ length: Math.max(0, Math.min(q.limit, matching - q.offset)) }, (_, i) =>
      tx(q.offset + i),
    );
    return Promise.resolve(pageOf(q, matching, rows, summary('x').sources));
  });
  vi.mocked(ipc.getTransaction).mockImplementation((fetchId, index) =>
    Promise.resolve({
      transaction: tx(index),
      source: summary(fetchId).sources[0] as TransactionSourceInfo,
      raw: { transaction_id: `t-${index}`, unknown_field: 'kept' },
    }),
  );
}

const withTx = { ...connection, scopes: ['accounts', 'transactions', 'balance'] };
const panel = (initialSource: string | null = null) =>
  renderInApp(
    <ConnectionAccountsProvider connection={connection}>
      <TransactionsPanel connection={withTx} initialSource={initialSource} onReconsent={vi.fn()} />
    </ConnectionAccountsProvider>,
  );

describe('the transactions view', () => {
  beforeEach(() => {
    vi.mocked(ipc.listConnections).mockResolvedValue([]);
    vi.mocked(ipc.listAccounts).mockResolvedValue(fetchedOf(accounts));
    vi.mocked(ipc.cancelFetch).mockResolvedValue(undefined);
  });

  it('waits for a range before fetching anything', async () => {
    panel();
    expect(screen.getByText('Choose a range and fetch')).toBeInTheDocument();
    await screen.findByRole('option', { name: 'TRANSACTION ACCOUNT 1' });
    expect(ipc.fetchTransactions).not.toHaveBeenCalled();
  });

  it('fetches the chosen account and range, following core’s progress events', async () => {
    vi.mocked(ipc.fetchTransactions).mockReturnValue(new Promise(() => undefined));
    panel('account:acc-2');
    await screen.findByRole('option', { name: 'SAVINGS ACCOUNT 1' });
    await userEvent.click(screen.getByTestId('transactions-range-5y'));
    await userEvent.click(screen.getByTestId('transactions-fetch'));
    const input = vi.mocked(ipc.fetchTransactions).mock.calls[0]?.[0];
    expect(input).toMatchObject({ connectionId: 'conn-1', source: 'account', accountId: 'acc-2' });
    expect(Date.parse(input?.to ?? '') - Date.parse(input?.from ?? '')).toBeGreaterThan(4.9 * 365 * 86_400_000);
    const progress = screen.getByTestId('transactions-progress');
    await act(async () =>
      emit('transactions://progress', { fetchId: 'someone-else', windowsDone: 19, windowsTotal: 20, rows: 1 }),
    );
    expect(progress).toHaveTextContent('Starting…');
    await act(async () =>
      emit('transactions://progress', { fetchId: input?.fetchId, windowsDone: 5, windowsTotal: 20, rows: 12345 }),
    );
    // The query cache notifies on its next tick.
    await waitFor(() => expect(progress).toHaveTextContent('Fetched 5 of 20 windows · 12,345 transactions so far'));
    expect(within(progress).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '5');
  });

  it('applies a burst of progress events once, as its newest, not once per window', async () => {
    vi.mocked(ipc.fetchAllTransactions).mockReturnValue(new Promise(() => undefined));
    panel();
    await userEvent.selectOptions(
      await screen.findByTestId('transactions-source'),
      await screen.findByRole('option', { name: 'All accounts and cards' }),
    );
    await userEvent.click(screen.getByTestId('transactions-fetch'));
    const fetchId = vi.mocked(ipc.fetchAllTransactions).mock.calls[0]?.[0].fetchId;
    const progress = screen.getByTestId('transactions-progress');
    await waitFor(() => expect(ipc.queryTransactions).toHaveBeenCalled());
    const readsBefore = vi.mocked(ipc.queryTransactions).mock.calls.length;
    // Twenty windows land a few milliseconds apart, each in its own task (as core's events do).
    await act(async () => {
      for (let done = 1; done <= 20; done++) {
        emit('transactions://progress', { fetchId, windowsDone: done, windowsTotal: 20, rows: done * 10 });
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    });
    await waitFor(() => expect(progress).toHaveTextContent('Fetched 20 of 20 windows · 200 transactions so far'));
    // One re-read of the rows on screen for the burst (a page or two), not twenty.
    expect(vi.mocked(ipc.queryTransactions).mock.calls.length - readsBefore).toBeLessThanOrEqual(2);
  });

  it('cancels a running fetch through core and says so', async () => {
    const answer = deferred<never>();
    vi.mocked(ipc.fetchTransactions).mockReturnValue(answer.promise);
    vi.mocked(ipc.cancelFetch).mockImplementation(() => {
      answer.reject({ code: 'cancelled', message: 'Cancelled.' });
      return Promise.resolve();
    });
    panel();
    await screen.findByRole('option', { name: 'TRANSACTION ACCOUNT 1' });
    await userEvent.click(screen.getByTestId('transactions-fetch'));
    await userEvent.click(screen.getByTestId('transactions-cancel'));
    expect(ipc.cancelFetch).toHaveBeenCalledWith(vi.mocked(ipc.fetchTransactions).mock.calls[0]?.[0].fetchId);
    expect(await screen.findByText(/Fetch cancelled/)).toBeInTheDocument();
  });

  it('shows the summary, pending apart, the chart and the table once fetched', async () => {
    vi.mocked(ipc.fetchTransactions).mockImplementation((input) => Promise.resolve(summary(input.fetchId)));
    answerQueries(1000);
    panel();
    await screen.findByRole('option', { name: 'TRANSACTION ACCOUNT 1' });
    await userEvent.click(screen.getByTestId('transactions-fetch'));
    expect(await screen.findByTestId('transactions-summary')).toHaveTextContent('Transactions1,000');
    expect(screen.getByTestId('transactions-pending')).toHaveTextContent('COSTA PENDING');
    expect(
      screen.getByRole('img', { name: /^Balance over time: from .+ to .+; lowest .+, highest .+$/ }),
    ).toBeInTheDocument();
    const table = await screen.findByTestId('transactions-table');
    expect(within(table).getAllByRole('row').length).toBeLessThan(60);
    expect(table).toHaveTextContent('TESCO STORES');
    expect(table).toHaveTextContent('-£10.00');
    expect(ipc.queryTransactions).toHaveBeenCalledWith(
      expect.objectContaining({ offset: 0, limit: 100, search: null, sort: 'timestamp', descending: true }),
    );
  });

  it('searches and sorts through core, and shows a row’s raw JSON on click', async () => {
    vi.mocked(ipc.fetchTransactions).mockImplementation((input) => Promise.resolve(summary(input.fetchId)));
    answerQueries(1000);
    panel();
    await screen.findByRole('option', { name: 'TRANSACTION ACCOUNT 1' });
    await userEvent.click(screen.getByTestId('transactions-fetch'));
    await screen.findByTestId('transactions-table');
    await userEvent.type(screen.getByTestId('transactions-search'), 'edf');
    expect(await screen.findByText('3 transactions match')).toBeInTheDocument();
    expect(ipc.queryTransactions).toHaveBeenLastCalledWith(expect.objectContaining({ search: 'edf' }));
    await userEvent.click(screen.getByRole('button', { name: /Amount/ }));
    expect(ipc.queryTransactions).toHaveBeenLastCalledWith(
      expect.objectContaining({ sort: 'amount', descending: true }),
    );
    await userEvent.click(screen.getAllByRole('row')[1] as HTMLElement);
    expect(await screen.findByTestId('transaction-detail')).toHaveTextContent('"kept"');
    expect(ipc.getTransaction).toHaveBeenCalledWith(vi.mocked(ipc.fetchTransactions).mock.calls[0]?.[0].fetchId, 0);
  });

  it('shows every row again when the search is cleared', async () => {
    vi.mocked(ipc.fetchTransactions).mockImplementation((input) => Promise.resolve(summary(input.fetchId)));
    answerQueries(1000);
    panel();
    await screen.findByRole('option', { name: 'TRANSACTION ACCOUNT 1' });
    await userEvent.click(screen.getByTestId('transactions-fetch'));
    expect(await screen.findByText('1,000 transactions')).toBeInTheDocument();
    await userEvent.type(screen.getByTestId('transactions-search'), 'edf');
    expect(await screen.findByText('3 transactions match')).toBeInTheDocument();
    await userEvent.clear(screen.getByTestId('transactions-search'));
    expect(await screen.findByText('1,000 transactions')).toBeInTheDocument();
  });

  it('fetches every account at once, shows the rows as they stream in, then an account column and a series each', async () => {
    const answer = deferred<TransactionFetchSummary>();
    vi.mocked(ipc.fetchAllTransactions).mockReturnValue(answer.promise);
    let partial = true;
    let arrived = 2;
    vi.mocked(ipc.queryTransactions).mockImplementation((q) => {
      const rows = Array.from({ length: Math.max(0, Math.min(q.limit, arrived - q.offset)) }, (_, i) =>
        tx(q.offset + i),
      );
      return Promise.resolve(pageOf(q, arrived, rows, twoAccounts, partial));
    });
    panel();
    await userEvent.selectOptions(
      await screen.findByTestId('transactions-source'),
      await screen.findByRole('option', { name: 'All accounts and cards' }),
    );
    await userEvent.click(screen.getByTestId('transactions-fetch'));
    const input = vi.mocked(ipc.fetchAllTransactions).mock.calls[0]?.[0];
    expect(input).toMatchObject({ connectionId: 'conn-1' });
    expect(ipc.fetchTransactions).not.toHaveBeenCalled();
    await act(async () =>
      emit('transactions://progress', { fetchId: input?.fetchId, windowsDone: 1, windowsTotal: 8, rows: 2 }),
    );
    expect(await screen.findByText(/2 transactions so far/)).toBeInTheDocument();
    arrived = 5;
    await act(async () =>
      emit('transactions://progress', { fetchId: input?.fetchId, windowsDone: 2, windowsTotal: 8, rows: 5 }),
    );
    expect(await screen.findByText(/5 transactions so far/)).toBeInTheDocument();
    partial = false;
    answer.resolve({
      ...summary(input?.fetchId ?? '', 5),
      pending: [],
      sources: twoAccounts,
      sourceSeries: [
        { source: 0, points: summary('x').balanceSeries },
        { source: 1, points: summary('x').balanceSeries },
      ],
    });
    expect(await screen.findByTestId('transactions-summary')).toHaveTextContent('Accounts and cards2');
    const table = await screen.findByTestId('transactions-table');
    expect((await within(table).findAllByText('SAVINGS ACCOUNT 1')).length).toBeGreaterThan(0);
    expect(within(table).getByRole('columnheader', { name: /Account/ })).toBeInTheDocument();
    const series = screen.getByTestId('transactions-series');
    expect(
      within(series)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Total of every account and card', 'TRANSACTION ACCOUNT 1', 'SAVINGS ACCOUNT 1']);
  });

  it('offers no total of balances in different currencies', async () => {
    const mixed: TransactionSourceInfo[] = [
      twoAccounts[0] as TransactionSourceInfo,
      { ...(twoAccounts[1] as TransactionSourceInfo), currency: 'EUR' },
    ];
    vi.mocked(ipc.fetchAllTransactions).mockImplementation((input) =>
      Promise.resolve({
        ...summary(input.fetchId, 5),
        currency: '',
        pending: [],
        sources: mixed,
        sourceSeries: [
          { source: 0, points: summary('x').balanceSeries },
          { source: 1, points: summary('x').balanceSeries },
        ],
      }),
    );
    vi.mocked(ipc.queryTransactions).mockImplementation((q) => Promise.resolve(pageOf(q, 2, [tx(0), tx(1)], mixed)));
    panel();
    await userEvent.selectOptions(
      await screen.findByTestId('transactions-source'),
      await screen.findByRole('option', { name: 'All accounts and cards' }),
    );
    await userEvent.click(screen.getByTestId('transactions-fetch'));
    const series = await screen.findByTestId('transactions-series');
    expect(
      within(series)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['TRANSACTION ACCOUNT 1 (GBP)', 'SAVINGS ACCOUNT 1 (EUR)']);
  });

  it('keeps a running fetch when the user leaves the tab, reports it as app-wide activity meanwhile, and shows its result on return without fetching again', async () => {
    const answer = deferred<TransactionFetchSummary>();
    vi.mocked(ipc.fetchTransactions).mockReturnValue(answer.promise);
    answerQueries(1000);
    function Tabs() {
      const [tab, setTab] = useState<'transactions' | 'accounts'>('transactions');
      return (
        <ConnectionAccountsProvider connection={withTx}>
          <button onClick={() => setTab(tab === 'transactions' ? 'accounts' : 'transactions')}>switch tab</button>
          {tab === 'transactions' ? (
            <TransactionsPanel connection={withTx} initialSource={null} onReconsent={vi.fn()} />
          ) : (
            <AccountsPanel />
          )}
        </ConnectionAccountsProvider>
      );
    }
    renderInApp(<Tabs />);
    await screen.findByRole('option', { name: 'TRANSACTION ACCOUNT 1' });
    await userEvent.click(screen.getByTestId('transactions-range-5y'));
    await userEvent.click(screen.getByTestId('transactions-fetch'));
    const fetchId = vi.mocked(ipc.fetchTransactions).mock.calls[0]?.[0].fetchId ?? '';
    await userEvent.click(screen.getByRole('button', { name: 'switch tab' }));
    expect(screen.queryByTestId('transactions-progress')).not.toBeInTheDocument();
    await act(async () => emit('transactions://progress', { fetchId, windowsDone: 7, windowsTotal: 21, rows: 700 }));
    expect(ipc.cancelFetch).not.toHaveBeenCalled();
    const running = () => runningActivities().find((a) => a.id === activityIds.fetch(fetchId));
    await waitFor(() =>
      expect(running()).toMatchObject({ label: 'Fetching transactions', progress: { done: 7, total: 21 } }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'switch tab' }));
    expect(await screen.findByTestId('transactions-progress')).toHaveTextContent('Fetched 7 of 21 windows');
    await userEvent.click(screen.getByRole('button', { name: 'switch tab' }));
    await act(async () => answer.resolve(summary(fetchId)));
    await userEvent.click(screen.getByRole('button', { name: 'switch tab' }));
    expect(await screen.findByTestId('transactions-summary')).toHaveTextContent('Transactions1,000');
    expect(ipc.fetchTransactions).toHaveBeenCalledTimes(1);
    expect(running()).toBeUndefined();
  });

  it('says so when the range holds no transactions', async () => {
    vi.mocked(ipc.fetchTransactions).mockImplementation((input) => Promise.resolve(summary(input.fetchId, 0)));
    answerQueries(0);
    panel();
    await screen.findByRole('option', { name: 'TRANSACTION ACCOUNT 1' });
    await userEvent.click(screen.getByTestId('transactions-fetch'));
    expect(await screen.findByText('No transactions in this range')).toBeInTheDocument();
  });

  it('explains a refused range with its trace id and retries', async () => {
    vi.mocked(ipc.fetchTransactions).mockRejectedValueOnce(
      tlError('access_denied', 'Access to a specific resource has been denied.', 403),
    );
    panel();
    await screen.findByRole('option', { name: 'TRANSACTION ACCOUNT 1' });
    await userEvent.click(screen.getByTestId('transactions-fetch'));
    const error = await screen.findByTestId('transactions-error');
    expect(error).toHaveTextContent('The bank denied access to this data');
    expect(error).toHaveTextContent('trace-access_denied');
  });

  it('exports what was fetched and says where it went', async () => {
    vi.mocked(ipc.fetchTransactions).mockImplementation((input) => Promise.resolve(summary(input.fetchId)));
    vi.mocked(ipc.exportTransactions).mockResolvedValue('/home/qa/tx.csv');
    answerQueries(10);
    panel();
    await screen.findByRole('option', { name: 'TRANSACTION ACCOUNT 1' });
    await userEvent.click(screen.getByTestId('transactions-fetch'));
    await userEvent.click(await screen.findByTestId('transactions-export-csv'));
    expect(ipc.exportTransactions).toHaveBeenCalledWith(
      vi.mocked(ipc.fetchTransactions).mock.calls[0]?.[0].fetchId,
      'csv',
    );
    expect(await screen.findByText('Saved CSV to /home/qa/tx.csv')).toBeInTheDocument();
  });

  it('needs the transactions scope', () => {
    renderInApp(
      <TransactionsPanel
        connection={{ ...connection, scopes: ['accounts'] }}
        initialSource={null}
        onReconsent={vi.fn()}
      />,
    );
    expect(screen.getByText('No transactions for this connection')).toBeInTheDocument();
  });
});
