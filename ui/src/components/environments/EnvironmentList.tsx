import type { Environment } from '../../ipc';
import { Badge, Icon } from '../shared';
import { KIND_LABELS, environmentBadge, environmentTone } from './environmentLabels';
import './environments.css';

export interface EnvironmentListProps {
  environments: Environment[];
  selectedId: string | null;
  onSelect: (environment: Environment) => void;
}

export function EnvironmentList({ environments, selectedId, onSelect }: EnvironmentListProps) {
  return (
    <ul className="env-list" aria-label="Environments">
      {environments.map((env) => (
        <li key={env.id}>
          <button
            type="button"
            className={env.id === selectedId ? 'env-list-item env-list-item-selected' : 'env-list-item'}
            onClick={() => onSelect(env)}
            data-testid={`environment-${env.id}`}
          >
            <span className="env-list-text">
              <span className="env-list-name">
                {env.name} {env.active && <span className="muted">(active)</span>}
              </span>
              <span className="env-list-meta">
                {KIND_LABELS[env.kind]} · {env.kind === 'builtin' ? 'no set-up needed' : env.clientId || 'no client_id'}
              </span>
            </span>
            {env.hasClientSecret && (
              <span title="Client secret stored in keychain" className="muted">
                <Icon name="key" size={14} />
              </span>
            )}
            <Badge tone={environmentTone(env)}>{environmentBadge(env)}</Badge>
          </button>
        </li>
      ))}
    </ul>
  );
}
