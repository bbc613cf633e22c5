import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { refreshConnection, toIpcError, type Connection, type IpcErrorPayload } from '../../ipc';
import { invalidateConnection } from '../../query';
import { formatDate } from '../../lib/format';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Badge, Button } from '../shared';
import './connections.css';

const DAY = 86_400_000;
/** TrueLayer: a refresh token not used for 30 days expires (every use renews the window). */
export const REFRESH_IDLE_DAYS = 30;

/**
 * The refresh token's 30-day idle clock in words, from when it was last used (the last refresh,
 * else the link) and `now` (already moved with the sandbox's clock by the caller). The window
 * never reaches past the consent's end.
 */
export function refreshIdleSummary(
  connection: Pick<Connection, 'lastRefreshAt' | 'createdAt' | 'consentExpiresAt'>,
  now: number,
): { days: number; deadline: number; expired: boolean; text: string } {
  const lastUse = Date.parse(connection.lastRefreshAt ?? connection.createdAt);
  const days = Math.max(0, Math.floor((now - lastUse) / DAY));
  const consentEnd = connection.consentExpiresAt ? Date.parse(connection.consentExpiresAt) : Infinity;
  const deadline = Math.min(lastUse + REFRESH_IDLE_DAYS * DAY, consentEnd);
  const expired = now >= deadline;
  const unused = `unused for ${days} ${days === 1 ? 'day' : 'days'}`;
  const text = expired
    ? `${unused}: it expired ${formatDate(new Date(deadline).toISOString())}, so the user must re-consent`
    : `${unused}: refresh before ${formatDate(new Date(deadline).toISOString())} or the user must re-consent`;
  return { days, deadline, expired, text };
}

export interface RefreshTokenClockProps {
  connection: Connection;
  /** This machine's time moved by what the sandbox's clock moved since the token's last use. */
  now: number;
}

/** The refresh token: where it is kept, its idle clock, and a button that uses it now. */
export function RefreshTokenClock({ connection, now }: RefreshTokenClockProps) {
  const client = useQueryClient();
  const [refreshing, setRefreshing] = useState(false);
  const [error, setError] = useState<IpcErrorPayload | null>(null);
  if (!connection.hasRefreshToken) {
    return (
      <span className="muted">
        None — offline_access was not granted, so the connection ends with the access token.
      </span>
    );
  }
  const idle = refreshIdleSummary(connection, now);

  async function refresh() {
    setRefreshing(true);
    setError(null);
    try {
      // The refreshed connection arrives as connection://updated.
      await refreshConnection(connection.id);
      void invalidateConnection(client, connection);
    } catch (reason) {
      setError(toIpcError(reason).toPayload());
    } finally {
      setRefreshing(false);
    }
  }

  return (
    <div className="stack-sm">
      <span className="row wrap">
        <Badge tone="success">Stored{connection.saved ? ' in keychain' : ' in memory'}</Badge>
        <span
          className={idle.expired ? 'consent consent-danger' : idle.days >= 23 ? 'consent consent-warning' : 'muted'}
        >
          <span data-testid="refresh-idle-clock">{idle.text}</span>
        </span>
        <Button
          size="sm"
          variant="secondary"
          icon="refresh"
          loading={refreshing}
          onClick={() => void refresh()}
          data-testid="refresh-token-now"
        >
          Refresh now
        </Button>
      </span>
      {error && <IpcErrorPanel error={error} />}
    </div>
  );
}
