import type { LinkCatalog, RedirectKind, ResponseMode, ScopeInfo } from '../../ipc';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import type { IpcErrorPayload } from '../../ipc';
import { Button, Card, Field, LoadingPanel, SegmentedControl, Select, TextInput } from '../shared';
import { ProvidersCard } from './ProvidersCard';
import { ScopePicker } from './ScopePicker';
import type { ScopeIssue } from './scopeRules';
import './link.css';

/** Every parameter of the auth link the user can edit (the preview follows them live). */
export interface LinkOptions {
  scopes: string[];
  /** `provider_id`: '' lets TrueLayer's dialog ask for the bank. */
  providerId: string;
  /** `providers` as typed (space-separated); null: the environment's defaults. */
  providers: string | null;
  /** `disable_providers`, space-separated. */
  disableProviders: string;
  redirect: RedirectKind;
  /** With redirect 'registered': which of the environment's registered URIs. */
  redirectUri: string;
  responseMode: ResponseMode;
  languageId: string;
  countryId: string;
  userEmail: string;
  trackingId: string;
}

export interface PermissionsStepProps {
  catalog: {
    status: 'loading' | 'error' | 'success';
    data: ScopeInfo[] | undefined;
    error: IpcErrorPayload | null;
    reload: () => void;
  };
  options: LinkOptions;
  onChange: (options: LinkOptions) => void;
  issues: ScopeIssue[];
  providerScopes: string[] | null;
  linkCatalog: LinkCatalog | null;
  /** The environment's own registered redirect URIs. */
  registeredRedirects: string[];
  deepLinkScheme: string | null;
  startError: IpcErrorPayload | null;
  onRetry: () => void;
  onBack: (() => void) | null;
}

/** Every auth-link parameter: permissions, providers, how the redirect comes back, and the rest. */
export function PermissionsStep({
  catalog,
  options,
  onChange,
  issues,
  providerScopes,
  linkCatalog,
  registeredRedirects,
  deepLinkScheme,
  startError,
  onRetry,
  onBack,
}: PermissionsStepProps) {
  const generalIssues = issues.filter((i) => i.scope === null || !catalog.data?.some((s) => s.scope === i.scope));
  const set = <K extends keyof LinkOptions>(key: K, value: LinkOptions[K]) => onChange({ ...options, [key]: value });

  return (
    <div className="stack">
      <Card title="Permissions" subtitle="What the user is asked to share. Defaults cover every Data API view.">
        {catalog.status === 'loading' ? (
          <LoadingPanel label="Loading scopes…" />
        ) : catalog.status === 'error' && catalog.error ? (
          <IpcErrorPanel error={catalog.error} onRetry={catalog.reload} />
        ) : (
          <div className="stack-sm">
            <ScopePicker
              catalog={catalog.data ?? []}
              selected={options.scopes}
              onChange={(scopes) => set('scopes', scopes)}
              issues={issues}
              providerScopes={providerScopes}
            />
            {generalIssues.map((i) => (
              <p
                key={i.message}
                className={
                  i.severity === 'error' ? 'scope-problem scope-problem-error' : 'scope-problem scope-problem-warning'
                }
                role={i.severity === 'error' ? 'alert' : undefined}
              >
                {i.message}
              </p>
            ))}
          </div>
        )}
      </Card>

      <ProvidersCard options={options} onChange={onChange} linkCatalog={linkCatalog} />

      <Card title="Redirect" subtitle="How the bank’s answer comes back to Linkscope.">
        <div className="stack">
          <SegmentedControl<RedirectKind>
            name="redirect"
            label="Redirect mode"
            layout="cards"
            value={options.redirect}
            onChange={(v) => set('redirect', v)}
            options={[
              {
                value: 'deep_link',
                label: 'Deep link',
                description: `The browser hands ${deepLinkScheme ?? 'linkscope'}://callback back to this app.`,
                testId: 'redirect-mode-deep-link',
              },
              {
                value: 'loopback',
                label: 'Loopback',
                description:
                  'A one-shot listener on 127.0.0.1 receives the redirect. The only mode that accepts form_post.',
                testId: 'redirect-mode-loopback',
              },
              {
                value: 'console',
                label: 'Paste',
                description: 'The bank lands on TrueLayer’s console page; paste the URL here.',
                testId: 'redirect-mode-console',
              },
              ...(registeredRedirects.length > 0
                ? [
                    {
                      value: 'registered' as const,
                      label: 'Registered',
                      description: 'One of this environment’s registered redirect URIs; paste the URL here.',
                      testId: 'redirect-mode-registered',
                    },
                  ]
                : []),
            ]}
          />
          {options.redirect === 'registered' && (
            <Field label="Registered redirect URI" hint="redirect_uri: must match the Console’s exactly.">
              {(id, describedBy) => (
                <Select
                  id={id}
                  aria-describedby={describedBy}
                  value={options.redirectUri || registeredRedirects[0]}
                  onChange={(e) => set('redirectUri', e.target.value)}
                  data-testid="redirect-uri-select"
                >
                  {registeredRedirects.map((uri) => (
                    <option key={uri} value={uri}>
                      {uri}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          )}
          <div className="row wrap">
            <span className="field-label">Response mode</span>
            <SegmentedControl<ResponseMode>
              name="response-mode"
              label="Response mode"
              value={options.responseMode}
              onChange={(v) => set('responseMode', v)}
              options={[
                { value: 'query', label: 'Query (GET)', testId: 'response-mode-query' },
                { value: 'form_post', label: 'form_post', testId: 'response-mode-form_post' },
              ]}
            />
          </div>
          {options.responseMode === 'form_post' && options.redirect !== 'loopback' && (
            <p className="scope-problem scope-problem-warning">
              form_post needs a server to receive the POST: only the loopback redirect can. The linter will flag this
              link.
            </p>
          )}
          <details className="advanced">
            <summary>More options</summary>
            <div className="form-grid">
              <Field label="Language" hint="language_id: the auth dialog’s language.">
                {(id, describedBy) => (
                  <Select
                    id={id}
                    aria-describedby={describedBy}
                    value={options.languageId}
                    onChange={(e) => set('languageId', e.target.value)}
                  >
                    <option value="">Default</option>
                    {(linkCatalog?.languages ?? []).map((l) => (
                      <option key={l.id} value={l.id}>
                        {l.name} ({l.id})
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field label="Country" hint="country_id: alpha-2 code; skips country selection.">
                {(id, describedBy) => (
                  <TextInput
                    id={id}
                    aria-describedby={describedBy}
                    maxLength={2}
                    placeholder="GB"
                    value={options.countryId}
                    onChange={(e) => set('countryId', e.target.value.toUpperCase())}
                  />
                )}
              </Field>
              <Field label="User email" hint="user_email: advised for unregulated clients.">
                {(id, describedBy) => (
                  <TextInput
                    id={id}
                    aria-describedby={describedBy}
                    type="email"
                    placeholder="name@example.com"
                    value={options.userEmail}
                    onChange={(e) => set('userEmail', e.target.value)}
                  />
                )}
              </Field>
              <Field label="Tracking id" hint="tracking_id: pairs the link with auth-journey events.">
                {(id, describedBy) => (
                  <span className="row">
                    <TextInput
                      id={id}
                      aria-describedby={describedBy}
                      mono
                      placeholder="none"
                      value={options.trackingId}
                      onChange={(e) => set('trackingId', e.target.value)}
                      data-testid="tracking-id-input"
                    />
                    <Button
                      size="sm"
                      variant="secondary"
                      onClick={() => set('trackingId', crypto.randomUUID())}
                      data-testid="tracking-id-generate"
                    >
                      Generate
                    </Button>
                  </span>
                )}
              </Field>
            </div>
          </details>
        </div>
      </Card>

      {startError && <IpcErrorPanel error={startError} onRetry={onRetry} data-testid="link-error" />}

      {onBack && (
        <div className="wizard-actions">
          <Button variant="ghost" icon="arrowLeft" onClick={onBack}>
            Back to banks
          </Button>
        </div>
      )}
    </div>
  );
}
