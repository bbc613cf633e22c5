import { useState, type FormEvent } from 'react';
import {
  clearSigningKey,
  getSigningKeyStatus,
  setSigningKey,
  toIpcError,
  type Environment,
  type IpcErrorPayload,
} from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Badge, Button, Card, Field, LoadingPanel, TextInput } from '../shared';
import './verification.css';

/**
 * An environment's request-signing key (TrueLayer Console → Signing keys): its key id and the
 * P-521 private key in PEM, which core checks and keeps in the keychain. Only the key id is
 * shown back; the key never returns to this screen.
 */
export function SigningKeyCard({ environment }: { environment: Environment }) {
  const status = useIpcQuery(queryKeys.environmentView(environment.id, 'signing-key'), () =>
    getSigningKeyStatus(environment.id),
  );
  const [keyId, setKeyId] = useState('');
  const [pem, setPem] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorPayload | null>(null);

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      setPem('');
      status.reload();
    } catch (reason) {
      setError(toIpcError(reason).toPayload());
    } finally {
      setBusy(false);
    }
  }

  function save(e: FormEvent) {
    e.preventDefault();
    void run(() => setSigningKey(environment.id, keyId.trim(), pem));
  }

  const current = status.data?.keyId ?? null;
  return (
    <Card
      title="Request signing key"
      subtitle="Signs account holder verification requests (Tl-Signature, ES512). Kept in the system keychain."
      data-testid="signing-key-card"
    >
      {status.status === 'loading' ? (
        <LoadingPanel />
      ) : (
        <form className="stack-sm" onSubmit={save}>
          <div className="row wrap" data-testid="signing-key-status">
            {current ? (
              <>
                <Badge tone="success" dot>
                  Key stored
                </Badge>
                <span className="mono">{current}</span>
                <Button size="sm" variant="ghost" onClick={() => void run(() => clearSigningKey(environment.id))}>
                  Remove
                </Button>
              </>
            ) : (
              <Badge tone="warning">No signing key</Badge>
            )}
          </div>
          <Field label="Key id" hint="The kid TrueLayer Console shows for the public key you uploaded.">
            {(id, d) => (
              <TextInput
                id={id}
                aria-describedby={d}
                mono
                value={keyId}
                onChange={(e) => setKeyId(e.target.value)}
                data-testid="signing-key-id-input"
              />
            )}
          </Field>
          <Field label="Private key (PEM)" hint="-----BEGIN EC PRIVATE KEY----- … (P-521).">
            {(id, d) => (
              <textarea
                id={id}
                aria-describedby={d}
                className="input mono signing-key-pem"
                rows={5}
                value={pem}
                spellCheck={false}
                onChange={(e) => setPem(e.target.value)}
                data-testid="signing-key-pem-input"
              />
            )}
          </Field>
          <div className="row">
            <Button
              type="submit"
              variant="primary"
              loading={busy}
              disabled={keyId.trim() === '' || pem.trim() === ''}
              data-testid="signing-key-save"
            >
              Save key
            </Button>
          </div>
          {error && <IpcErrorPanel error={error} />}
        </form>
      )}
    </Card>
  );
}
