// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { daysUntil, formatAgo, formatDay, formatDuration, formatMoney, humanize, pickLocale } from './format';

describe('formatting', () => {
  it('formats money with the amount’s own currency', () => {
    expect(formatMoney(1234.5, 'GBP')).toMatch(/£1,234\.50/);
    expect(formatMoney(-3.45, 'EUR')).toMatch(/-?€3\.45|-3,45/);
    expect(formatMoney(12, 'GBP', { signed: true })).toMatch(/^\+/);
  });

  it('falls back to "amount CODE" for a currency Intl does not know', () => {
    expect(formatMoney(5, 'NOT_A_CURRENCY')).toBe('5.00 NOT_A_CURRENCY');
  });

  it.each([
    [999, '0s'],
    [42_000, '42s'],
    [5 * 60_000 + 3_000, '5m 03s'],
    [2 * 3_600_000 + 5 * 60_000, '2h 05m'],
    [3 * 86_400_000 + 4 * 3_600_000, '3d 4h'],
    [-5_000, '0s'],
  ])('shows %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('counts down to the minute while a minute or more is left, then to the second', () => {
    expect(formatDuration(5 * 60_000 + 3_000, 'minutes')).toBe('5m');
    expect(formatDuration(59_000, 'minutes')).toBe('59s');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000, 'minutes')).toBe('2h 05m');
  });

  it('says how long ago something was fetched', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(formatAgo('2026-01-01T11:59:50Z', now)).toBe('just now');
    expect(formatAgo('2026-01-01T11:46:00Z', now)).toBe('14 min ago');
    expect(formatAgo(null, now)).toBe('never');
  });

  it('counts whole days to a date, negative once past', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(daysUntil('2026-01-09T13:00:00Z', now)).toBe(8);
    expect(daysUntil('2025-12-31T12:00:00Z', now)).toBe(-1);
    expect(daysUntil(null, now)).toBeNull();
  });

  it('shows a calendar day as that day in any time zone, and anything else as given', () => {
    const day = formatDay('1980-04-01');
    expect(day).toMatch(/1980/);
    expect(day).toMatch(/Apr/);
    expect(day).toMatch(/\b1\b/);
    expect(formatDay('1980-04-01T00:00:00')).toBe(day);
    expect(formatDay('1980-04-01T23:30:00-05:00')).toBe(day);
    expect(formatDay('sometime in 1980')).toBe('sometime in 1980');
  });

  it('humanizes API enums', () => {
    expect(humanize('TRANSACTION')).toBe('Transaction');
    expect(humanize('direct_debits')).toBe('Direct debits');
  });
});

describe('pickLocale', () => {
  it('skips what Intl rejects (a webview under LANG=C reports "C") and keeps the first valid tag', () => {
    expect(pickLocale(['C', 'en-GB'])).toBe('en-GB');
    expect(pickLocale(['POSIX', 'en_GB.UTF-8'])).toBeNull();
    expect(pickLocale([])).toBeNull();
  });
});
