import type { Connection } from '../../ipc';
import { Skeleton } from '../shared';
import { Logo } from '../shared/Logo';
import { useAppData } from '../app/useAppData';
import { Sensitive } from '../presenter/Sensitive';
import { ConnectionStatusBadge } from './ConnectionStatusBadge';
import './connections.css';

export interface ConnectionsListProps {
  selectedId: string | null;
  onSelect: (connection: Connection) => void;
}

/** The sidebar's list of linked connections: provider logo, label, status. */
export function ConnectionsList({ selectedId, onSelect }: ConnectionsListProps) {
  const { connections } = useAppData();

  if (connections.status === 'loading') {
    return (
      <div className="conn-list-loading" aria-busy="true">
        <Skeleton height={40} />
        <Skeleton height={40} />
      </div>
    );
  }
  if (connections.status === 'error') {
    return (
      <div className="conn-list-error" role="alert">
        <p>Connections could not be loaded.</p>
        <button type="button" className="link-btn" onClick={connections.reload}>
          Try again
        </button>
      </div>
    );
  }
  const all = connections.data ?? [];
  if (all.length === 0) {
    return <p className="conn-list-empty">No connections yet.</p>;
  }
  return (
    <ul className="conn-list" aria-label="Connections">
      {all.map((c) => (
        <li key={c.id}>
          <button
            type="button"
            className={c.id === selectedId ? 'conn-item conn-item-selected' : 'conn-item'}
            aria-current={c.id === selectedId ? 'page' : undefined}
            onClick={() => onSelect(c)}
            data-testid={`connection-item-${c.id}`}
          >
            <Logo src={c.providerLogoUrl} name={c.providerName} size={28} />
            <span className="conn-item-text">
              <span className="conn-item-label">
                <Sensitive kind="name" value={c.label} />
              </span>
              <span className="conn-item-meta">
                <ConnectionStatusBadge connection={c} compact />
                <span className="conn-item-provider" title={`${c.providerName} · ${c.environmentName}`}>
                  {c.providerName}
                </span>
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
