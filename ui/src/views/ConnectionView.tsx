import type { ReactNode } from 'react';
import { AccountsPanel } from '../components/accounts/AccountsPanel';
import { useAppData } from '../components/app/useAppData';
import { ConnectionHeader } from '../components/connections/ConnectionHeader';
import { Button, EmptyState, LoadingPanel, Tabs, type TabItem } from '../components/shared';
import { useAltDigitHotkeys } from '../hooks/useHotkey';
import { CONNECTION_TABS, type ConnectionTab, type Route } from '../hooks/useRoute';

export interface ConnectionViewProps {
  id: string;
  tab: ConnectionTab;
  sub: string | null;
  navigate: (route: Route) => void;
}

const TAB_LABELS: Record<ConnectionTab, string> = {
  overview: 'Overview',
  accounts: 'Accounts',
  transactions: 'Transactions',
  cards: 'Cards',
  'standing-orders': 'Standing orders',
  'direct-debits': 'Direct debits',
  identity: 'Identity',
  'signup-plus': 'Signup+',
  verification: 'Verification',
  requests: 'Requests',
};

/** One connection: its header, and a tab per kind of data. */
export function ConnectionView({ id, tab, navigate }: ConnectionViewProps) {
  const { connections, environments, upsertConnection } = useAppData();
  const connection = connections.data?.find((c) => c.id === id);
  const environment = environments.data?.find((e) => e.id === connection?.environmentId);
  const go = (next: ConnectionTab) => navigate({ view: 'connection', id, tab: next, sub: null });

  useAltDigitHotkeys((digit) => {
    const target = CONNECTION_TABS[digit - 1];
    if (target) go(target);
  });

  if (connections.status === 'loading') return <LoadingPanel label="Loading connection…" />;
  if (!connection) {
    return (
      <EmptyState icon="alert" title="Connection not found" action={<Button onClick={() => navigate({ view: 'home' })}>Back to connections</Button>}>
        <p>It may have been forgotten. Pick another one from the sidebar.</p>
      </EmptyState>
    );
  }

  const items: TabItem<ConnectionTab>[] = CONNECTION_TABS.map((t) => ({ id: t, label: TAB_LABELS[t] }));
  const panels: Partial<Record<ConnectionTab, ReactNode>> = {
    accounts: <AccountsPanel connectionId={connection.id} />,
  };

  return (
    <div className="page page-wide">
      <ConnectionHeader connection={connection} isLive={environment?.isLive ?? false} onRenamed={upsertConnection} />
      <Tabs label="Connection data" items={items} value={tab} onChange={go} />
      <div role="tabpanel" aria-labelledby={`tab-${tab}`} className="tab-panel" key={`${connection.id}-${tab}`}>
        {panels[tab] ?? <EmptyState title={TAB_LABELS[tab]}>Coming next.</EmptyState>}
      </div>
    </div>
  );
}
