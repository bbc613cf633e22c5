import { useState, type FormEvent } from 'react';
import { completeLink, keepLinkAsNew, toIpcError, type IpcErrorPayload, type LinkPreview } from '../../ipc';
import { useNow } from '../../hooks/useNow';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { AuthTrailCard } from '../tracking/AuthTrailCard';
import { Button, Card, Countdown, Elapsed, Icon, Spinner, TextInput } from '../shared';
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

/**
 * "Waiting for the bank…": a timer, cancel, the auth journey so far (asked again every few
 * seconds while waiting), and the paste-the-redirect fallback. When the link expires the wait
 * ends: the spinner stops and a new link (fresh state and PKCE) is offered.
 */
export function WaitingPanel({ preview, since, failure, cancelling, onCancel, onNewLink }: WaitingPanelProps) {
  const [url, setUrl] = useState('');
  const [submitting, setSubmitting] = useState(false);
  // A paste's error, with the failure core had reported when it was pasted: a newer failure wins.
  const [pasted, setPasted] = useState<{ error: IpcErrorPayload; over: IpcErrorPayload | null } | null>(null);
  const pasteError = pasted && pasted.over === failure ? pasted.error : null;
  const [keeping, setKeeping] = useState(false);
  const [keepError, setKeepError] = useState<IpcErrorPayload | null>(null);
  const now = useNow(1000);
  const expired = now >= Date.parse(preview.expiresAt);

  async function keepAsNew() {
    setKeeping(true);
    setKeepError(null);
    try {
      // The connection arrives as link://completed for this session.
      await keepLinkAsNew(preview.sessionId);
    } catch (reason) {
      setKeepError(toIpcError(reason).toPayload());
    } finally {
      setKeeping(false);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const value = url.trim();
    if (value === '') return;
    setSubmitting(true);
    setPasted(null);
    try {
      // The connection arrives as link://completed, which the owner of this panel listens to.
      await completeLink(value);
    } catch (reason) {
      setPasted({ error: toIpcError(reason).toPayload(), over: failure });
    } finally {
      setSubmitting(false);
    }
  }

  const error = keepError ?? pasteError ?? failure;
  const dead = failure !== null || (pasteError !== null && pasteError.code !== 'invalid_callback');
  const differentBank = error?.code === 'different_connection';

  if (expired && !failure) {
    return (
      <div className="stack" data-testid="waiting-panel">
        <Card>
          <div className="waiting" data-testid="link-expired">
            <Icon name="alert" size={28} />
            <div className="waiting-text">
              <h2>This link expired</h2>
              <p className="secondary">
                It was valid until {new Date(preview.expiresAt).toLocaleTimeString()} and can no longer complete. Links
                are single use: a new one has a fresh state and PKCE pair.
              </p>
            </div>
            <Button variant="primary" icon="refresh" onClick={onNewLink} data-testid="link-expired-new-link">
              Build a new link
            </Button>
          </div>
        </Card>
      </div>
    );
  }

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
              <>
                {differentBank && (
                  <Button
                    size="sm"
                    variant="primary"
                    loading={keeping}
                    onClick={() => void keepAsNew()}
                    data-testid="keep-as-new"
                  >
                    Keep as a new connection
                  </Button>
                )}
                <Button
                  size="sm"
                  variant={differentBank ? 'secondary' : 'primary'}
                  icon="refresh"
                  onClick={onNewLink}
                  data-testid="link-error-new-link"
                >
                  Build a new link
                </Button>
              </>
            ) : undefined
          }
        />
      )}

      {preview.trackingId !== '' && <AuthTrailCard attemptId={preview.sessionId} live={!failure} />}

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
