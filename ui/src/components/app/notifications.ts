/**
 * What deserves an OS notification, decided without side effects (useNotifications sends them):
 * - a connection that is not revoked whose consent ends within 7 days or has ended (the same
 *   clock the header shows, `consentSummary`), once per connection and state per app session;
 * - a long job (a scenario run, a coverage matrix, a long fetch: anything reported to the
 *   activity register) that finished while the window was not focused.
 * Titles and bodies carry no secret; connection labels go through the presenter mask.
 */
import type { EndedActivity } from '../../activity';
import type { Connection } from '../../ipc';
import { consentSummary } from '../connections/ConsentClock';

export interface Notice {
  /** Identifies what was notified, so it is sent once. */
  key: string;
  title: string;
  body: string;
}

/** A job shorter than this was watched, not waited on: it finishing is no news. */
export const LONG_JOB_MS = 10_000;

/** Notices for the connections whose consent ends within 7 days or has ended, not sent yet. */
export function consentNotices(
  connections: readonly Connection[],
  now: number,
  sent: ReadonlySet<string>,
  label: (connection: Connection) => string = (c) => c.label,
): Notice[] {
  const notices: Notice[] = [];
  for (const connection of connections) {
    if (connection.status === 'revoked') continue;
    const consent = consentSummary(connection, now);
    const state = consent.tone === 'danger' ? 'expired' : consent.tone === 'warning' ? 'expiring' : null;
    if (!state) continue;
    const key = `consent:${connection.id}:${state}`;
    if (sent.has(key)) continue;
    const name = label(connection);
    notices.push({
      key,
      title: state === 'expired' ? `Consent ended: ${name}` : `Consent ends soon: ${name}`,
      body: `${consent.text}. Extend or re-consent in Linkscope.`,
    });
  }
  return notices;
}

/** A notice for a job that ended while the window was unfocused and ran long; else null. */
export function finishedNotice(job: EndedActivity, windowFocused: boolean): Notice | null {
  if (windowFocused || job.endedAt - job.startedAt < LONG_JOB_MS) return null;
  const seconds = Math.round((job.endedAt - job.startedAt) / 1000);
  return { key: `done:${job.id}:${job.endedAt}`, title: `${job.label} finished`, body: `It took ${seconds} s.` };
}
