import { getConnection, type Connection } from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { useNow } from '../../hooks/useNow';
import { daysUntil, formatAgo, formatDate, formatDateTime, humanize } from '../../lib/format';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Badge, Card, Countdown, CopyButton, DataList, JsonTree, LoadingPanel, Logo, ProgressBar } from '../shared';
import { consentSummary } from './ConsentClock';
import { MePanel } from './MePanel';
import { RefreshTokenClock } from './RefreshTokenClock';
import { TokenSignatureCard } from './TokenSignatureCard';
import { useSandboxMovedSince, useSandboxOffset } from '../workbench/sandboxClock';
import './connections.css';

const CONSENT_DAYS = 90;
const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);

/** Everything about the connection itself: provider, scopes, consent clock, /me, tokens, JWT claims. */
export function OverviewPanel({ connection }: { connection: Connection }) {
  const detail = useIpcQuery(queryKeys.connectionView(connection.environmentId, connection.id, 'detail'), () =>
    getConnection(connection.id),
  );
  // Consent dates are the sandbox's; the token's expiry is core's (this machine's clock), so it
  // moves with the sandbox's clock only by what was moved since the token was issued.
  const sandboxOffset = useSandboxOffset(connection.environmentId);
  const tokenShift = useSandboxMovedSince(connection.environmentId, connection.lastRefreshAt ?? connection.createdAt);
  const now = useNow(60_000);
  const sandboxNow = now + sandboxOffset;
  const consent = consentSummary(connection, sandboxNow);
  const created = Date.parse(connection.consentCreatedAt);
  const expires = connection.consentExpiresAt
    ? Date.parse(connection.consentExpiresAt)
    : created + CONSENT_DAYS * 86_400_000;
  const totalDays = Math.max(1, Math.round((expires - created) / 86_400_000));
  const elapsedDays = Math.min(totalDays, Math.max(0, Math.floor((sandboxNow - created) / 86_400_000)));
  const left = daysUntil(new Date(expires).toISOString(), sandboxNow);

  return (
    <div className="overview-grid">
      <Card title="Connection">
        <div className="stack">
          <div className="row">
            <Logo src={connection.providerLogoUrl} name={connection.providerName} size={32} />
            <div>
              <div>
                <strong>{connection.providerName}</strong> <span className="muted mono">{connection.providerId}</span>
              </div>
              <div className="muted">{connection.environmentName}</div>
            </div>
          </div>
          <DataList
            columns={1}
            items={[
              {
                label: 'credentials_id',
                value: connection.credentialsId ? (
                  <span className="row wrap">
                    <span className="mono">{connection.credentialsId}</span>
                    <CopyButton value={connection.credentialsId} variant="ghost" label="Copy" />
                  </span>
                ) : (
                  '—'
                ),
              },
              { label: 'Linked', value: formatDateTime(connection.createdAt) },
              {
                label: 'Scopes',
                value: (
                  <span className="row wrap" data-testid="overview-scopes">
                    {connection.scopes.map((s) => (
                      <Badge key={s}>{s}</Badge>
                    ))}
                  </span>
                ),
              },
              {
                label: 'Saved',
                value: connection.saved ? (
                  'Tokens in the system keychain'
                ) : (
                  <Badge tone="warning">Not saved — tokens only in memory</Badge>
                ),
              },
            ]}
          />
        </div>
      </Card>

      <Card title="Consent" subtitle={consent.text} data-testid="overview-consent">
        <div className="stack">
          <ProgressBar value={elapsedDays} max={totalDays} label="Consent elapsed" />
          <div className="row-between">
            <span className="muted">
              Day {elapsedDays} of {totalDays}
            </span>
            <span className={left !== null && left <= 7 ? 'consent consent-warning' : 'muted'}>
              {left !== null && left >= 0 ? `${left} days left` : 'expired'}
            </span>
          </div>
          <DataList
            columns={1}
            items={[
              { label: 'Given', value: formatDate(connection.consentCreatedAt) },
              {
                label: 'Expires',
                value: connection.consentExpiresAt
                  ? `${formatDate(connection.consentExpiresAt)} (from /me)`
                  : `${formatDate(new Date(expires).toISOString())} (the bank gave no date: created + 90 days)`,
              },
              { label: 'Status', value: humanize(connection.status) },
              ...(connection.consentStatus ? [{ label: 'consent_status', value: connection.consentStatus }] : []),
            ]}
          />
        </div>
      </Card>

      <MePanel connection={connection} />

      <Card title="Tokens" data-testid="overview-tokens">
        <DataList
          columns={1}
          items={[
            {
              label: 'Access token',
              value: connection.accessTokenExpiresAt ? (
                <span>
                  expires <Countdown to={connection.accessTokenExpiresAt} offsetMs={tokenShift} />{' '}
                  <span className="muted">({formatDateTime(connection.accessTokenExpiresAt)})</span>
                </span>
              ) : (
                '—'
              ),
            },
            {
              label: 'Refresh token',
              value: <RefreshTokenClock connection={connection} now={now + tokenShift} />,
            },
            {
              label: 'Last refresh',
              value: connection.lastRefreshAt
                ? `${formatAgo(connection.lastRefreshAt, now)} (${formatDateTime(connection.lastRefreshAt)})`
                : 'never',
            },
          ]}
        />
      </Card>

      <Card
        title="Access token claims"
        subtitle="Decoded by core for display; the token itself never reaches this screen."
        data-testid="overview-claims"
      >
        {detail.status === 'loading' ? (
          <LoadingPanel />
        ) : detail.status === 'error' && detail.error ? (
          <IpcErrorPanel error={detail.error.toPayload()} onRetry={detail.reload} />
        ) : detail.data ? (
          <div className="stack-sm">
            <DataList
              columns={2}
              items={Object.entries(detail.data.tokenClaims)
                .filter(([k, v]) => TIME_CLAIMS.has(k) && typeof v === 'number')
                .map(([k, v]) => ({ label: k, value: formatDateTime(new Date((v as number) * 1000).toISOString()) }))}
            />
            <JsonTree value={detail.data.tokenClaims} expandDepth={2} />
          </div>
        ) : null}
      </Card>

      <TokenSignatureCard key={connection.lastRefreshAt ?? connection.createdAt} connection={connection} />
    </div>
  );
}
