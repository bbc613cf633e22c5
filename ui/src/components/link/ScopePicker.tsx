import type { ScopeInfo } from '../../ipc';
import { Icon } from '../shared';
import type { ScopeIssue } from './scopeRules';
import './link.css';

export interface ScopePickerProps {
  catalog: ScopeInfo[];
  selected: string[];
  onChange: (selected: string[]) => void;
  issues: ScopeIssue[];
  providerScopes: string[] | null;
}

/** Scope toggles with each scope's rule explained inline and its problems shown as they happen. */
export function ScopePicker({ catalog, selected, onChange, issues, providerScopes }: ScopePickerProps) {
  function toggle(scope: string) {
    const next = selected.includes(scope) ? selected.filter((s) => s !== scope) : [...selected, scope];
    // Keep the catalog's order, so the link's scope parameter reads the same way every time.
    onChange(catalog.map((s) => s.scope).filter((s) => next.includes(s)));
  }

  function rule(info: ScopeInfo): string | null {
    if (info.standalone) return 'Must be requested on its own.';
    if (info.requires.length > 0) {
      const names = info.requires.map((r) => catalog.find((s) => s.scope === r)?.label ?? r);
      return `Needs ${names.join(' or ')}.`;
    }
    return null;
  }

  return (
    <ul className="scope-list" aria-label="Permissions">
      {catalog.map((info) => {
        const on = selected.includes(info.scope);
        const problem = issues.find((i) => i.scope === info.scope && (on || i.severity === 'warning'));
        const r = rule(info);
        const unlisted =
          providerScopes !== null &&
          !providerScopes.includes(info.scope) &&
          !['offline_access', 'signupplus', 'verification'].includes(info.scope);
        return (
          <li key={info.scope} className={on ? 'scope-item scope-item-on' : 'scope-item'}>
            <label className="scope-label">
              <input
                type="checkbox"
                checked={on}
                onChange={() => toggle(info.scope)}
                data-testid={`scope-${info.scope}`}
              />
              <span className="scope-text">
                <span className="scope-name">
                  {info.label} <code className="scope-code">{info.scope}</code>
                  {unlisted && <span className="scope-unlisted">not listed by this bank</span>}
                </span>
                <span className="scope-description">{info.description}</span>
                {r && <span className="scope-rule">{r}</span>}
                {problem && (
                  <span
                    className={
                      problem.severity === 'error'
                        ? 'scope-problem scope-problem-error'
                        : 'scope-problem scope-problem-warning'
                    }
                    role={problem.severity === 'error' ? 'alert' : undefined}
                  >
                    <Icon name={problem.severity === 'error' ? 'error' : 'alert'} size={13} /> {problem.message}
                  </span>
                )}
              </span>
            </label>
          </li>
        );
      })}
    </ul>
  );
}
