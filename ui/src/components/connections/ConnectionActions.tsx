import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  exportSupportBundle,
  extendConnection,
  forgetConnection,
  refreshConnection,
  revokeConnection,
  setLiveUnlocked,
  toIpcError,
  type Connection,
  type ExtendOutcome,
  type IpcErrorPayload,
} from '../../ipc';
import { invalidateConnection } from '../../query';
import { explainError } from '../errors/explain';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Button, Menu, Modal, useToast } from '../shared';
import { rememberSession } from '../link/sessions';
import { ExtendModal } from './ExtendModal';
import './connections.css';

export interface ConnectionActionsProps {
  connection: Connection;
  isLive: boolean;
  /** Core's lock state for the connection's environment (`Environment.liveUnlocked`). */
  liveUnlocked: boolean;
  /** The lock changed in core: reload the environments to show it. */
  onLiveLockChanged: () => void;
  onUpdated: (connection: Connection) => void;
  onForgotten: (id: string) => void;
  onReconsent: () => void;
}

/**
 * Lifecycle actions: refresh now, re-consent, extend, support bundle, revoke, forget. In a live
 * environment extend and revoke stay locked until the user unlocks them (DESIGN.md §6); the lock
 * shown is core's, per environment, so every connection of it agrees. A keychain that did not
 * answer is said so, with a retry: nothing was changed.
 */
export function ConnectionActions({
  connection,
  isLive,
  liveUnlocked,
  onLiveLockChanged,
  onUpdated,
  onForgotten,
  onReconsent,
}: ConnectionActionsProps) {
  const toast = useToast();
  const client = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<'revoke' | 'forget' | null>(null);
  const [keychainDown, setKeychainDown] = useState<{ error: IpcErrorPayload; retry: () => void } | null>(null);
  const [extendNeedsUser, setExtendNeedsUser] = useState<Extract<ExtendOutcome, { kind: 'user_input_needed' }> | null>(
    null,
  );
  const locked = isLive && !liveUnlocked;
  const revoked = connection.status === 'revoked';

  async function run(name: string, action: () => Promise<void>) {
    setBusy(name);
    setKeychainDown(null);
    try {
      await action();
    } catch (reason) {
      const error = toIpcError(reason);
      if (error.code === 'keychain_unavailable') {
        setKeychainDown({ error: error.toPayload(), retry: () => void run(name, action) });
      } else {
        toast.show(`${explainError(error.toPayload()).title}: ${error.message}`, 'danger');
      }
    } finally {
      setBusy(null);
    }
  }

  // Core enforces the interlock; the menu shows core's state.
  const toggleLiveLock = () =>
    run('live-unlock', async () => {
      await setLiveUnlocked(connection.environmentId, !liveUnlocked);
      onLiveLockChanged();
    });

  const refresh = () =>
    run('refresh', async () => {
      onUpdated(await refreshConnection(connection.id));
      void invalidateConnection(client, connection);
      toast.show('Tokens refreshed.', 'success');
    });

  const extend = () =>
    run('extend', async () => {
      const outcome = await extendConnection(connection.id);
      if (outcome.kind === 'renewed') {
        onUpdated(outcome.connection);
        void invalidateConnection(client, connection);
        toast.show('No action needed: the consent was extended and the tokens renewed.', 'success');
      } else {
        rememberSession(outcome.preview.sessionId);
        setExtendNeedsUser(outcome);
      }
    });

  const bundle = () =>
    run('bundle', async () => {
      const path = await exportSupportBundle(connection.id);
      if (path) toast.show(`Support bundle saved to ${path}`, 'success');
    });

  const revoke = () =>
    run('revoke', async () => {
      setConfirm(null);
      onUpdated(await revokeConnection(connection.id));
      void invalidateConnection(client, connection);
      toast.show('Access revoked at TrueLayer.', 'success');
    });

  const forget = () =>
    run('forget', async () => {
      setConfirm(null);
      await forgetConnection(connection.id);
      onForgotten(connection.id);
    });

  return (
    <>
      <Button
        icon="refresh"
        loading={busy === 'refresh'}
        disabled={revoked || !connection.hasRefreshToken}
        onClick={() => void refresh()}
        data-testid="action-refresh"
        title={
          connection.hasRefreshToken
            ? 'Refresh the access token now'
            : 'No refresh token (offline_access was not granted)'
        }
      >
        Refresh now
      </Button>
      <Button
        variant={connection.status === 'reauth_required' || connection.status === 'expired' ? 'primary' : 'secondary'}
        icon="link"
        onClick={onReconsent}
        data-testid="action-reconsent"
      >
        Re-consent
      </Button>
      <Menu
        label={busy === 'extend' || busy === 'bundle' || busy === 'revoke' || busy === 'forget' ? 'Working…' : 'More'}
        data-testid="action-more"
        items={[
          {
            id: 'extend',
            label: 'Extend consent',
            icon: 'clock',
            disabled: locked || revoked,
            hint: locked ? 'Locked in live environments' : undefined,
            onSelect: () => void extend(),
          },
          { id: 'support-bundle', label: 'Export support bundle', icon: 'download', onSelect: () => void bundle() },
          ...(isLive
            ? [
                {
                  id: 'live-unlock',
                  label: liveUnlocked ? 'Lock extend and revoke' : 'Unlock extend and revoke',
                  icon: 'lock' as const,
                  onSelect: () => void toggleLiveLock(),
                },
              ]
            : []),
          {
            id: 'revoke',
            label: 'Revoke access…',
            icon: 'x',
            tone: 'danger',
            disabled: locked || revoked,
            hint: locked ? 'Locked in live environments' : undefined,
            onSelect: () => setConfirm('revoke'),
          },
          {
            id: 'forget',
            label: 'Forget this connection…',
            icon: 'trash',
            tone: 'danger',
            onSelect: () => setConfirm('forget'),
          },
        ]}
      />
      <Modal
        open={confirm === 'revoke'}
        tone="danger"
        title="Revoke access?"
        onClose={() => setConfirm(null)}
        footer={
          <>
            <Button variant="ghost" onClick={() => setConfirm(null)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              loading={busy === 'revoke'}
              onClick={() => void revoke()}
              data-testid="revoke-confirm"
            >
              Revoke
            </Button>
          </>
        }
      >
        <p>
          TrueLayer deletes the connection to <strong>{connection.providerName}</strong>: every later call is refused.
          It stays in Linkscope, marked revoked, until you forget it.
        </p>
      </Modal>
      <Modal
        open={confirm === 'forget'}
        tone="danger"
        title="Forget this connection?"
        onClose={() => setConfirm(null)}
        footer={
          <>
            <Button variant="ghost" onClick={() => setConfirm(null)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              loading={busy === 'forget'}
              onClick={() => void forget()}
              data-testid="forget-confirm"
            >
              Forget
            </Button>
          </>
        }
      >
        <p>
          Linkscope removes <strong>{connection.label}</strong> and its tokens from this computer.{' '}
          {revoked ? '' : 'Access is not revoked at TrueLayer: revoke first if the consent should end.'}
        </p>
      </Modal>
      <Modal
        open={keychainDown !== null}
        title="The keychain is unavailable"
        onClose={() => setKeychainDown(null)}
        data-testid="keychain-unavailable"
        footer={
          <Button variant="ghost" onClick={() => setKeychainDown(null)}>
            Close
          </Button>
        }
      >
        {keychainDown && <IpcErrorPanel error={keychainDown.error} onRetry={keychainDown.retry} retryLabel="Retry" />}
      </Modal>
      {extendNeedsUser && (
        <ExtendModal
          outcome={extendNeedsUser}
          onClose={() => setExtendNeedsUser(null)}
          onDone={(c) => {
            setExtendNeedsUser(null);
            onUpdated(c);
            toast.show('Consent extended.', 'success');
          }}
        />
      )}
    </>
  );
}
