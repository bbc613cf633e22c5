import { useState } from 'react';
import {
  onLinkCompleted,
  onLinkFailed,
  openLink,
  toIpcError,
  type Connection,
  type ExtendOutcome,
  type IpcErrorPayload,
} from '../../ipc';
import { useSubscription } from '../../hooks/useSubscription';
import { AuthLinkPanel } from '../link/AuthLinkPanel';
import { WaitingPanel } from '../link/WaitingPanel';
import { Modal } from '../shared';
import './connections.css';

export interface ExtendModalProps {
  outcome: Extract<ExtendOutcome, { kind: 'user_input_needed' }>;
  onDone: (connection: Connection) => void;
  onClose: () => void;
}

/** Extending needs the user: the bank's user_input_link, captured like a new link. */
export function ExtendModal({ outcome, onDone, onClose }: ExtendModalProps) {
  const { preview } = outcome;
  const [since, setSince] = useState<number | null>(null);
  const [opening, setOpening] = useState(false);
  const [openError, setOpenError] = useState<IpcErrorPayload | null>(null);
  const [failure, setFailure] = useState<IpcErrorPayload | null>(null);
  useSubscription(onLinkCompleted, (e) => {
    if (e.sessionId === preview.sessionId) onDone(e.connection);
  });
  useSubscription(onLinkFailed, (e) => {
    if (e.sessionId === preview.sessionId) {
      setFailure(e.error);
      setSince((s) => s ?? Date.now());
    }
  });

  async function open() {
    setOpening(true);
    setOpenError(null);
    try {
      await openLink(preview.sessionId);
      setSince(Date.now());
    } catch (reason) {
      setOpenError(toIpcError(reason).toPayload());
    } finally {
      setOpening(false);
    }
  }

  return (
    <Modal
      open
      title={
        outcome.action === 'authentication_needed'
          ? 'The bank needs the user to sign in again'
          : 'The user must reconfirm the consent'
      }
      onClose={onClose}
      data-testid="extend-modal"
    >
      <div className="stack modal-wide-body">
        <p className="secondary">
          TrueLayer answered <code>{outcome.action}</code>. Open its link; the redirect comes back to Linkscope as for a
          new link and renews this connection.
        </p>
        {since === null ? (
          <AuthLinkPanel
            preview={preview}
            opening={opening}
            openError={openError}
            onOpen={() => void open()}
            onWaitWithoutOpening={() => setSince(Date.now())}
            onBack={onClose}
            backLabel="Cancel"
          />
        ) : (
          <WaitingPanel
            preview={preview}
            since={since}
            failure={failure}
            cancelling={false}
            onCancel={onClose}
            onNewLink={onClose}
          />
        )}
      </div>
    </Modal>
  );
}
