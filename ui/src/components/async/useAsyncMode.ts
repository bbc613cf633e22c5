/**
 * Async mode's state in the UI: whether a connection's data calls go through TrueLayer's
 * `async=true` (core keeps it; every view reads through it, so no panel needs a prop; changing it
 * makes the connection's cached views stale, so the ones on screen read again), and its
 * task timelines, kept current by `async://updated`.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getAsyncMode, listAsyncRuns, onAsyncRun, setAsyncMode, type AsyncModeState, type AsyncRun } from '../../ipc';
import { useSubscription } from '../../hooks/useSubscription';
import { invalidateConnectionById, queryKeys } from '../../query';

const modeKey = queryKeys.asyncMode;
const runsKey = queryKeys.asyncRuns;

/** The connection's async setting and a way to change it. */
export function useAsyncMode(connectionId: string) {
  const client = useQueryClient();
  const mode = useQuery({ queryKey: modeKey(connectionId), queryFn: () => getAsyncMode(connectionId) });
  const change = useMutation({
    mutationFn: (enabled: boolean) => setAsyncMode(connectionId, enabled),
    onSuccess: (state: AsyncModeState) => {
      client.setQueryData(modeKey(connectionId), state);
      // Every view of the connection reads again, through async=true or not.
      return invalidateConnectionById(client, connectionId);
    },
  });
  return {
    enabled: mode.data?.enabled ?? false,
    webhookUri: mode.data?.webhookUri ?? null,
    error: change.error ?? mode.error,
    pending: change.isPending,
    setEnabled: (enabled: boolean) => change.mutate(enabled),
  };
}

/** The connection's async tasks, newest first, updated as core reports each step. */
export function useAsyncRuns(connectionId: string) {
  const client = useQueryClient();
  const runs = useQuery({ queryKey: runsKey(connectionId), queryFn: () => listAsyncRuns(connectionId) });
  useSubscription(onAsyncRun, ({ run }) => {
    if (run.connectionId !== connectionId) return;
    client.setQueryData(runsKey(connectionId), (old: AsyncRun[] | undefined) => {
      const rest = (old ?? []).filter((r) => r.taskId !== run.taskId);
      const known = (old ?? []).some((r) => r.taskId === run.taskId);
      return known ? (old ?? []).map((r) => (r.taskId === run.taskId ? run : r)) : [run, ...rest];
    });
  });
  return runs;
}
