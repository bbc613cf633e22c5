import { formatAgo } from '../../lib/format';
import { useNow } from '../../hooks/useNow';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { usePresenter } from '../presenter/usePresenter';
import { Button, EmptyState, RawJson, Skeleton } from '../shared';
import { AccountCard } from './AccountCard';
import { useConnectionAccounts } from './ConnectionAccountsContext';
import './accounts.css';

/** The connection's accounts with their balances (fetched concurrently by core). */
export function AccountsPanel() {
  const accounts = useConnectionAccounts();
  const { maskJson } = usePresenter();
  const now = useNow(30_000);

  if (accounts.status === 'loading') {
    return (
      <div className="account-grid" aria-busy="true" data-testid="accounts-loading">
        {[0, 1, 2].map((i) => (
          <div key={i} className="account-card account-card-skeleton">
            <Skeleton width="55%" height={16} />
            <Skeleton width="35%" />
            <Skeleton width="80%" />
            <Skeleton width="40%" height={24} />
          </div>
        ))}
      </div>
    );
  }
  if (accounts.status === 'error' && accounts.error) {
    return <IpcErrorPanel error={accounts.error.toPayload()} onRetry={accounts.reload} data-testid="accounts-error" />;
  }
  const fetched = accounts.data;
  if (!fetched) return null;
  const items = fetched.data;

  return (
    <div className="stack">
      <div className="panel-toolbar">
        <span className="muted">
          {items.length} {items.length === 1 ? 'account' : 'accounts'} · fetched {formatAgo(fetched.fetchedAt, now)}
          {fetched.traceIds.length > 0 && (
            <>
              {' '}
              · trace <span className="mono">{fetched.traceIds[0]}</span>
              {fetched.traceIds.length > 1 && ` +${fetched.traceIds.length - 1}`}
            </>
          )}
        </span>
        <Button
          size="sm"
          variant="ghost"
          icon="refresh"
          loading={accounts.reloading}
          onClick={accounts.reload}
          data-testid="accounts-refresh"
        >
          Refresh
        </Button>
      </div>
      {items.length === 0 ? (
        <EmptyState icon="bank" title="The bank returned no accounts">
          <p>
            The consent succeeded, but this provider listed no accounts for the user. Cards, if any, are on the Cards
            tab.
          </p>
        </EmptyState>
      ) : (
        <div className="account-grid" data-testid="accounts-list">
          {items.map((item) => (
            <AccountCard key={item.account.accountId} item={item} />
          ))}
        </div>
      )}
      <RawJson value={fetched.raw} mapString={maskJson} />
    </div>
  );
}
