import type { Route } from '../hooks/useRoute';
import { useAppData } from '../components/app/useAppData';
import { ConnectionStatusBadge } from '../components/connections/ConnectionStatusBadge';
import { ConsentExpiry } from '../components/connections/ConsentClock';
import { Sensitive } from '../components/presenter/Sensitive';
import { Button, EmptyState, Kbd, LoadingPanel, Logo } from '../components/shared';
import { modLabel } from '../hooks/useHotkey';
import './views.css';

/** The start screen: what to do first, or the connections to open. */
export function HomeView({ navigate }: { navigate: (route: Route) => void }) {
  const { connections, activeEnvironment } = useAppData();
  const all = connections.data ?? [];

  if (connections.status === 'loading') return <LoadingPanel label="Loading connections…" />;

  if (all.length === 0) {
    return (
      <div className="home-empty">
        <EmptyState
          icon="link"
          title="Link an account"
          action={
            <div className="stack-sm home-empty-actions">
              <Button
                variant="primary"
                size="lg"
                icon="plus"
                onClick={() => navigate({ view: 'link', providerId: null })}
                data-testid="empty-link-account-button"
              >
                Link an account
              </Button>
              <span className="muted">
                or press <Kbd>{modLabel}</Kbd> <Kbd>Shift</Kbd> <Kbd>L</Kbd>
              </span>
            </div>
          }
        >
          <p>
            Pick a bank and the permissions to ask for; Linkscope opens the consent in your browser and, once you
            approve it, brings you back here with the accounts and balances.
          </p>
          {activeEnvironment?.kind === 'builtin' && (
            <p className="muted">
              You are in the built-in sandbox: choose <strong>Mock</strong> and sign in as <code>john</code> /{' '}
              <code>doe</code>. No account or network needed.
            </p>
          )}
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Connections</h1>
          <p className="secondary">Open one to see what the bank returned.</p>
        </div>
        <Button variant="primary" icon="plus" onClick={() => navigate({ view: 'link', providerId: null })}>
          Link an account
        </Button>
      </header>
      <ul className="home-list">
        {all.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className="home-item"
              onClick={() => navigate({ view: 'connection', id: c.id, tab: 'accounts', sub: null })}
            >
              <Logo src={c.providerLogoUrl} name={c.providerName} size={36} />
              <span className="home-item-text">
                <span className="home-item-label">
                  <Sensitive kind="name" value={c.label} />
                </span>
                <span className="muted">
                  {c.providerName} · {c.environmentName}
                </span>
              </span>
              <ConsentExpiry connection={c} />
              <ConnectionStatusBadge connection={c} />
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
