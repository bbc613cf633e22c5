import { useEffect } from 'react';
import { refreshConnection, type Connection } from '../../ipc';

/** How long before the access token's expiry the open connection is refreshed. */
export const BACKGROUND_REFRESH_LEAD_MS = 60_000;
/** The longest delay a browser timer keeps (longer ones fire at once). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Refreshes the access token of the connection on screen shortly before it expires (only this
 * one: saved connections nobody is looking at are refreshed lazily, on their next call). Core's
 * refresh is single-flight, so a data call refreshing at the same moment costs nothing extra;
 * the new expiry arrives as connection://updated and schedules the next one. A refused refresh
 * marks the connection reauth_required in core, which ends the schedule.
 */
export function useBackgroundRefresh(
  connection: Pick<Connection, 'id' | 'status' | 'hasRefreshToken' | 'accessTokenExpiresAt'> | undefined,
): void {
  const id = connection?.id;
  const due =
    connection && connection.status === 'active' && connection.hasRefreshToken && connection.accessTokenExpiresAt
      ? Date.parse(connection.accessTokenExpiresAt) - BACKGROUND_REFRESH_LEAD_MS
      : null;
  useEffect(() => {
    if (!id || due === null || Number.isNaN(due)) return;
    const delay = Math.max(0, due - Date.now());
    if (delay > MAX_TIMER_MS) return;
    const timer = window.setTimeout(() => {
      refreshConnection(id).catch(() => undefined);
    }, delay);
    return () => window.clearTimeout(timer);
  }, [id, due]);
}
