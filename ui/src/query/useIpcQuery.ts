/**
 * The one hook views read server data through: a TanStack query over an IPC call, seen as the
 * four states every view draws (loading, error, success, reloading over shown data). A view that
 * mounts again shows the cached answer at once and makes no IPC call; only `reload` (the user's
 * Refresh) or an invalidation fetches again.
 */
import { hashKey, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { toIpcError, type IpcError } from '../ipc';

export type AsyncStatus = 'loading' | 'error' | 'success';

export interface AsyncResult<T> {
  status: AsyncStatus;
  /** The latest data for this key; kept while a reload runs. */
  data: T | undefined;
  error: IpcError | null;
  /** True while a reload runs over data already shown. */
  reloading: boolean;
  reload: () => void;
  /** Replaces the cached data (after a mutation answered with the new value). */
  setData: (update: (previous: T | undefined) => T) => void;
}

export interface IpcQueryOptions {
  /** False: do not fetch (yet); the result stays `loading`. */
  enabled?: boolean;
}

export function useIpcQuery<T>(key: QueryKey, load: () => Promise<T>, options: IpcQueryOptions = {}): AsyncResult<T> {
  const client = useQueryClient();
  const query = useQuery<T, IpcError>({
    queryKey: key,
    queryFn: () =>
      load().catch((reason: unknown) => {
        throw toIpcError(reason);
      }),
    enabled: options.enabled ?? true,
  });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  // The same key, as TanStack compares keys (by hash): a caller may build a new array each render.
  const hash = hashKey(key);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `hash` stands for `key`
  const stableKey = useMemo(() => key, [hash]);
  const setData = useCallback(
    (update: (previous: T | undefined) => T) => client.setQueryData<T>(stableKey, update),
    [client, stableKey],
  );

  const hasData = query.data !== undefined;
  const fetching = query.fetchStatus === 'fetching';
  if (query.status === 'pending' || (query.status === 'error' && fetching && !hasData)) {
    return { status: 'loading', data: undefined, error: null, reloading: false, reload, setData };
  }
  if (query.status === 'error' && !fetching) {
    return { status: 'error', data: query.data, error: query.error, reloading: false, reload, setData };
  }
  return { status: 'success', data: query.data, error: null, reloading: fetching, reload, setData };
}
