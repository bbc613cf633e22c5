/**
 * An attempt's auth-journey trail from core (which asks the environment's client-tracking host),
 * cached per attempt. Fetched when asked for; `live` re-asks every few seconds (the waiting
 * screen, while the user is at the bank).
 */
import { useQuery } from '@tanstack/react-query';
import { getAuthTrail } from '../../ipc';

/** How often a live trail is asked again. */
export const LIVE_TRAIL_EVERY_MS = 3000;

export const authTrailKey = (attemptId: string) => ['authTrail', attemptId] as const;

export function useAuthTrail(attemptId: string, live: boolean) {
  return useQuery({
    queryKey: authTrailKey(attemptId),
    queryFn: () => getAuthTrail(attemptId),
    refetchInterval: live ? LIVE_TRAIL_EVERY_MS : false,
  });
}
