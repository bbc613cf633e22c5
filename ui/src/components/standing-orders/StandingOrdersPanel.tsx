import { listStandingOrders, type Connection } from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { formatDate, formatMoney } from '../../lib/format';
import { PerAccount } from '../accounts/PerAccount';
import { FetchedPanel } from '../data/FetchedPanel';
import { hasScope, ScopeMissing } from '../data/ScopeMissing';
import { Sensitive } from '../presenter/Sensitive';
import { Badge, EmptyState } from '../shared';
import { describeFrequency } from './frequency';

export function StandingOrdersPanel({ connection, onReconsent }: { connection: Connection; onReconsent: () => void }) {
  if (!hasScope(connection, 'standing_orders')) {
    return (
      <ScopeMissing connection={connection} scope="standing_orders" what="standing orders" onReconsent={onReconsent} />
    );
  }
  return <PerAccount>{(accountId) => <StandingOrders connection={connection} accountId={accountId} />}</PerAccount>;
}

function money(amount: number | null, currency: string | null): string {
  if (amount === null) return '—';
  return currency ? formatMoney(amount, currency) : String(amount);
}

function StandingOrders({
  connection,
  accountId,
}: {
  connection: Pick<Connection, 'id' | 'environmentId'>;
  accountId: string;
}) {
  const result = useIpcQuery(
    queryKeys.connectionView(connection.environmentId, connection.id, 'standing-orders', accountId),
    () => listStandingOrders(connection.id, accountId),
  );
  return (
    <FetchedPanel
      result={result}
      testId="standing-orders"
      loadingLabel="Loading standing orders…"
      isEmpty={(d) => d.length === 0}
      empty={
        <EmptyState icon="clock" title="No standing orders" compact>
          <p>This account has no standing orders at the bank.</p>
        </EmptyState>
      }
    >
      {(orders) => (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th>Payee</th>
                <th>Reference</th>
                <th>Frequency</th>
                <th>Next payment</th>
                <th className="right">Amount</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o, i) => (
                <tr key={`${o.reference ?? ''}-${i}`} data-testid="standing-order-row">
                  <td>
                    <Sensitive kind="name" value={o.payee} />
                  </td>
                  <td className="mono">{o.reference ?? '—'}</td>
                  <td title={o.frequency}>{describeFrequency(o.frequency)}</td>
                  <td>{formatDate(o.nextPaymentDate)}</td>
                  <td className="right num">{money(o.nextPaymentAmount ?? o.firstPaymentAmount, o.currency)}</td>
                  <td>
                    {o.status ? <Badge tone={o.status === 'Active' ? 'success' : 'neutral'}>{o.status}</Badge> : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </FetchedPanel>
  );
}
