import type { Route } from '../hooks/useRoute';
import { useAppData } from '../components/app/useAppData';
import { LinkWizard, type ChosenProvider } from '../components/link/LinkWizard';
import { EmptyState, LoadingPanel } from '../components/shared';
import './views.css';

export interface LinkViewProps {
  providerId: string | null;
  navigate: (route: Route) => void;
}

/** The link wizard for the active environment (a re-consent arrives with its bank chosen). */
export function LinkView({ providerId, navigate }: LinkViewProps) {
  const { activeEnvironment, environments, appInfo, connections, upsertConnection } = useAppData();

  if (environments.status === 'loading') return <LoadingPanel label="Loading environments…" />;
  if (!activeEnvironment) {
    return (
      <EmptyState icon="settings" title="No environment to link in">
        <p>Add an environment in Settings first.</p>
      </EmptyState>
    );
  }

  const known = connections.data?.find((c) => c.providerId === providerId && c.environmentId === activeEnvironment.id);
  const initialProvider: ChosenProvider | null = providerId
    ? {
        providerId,
        displayName: known?.providerName ?? providerId,
        logoUrl: known?.providerLogoUrl ?? null,
        scopes: null,
      }
    : null;

  return (
    <div className="page page-narrow">
      <header className="page-header">
        <div>
          <h1>{providerId ? 'Re-consent' : 'Link an account'}</h1>
          <p className="secondary">
            {providerId
              ? 'A new link for the same bank: the user approves again and the connection gets fresh tokens.'
              : 'Choose a bank and what to ask for; the consent happens in your browser.'}
          </p>
        </div>
      </header>
      <LinkWizard
        key={`${activeEnvironment.id}-${providerId ?? ''}`}
        environment={activeEnvironment}
        deepLinkScheme={appInfo.data?.deepLinkScheme ?? null}
        initialProvider={initialProvider}
        initialScopes={known?.scopes ?? null}
        onConnected={(connection) => {
          upsertConnection(connection);
          navigate({ view: 'connection', id: connection.id, tab: 'accounts', sub: null });
        }}
      />
    </div>
  );
}
