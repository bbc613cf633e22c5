/**
 * Feeds core's progress events into the activity register, app-wide, so a scenario run or a
 * coverage matrix shows in the activity indicator from any view (their own screens may be
 * closed). A scenario run is a job from its first event to its last (status no longer
 * `running`), and each of its events makes the cached lists of runs stale; a coverage matrix is tracked by CoverageMatrix around its call, and moved here.
 */
import { activityIds, endActivity, reportActivity, updateActivity } from '../../activity';
import { useQueryClient } from '@tanstack/react-query';
import { onCoverageProgress, onScenarioProgress } from '../../ipc';
import { invalidateScenarioRuns } from '../../query';
import { useSubscription } from '../../hooks/useSubscription';

export function useActivityEvents(): void {
  const client = useQueryClient();
  useSubscription(onScenarioProgress, (e) => {
    // The runs list shown when the workbench opens again must show this run as it is now.
    void invalidateScenarioRuns(client);
    const id = activityIds.scenario(e.runId);
    if (e.status === 'running') reportActivity(id, 'Scenario run', { done: e.done, total: e.total });
    else endActivity(id);
  });
  useSubscription(onCoverageProgress, (e) =>
    updateActivity(activityIds.coverage(e.connectionId), { done: e.done, total: e.total }),
  );
}
