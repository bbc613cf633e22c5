import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, type ReactNode } from 'react';
import {
  getAppInfo,
  listConnections,
  listEnvironments,
  onConnectionUpdated,
  onLinkCompleted,
  type Connection,
} from '../../ipc';
import { useSubscription } from '../../hooks/useSubscription';
import { invalidateConnection, queryKeys, useIpcQuery } from '../../query';
import { AppDataContext } from './AppDataContext';

/**
 * Loads what the whole app shows (app info, environments, connections) through the query cache
 * and keeps it current from core's events.
 */
export function AppDataProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const appInfo = useIpcQuery(queryKeys.appInfo, getAppInfo);
  const environments = useIpcQuery(queryKeys.environments, listEnvironments);
  const connections = useIpcQuery(queryKeys.connections, listConnections);
  const { setData: setConnections } = connections;

  const upsertConnection = useCallback(
    (connection: Connection) =>
      setConnections((all = []) => {
        const index = all.findIndex((c) => c.id === connection.id);
        if (index === -1) return [...all, connection];
        const next = all.slice();
        next[index] = connection;
        return next;
      }),
    [setConnections],
  );

  const removeConnection = useCallback(
    (id: string) => setConnections((all = []) => all.filter((c) => c.id !== id)),
    [setConnections],
  );

  useSubscription(onConnectionUpdated, (e) => upsertConnection(e.connection));
  // A re-consent completes as a link of the same connection: what was read for it is stale.
  useSubscription(onLinkCompleted, (e) => {
    upsertConnection(e.connection);
    void invalidateConnection(client, e.connection);
  });

  const activeEnvironment = environments.data?.find((e) => e.active) ?? environments.data?.[0] ?? null;

  const value = useMemo(
    () => ({
      appInfo,
      environments,
      activeEnvironment,
      connections,
      upsertConnection,
      removeConnection,
      reloadEnvironments: environments.reload,
    }),
    [appInfo, environments, activeEnvironment, connections, upsertConnection, removeConnection],
  );

  return <AppDataContext.Provider value={value}>{children}</AppDataContext.Provider>;
}
