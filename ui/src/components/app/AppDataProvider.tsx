import { useCallback, useMemo, type ReactNode } from 'react';
import {
  getAppInfo,
  listConnections,
  listEnvironments,
  onConnectionUpdated,
  onLinkCompleted,
  type Connection,
} from '../../ipc';
import { useAsync } from '../../hooks/useAsync';
import { useSubscription } from '../../hooks/useSubscription';
import { AppDataContext } from './AppDataContext';

/** Loads what the whole app shows (app info, environments, connections) and keeps it current. */
export function AppDataProvider({ children }: { children: ReactNode }) {
  const appInfo = useAsync(getAppInfo);
  const environments = useAsync(listEnvironments);
  const connections = useAsync(listConnections);
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
  useSubscription(onLinkCompleted, (e) => upsertConnection(e.connection));

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
