/** The query cache's public face: the client, the provider, the keys, the hook and invalidation. */
export { createQueryClient } from './client';
export { QueryProvider } from './QueryProvider';
export { queryKeys } from './keys';
export { useIpcQuery, type AsyncResult, type AsyncStatus, type IpcQueryOptions } from './useIpcQuery';
export {
  invalidateConnection,
  invalidateConnectionById,
  invalidateEnvironmentConnections,
  invalidateEverything,
  invalidateScenarioRuns,
} from './invalidate';
