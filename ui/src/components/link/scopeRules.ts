// The scope rules of DESIGN.md §1.3, driven by core's scope catalog: balance and transactions need
// accounts or cards; standing orders and direct debits need accounts; verification stands alone;
// offline_access is what yields a refresh token.
import type { Environment, ScopeInfo } from '../../ipc';

export interface ScopeIssue {
  scope: string | null;
  severity: 'error' | 'warning';
  message: string;
}

function label(catalog: ScopeInfo[], scope: string): string {
  return catalog.find((s) => s.scope === scope)?.label ?? scope;
}

function list(words: string[], joiner: 'or' | 'and'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${joiner} ${words[words.length - 1]}`;
}

/** Errors block the link; warnings are shown but allowed. */
export function scopeIssues(catalog: ScopeInfo[], selected: string[], providerScopes: string[] | null): ScopeIssue[] {
  const issues: ScopeIssue[] = [];
  if (selected.length === 0) {
    issues.push({ scope: null, severity: 'error', message: 'Choose at least one permission.' });
    return issues;
  }
  for (const info of catalog) {
    if (!selected.includes(info.scope)) continue;
    if (info.requires.length > 0 && !info.requires.some((r) => selected.includes(r))) {
      issues.push({
        scope: info.scope,
        severity: 'error',
        message: `${info.label} needs ${list(
          info.requires.map((r) => label(catalog, r)),
          'or',
        )} as well.`,
      });
    }
    if (info.standalone && selected.length > 1) {
      issues.push({ scope: info.scope, severity: 'error', message: `${info.label} must be asked for on its own.` });
    }
  }
  const hasStandalone = catalog.some((s) => s.standalone && selected.includes(s.scope));
  if (!hasStandalone && catalog.some((s) => s.scope === 'offline_access') && !selected.includes('offline_access')) {
    issues.push({
      scope: 'offline_access',
      severity: 'warning',
      message:
        'Without offline access there is no refresh token: the connection stops working when the access token expires (about an hour).',
    });
  }
  if (providerScopes) {
    const unsupported = selected.filter(
      (s) => s !== 'offline_access' && s !== 'signupplus' && s !== 'verification' && !providerScopes.includes(s),
    );
    if (unsupported.length > 0) {
      issues.push({
        scope: null,
        severity: 'warning',
        message: `The bank does not list ${list(
          unsupported.map((s) => label(catalog, s)),
          'and',
        )}; it may refuse the link or those calls.`,
      });
    }
  }
  return issues;
}

/** The defaults: what the catalog marks on, plus Signup+ in sandboxes (where it is enabled by default). */
export function defaultScopes(catalog: ScopeInfo[], environment: Pick<Environment, 'isSandbox'>): string[] {
  const on = catalog.filter((s) => s.defaultOn && !s.standalone).map((s) => s.scope);
  if (environment.isSandbox && catalog.some((s) => s.scope === 'signupplus') && !on.includes('signupplus')) {
    on.push('signupplus');
  }
  return on;
}
