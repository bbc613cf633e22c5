import { useEffect, useMemo, useRef, useState } from 'react';
import {
  cancelLink,
  getLinkCatalog,
  getScopeCatalog,
  onLinkCompleted,
  onLinkFailed,
  openLink,
  startLink,
  toIpcError,
  updateLink,
  type Connection,
  type Environment,
  type IpcErrorPayload,
  type LinkPreview,
  type LinkRequest,
  type Provider,
} from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { useSubscription } from '../../hooks/useSubscription';
import { ProviderPicker } from '../providers/ProviderPicker';
import { Banner, Logo } from '../shared';
import { AuthLinkPanel } from './AuthLinkPanel';
import { PermissionsStep, type LinkOptions } from './PermissionsStep';
import { tokens } from './ProvidersCard';
import { defaultScopes, scopeIssues } from './scopeRules';
import { rememberSession } from './sessions';
import { WaitingPanel } from './WaitingPanel';
import { PersonaList } from '../workbench/PersonaList';
import './link.css';

type Stage = { step: 'bank' } | { step: 'build' } | { step: 'waiting'; preview: LinkPreview; since: number };

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
  /** Re-consent: the connection the link renews (same id, label and history). */
  renews?: string | null;
  onConnected: (connection: Connection) => void;
}

const STEPS = [
  { id: 'bank', label: 'Bank' },
  { id: 'build', label: 'Permissions & link' },
  { id: 'waiting', label: 'Bank consent' },
] as const;

/** How long the preview waits after an edit before core rebuilds the link. */
const PREVIEW_DEBOUNCE_MS = 150;

/** The link flow: bank → permissions with the live auth link → waiting for the redirect. */
export function LinkWizard({
  environment,
  deepLinkScheme,
  initialProvider = null,
  initialScopes = null,
  renews = null,
  onConnected,
}: LinkWizardProps) {
  const catalog = useIpcQuery(queryKeys.scopeCatalog, getScopeCatalog);
  const linkCatalog = useIpcQuery(queryKeys.environmentView(environment.id, 'link-catalog'), () =>
    getLinkCatalog(environment.id),
  );
  const [stage, setStage] = useState<Stage>(initialProvider ? { step: 'build' } : { step: 'bank' });
  // undefined: not chosen yet; null: TrueLayer's dialog chooses.
  const [provider, setProvider] = useState<ChosenProvider | null | undefined>(initialProvider ?? undefined);
  const [chosenScopes, setChosenScopes] = useState<string[] | null>(initialScopes);
  const [options, setOptions] = useState<Omit<LinkOptions, 'scopes'>>({
    providerId: initialProvider?.providerId ?? '',
    providers: null,
    disableProviders: '',
    redirect: 'deep_link',
    redirectUri: '',
    responseMode: 'query',
    languageId: '',
    countryId: '',
    userEmail: '',
    trackingId: '',
  });
  const [preview, setPreview] = useState<LinkPreview | null>(null);
  const [startError, setStartError] = useState<IpcErrorPayload | null>(null);
  const [opening, setOpening] = useState(false);
  const [openError, setOpenError] = useState<IpcErrorPayload | null>(null);
  const [failure, setFailure] = useState<IpcErrorPayload | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // Bumped for "Build a new link": a fresh session even when no parameter changed.
  const [attempt, setAttempt] = useState(0);
  const shown = useRef<LinkPreview | null>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());

  const scopes = chosenScopes ?? defaultScopes(catalog.data ?? [], environment);
  const issues = useMemo(
    () => scopeIssues(catalog.data ?? [], scopes, provider?.scopes ?? null),
    [catalog.data, scopes, provider?.scopes],
  );
  const blocked = issues.some((i) => i.severity === 'error') || catalog.status !== 'success';
  const request: LinkRequest = {
    environmentId: environment.id,
    providerId: options.providerId || null,
    providers: options.providers === null ? [] : tokens(options.providers),
    disableProviders: tokens(options.disableProviders),
    scopes,
    redirect: options.redirect,
    redirectUri:
      options.redirect === 'registered'
        ? options.redirectUri || (linkCatalog.data?.registeredRedirects[0] ?? null)
        : null,
    responseMode: options.responseMode,
    languageId: options.languageId || null,
    countryId: options.countryId.trim() || null,
    userEmail: options.userEmail.trim() || null,
    trackingId: options.trackingId.trim() || null,
    renews,
  };
  const requestKey = JSON.stringify(request);
  const session = stage.step === 'waiting' ? stage.preview : preview;

  // The live preview: every edit rebuilds the unopened link (same state and PKCE pair), one call
  // at a time so the last edit always wins.
  useEffect(() => {
    if (stage.step !== 'build' || blocked) return;
    const next = JSON.parse(requestKey) as LinkRequest;
    const timer = window.setTimeout(
      () => {
        queue.current = queue.current.then(async () => {
          try {
            const current = shown.current;
            const built = current ? await updateLink(current.sessionId, next) : await startLink(next);
            rememberSession(built.sessionId);
            shown.current = built;
            setPreview(built);
            setStartError(null);
          } catch (reason) {
            setStartError(toIpcError(reason).toPayload());
          }
        });
      },
      shown.current ? PREVIEW_DEBOUNCE_MS : 0,
    );
    return () => window.clearTimeout(timer);
  }, [requestKey, stage.step, blocked, attempt]);

  // A link shown but never opened ends with the wizard.
  useEffect(
    () => () => {
      if (shown.current) cancelLink(shown.current.sessionId).catch(() => undefined);
    },
    [],
  );

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
    setOptions((o) => ({ ...o, providerId: p?.providerId ?? '' }));
    setStage({ step: 'build' });
    setNotice(null);
  }

  /** A fresh link (new state and PKCE pair): links are single use. */
  function newLink(message: string | null = null) {
    shown.current = null;
    setPreview(null);
    setFailure(null);
    setOpenError(null);
    setNotice(message);
    setAttempt((n) => n + 1);
    setStage({ step: 'build' });
  }

  function wait(preview: LinkPreview) {
    // From here the link belongs to the bank: it is never edited again.
    shown.current = null;
    setStage({ step: 'waiting', preview, since: Date.now() });
  }

  async function open(preview: LinkPreview) {
    setOpening(true);
    setOpenError(null);
    try {
      await openLink(preview.sessionId);
      wait(preview);
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
      newLink('Link cancelled. Each attempt builds a new, single-use link.');
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

      {stage.step === 'build' && (
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
          issues={issues}
          providerScopes={provider?.scopes ?? null}
          linkCatalog={linkCatalog.data ?? null}
          registeredRedirects={linkCatalog.data?.registeredRedirects ?? []}
          deepLinkScheme={deepLinkScheme}
          startError={startError}
          onRetry={() => newLink()}
          onBack={
            initialProvider
              ? null
              : () => {
                  setStage({ step: 'bank' });
                  setNotice(null);
                }
          }
        />
      )}

      {stage.step === 'build' &&
        (blocked ? (
          <p className="muted" data-testid="auth-link-blocked">
            The auth link appears here once the permissions follow the rules above.
          </p>
        ) : (
          preview && (
            <AuthLinkPanel
              preview={preview}
              opening={opening}
              openError={openError}
              onOpen={() => void open(preview)}
              onWaitWithoutOpening={() => wait(preview)}
            />
          )
        ))}

      {stage.step === 'build' && !environment.isLive && !renews && (
        <PersonaList environment={environment} scopes={scopes} onConnected={onConnected} />
      )}

      {stage.step === 'waiting' && (
        <WaitingPanel
          preview={stage.preview}
          since={stage.since}
          failure={failure}
          cancelling={cancelling}
          onCancel={() => void cancel(stage.preview)}
          onNewLink={() => newLink()}
        />
      )}
    </div>
  );
}
