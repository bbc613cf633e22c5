import { useState, type FormEvent } from 'react';
import { completeLink, toIpcError, type IpcErrorPayload, type LinkPreview } from '../../ipc';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Button, Card, Countdown, Elapsed, Spinner, TextInput } from '../shared';
import './link.css';

export interface WaitingPanelProps {
  preview: LinkPreview;
  /** When the user was sent to the bank (ms epoch). */
  since: number;
  /** A failure reported by core (link://failed) for this session. */
  failure: IpcErrorPayload | null;
  cancelling: boolean;
  onCancel: () => void;
  onNewLink: () => void;
}

/** "Waiting for the bank…": a timer, cancel, and the paste-the-redirect fallback. */
export function WaitingPanel({ preview, since, failure, cancelling, onCancel, onNewLink }: WaitingPanelProps) {
  const [url, setUrl] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [pasteError, setPasteError] = useState<IpcErrorPayload | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const value = url.trim();
    if (value === '') return;
    setSubmitting(true);
    setPasteError(null);
    try {
      // The connection arrives as link://completed, which the owner of this panel listens to.
      await completeLink(value);
    } catch (reason) {
      setPasteError(toIpcError(reason).toPayload());
    } finally {
      setSubmitting(false);
    }
  }

  const error = failure ?? pasteError;
  const dead = failure !== null || (pasteError !== null && pasteError.code !== 'invalid_callback');

  return (
    <div className="stack" data-testid="waiting-panel">
      {!failure && (
        <Card>
          <div className="waiting">
            <Spinner size={28} label="Waiting for the bank" />
            <div className="waiting-text">
              <h2>Waiting for the bank…</h2>
              <p className="secondary">
                Finish the consent in your browser. Linkscope picks up the redirect by itself; if it does not, paste it
                below.
              </p>
              <p className="waiting-timers muted">
                <span>
                  Elapsed <Elapsed since={since} />
                </span>
                <span>
                  Link expires <Countdown to={preview.expiresAt} />
                </span>
              </p>
            </div>
            <Button variant="secondary" loading={cancelling} onClick={onCancel} data-testid="cancel-link">
              Cancel
            </Button>
          </div>
        </Card>
      )}

      {error && (
        <IpcErrorPanel
          error={error}
          data-testid="link-error"
          actions={
            dead ? (
              <Button size="sm" variant="primary" icon="refresh" onClick={onNewLink} data-testid="link-error-new-link">
                Build a new link
              </Button>
            ) : undefined
          }
        />
      )}

      <Card
        title="Paste the redirect URL"
        subtitle="The whole address the bank sent you to, e.g. from TrueLayer’s console redirect page."
      >
        <form className="paste-form" onSubmit={submit}>
          <TextInput
            mono
            placeholder="linkscope://callback?code=…&state=…"
            aria-label="Redirect URL"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            data-testid="paste-redirect-input"
            spellCheck={false}
            autoComplete="off"
          />
          <Button
            type="submit"
            variant="primary"
            loading={submitting}
            disabled={url.trim() === ''}
            data-testid="paste-redirect-submit"
          >
            Complete link
          </Button>
        </form>
      </Card>
    </div>
  );
}
