import type { Connection } from '../../ipc';
import { useNow } from '../../hooks/useNow';
import { daysUntil, formatDate } from '../../lib/format';
import './connections.css';

/** Consent expiry in words: warns from 7 days before (DESIGN.md §2's 90-day clock). */
export function consentSummary(connection: Pick<Connection, 'consentExpiresAt' | 'consentCreatedAt'>, now: number) {
  const expires = connection.consentExpiresAt;
  const days = daysUntil(expires, now);
  if (expires === null || days === null)
    return { text: 'Consent expiry not given by the bank', tone: 'muted' as const, days: null };
  if (days < 0) return { text: `Consent expired ${formatDate(expires)}`, tone: 'danger' as const, days };
  if (days <= 7)
    return {
      text: `Consent expires in ${days} ${days === 1 ? 'day' : 'days'} (${formatDate(expires)})`,
      tone: 'warning' as const,
      days,
    };
  return { text: `Consent expires ${formatDate(expires)} · ${days} days left`, tone: 'muted' as const, days };
}

export function ConsentExpiry({
  connection,
}: {
  connection: Pick<Connection, 'consentExpiresAt' | 'consentCreatedAt'>;
}) {
  const now = useNow(60_000);
  const s = consentSummary(connection, now);
  return (
    <span className={`consent consent-${s.tone}`} data-testid="consent-expiry">
      {s.text}
    </span>
  );
}
