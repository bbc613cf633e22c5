/**
 * The app-wide activity indicator: what is running now (queries reading from core, scenario
 * runs, coverage matrices, long fetches, with progress where known), visible from any view in
 * the sidebar and announced politely to screen readers. It draws no animation: under a GPU-less
 * compositor a spinner costs whole CPU seconds (PLATFORM.md §12).
 */
import { useIsFetching, useIsMutating } from '@tanstack/react-query';
import { useActivities, type Activity } from '../../activity';
import './app.css';

/** One line for what runs now, or null when nothing does. */
export function describeActivity(jobs: readonly Activity[], fetching: number, mutating: number): string | null {
  const [first, ...rest] = jobs;
  if (first) {
    const { progress } = first;
    const count = progress
      ? progress.total !== null
        ? ` ${progress.done}/${progress.total}`
        : ` ${progress.done}`
      : '';
    const more = rest.length + (fetching + mutating > 0 ? 1 : 0);
    return `${first.label}${count}…${more > 0 ? ` (+${more} more)` : ''}`;
  }
  const reads = fetching + mutating;
  if (reads === 0) return null;
  return reads === 1 ? 'Reading from core…' : `Reading from core (${reads})…`;
}

export function ActivityIndicator() {
  const jobs = useActivities();
  const fetching = useIsFetching();
  const mutating = useIsMutating();
  const text = describeActivity(jobs, fetching, mutating);
  const progress = jobs[0]?.progress;
  const pct = progress && progress.total ? Math.min(100, (progress.done / progress.total) * 100) : null;
  return (
    <div
      className={text ? 'activity activity-busy' : 'activity'}
      role="status"
      aria-live="polite"
      data-testid="activity-indicator"
    >
      {text && (
        <>
          <span className="activity-dot" aria-hidden="true" />
          <span className="activity-text">{text}</span>
          {pct !== null && (
            <span className="activity-bar" aria-hidden="true">
              <span className="activity-bar-fill" style={{ width: `${pct}%` }} />
            </span>
          )}
        </>
      )}
    </div>
  );
}
