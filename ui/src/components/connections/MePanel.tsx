import { useEffect, useRef } from 'react';
import { readMe, type Connection } from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { formatDate, formatDateTime } from '../../lib/format';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Badge, Button, Card, CopyButton, DataList, LoadingPanel } from '../shared';
import './connections.css';

/**
 * `GET /me` as TrueLayer says it now: client_id, credentials_id, the consent's dates and status,
 * the provider. Read when the overview opens, on "Re-read", and again after every refresh,
 * extend or re-consent (each moves the connection's last refresh).
 */
export function MePanel({
  connection,
}: {
  connection: Pick<Connection, 'id' | 'environmentId' | 'lastRefreshAt' | 'status'>;
}) {
  const me = useIpcQuery(queryKeys.connectionView(connection.environmentId, connection.id, 'me'), () =>
    readMe(connection.id),
  );
  const lastRefresh = useRef(connection.lastRefreshAt);
  const { reload } = me;
  useEffect(() => {
    if (lastRefresh.current === connection.lastRefreshAt) return;
    lastRefresh.current = connection.lastRefreshAt;
    reload();
  }, [connection.lastRefreshAt, reload]);

  const data = me.data;
  return (
    <Card
      title="/me"
      subtitle={data ? `Read ${formatDateTime(data.readAt)}` : 'What TrueLayer says about this connection.'}
      data-testid="overview-me"
      actions={
        <Button
          size="sm"
          variant="secondary"
          icon="refresh"
          loading={me.status === 'loading' || me.reloading}
          onClick={reload}
          data-testid="me-reread"
        >
          Re-read
        </Button>
      }
    >
      {me.status === 'error' && me.error ? (
        <IpcErrorPanel error={me.error.toPayload()} onRetry={reload} />
      ) : !data ? (
        <LoadingPanel label="Reading /me…" />
      ) : (
        <DataList
          columns={1}
          items={[
            {
              label: 'client_id',
              value: (
                <span className="mono" data-testid="me-client-id">
                  {data.clientId ?? '—'}
                </span>
              ),
            },
            {
              label: 'credentials_id',
              value: data.credentialsId ? (
                <span className="row wrap">
                  <span className="mono">{data.credentialsId}</span>
                  <CopyButton value={data.credentialsId} variant="ghost" label="Copy" />
                </span>
              ) : (
                '—'
              ),
            },
            {
              label: 'consent_status',
              value: (
                <span data-testid="me-consent-status">
                  <Badge tone={data.consentStatus === 'Authorised' ? 'success' : 'warning'}>
                    {data.consentStatus ?? 'not given'}
                  </Badge>
                  {data.consentStatusUpdatedAt && (
                    <span className="muted"> since {formatDateTime(data.consentStatusUpdatedAt)}</span>
                  )}
                </span>
              ),
            },
            { label: 'consent_created_at', value: data.consentCreatedAt ? formatDate(data.consentCreatedAt) : '—' },
            {
              label: 'consent_expires_at',
              value: (
                <span data-testid="me-consent-expires">
                  {data.consentEndIsFallback
                    ? `not given by the bank: the clock uses created + 90 days (${formatDate(data.consentEndsAt)})`
                    : `${formatDate(data.consentEndsAt)} (the consent clock uses this date)`}
                </span>
              ),
            },
            {
              label: 'provider',
              value: (
                <span>
                  {data.providerName ?? '—'} <span className="muted mono">{data.providerId}</span>
                </span>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
