import { useState, type ReactNode } from 'react';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { EmptyState, LoadingPanel } from '../shared';
import { AccountPicker } from './AccountPicker';
import { useConnectionAccounts } from './ConnectionAccountsContext';
import './accounts.css';

export interface PerAccountProps {
  /** Rendered for the chosen account (keyed by it, so its state resets on a change). */
  children: (accountId: string) => ReactNode;
  initialAccountId?: string | null;
}

/** Waits for the connection's accounts, then lets the user pick one for a per-account view. */
export function PerAccount({ children, initialAccountId = null }: PerAccountProps) {
  const accounts = useConnectionAccounts();
  const [chosen, setChosen] = useState<string | null>(initialAccountId);

  if (accounts.status === 'loading') return <LoadingPanel label="Loading accounts…" />;
  if (accounts.status === 'error' && accounts.error)
    return <IpcErrorPanel error={accounts.error.toPayload()} onRetry={accounts.reload} />;
  const list = accounts.data?.data ?? [];
  if (list.length === 0) {
    return (
      <EmptyState icon="bank" title="No accounts">
        <p>The bank returned no accounts, so there is nothing to show here.</p>
      </EmptyState>
    );
  }
  const accountId = list.some((a) => a.account.accountId === chosen)
    ? (chosen as string)
    : (list[0]?.account.accountId ?? '');
  return (
    <div className="stack">
      <label className="per-account-bar">
        <span>Account</span>
        <AccountPicker accounts={list} value={accountId} onChange={setChosen} />
      </label>
      <div key={accountId}>{children(accountId)}</div>
    </div>
  );
}
