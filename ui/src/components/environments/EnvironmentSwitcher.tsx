import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { selectEnvironment, type Environment } from '../../ipc';
import { invalidateEverything } from '../../query';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Badge, Icon, Skeleton, usePopoverMenu, useToast } from '../shared';
import { useAppData } from '../app/useAppData';
import { KIND_LABELS, environmentBadge, environmentTone } from './environmentLabels';
import { LiveConfirmModal } from './LiveConfirmModal';
import { liveConfirmed, rememberLiveConfirmed } from './liveConfirmation';
import './environments.css';

/** Shows the active environment (live ones look different) and switches to another. */
export function EnvironmentSwitcher() {
  const { environments, activeEnvironment } = useAppData();
  const toast = useToast();
  const client = useQueryClient();
  const { open, setOpen, root, onMenuKeyDown } = usePopoverMenu();
  const [pendingLive, setPendingLive] = useState<Environment | null>(null);

  async function choose(env: Environment, confirmed = false) {
    setOpen(false);
    if (env.active) return;
    if (env.isLive && !confirmed && !liveConfirmed()) {
      setPendingLive(env);
      return;
    }
    try {
      await selectEnvironment(env.id);
      // Every list and view belongs to the environment that was active: read them again.
      void invalidateEverything(client);
    } catch (e) {
      toast.show(e instanceof Error ? e.message : 'Could not switch environment.', 'danger');
    }
  }

  if (environments.status === 'loading') {
    return (
      <div className="env-switcher env-switcher-loading">
        <Skeleton height={36} />
      </div>
    );
  }
  if (environments.status === 'error' && environments.error) {
    return <IpcErrorPanel error={environments.error.toPayload()} onRetry={environments.reload} />;
  }
  const all = environments.data ?? [];
  const active = activeEnvironment;

  return (
    <div className="env-switcher" ref={root}>
      <button
        type="button"
        className={active?.isLive ? 'env-button env-button-live' : 'env-button'}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="environment-switcher"
      >
        <span className="env-button-text">
          <span className="env-button-caption">
            <span>Environment</span>
            {active && (
              <Badge tone={environmentTone(active)} dot>
                {environmentBadge(active)}
              </Badge>
            )}
          </span>
          <span className="env-button-name">{active?.name ?? 'None'}</span>
        </span>
        <Icon name="chevronDown" size={14} className="env-button-chevron" />
      </button>
      {open && (
        <div className="env-menu" role="menu" aria-label="Environments" tabIndex={-1} onKeyDown={onMenuKeyDown}>
          {all.map((env) => (
            <button
              key={env.id}
              type="button"
              role="menuitemradio"
              aria-checked={env.active}
              className="env-option"
              onClick={() => void choose(env)}
              data-testid={`environment-option-${env.id}`}
            >
              <span className="env-option-check">{env.active && <Icon name="check" size={14} />}</span>
              <span className="env-option-text">
                <span className="env-option-name">{env.name}</span>
                <span className="env-option-kind">{KIND_LABELS[env.kind]}</span>
              </span>
              <Badge tone={environmentTone(env)}>{environmentBadge(env)}</Badge>
            </button>
          ))}
        </div>
      )}
      <LiveConfirmModal
        open={pendingLive !== null}
        action="switch"
        environmentName={pendingLive?.name ?? ''}
        onCancel={() => setPendingLive(null)}
        onConfirm={() => {
          const env = pendingLive;
          setPendingLive(null);
          rememberLiveConfirmed();
          if (env) void choose(env, true);
        }}
      />
    </div>
  );
}
