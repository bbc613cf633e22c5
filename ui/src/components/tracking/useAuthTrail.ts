/**
 * An attempt's auth-journey trail from core (which asks the environment's client-tracking host),
 * cached per attempt. Asked again each time it is shown (the dialog may have moved on since the
 * last answer, e.g. the waiting screen's, which the attempt list would otherwise show as it was);
 * `live` re-asks every few seconds (the waiting screen, while the user is at the bank).
 */
import { useQuery } from '@tanstack/react-query';
import { getAuthTrail } from '../../ipc';
import { queryKeys } from '../../query';

/** How often a live trail is asked again. */
export const LIVE_TRAIL_EVERY_MS = 3000;

export function useAuthTrail(attemptId: string, live: boolean) {
  return useQuery({
    queryKey: queryKeys.authTrail(attemptId),
    queryFn: () => getAuthTrail(attemptId),
    staleTime: 0,
    refetchInterval: live ? LIVE_TRAIL_EVERY_MS : false,
  });
}
