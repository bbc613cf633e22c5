import { useState, type FormEvent, type ReactNode } from 'react';
import { renameConnection, toIpcError, type Connection } from '../../ipc';
import { Badge, Button, Icon, Logo, TextInput, useToast } from '../shared';
import { Sensitive } from '../presenter/Sensitive';
import { ConnectionStatusBadge } from './ConnectionStatusBadge';
import { ConsentExpiry } from './ConsentClock';
import './connections.css';

export interface ConnectionHeaderProps {
  connection: Connection;
  isLive: boolean;
  onRenamed: (connection: Connection) => void;
  actions?: ReactNode;
}

/** Provider logo and name, the connection's label (renamable), status and consent expiry. */
export function ConnectionHeader({ connection, isLive, onRenamed, actions }: ConnectionHeaderProps) {
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState(connection.label);
  const [saving, setSaving] = useState(false);
  const toast = useToast();

  async function save(e: FormEvent) {
    e.preventDefault();
    const next = label.trim();
    if (next === '' || next === connection.label) {
      setEditing(false);
      return;
    }
    setSaving(true);
    try {
      onRenamed(await renameConnection(connection.id, next));
      setEditing(false);
    } catch (reason) {
      toast.show(toIpcError(reason).message, 'danger');
    } finally {
      setSaving(false);
    }
  }

  return (
    <header className="conn-header">
      <Logo src={connection.providerLogoUrl} name={connection.providerName} size={44} />
      <div className="conn-header-text">
        <div className="conn-header-provider">
          <span>{connection.providerName}</span>
          <span className="muted">·</span>
          <span className="muted">{connection.environmentName}</span>
          {isLive && <Badge tone="live">Live</Badge>}
        </div>
        {editing ? (
          <form className="rename-form" onSubmit={save}>
            <TextInput
              value={label}
              onChange={(e) => setLabel(e.target.value)}
              aria-label="Connection label"
              autoFocus
              maxLength={80}
              data-testid="rename-input"
            />
            <Button type="submit" size="sm" variant="primary" loading={saving}>
              Save
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </form>
        ) : (
          <h1 className="conn-header-label">
            <span data-testid="connection-label">
              <Sensitive kind="name" value={connection.label} />
            </span>
            <button
              type="button"
              className="icon-btn icon-btn-sm"
              aria-label="Rename"
              title="Rename"
              onClick={() => {
                setLabel(connection.label);
                setEditing(true);
              }}
              data-testid="rename-button"
            >
              <Icon name="pencil" size={14} />
            </button>
          </h1>
        )}
        <div className="conn-header-meta">
          <ConnectionStatusBadge connection={connection} />
          <ConsentExpiry connection={connection} />
        </div>
      </div>
      {actions !== undefined && <div className="conn-header-actions">{actions}</div>}
    </header>
  );
}
