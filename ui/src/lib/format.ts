// Formatting for money, dates and durations. Money uses Intl.NumberFormat with the amount's own
// currency and the user's locale; an unknown currency code falls back to "1,234.56 XYZ".

let resolved: { locale: string } | null = null;

function locale(): string {
  resolved ??= {
    locale: pickLocale(typeof navigator !== 'undefined' ? navigator.languages : []) ?? FALLBACK_LOCALE,
  };
  return resolved.locale;
}

/**
 * Used when none of the user's languages is a tag Intl accepts. Not the runtime default: under
 * `LANG=C` WebKit reports "C" and, although a bare `new Intl.NumberFormat()` works, formatting
 * a currency still fails with "invalid language tag: C".
 */
const FALLBACK_LOCALE = 'en-GB';

function usable(tag: string): boolean {
  try {
    new Intl.NumberFormat(tag, { style: 'currency', currency: 'GBP' }).format(1);
    new Intl.DateTimeFormat(tag, { dateStyle: 'medium' }).format(0);
    return true;
  } catch {
    return false;
  }
}

/** The locale the UI formats with (see {@link pickLocale}). */
export function uiLocale(): string {
  return locale();
}

/**
 * The first of the user's languages that Intl accepts. A webview started with `LANG=C` (a
 * server, a CI box) reports "C", which Intl rejects with a RangeError.
 */
export function pickLocale(candidates: readonly string[]): string | null {
  for (const candidate of candidates) {
    try {
      const [supported] = Intl.NumberFormat.supportedLocalesOf([candidate]);
      // Prove it: some engines list a tag here that their formatters then reject.
      if (supported && usable(supported)) return supported;
    } catch {
      // not a well-formed language tag ("C", "POSIX", "en_GB.UTF-8"): try the next one
    }
  }
  return null;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(amount: number, currency: string, opts: { signed?: boolean } = {}): string {
  const key = `${currency}|${opts.signed ? 's' : ''}`;
  let fmt = moneyFormats.get(key);
  if (!fmt) {
    try {
      fmt = new Intl.NumberFormat(locale(), {
        style: 'currency',
        currency,
        signDisplay: opts.signed ? 'exceptZero' : 'auto',
      });
    } catch {
      fmt = new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      moneyFormats.set(key, fmt);
      return `${fmt.format(amount)} ${currency}`;
    }
    moneyFormats.set(key, fmt);
  }
  return fmt.format(amount);
}

/**
 * Formatters are made once per kind: a new Intl formatter costs far more than a format, and a
 * table scrolling 100k rows formats every date and amount on screen each frame (a
 * DateTimeFormat made per cell held the transactions table's frames at 30 ms+, `npm run bench`).
 */
const numberFormat = lazyFormat(() => new Intl.NumberFormat(locale()));
const dateFormat = lazyFormat(
  () => new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', year: 'numeric' }),
);
const dateTimeFormat = lazyFormat(
  () =>
    new Intl.DateTimeFormat(locale(), {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    }),
);
const timeFormat = lazyFormat(
  () => new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
);

function lazyFormat<F>(make: () => F): () => F {
  let made: F | null = null;
  return () => (made ??= make());
}

export function formatNumber(n: number): string {
  return numberFormat().format(n);
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDate(iso: string | null | undefined): string {
  const d = parse(iso);
  if (!d) return '—';
  return dateFormat().format(d);
}

const dayFormat = lazyFormat(
  () => new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
);

/**
 * A calendar day, such as a date of birth ("1980-04-01", or with a time TrueLayer adds): its day,
 * month and year in the user's locale, the same day in every time zone. Anything else as given.
 */
export function formatDay(value: string): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!day) return value;
  const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
  return Number.isNaN(date.getTime()) ? value : dayFormat().format(date);
}

export function formatDateTime(iso: string | null | undefined): string {
  const d = parse(iso);
  if (!d) return '—';
  return dateTimeFormat().format(d);
}

export function formatTime(iso: string | null | undefined): string {
  const d = parse(iso);
  if (!d) return '—';
  return timeFormat().format(d);
}

/** "42s", "5m 03s" (or "5m" to the minute), "2h 05m", "3d 4h" — for countdowns and timers. */
export function formatDuration(ms: number, precision: 'seconds' | 'minutes' = 'seconds'): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${pad(m)}m`;
  if (m > 0) return precision === 'minutes' ? `${m}m` : `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/** "just now", "3 min ago", "2 h ago", "5 days ago". */
export function formatAgo(iso: string | null | undefined, now: number = Date.now()): string {
  const d = parse(iso);
  if (!d) return 'never';
  const secs = Math.round((now - d.getTime()) / 1000);
  if (secs < 45) return 'just now';
  const mins = Math.round(secs / 60);
  if (mins < 60) return `${mins} min ago`;
  const hours = Math.round(mins / 60);
  if (hours < 36) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/** Days from now until `iso` (negative once past), or null when unknown. */
export function daysUntil(iso: string | null | undefined, now: number = Date.now()): number | null {
  const d = parse(iso);
  if (!d) return null;
  return Math.floor((d.getTime() - now) / 86_400_000);
}

/** YYYY-MM-DD of a Date in local time. */
export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** TRANSACTION → Transaction, "direct_debits" → "Direct debits". */
export function humanize(value: string): string {
  const s = value.replace(/[_-]+/g, ' ').toLowerCase().trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
