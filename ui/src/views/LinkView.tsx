import type { Route } from '../hooks/useRoute';
import { useAppData } from '../components/app/useAppData';
import { LinkWizard, type ChosenProvider } from '../components/link/LinkWizard';
import { LinkAttempts } from '../components/tracking/LinkAttempts';
import { EmptyState, LoadingPanel } from '../components/shared';
import './views.css';

export interface LinkViewProps {
  providerId: string | null;
  /** Re-consent: the connection the link renews (its bank and scopes are chosen for it). */
  renews: string | null;
  navigate: (route: Route) => void;
}

/** The link wizard for the active environment (a re-consent arrives with its bank chosen). */
export function LinkView({ providerId: chosenId, renews, navigate }: LinkViewProps) {
  const { activeEnvironment, environments, appInfo, connections, upsertConnection } = useAppData();

  if (environments.status === 'loading') return <LoadingPanel label="Loading environments…" />;
  if (!activeEnvironment) {
    return (
      <EmptyState icon="settings" title="No environment to link in">
        <p>Add an environment in Settings first.</p>
      </EmptyState>
    );
  }

  const renewed = renews ? connections.data?.find((c) => c.id === renews) : undefined;
  if (renews && !renewed) {
    return connections.status === 'loading' ? (
      <LoadingPanel label="Loading connection…" />
    ) : (
      <EmptyState icon="alert" title="Connection not found">
        <p>It may have been forgotten. Pick another one from the sidebar.</p>
      </EmptyState>
    );
  }
  const providerId = renewed?.providerId ?? chosenId;
  const known =
    renewed ?? connections.data?.find((c) => c.providerId === providerId && c.environmentId === activeEnvironment.id);
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
          <h1>{renewed ? `Re-consent ${renewed.label}` : 'Link an account'}</h1>
          <p className="secondary">
            {renewed
              ? 'A new link for the same bank: the user approves again and this same connection (its id, name and request history) gets the new tokens.'
              : 'Choose a bank and what to ask for; the consent happens in your browser.'}
          </p>
        </div>
      </header>
      <LinkWizard
        key={`${activeEnvironment.id}-${providerId ?? ''}-${renews ?? ''}`}
        environment={activeEnvironment}
        deepLinkScheme={appInfo.data?.deepLinkScheme ?? null}
        initialProvider={initialProvider}
        initialScopes={known?.scopes ?? null}
        renews={renews}
        onConnected={(connection) => {
          upsertConnection(connection);
          navigate({ view: 'connection', id: connection.id, tab: 'accounts', sub: null });
        }}
      />
      <LinkAttempts environmentId={activeEnvironment.id} />
    </div>
  );
}
