import { useState } from 'react';
import {
  cancelLink,
  getScopeCatalog,
  onLinkCompleted,
  onLinkFailed,
  openLink,
  startLink,
  toIpcError,
  type Connection,
  type Environment,
  type IpcErrorPayload,
  type LinkPreview,
  type Provider,
} from '../../ipc';
import { useAsync } from '../../hooks/useAsync';
import { useSubscription } from '../../hooks/useSubscription';
import { ProviderPicker } from '../providers/ProviderPicker';
import { Banner, Logo } from '../shared';
import { AuthLinkPanel } from './AuthLinkPanel';
import { PermissionsStep, type LinkOptions } from './PermissionsStep';
import { defaultScopes } from './scopeRules';
import { rememberSession } from './sessions';
import { WaitingPanel } from './WaitingPanel';
import { PersonaList } from '../workbench/PersonaList';
import './link.css';

type Stage =
  | { step: 'bank' }
  | { step: 'permissions' }
  | { step: 'auth'; preview: LinkPreview }
  | { step: 'waiting'; preview: LinkPreview; since: number };

/** A bank chosen before the wizard opened (re-consent passes the connection's provider). */
export interface ChosenProvider {
  providerId: string;
  displayName: string;
  logoUrl: string | null;
  scopes: string[] | null;
}

export interface LinkWizardProps {
  environment: Environment;
  deepLinkScheme: string | null;
  initialProvider?: ChosenProvider | null;
  initialScopes?: string[] | null;
  onConnected: (connection: Connection) => void;
}

const STEPS = [
  { id: 'bank', label: 'Bank' },
  { id: 'permissions', label: 'Permissions' },
  { id: 'auth', label: 'Auth link' },
  { id: 'waiting', label: 'Bank consent' },
] as const;

/** The link flow: bank → permissions → auth link → waiting for the redirect → the connection. */
export function LinkWizard({
  environment,
  deepLinkScheme,
  initialProvider = null,
  initialScopes = null,
  onConnected,
}: LinkWizardProps) {
  const catalog = useAsync(getScopeCatalog);
  const [stage, setStage] = useState<Stage>(initialProvider ? { step: 'permissions' } : { step: 'bank' });
  // undefined: not chosen yet; null: TrueLayer's dialog chooses.
  const [provider, setProvider] = useState<ChosenProvider | null | undefined>(initialProvider ?? undefined);
  const [chosenScopes, setChosenScopes] = useState<string[] | null>(initialScopes);
  const [options, setOptions] = useState<Omit<LinkOptions, 'scopes'>>({
    redirect: 'deep_link',
    responseMode: 'query',
    languageId: '',
    countryId: '',
    userEmail: '',
  });
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<IpcErrorPayload | null>(null);
  const [opening, setOpening] = useState(false);
  const [openError, setOpenError] = useState<IpcErrorPayload | null>(null);
  const [failure, setFailure] = useState<IpcErrorPayload | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const scopes = chosenScopes ?? defaultScopes(catalog.data ?? [], environment);
  const session = stage.step === 'auth' || stage.step === 'waiting' ? stage.preview : null;

  useSubscription(onLinkCompleted, (e) => {
    if (session && e.sessionId === session.sessionId) onConnected(e.connection);
  });
  useSubscription(onLinkFailed, (e) => {
    if (!session || e.sessionId !== session.sessionId) return;
    setFailure(e.error);
    setStage({ step: 'waiting', preview: session, since: stage.step === 'waiting' ? stage.since : Date.now() });
  });

  function pickProvider(p: Provider | null) {
    setProvider(
      p ? { providerId: p.providerId, displayName: p.displayName, logoUrl: p.logoUrl, scopes: p.scopes } : null,
    );
    setStage({ step: 'permissions' });
    setNotice(null);
  }

  async function build() {
    setStarting(true);
    setStartError(null);
    setFailure(null);
    setOpenError(null);
    setNotice(null);
    try {
      const preview = await startLink({
        environmentId: environment.id,
        providerId: provider?.providerId ?? null,
        scopes,
        redirect: options.redirect,
        responseMode: options.responseMode,
        languageId: options.languageId || null,
        countryId: options.countryId.trim() || null,
        userEmail: options.userEmail.trim() || null,
      });
      rememberSession(preview.sessionId);
      setStage({ step: 'auth', preview });
    } catch (reason) {
      setStartError(toIpcError(reason).toPayload());
      setStage({ step: 'permissions' });
    } finally {
      setStarting(false);
    }
  }

  function abandon(preview: LinkPreview) {
    cancelLink(preview.sessionId).catch(() => undefined);
  }

  async function open(preview: LinkPreview) {
    setOpening(true);
    setOpenError(null);
    try {
      await openLink(preview.sessionId);
      setStage({ step: 'waiting', preview, since: Date.now() });
    } catch (reason) {
      setOpenError(toIpcError(reason).toPayload());
    } finally {
      setOpening(false);
    }
  }

  async function cancel(preview: LinkPreview) {
    setCancelling(true);
    try {
      await cancelLink(preview.sessionId);
    } catch {
      // already finished or expired: either way this link is over
    } finally {
      setCancelling(false);
      setFailure(null);
      setNotice('Link cancelled. Each attempt builds a new, single-use link.');
      setStage({ step: 'permissions' });
    }
  }

  const currentIndex = STEPS.findIndex((s) => s.id === stage.step);

  return (
    <div className="wizard">
      <ol className="stepper" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li
            key={s.id}
            className={i === currentIndex ? 'step step-current' : i < currentIndex ? 'step step-done' : 'step'}
            aria-current={i === currentIndex ? 'step' : undefined}
          >
            <span className="step-number">{i + 1}</span>
            <span className="step-label">{s.label}</span>
          </li>
        ))}
      </ol>

      {stage.step !== 'bank' && provider !== undefined && (
        <div className="chosen-bank">
          {provider ? (
            <>
              <Logo src={provider.logoUrl} name={provider.displayName} size={24} />
              <span>
                Linking <strong>{provider.displayName}</strong>{' '}
                <span className="muted mono">{provider.providerId}</span>
              </span>
            </>
          ) : (
            <span>The user picks the bank in TrueLayer’s dialog.</span>
          )}
          <span className="muted">in {environment.name}</span>
        </div>
      )}

      {notice && <Banner tone="info">{notice}</Banner>}

      {stage.step === 'bank' && <ProviderPicker environment={environment} onPick={pickProvider} />}

      {stage.step === 'permissions' && (
        <PermissionsStep
          catalog={{
            status: catalog.status,
            data: catalog.data,
            error: catalog.error?.toPayload() ?? null,
            reload: catalog.reload,
          }}
          options={{ ...options, scopes }}
          onChange={({ scopes: next, ...rest }) => {
            setChosenScopes(next);
            setOptions(rest);
          }}
          providerScopes={provider?.scopes ?? null}
          deepLinkScheme={deepLinkScheme}
          starting={starting}
          startError={startError}
          onBack={
            initialProvider
              ? null
              : () => {
                  setStage({ step: 'bank' });
                  setNotice(null);
                }
          }
          onContinue={() => void build()}
        />
      )}

      {stage.step === 'permissions' && !environment.isLive && (
        <PersonaList environment={environment} scopes={scopes} onConnected={onConnected} />
      )}

      {stage.step === 'auth' && (
        <AuthLinkPanel
          preview={stage.preview}
          opening={opening}
          openError={openError}
          onOpen={() => void open(stage.preview)}
          onWaitWithoutOpening={() => setStage({ step: 'waiting', preview: stage.preview, since: Date.now() })}
          onBack={() => {
            abandon(stage.preview);
            setStage({ step: 'permissions' });
          }}
        />
      )}

      {stage.step === 'waiting' && (
        <WaitingPanel
          preview={stage.preview}
          since={stage.since}
          failure={failure}
          cancelling={cancelling}
          onCancel={() => void cancel(stage.preview)}
          onNewLink={() => void build()}
        />
      )}
    </div>
  );
}
