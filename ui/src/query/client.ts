/**
 * The app's one TanStack Query client: every view's server data (core's IPC answers) is cached
 * here, keyed by environment, connection and view (`keys.ts`), so a tab switch shows what was
 * fetched at once.
 *
 * Data stays fresh until the user refreshes or a mutation invalidates it: a bank read costs a
 * request in the inspector, so nothing refetches on focus, on reconnect or on a timer. Core
 * already retries what is worth retrying, so the client never retries on its own. Every answer
 * read under an environment recorded requests, so it makes the inspector's lists stale.
 */
import { QueryCache, QueryClient } from '@tanstack/react-query';
import { isEnvironmentKey, queryKeys } from './keys';

export function createQueryClient(): QueryClient {
  const queryCache = new QueryCache({
    onSettled: (_data, _error, query) => {
      if (isEnvironmentKey(query.queryKey)) {
        void client.invalidateQueries({ queryKey: queryKeys.requests });
      }
    },
  });
  const client = new QueryClient({
    queryCache,
    defaultOptions: {
      queries: {
        staleTime: Infinity,
        gcTime: 30 * 60 * 1000,
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
