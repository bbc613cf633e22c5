import { useCallback, type ReactNode } from 'react';
import { listAccounts } from '../../ipc';
import { useAsync } from '../../hooks/useAsync';
import { ConnectionAccountsContext } from './ConnectionAccountsContext';

export function ConnectionAccountsProvider({ connectionId, children }: { connectionId: string; children: ReactNode }) {
  const load = useCallback(() => listAccounts(connectionId), [connectionId]);
  const accounts = useAsync(load);
  return <ConnectionAccountsContext.Provider value={accounts}>{children}</ConnectionAccountsContext.Provider>;
}
