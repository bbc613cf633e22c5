import { describe, expect, it } from 'vitest';
import { connection } from '../../test/fixtures';
import { consentNotices, finishedNotice, LONG_JOB_MS } from './notifications';

const DAY = 86_400_000;
const now = Date.parse('2026-06-01T12:00:00Z');
const expiringIn = (days: number) => new Date(now + days * DAY).toISOString();

describe('what deserves a notification', () => {
  it('warns once when a consent ends within seven days, and again once it has ended', () => {
    const soon = { ...connection, consentExpiresAt: expiringIn(3) };
    const [notice] = consentNotices([soon], now, new Set());
    expect(notice?.title).toBe('Consent ends soon: John Doe · Mock');
    expect(notice?.body).toMatch(/^Consent expires in 3 days/);
    expect(consentNotices([soon], now, new Set([notice?.key ?? '']))).toEqual([]);
    const ended = consentNotices([{ ...soon, consentExpiresAt: expiringIn(-1) }], now, new Set([notice?.key ?? '']));
    expect(ended.map((n) => n.title)).toEqual(['Consent ended: John Doe · Mock']);
  });

  it('says nothing for a consent with more than seven days left, or for a revoked connection', () => {
    expect(consentNotices([{ ...connection, consentExpiresAt: expiringIn(8) }], now, new Set())).toEqual([]);
    const revoked = { ...connection, status: 'revoked' as const, consentExpiresAt: expiringIn(-1) };
    expect(consentNotices([revoked], now, new Set())).toEqual([]);
  });

  it('names the connection as the presenter mask shows it', () => {
    const soon = { ...connection, consentExpiresAt: expiringIn(1) };
    expect(consentNotices([soon], now, new Set(), () => '••••')[0]?.title).toBe('Consent ends soon: ••••');
  });

  it('tells of a long job that finished while the window was unfocused, and only then', () => {
    const job = { id: 'scenario:1', label: 'Scenario run', progress: null, startedAt: now, endedAt: now + 42_000 };
    expect(finishedNotice(job, false)).toMatchObject({ title: 'Scenario run finished', body: 'It took 42 s.' });
    expect(finishedNotice(job, true), 'the user watched it finish').toBeNull();
    expect(finishedNotice({ ...job, endedAt: now + LONG_JOB_MS - 1 }, false), 'too short to wait on').toBeNull();
  });
});
