import { createContext, useContext } from 'react';
import type { AccountWithBalance, Fetched } from '../../ipc';
import type { AsyncResult } from '../../query';

/** The connection's accounts, fetched once per connection screen and shared by its tabs. */
export const ConnectionAccountsContext = createContext<AsyncResult<Fetched<AccountWithBalance[]>> | null>(null);

export function useConnectionAccounts(): AsyncResult<Fetched<AccountWithBalance[]>> {
  const value = useContext(ConnectionAccountsContext);
  if (!value) throw new Error('useConnectionAccounts must be used inside <ConnectionAccountsProvider>');
  return value;
}
