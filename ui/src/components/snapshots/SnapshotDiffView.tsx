import type { BalanceChange, SnapshotAccount, SnapshotDiff, SnapshotTransaction, TransactionChange } from '../../ipc';
import { formatDate, formatDateTime, formatMoney, formatNumber } from '../../lib/format';
import { Sensitive } from '../presenter/Sensitive';
import { Badge, Card, EmptyState } from '../shared';

/** What changed from a snapshot to a fresh read or to another snapshot, section by section. */
export function SnapshotDiffView({ diff }: { diff: SnapshotDiff }) {
  const names = new Map(diff.accounts.map((a) => [`${a.kind}:${a.accountId}`, a]));
  const nameOf = (t: SnapshotTransaction) => names.get(`${t.kind}:${t.accountId}`)?.displayName ?? t.accountId;
  const c = diff.counts;
  const after =
    diff.against.kind === 'fresh' ? `now (read ${formatDateTime(diff.against.readAt)})` : diff.against.snapshot.label;
  const otherRange =
    diff.against.kind === 'snapshot' &&
    (diff.against.snapshot.from !== diff.from || diff.against.snapshot.to !== diff.to)
      ? diff.against.snapshot
      : null;

  return (
    <div className="stack" data-testid="snapshot-diff" data-identical={diff.identical}>
      <Card
        title="What changed"
        subtitle={
          <>
            From <strong>{diff.base.label}</strong> to <strong>{after}</strong>; transactions of {formatDate(diff.from)}{' '}
            – {formatDate(diff.to)}.
          </>
        }
      >
        <ul className="diff-counts" data-testid="diff-counts">
          <Count label="accounts added" n={c.accountsAdded} tone="success" />
          <Count label="accounts removed" n={c.accountsRemoved} tone="danger" />
          <Count label="balances changed" n={c.balancesChanged} tone="warning" />
          <Count label="transactions added" n={c.transactionsAdded} tone="success" />
          <Count label="transactions removed" n={c.transactionsRemoved} tone="danger" />
          <Count label="transactions changed" n={c.transactionsChanged} tone="warning" />
          <Count label="transactions unchanged" n={c.transactionsUnchanged} tone="neutral" />
        </ul>
        {c.transactionsRematched > 0 && (
          <p className="field-hint" data-testid="diff-rematched">
            {formatNumber(c.transactionsRematched)} transactions came back with another id but the same day, amount and
            description: they are counted as unchanged (this provider's ids are not stable).
          </p>
        )}
        {otherRange && (
          <p className="field-hint">
            The two snapshots cover different ranges ({formatDate(otherRange.from)} – {formatDate(otherRange.to)}{' '}
            after): transactions outside one of them show as added or removed.
          </p>
        )}
      </Card>

      {diff.identical ? (
        <EmptyState icon="check" title="Nothing changed" compact>
          <p>Same accounts, same balances and the same transactions.</p>
        </EmptyState>
      ) : (
        <>
          <AccountSection
            title="Accounts added"
            testId="diff-accounts-added"
            accounts={diff.accountsAdded}
            total={c.accountsAdded}
          />
          <AccountSection
            title="Accounts removed"
            testId="diff-accounts-removed"
            accounts={diff.accountsRemoved}
            total={c.accountsRemoved}
          />
          <BalanceSection changes={diff.balancesChanged} total={c.balancesChanged} />
          <TransactionSection
            title="Transactions added"
            testId="diff-transactions-added"
            rows={diff.transactionsAdded}
            total={c.transactionsAdded}
            nameOf={nameOf}
          />
          <TransactionSection
            title="Transactions removed"
            testId="diff-transactions-removed"
            rows={diff.transactionsRemoved}
            total={c.transactionsRemoved}
            nameOf={nameOf}
          />
          <ChangedSection changes={diff.transactionsChanged} total={c.transactionsChanged} nameOf={nameOf} />
        </>
      )}
    </div>
  );
}

function Count({ label, n, tone }: { label: string; n: number; tone: 'success' | 'danger' | 'warning' | 'neutral' }) {
  return (
    <li>
      <Badge tone={n > 0 ? tone : 'neutral'}>{formatNumber(n)}</Badge> {label}
    </li>
  );
}

function Shown({ shown, total }: { shown: number; total: number }) {
  return shown < total ? (
    <p className="field-hint">
      The first {formatNumber(shown)} of {formatNumber(total)} are shown.
    </p>
  ) : null;
}

function AccountSection({
  title,
  testId,
  accounts,
  total,
}: {
  title: string;
  testId: string;
  accounts: SnapshotAccount[];
  total: number;
}) {
  if (total === 0) return null;
  return (
    <Card title={title} flush data-testid={testId}>
      <div className="table-wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Number</th>
              <th className="right">Balance</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={`${a.kind}:${a.accountId}`}>
                <td>{a.displayName}</td>
                <td>{a.kind === 'card' ? 'Card' : 'Account'}</td>
                <td>
                  <Sensitive kind="number" value={a.number} />
                </td>
                <td className="right num">{a.current === null ? '—' : formatMoney(a.current, a.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Shown shown={accounts.length} total={total} />
    </Card>
  );
}

function BalanceSection({ changes, total }: { changes: BalanceChange[]; total: number }) {
  if (total === 0) return null;
  const money = (v: number | null, currency: string) => (v === null ? '—' : formatMoney(v, currency));
  const delta = (v: number | null, currency: string) => (v === null ? '—' : formatMoney(v, currency, { signed: true }));
  return (
    <Card
      title="Balances changed"
      subtitle="Current is the booked balance; available also counts pending transactions."
      flush
      data-testid="diff-balances"
    >
      <div className="table-wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th>Account or card</th>
              <th>Number</th>
              <th className="right">Current before</th>
              <th className="right">Current after</th>
              <th className="right">Change</th>
              <th className="right">Available before</th>
              <th className="right">Available after</th>
              <th className="right">Change</th>
            </tr>
          </thead>
          <tbody>
            {changes.map(({ account: a, current, available }) => (
              <tr key={`${a.kind}:${a.accountId}`}>
                <td>{a.displayName}</td>
                <td>
                  <Sensitive kind="number" value={a.number} />
                </td>
                <td className="right num">{money(current.before, a.currency)}</td>
                <td className="right num">{money(current.after, a.currency)}</td>
                <td className="right num">{delta(current.delta, a.currency)}</td>
                <td className="right num">{money(available.before, a.currency)}</td>
                <td className="right num">{money(available.after, a.currency)}</td>
                <td className="right num">{delta(available.delta, a.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Shown shown={changes.length} total={total} />
    </Card>
  );
}

function TransactionSection({
  title,
  testId,
  rows,
  total,
  nameOf,
}: {
  title: string;
  testId: string;
  rows: SnapshotTransaction[];
  total: number;
  nameOf: (t: SnapshotTransaction) => string;
}) {
  if (total === 0) return null;
  return (
    <Card title={`${title} (${formatNumber(total)})`} flush data-testid={testId}>
      <div className="table-wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th>Date</th>
              <th>Account or card</th>
              <th>Description</th>
              <th className="right">Amount</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={`${t.kind}:${t.accountId}:${t.transactionId}:${t.timestamp}`} data-testid="diff-transaction-row">
                <td>{formatDate(t.timestamp)}</td>
                <td>{nameOf(t)}</td>
                <td>{t.description}</td>
                <td className="right num">{formatMoney(t.amount, t.currency, { signed: true })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Shown shown={rows.length} total={total} />
    </Card>
  );
}

function ChangedSection({
  changes,
  total,
  nameOf,
}: {
  changes: TransactionChange[];
  total: number;
  nameOf: (t: SnapshotTransaction) => string;
}) {
  if (total === 0) return null;
  const show = (t: SnapshotTransaction, field: string): string => {
    switch (field) {
      case 'amount':
        return formatMoney(t.amount, t.currency, { signed: true });
      case 'timestamp':
        return formatDateTime(t.timestamp);
      case 'merchantName':
        return t.merchantName ?? '—';
      default:
        return String(t[field as keyof SnapshotTransaction] ?? '—');
    }
  };
  return (
    <Card title={`Transactions changed (${formatNumber(total)})`} flush data-testid="diff-transactions-changed">
      <div className="table-wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th>Date</th>
              <th>Account or card</th>
              <th>Description</th>
              <th>What changed</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((ch) => (
              <tr key={`${ch.after.kind}:${ch.after.accountId}:${ch.after.transactionId}`}>
                <td>{formatDate(ch.after.timestamp)}</td>
                <td>{nameOf(ch.after)}</td>
                <td>{ch.after.description}</td>
                <td>
                  <ul className="diff-fields">
                    {ch.fields.map((f) => (
                      <li key={f}>
                        <span className="muted">{f}:</span> {show(ch.before, f)} → {show(ch.after, f)}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Shown shown={changes.length} total={total} />
    </Card>
  );
}
