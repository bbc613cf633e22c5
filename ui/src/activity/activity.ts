/**
 * The app-wide register of long-running work, which the activity indicator shows from any view.
 * Queries and mutations are counted by TanStack itself; everything else (a scenario run, a
 * coverage matrix, a transaction fetch) reports here, by a stable id:
 *
 *   reportActivity('fetch:42', 'Fetching transactions', { done: 3, total: 20 }); // start or update
 *   updateActivity('fetch:42', { done: 4, total: 20 });        // progress, only while it runs
 *   endActivity('fetch:42');                                                     // finished
 *   await trackActivity('coverage:c1', 'Coverage matrix', runCoverage(id));      // around a promise
 *
 * Listeners of `onActivityEnded` hear every job that ends, with how long it ran (the
 * notifications use it). Nothing here talks to core.
 */
import { useSyncExternalStore } from 'react';

/** The ids of the app's own kinds of job, so a job's starter and its progress events agree. */
export const activityIds = {
  scenario: (runId: string) => `scenario:${runId}`,
  coverage: (connectionId: string) => `coverage:${connectionId}`,
  fetch: (fetchId: string) => `fetch:${fetchId}`,
};

export interface ActivityProgress {
  done: number;
  /** Null when the total is not known (yet). */
  total: number | null;
}

export interface Activity {
  id: string;
  label: string;
  progress: ActivityProgress | null;
  /** `Date.now()` when it was first reported. */
  startedAt: number;
}

export interface EndedActivity extends Activity {
  endedAt: number;
}

let jobs: readonly Activity[] = [];
const watchers = new Set<() => void>();
const endListeners = new Set<(ended: EndedActivity) => void>();

function publish(next: readonly Activity[]) {
  jobs = next;
  watchers.forEach((w) => w());
}

/** Starts the job `id`, or updates its label and progress when it runs already. */
export function reportActivity(id: string, label: string, progress: ActivityProgress | null = null): void {
  const existing = jobs.find((j) => j.id === id);
  if (existing) {
    publish(jobs.map((j) => (j.id === id ? { ...j, label, progress } : j)));
  } else {
    publish([...jobs, { id, label, progress, startedAt: Date.now() }]);
  }
}

/** Moves the progress of the job `id` when it runs (a late event of an ended job is dropped). */
export function updateActivity(id: string, progress: ActivityProgress): void {
  if (jobs.some((j) => j.id === id)) publish(jobs.map((j) => (j.id === id ? { ...j, progress } : j)));
}

/** Ends the job `id` (nothing happens when it is not running). */
export function endActivity(id: string): void {
  const ended = jobs.find((j) => j.id === id);
  if (!ended) return;
  publish(jobs.filter((j) => j.id !== id));
  const record = { ...ended, endedAt: Date.now() };
  endListeners.forEach((l) => l(record));
}

/** Shows `work` as the job `id` while it runs; resolves or rejects as `work` does. */
export async function trackActivity<T>(id: string, label: string, work: Promise<T>): Promise<T> {
  reportActivity(id, label);
  try {
    return await work;
  } finally {
    endActivity(id);
  }
}

/** Calls `listener` for every job that ends; returns how to stop. */
export function onActivityEnded(listener: (ended: EndedActivity) => void): () => void {
  endListeners.add(listener);
  return () => {
    endListeners.delete(listener);
  };
}

function subscribe(watcher: () => void) {
  watchers.add(watcher);
  return () => {
    watchers.delete(watcher);
  };
}

/** The jobs running now, oldest first. */
export function runningActivities(): readonly Activity[] {
  return jobs;
}

/** The jobs running now, oldest first; re-renders when one starts, moves or ends. */
export function useActivities(): readonly Activity[] {
  return useSyncExternalStore(subscribe, runningActivities);
}
