import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import type { SnapshotAccount, SnapshotDiff, SnapshotSummary, SnapshotTransaction } from '../../ipc';
import { connection } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { SnapshotsPanel } from './SnapshotsPanel';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const monday: SnapshotSummary = {
  id: 's1',
  connectionId: connection.id,
  label: 'Monday',
  takenAt: '2025-01-06T09:00:00Z',
  from: '2024-12-07',
  to: '2025-01-06',
  accounts: 1,
  cards: 0,
  transactions: 12,
};

const current: SnapshotAccount = {
  kind: 'account',
  accountId: 'a1',
  displayName: 'TRANSACTION ACCOUNT 1',
  accountType: 'TRANSACTION',
  currency: 'GBP',
  number: '12345678',
  current: 90,
  available: 90,
};

const coffee: SnapshotTransaction = {
  kind: 'account',
  accountId: 'a1',
  transactionId: 't9',
  timestamp: '2025-01-07T08:00:00+00:00',
  description: 'COFFEE SHOP',
  merchantName: null,
  amount: -10,
  currency: 'GBP',
  transactionType: 'DEBIT',
  transactionCategory: 'PURCHASE',
};

const diff: SnapshotDiff = {
  base: monday,
  against: { kind: 'fresh', readAt: '2025-01-07T09:00:00Z' },
  from: monday.from,
  to: monday.to,
  identical: false,
  counts: {
    accountsAdded: 0,
    accountsRemoved: 0,
    balancesChanged: 1,
    transactionsAdded: 1,
    transactionsRemoved: 0,
    transactionsChanged: 0,
    transactionsUnchanged: 12,
    transactionsRematched: 0,
  },
  accounts: [current],
  accountsAdded: [],
  accountsRemoved: [],
  balancesChanged: [
    {
      account: current,
      current: { before: 100, after: 90, delta: -10 },
      available: { before: 100, after: 90, delta: -10 },
    },
  ],
  transactionsAdded: [coffee],
  transactionsRemoved: [],
  transactionsChanged: [],
};

describe('the snapshots view', () => {
  beforeEach(() => {
    vi.mocked(ipc.listConnections).mockResolvedValue([]);
    vi.mocked(ipc.listSnapshots).mockResolvedValue([monday]);
  });

  it('takes a snapshot of the chosen range and lists it', async () => {
    vi.mocked(ipc.listSnapshots).mockResolvedValueOnce([]);
    vi.mocked(ipc.takeSnapshot).mockResolvedValue(monday);
    renderInApp(<SnapshotsPanel connection={connection} />);
    expect(await screen.findByText('No snapshots yet')).toBeInTheDocument();
    await userEvent.type(screen.getByTestId('snapshot-label'), 'Monday');
    await userEvent.click(screen.getByTestId('snapshot-take'));
    expect(ipc.takeSnapshot).toHaveBeenCalledWith(
      expect.objectContaining({ connectionId: connection.id, label: 'Monday' }),
    );
    expect(await screen.findByTestId('snapshot-row-s1')).toHaveTextContent('Monday');
  });

  it('refuses an empty range before asking core', async () => {
    renderInApp(<SnapshotsPanel connection={connection} />);
    const from = screen.getByTestId('snapshot-from');
    await userEvent.clear(from);
    await userEvent.type(from, '2999-01-01');
    expect(screen.getByTestId('snapshot-take')).toBeDisabled();
    expect(screen.getByText('Choose a start date on or before the end date.')).toBeInTheDocument();
  });

  it('shows the added rows and the moved balance of a comparison with now, masked in presenter mode', async () => {
    vi.mocked(ipc.compareSnapshots).mockResolvedValue(diff);
    renderInApp(<SnapshotsPanel connection={connection} />);
    await userEvent.click(await screen.findByTestId('snapshot-compare-now-s1'));
    expect(ipc.compareSnapshots).toHaveBeenCalledWith({ baseId: 's1', againstId: undefined });
    const added = await screen.findByTestId('diff-transactions-added');
    expect(within(added).getByText('COFFEE SHOP')).toBeInTheDocument();
    expect(added).toHaveTextContent('TRANSACTION ACCOUNT 1');
    const balances = screen.getByTestId('diff-balances');
    expect(balances).toHaveTextContent('-£10.00');
    expect(balances).toHaveTextContent('12345678');
    expect(screen.queryByTestId('diff-transactions-removed')).not.toBeInTheDocument();
    await userEvent.keyboard('{Control>}{Shift>}P{/Shift}{/Control}');
    await waitFor(() => expect(screen.getByTestId('diff-balances')).not.toHaveTextContent('12345678'));
  });

  it('says so when nothing changed', async () => {
    vi.mocked(ipc.compareSnapshots).mockResolvedValue({
      ...diff,
      identical: true,
      counts: { ...diff.counts, balancesChanged: 0, transactionsAdded: 0 },
      balancesChanged: [],
      transactionsAdded: [],
    });
    renderInApp(<SnapshotsPanel connection={connection} />);
    await userEvent.click(await screen.findByTestId('compare-run'));
    expect(await screen.findByText('Nothing changed')).toBeInTheDocument();
  });

  it('explains a refused comparison', async () => {
    vi.mocked(ipc.compareSnapshots).mockRejectedValue({
      code: 'not_found',
      message: 'snapshot not found: s1',
    });
    renderInApp(<SnapshotsPanel connection={connection} />);
    await userEvent.click(await screen.findByTestId('compare-run'));
    expect(await screen.findByTestId('compare-error')).toHaveTextContent('snapshot not found');
  });

  it('deletes a snapshot and reloads the list', async () => {
    vi.mocked(ipc.deleteSnapshot).mockResolvedValue(undefined);
    renderInApp(<SnapshotsPanel connection={connection} />);
    vi.mocked(ipc.listSnapshots).mockResolvedValue([]);
    await userEvent.click(await screen.findByTestId('snapshot-delete-s1'));
    expect(ipc.deleteSnapshot).toHaveBeenCalledWith('s1');
    expect(await screen.findByText('No snapshots yet')).toBeInTheDocument();
  });
});
