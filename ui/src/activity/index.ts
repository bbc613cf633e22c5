/** The register of long-running work (see activity.ts for its API). */
export {
  activityIds,
  endActivity,
  onActivityEnded,
  reportActivity,
  runningActivities,
  trackActivity,
  updateActivity,
  useActivities,
  type Activity,
  type ActivityProgress,
  type EndedActivity,
} from './activity';
