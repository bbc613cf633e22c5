import { useNow } from '../../hooks/useNow';
import { formatDuration } from '../../lib/format';

export interface CountdownProps {
  /** RFC 3339 time to count down to. */
  to: string;
  /** Shown once the time has passed. */
  expiredLabel?: string;
  /** How far the issuing clock runs ahead of this machine's (a sandbox's moved clock). */
  offsetMs?: number;
}

/**
 * "in 4m", "in 42s": whole minutes while a minute or more is left, seconds in the last one;
 * `expiredLabel` once past. It checks every second but its text, and so the screen, changes
 * once a minute: a repaint a second kept WebKit's software compositor at ~0.1 CPU-s per second on
 * machines without a GPU (the auth link screen, measured by `npm run bench`).
 */
export function Countdown({ to, expiredLabel = 'expired', offsetMs = 0 }: CountdownProps) {
  const now = useNow(1000) + offsetMs;
  const target = new Date(to).getTime();
  if (Number.isNaN(target)) return <span className="muted">—</span>;
  const left = target - now;
  return (
    <time className="num countdown" dateTime={to} data-expired={left <= 0 || undefined}>
      {left <= 0 ? expiredLabel : `in ${formatDuration(left, 'minutes')}`}
    </time>
  );
}

/** Time since `since` (ms epoch), ticking every second. */
export function Elapsed({ since }: { since: number }) {
  const now = useNow(1000);
  return <span className="num">{formatDuration(now - since)}</span>;
}
