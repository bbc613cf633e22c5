import { listDirectDebits, type Connection } from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { formatDate, formatMoney } from '../../lib/format';
import { PerAccount } from '../accounts/PerAccount';
import { FetchedPanel } from '../data/FetchedPanel';
import { hasScope, ScopeMissing } from '../data/ScopeMissing';
import { Badge, EmptyState } from '../shared';

export function DirectDebitsPanel({ connection, onReconsent }: { connection: Connection; onReconsent: () => void }) {
  if (!hasScope(connection, 'direct_debits')) {
    return (
      <ScopeMissing connection={connection} scope="direct_debits" what="direct debits" onReconsent={onReconsent} />
    );
  }
  return <PerAccount>{(accountId) => <DirectDebits connection={connection} accountId={accountId} />}</PerAccount>;
}

function DirectDebits({
  connection,
  accountId,
}: {
  connection: Pick<Connection, 'id' | 'environmentId'>;
  accountId: string;
}) {
  const result = useIpcQuery(
    queryKeys.connectionView(connection.environmentId, connection.id, 'direct-debits', accountId),
    () => listDirectDebits(connection.id, accountId),
  );
  return (
    <FetchedPanel
      result={result}
      testId="direct-debits"
      loadingLabel="Loading direct debits…"
      isEmpty={(d) => d.length === 0}
      empty={
        <EmptyState icon="clock" title="No direct debits" compact>
          <p>This account has no direct debit mandates at the bank.</p>
        </EmptyState>
      }
    >
      {(debits) => (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th>Last payment</th>
                <th className="right">Amount</th>
                <th>Mandate id</th>
              </tr>
            </thead>
            <tbody>
              {debits.map((d) => (
                <tr key={d.directDebitId} data-testid="direct-debit-row">
                  <td>{d.name}</td>
                  <td>
                    {d.status ? <Badge tone={d.status === 'Active' ? 'success' : 'neutral'}>{d.status}</Badge> : '—'}
                  </td>
                  <td>{formatDate(d.previousPaymentTimestamp)}</td>
                  <td className="right num">
                    {d.previousPaymentAmount !== null
                      ? d.currency
                        ? formatMoney(d.previousPaymentAmount, d.currency)
                        : d.previousPaymentAmount
                      : '—'}
                  </td>
                  <td className="mono muted">{d.directDebitId}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </FetchedPanel>
  );
}
