import { useState, type FormEvent } from 'react';
import {
  saveEnvironment,
  toIpcError,
  type Environment,
  type EnvironmentInput,
  type EnvironmentKind,
  type IpcErrorPayload,
} from '../../ipc';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Badge, Button, Field, Icon, Modal, Select, Switch, TextInput } from '../shared';
import { KIND_LABELS } from './environmentLabels';
import { LiveConfirmModal } from './LiveConfirmModal';
import './environments.css';

export interface EnvironmentFormProps {
  /** null: a new environment. */
  environment: Environment | null;
  onSaved: (environment: Environment) => void;
  onCancel: () => void;
}

const PRESETS: Partial<Record<EnvironmentKind, { authUrl: string; apiUrl: string }>> = {
  truelayer_sandbox: { authUrl: 'https://auth.truelayer-sandbox.com', apiUrl: 'https://api.truelayer-sandbox.com' },
  truelayer_live: { authUrl: 'https://auth.truelayer.com', apiUrl: 'https://api.truelayer.com' },
};

type Errors = Partial<Record<'name' | 'authUrl' | 'apiUrl' | 'clientId' | 'redirectUris', string>>;

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

export function validateEnvironment(input: EnvironmentInput): Errors {
  const errors: Errors = {};
  if (input.name.trim() === '') errors.name = 'Give the environment a name.';
  if (input.kind !== 'builtin') {
    if (!isHttpUrl(input.authUrl)) errors.authUrl = 'An http(s) URL, e.g. https://auth.truelayer-sandbox.com';
    if (!isHttpUrl(input.apiUrl)) errors.apiUrl = 'An http(s) URL, e.g. https://api.truelayer-sandbox.com';
    if (input.clientId.trim() === '') errors.clientId = 'The client_id from TrueLayer Console.';
  }
  const bad = input.redirectUris.find((u) => {
    try {
      new URL(u);
      return false;
    } catch {
      return true;
    }
  });
  if (bad !== undefined) errors.redirectUris = `Not a URI: ${bad}`;
  return errors;
}

/** Create or edit an environment. The client secret is write-only: it goes to the keychain. */
export function EnvironmentForm({ environment, onSaved, onCancel }: EnvironmentFormProps) {
  const builtin = environment?.kind === 'builtin';
  const [name, setName] = useState(environment?.name ?? '');
  const [kind, setKind] = useState<EnvironmentKind>(environment?.kind ?? 'truelayer_sandbox');
  const [authUrl, setAuthUrl] = useState(environment?.authUrl ?? PRESETS.truelayer_sandbox?.authUrl ?? '');
  const [apiUrl, setApiUrl] = useState(environment?.apiUrl ?? PRESETS.truelayer_sandbox?.apiUrl ?? '');
  const [clientId, setClientId] = useState(environment?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [markedLive, setMarkedLive] = useState(environment?.markedLive ?? false);
  const [controlToken, setControlToken] = useState('');
  const [redirectUris, setRedirectUris] = useState((environment?.redirectUris ?? []).join('\n'));
  const [errors, setErrors] = useState<Errors>({});
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<IpcErrorPayload | null>(null);
  const [confirmLive, setConfirmLive] = useState(false);
  /** Core's words for what saving a change of server does, while the user decides. */
  const [confirmReset, setConfirmReset] = useState<string | null>(null);
  const custom = kind === 'custom';

  function input(confirmSecretsReset: boolean): EnvironmentInput {
    return {
      id: environment?.id ?? null,
      name: name.trim(),
      kind,
      authUrl: authUrl.trim(),
      apiUrl: apiUrl.trim(),
      clientId: clientId.trim(),
      clientSecret: clientSecret === '' ? null : clientSecret,
      redirectUris: redirectUris
        .split('\n')
        .map((u) => u.trim())
        .filter(Boolean),
      markedLive: custom && markedLive,
      sandboxControlToken: custom && controlToken !== '' ? controlToken : null,
      confirmSecretsReset,
    };
  }

  function changeKind(next: EnvironmentKind) {
    setKind(next);
    const preset = PRESETS[next];
    if (preset) {
      setAuthUrl(preset.authUrl);
      setApiUrl(preset.apiUrl);
    }
  }

  async function save(confirmed: boolean, resetConfirmed = false) {
    const value = input(resetConfirmed);
    const found = validateEnvironment(value);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    if ((kind === 'truelayer_live' || value.markedLive) && !confirmed) {
      setConfirmLive(true);
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      const saved = await saveEnvironment(value);
      setClientSecret('');
      setControlToken('');
      onSaved(saved);
    } catch (reason) {
      const error = toIpcError(reason);
      // Core refuses a change of server until the user confirms what it does (its message).
      if (error.code === 'confirmation_required') setConfirmReset(error.message);
      else setSaveError(error.toPayload());
    } finally {
      setSaving(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void save(false);
  }

  return (
    <form className="env-form stack" onSubmit={submit} noValidate data-testid="environment-form">
      {builtin && (
        <p className="secondary">
          The built-in sandbox runs inside Linkscope on 127.0.0.1 with its own demo client: nothing to configure. Only
          its name can change.
        </p>
      )}
      <div className="form-grid">
        <Field label="Name" error={errors.name}>
          {(id, d) => (
            <TextInput
              id={id}
              aria-describedby={d}
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="env-name"
            />
          )}
        </Field>
        <Field label="Kind">
          {(id) => (
            <Select
              id={id}
              value={kind}
              disabled={builtin}
              onChange={(e) => changeKind(e.target.value as EnvironmentKind)}
              data-testid="env-kind"
            >
              {(Object.keys(KIND_LABELS) as EnvironmentKind[])
                .filter((k) => k !== 'builtin' || builtin)
                .map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABELS[k]}
                  </option>
                ))}
            </Select>
          )}
        </Field>
        <Field label="Auth server URL" error={errors.authUrl}>
          {(id, d) => (
            <TextInput
              id={id}
              aria-describedby={d}
              mono
              value={authUrl}
              readOnly={builtin}
              onChange={(e) => setAuthUrl(e.target.value)}
              data-testid="env-auth-url"
            />
          )}
        </Field>
        <Field label="Data API URL" error={errors.apiUrl}>
          {(id, d) => (
            <TextInput
              id={id}
              aria-describedby={d}
              mono
              value={apiUrl}
              readOnly={builtin}
              onChange={(e) => setApiUrl(e.target.value)}
              data-testid="env-api-url"
            />
          )}
        </Field>
        <Field label="client_id" error={errors.clientId}>
          {(id, d) => (
            <TextInput
              id={id}
              aria-describedby={d}
              mono
              value={clientId}
              readOnly={builtin}
              onChange={(e) => setClientId(e.target.value)}
              data-testid="env-client-id"
            />
          )}
        </Field>
        <Field
          label="Client secret"
          hint={
            environment?.hasClientSecret ? (
              <span className="row">
                <Icon name="lock" size={12} /> Stored in keychain. Type a new one to replace it; it is never shown
                again.
              </span>
            ) : (
              'Saved to the system keychain, never to disk in clear, and never shown again.'
            )
          }
        >
          {(id, d) => (
            <TextInput
              id={id}
              aria-describedby={d}
              type="password"
              mono
              autoComplete="off"
              readOnly={builtin}
              placeholder={environment?.hasClientSecret ? '•••••••• stored in keychain' : 'Paste the client secret'}
              value={clientSecret}
              onChange={(e) => setClientSecret(e.target.value)}
              data-testid="env-client-secret"
            />
          )}
        </Field>
        <div className="form-grid-wide">
          <Field
            label="Redirect URIs"
            hint="One per line, as allow-listed in TrueLayer Console."
            error={errors.redirectUris}
          >
            {(id, d) => (
              <textarea
                id={id}
                aria-describedby={d}
                className="input mono"
                rows={3}
                readOnly={builtin}
                value={redirectUris}
                onChange={(e) => setRedirectUris(e.target.value)}
                data-testid="env-redirect-uris"
              />
            )}
          </Field>
        </div>
      </div>
      {custom && (
        <div className="form-grid">
          <Field
            label="Sandbox control token"
            hint={
              environment?.hasSandboxControlToken ? (
                <span className="row">
                  <Icon name="lock" size={12} /> Stored in keychain. Type a new one to replace it.
                </span>
              ) : (
                'For a standalone linkscope-sandbox: the control_token it printed at start. Kept in the keychain; the QA workbench’s controls need it.'
              )
            }
          >
            {(id, d) => (
              <TextInput
                id={id}
                aria-describedby={d}
                type="password"
                mono
                autoComplete="off"
                placeholder={environment?.hasSandboxControlToken ? '•••••••• stored in keychain' : 'Optional'}
                value={controlToken}
                onChange={(e) => setControlToken(e.target.value)}
                data-testid="env-control-token"
              />
            )}
          </Field>
          <Switch
            checked={markedLive}
            onChange={setMarkedLive}
            label="This is a live environment"
            description="Real banks and customers behind these URLs: show the live warnings and lock extend and revoke."
            data-testid="env-marked-live"
          />
        </div>
      )}
      {(kind === 'truelayer_live' || (custom && markedLive)) && (
        <p className="live-note">
          <Badge tone="live">Live</Badge> Real banks and real customers’ data. Connections here are read-only until
          unlocked.
        </p>
      )}
      {saveError && <IpcErrorPanel error={saveError} />}
      <div className="wizard-actions">
        <span className="grow" />
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" loading={saving} data-testid="env-save">
          {environment ? 'Save changes' : 'Add environment'}
        </Button>
      </div>
      <LiveConfirmModal
        open={confirmLive}
        action="save"
        environmentName={name || 'this environment'}
        onCancel={() => setConfirmLive(false)}
        onConfirm={() => {
          setConfirmLive(false);
          void save(true);
        }}
      />
      <Modal
        open={confirmReset !== null}
        tone="danger"
        title="Clear this environment’s secrets?"
        onClose={() => setConfirmReset(null)}
        data-testid="env-reset-confirm"
        footer={
          <>
            <Button variant="ghost" onClick={() => setConfirmReset(null)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              onClick={() => {
                setConfirmReset(null);
                void save(true, true);
              }}
              data-testid="env-reset-confirm-accept"
            >
              Clear secrets and save
            </Button>
          </>
        }
      >
        <div className="stack-sm">
          <p>{confirmReset}</p>
          <p className="secondary">
            The client secret and refresh tokens were issued for the old server; Linkscope does not send them to a new
            one. Paste the new server’s client secret here, then re-consent each connection.
          </p>
        </div>
      </Modal>
    </form>
  );
}
