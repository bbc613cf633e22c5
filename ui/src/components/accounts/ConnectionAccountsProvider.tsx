import type { ReactNode } from 'react';
import { listAccounts, type Connection } from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { ConnectionAccountsContext } from './ConnectionAccountsContext';

/** Reads the connection's accounts (cached per environment and connection) for every tab below. */
export function ConnectionAccountsProvider({
  connection,
  children,
}: {
  connection: Pick<Connection, 'id' | 'environmentId'>;
  children: ReactNode;
}) {
  const accounts = useIpcQuery(queryKeys.connectionView(connection.environmentId, connection.id, 'accounts'), () =>
    listAccounts(connection.id),
  );
  return <ConnectionAccountsContext.Provider value={accounts}>{children}</ConnectionAccountsContext.Provider>;
}
