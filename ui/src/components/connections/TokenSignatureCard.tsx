import { inspectAccessToken, type Connection } from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Badge, Card, DataList, LoadingPanel } from '../shared';
import './connections.css';

/**
 * The access token's JOSE header and whether its RS256 signature verifies against the
 * environment's JWKS (checked by core; the token itself never reaches this screen). Key it by
 * the connection's last refresh so a new token is checked again.
 */
export function TokenSignatureCard({ connection }: { connection: Connection }) {
  const { id } = connection;
  const inspection = useIpcQuery(
    queryKeys.connectionView(connection.environmentId, id, 'token', connection.lastRefreshAt ?? connection.createdAt),
    () => inspectAccessToken(id),
  );
  return (
    <Card
      title="Access token signature"
      subtitle="Checked by core against the environment's JWKS, by the key the header names."
      data-testid="overview-token-signature"
    >
      {inspection.status === 'loading' ? (
        <LoadingPanel />
      ) : inspection.status === 'error' && inspection.error ? (
        <IpcErrorPanel error={inspection.error.toPayload()} onRetry={inspection.reload} />
      ) : inspection.data ? (
        <div className="stack-sm">
          {inspection.data.signature.status === 'verified' ? (
            <Badge tone="success" dot data-testid="token-signature-status">
              Signature verified
            </Badge>
          ) : (
            <div className="stack-sm">
              <Badge tone="danger" dot data-testid="token-signature-status">
                Signature not verified
              </Badge>
              <span className="muted">{inspection.data.signature.reason}</span>
            </div>
          )}
          <DataList
            columns={1}
            items={Object.entries(inspection.data.header).map(([label, value]) => ({
              label,
              value: <span className="mono">{typeof value === 'string' ? value : JSON.stringify(value)}</span>,
            }))}
          />
        </div>
      ) : (
        <span className="muted">This connection has no access token in JWT form to check.</span>
      )}
    </Card>
  );
}
