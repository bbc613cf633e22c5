import type { ReactNode } from 'react';
import { AccountsPanel } from '../components/accounts/AccountsPanel';
import { AsyncModeSwitch } from '../components/async/AsyncModeSwitch';
import { AsyncTimeline } from '../components/async/AsyncTimeline';
import { ConnectionAccountsProvider } from '../components/accounts/ConnectionAccountsProvider';
import { useAppData } from '../components/app/useAppData';
import { CardsPanel } from '../components/cards/CardsPanel';
import { ConnectionActions } from '../components/connections/ConnectionActions';
import { ConnectionHeader } from '../components/connections/ConnectionHeader';
import { OverviewPanel } from '../components/connections/OverviewPanel';
import { useBackgroundRefresh } from '../components/connections/useBackgroundRefresh';
import { DirectDebitsPanel } from '../components/direct-debits/DirectDebitsPanel';
import { IdentityPanel } from '../components/identity/IdentityPanel';
import { RequestInspector } from '../components/requests/RequestInspector';
import { Button, EmptyState, LoadingPanel, Tabs, type TabItem } from '../components/shared';
import { SnapshotsPanel } from '../components/snapshots/SnapshotsPanel';
import { SignupPlusPanel } from '../components/signup-plus/SignupPlusPanel';
import { StandingOrdersPanel } from '../components/standing-orders/StandingOrdersPanel';
import { TransactionsPanel } from '../components/transactions/TransactionsPanel';
import { VerificationPanel } from '../components/verification/VerificationPanel';
import { CoverageMatrix } from '../components/workbench/CoverageMatrix';
import { useAltDigitHotkeys } from '../hooks/useHotkey';
import { CONNECTION_TABS, TAB_LABELS, type ConnectionTab, type Route } from '../hooks/useRoute';
import './views.css';

export interface ConnectionViewProps {
  id: string;
  tab: ConnectionTab;
  sub: string | null;
  navigate: (route: Route) => void;
}

/** One connection: its header and actions, and a tab per kind of data (Alt+1…9 switch tabs). */
export function ConnectionView({ id, tab, sub, navigate }: ConnectionViewProps) {
  const { connections, environments, upsertConnection, removeConnection, reloadEnvironments } = useAppData();
  const connection = connections.data?.find((c) => c.id === id);
  const environment = environments.data?.find((e) => e.id === connection?.environmentId);
  const go = (next: ConnectionTab, nextSub: string | null = null) =>
    navigate({ view: 'connection', id, tab: next, sub: nextSub });

  useBackgroundRefresh(connection);

  useAltDigitHotkeys((digit) => {
    const target = CONNECTION_TABS[digit - 1];
    if (target) go(target);
  });

  if (connections.status === 'loading') return <LoadingPanel label="Loading connection…" />;
  if (!connection) {
    return (
      <EmptyState
        icon="alert"
        title="Connection not found"
        action={<Button onClick={() => navigate({ view: 'home' })}>Back to connections</Button>}
      >
        <p>It may have been forgotten. Pick another one from the sidebar.</p>
      </EmptyState>
    );
  }

  const reconsent = () => navigate({ view: 'reconsent', id: connection.id });
  const items: TabItem<ConnectionTab>[] = CONNECTION_TABS.map((t) => ({ id: t, label: TAB_LABELS[t] }));
  const panels: Record<ConnectionTab, ReactNode> = {
    overview: <OverviewPanel connection={connection} />,
    accounts: <AccountsPanel />,
    transactions: <TransactionsPanel connection={connection} initialSource={sub} onReconsent={reconsent} />,
    cards: (
      <CardsPanel
        connection={connection}
        onReconsent={reconsent}
        onShowTransactions={(cardId) => go('transactions', `card:${cardId}`)}
      />
    ),
    'standing-orders': <StandingOrdersPanel connection={connection} onReconsent={reconsent} />,
    'direct-debits': <DirectDebitsPanel connection={connection} onReconsent={reconsent} />,
    identity: <IdentityPanel connection={connection} onReconsent={reconsent} />,
    'signup-plus': <SignupPlusPanel connection={connection} onReconsent={reconsent} />,
    verification: <VerificationPanel connection={connection} />,
    requests: <RequestInspector connectionId={connection.id} initialText={sub} />,
    coverage: <CoverageMatrix connection={connection} onOpenExchange={(traceId) => go('requests', traceId)} />,
    snapshots: <SnapshotsPanel connection={connection} />,
    async: (
      <AsyncTimeline
        connectionId={connection.id}
        environmentId={connection.environmentId}
        onOpenExchanges={(taskId) => go('requests', taskId)}
      />
    ),
  };

  return (
    <div className="page page-wide">
      <ConnectionHeader
        connection={connection}
        isLive={environment?.isLive ?? false}
        onRenamed={upsertConnection}
        actions={
          <ConnectionActions
            key={connection.id}
            connection={connection}
            isLive={environment?.isLive ?? false}
            liveUnlocked={environment?.liveUnlocked ?? false}
            onLiveLockChanged={reloadEnvironments}
            onUpdated={upsertConnection}
            onReconsent={reconsent}
            onForgotten={(forgotten) => {
              removeConnection(forgotten);
              navigate({ view: 'home' });
            }}
          />
        }
      />
      <AsyncModeSwitch connectionId={connection.id} onShowTimeline={() => go('async')} />
      <Tabs label="Connection data" items={items} value={tab} onChange={(t) => go(t)} />
      <ConnectionAccountsProvider key={connection.id} connection={connection}>
        <div
          role="tabpanel"
          aria-labelledby={`tab-${tab}`}
          className="tab-panel"
          key={`${connection.id}-${tab}-${sub ?? ''}`}
        >
          {panels[tab]}
        </div>
      </ConnectionAccountsProvider>
    </div>
  );
}
