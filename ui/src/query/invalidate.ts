/**
 * What a mutation makes stale. Invalidating marks cached answers stale and refetches only the
 * ones on screen; the others fetch when their view next mounts. The inspector's lists go stale
 * with any bank read (each one records requests), so opening the inspector shows them.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { Connection } from '../ipc';
import { isScenarioRunsKey, queryKeys } from './keys';

/** After extend, refresh, revoke or re-consent: the connection's data may have changed. */
export function invalidateConnection(
  client: QueryClient,
  connection: Pick<Connection, 'id' | 'environmentId'>,
): Promise<void> {
  return Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.connection(connection.environmentId, connection.id) }),
    client.invalidateQueries({ queryKey: queryKeys.requests }),
  ]).then(() => undefined);
}

/**
 * After a connection's async setting changed: every view of it reads again, through
 * `async=true` or not (by id, as the setting is kept per connection, whatever its environment).
 */
export function invalidateConnectionById(client: QueryClient, connectionId: string): Promise<void> {
  return client.invalidateQueries({
    predicate: ({ queryKey }) =>
      queryKey[0] === 'environment' && queryKey[2] === 'connection' && queryKey[3] === connectionId,
  });
}

/** After the sandbox's data moved (its clock, a reset): every connection's data in it is stale. */
export function invalidateEnvironmentConnections(client: QueryClient, environmentId: string): Promise<void> {
  return Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.environmentConnections(environmentId) }),
    client.invalidateQueries({ queryKey: queryKeys.requests }),
  ]).then(() => undefined);
}

/**
 * After a scenario run moved (core runs it in the background): every environment's list of runs
 * is stale, read again when the workbench next opens (an open one follows the run by itself).
 */
export function invalidateScenarioRuns(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ predicate: (query) => isScenarioRunsKey(query.queryKey), refetchType: 'none' });
}

/** After the active environment changed: every list and view reads again. */
export function invalidateEverything(client: QueryClient): Promise<void> {
  return client.invalidateQueries();
}
