/**
 * The app's one TanStack Query client: every view's server data (core's IPC answers) is cached
 * here, keyed by connection and view, so a tab switch shows what was fetched at once.
 *
 * Data stays fresh until the user refreshes or a mutation invalidates it: a bank read costs a
 * request in the inspector, so nothing refetches on focus, on reconnect or on a timer. Core
 * already retries what is worth retrying, so the client never retries on its own.
 */
import { QueryClient } from '@tanstack/react-query';

export function createQueryClient(): QueryClient {
  return new QueryClient({
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
}
