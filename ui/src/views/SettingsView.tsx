import { useState } from 'react';
import { useAppData } from '../components/app/useAppData';
import { AboutCard } from '../components/app/AboutCard';
import { ShortcutsCard } from '../components/app/ShortcutsCard';
import { EnvironmentForm } from '../components/environments/EnvironmentForm';
import { EnvironmentList } from '../components/environments/EnvironmentList';
import { RedirectHelperCard } from '../components/environments/RedirectHelperCard';
import { IpcErrorPanel } from '../components/errors/IpcErrorPanel';
import { SigningKeyCard } from '../components/verification/SigningKeyCard';
import { Button, Card, LoadingPanel, useToast } from '../components/shared';
import './views.css';

/** Environments (with their credentials, redirect URIs and signing key), app facts, shortcuts. */
export function SettingsView() {
  const { environments, reloadEnvironments } = useAppData();
  const toast = useToast();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const all = environments.data ?? [];
  const selected = editing === 'new' ? null : (all.find((e) => e.id === editing) ?? null);

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="secondary">Where links go, and with which credentials. Secrets go to the system keychain.</p>
        </div>
      </header>
      <div className="settings-layout">
        <Card
          title="Environments"
          actions={
            <Button size="sm" icon="plus" onClick={() => setEditing('new')} data-testid="env-add">
              Add
            </Button>
          }
          flush
        >
          {environments.status === 'loading' ? (
            <LoadingPanel />
          ) : environments.status === 'error' && environments.error ? (
            <div className="card-pad">
              <IpcErrorPanel error={environments.error.toPayload()} onRetry={environments.reload} />
            </div>
          ) : (
            <EnvironmentList
              environments={all}
              selectedId={editing === 'new' ? null : editing}
              onSelect={(e) => setEditing(e.id)}
            />
          )}
        </Card>
        <Card title={editing === 'new' ? 'New environment' : selected ? selected.name : 'Environment'}>
          {editing === null || (editing !== 'new' && !selected) ? (
            <p className="muted">Select an environment to see or change its settings, or add one.</p>
          ) : (
            <EnvironmentForm
              key={editing}
              environment={selected}
              onCancel={() => setEditing(null)}
              onSaved={(env) => {
                toast.show(`Saved ${env.name}.`, 'success');
                reloadEnvironments();
                setEditing(env.id);
              }}
            />
          )}
        </Card>
      </div>
      {selected && <RedirectHelperCard key={`redirects-${selected.id}`} environment={selected} />}
      {selected && <SigningKeyCard key={selected.id} environment={selected} />}
      <div className="settings-layout">
        <AboutCard />
        <ShortcutsCard />
      </div>
    </div>
  );
}
