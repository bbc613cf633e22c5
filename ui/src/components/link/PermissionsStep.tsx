import { useMemo } from 'react';
import type { RedirectKind, ResponseMode, ScopeInfo } from '../../ipc';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import type { IpcErrorPayload } from '../../ipc';
import { Button, Card, Field, LoadingPanel, SegmentedControl, Select, TextInput } from '../shared';
import { ScopePicker } from './ScopePicker';
import { scopeIssues } from './scopeRules';
import './link.css';

export interface LinkOptions {
  scopes: string[];
  redirect: RedirectKind;
  responseMode: ResponseMode;
  languageId: string;
  countryId: string;
  userEmail: string;
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
  providerScopes: string[] | null;
  deepLinkScheme: string | null;
  starting: boolean;
  startError: IpcErrorPayload | null;
  onBack: (() => void) | null;
  onContinue: () => void;
}

const LANGUAGES = ['en', 'es', 'it', 'fr', 'de', 'pl', 'pt', 'sv', 'nl'];

/** Permissions, how the redirect comes back, and the optional auth-link parameters. */
export function PermissionsStep({
  catalog,
  options,
  onChange,
  providerScopes,
  deepLinkScheme,
  starting,
  startError,
  onBack,
  onContinue,
}: PermissionsStepProps) {
  const issues = useMemo(
    () => scopeIssues(catalog.data ?? [], options.scopes, providerScopes),
    [catalog.data, options.scopes, providerScopes],
  );
  const blocked = issues.some((i) => i.severity === 'error');
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
            ]}
          />
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
                    {LANGUAGES.map((l) => (
                      <option key={l} value={l}>
                        {l}
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
            </div>
          </details>
        </div>
      </Card>

      {startError && <IpcErrorPanel error={startError} onRetry={onContinue} data-testid="link-error" />}

      <div className="wizard-actions">
        {onBack && (
          <Button variant="ghost" icon="arrowLeft" onClick={onBack}>
            Back to banks
          </Button>
        )}
        <span className="grow" />
        <Button
          variant="primary"
          disabled={blocked || catalog.status !== 'success'}
          loading={starting}
          onClick={onContinue}
          data-testid="scopes-continue"
        >
          Build the link
        </Button>
      </div>
    </div>
  );
}
