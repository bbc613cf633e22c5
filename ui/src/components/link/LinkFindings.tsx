import type { LintFinding } from '../../ipc';
import { Icon } from '../shared';
import './link.css';

/** The auth-link linter's findings, errors first. */
export function LinkFindings({ findings }: { findings: LintFinding[] }) {
  if (findings.length === 0) {
    return (
      <p className="findings-clean" data-testid="link-findings-clean">
        <Icon name="check" size={14} /> The linter found nothing wrong with this link.
      </p>
    );
  }
  const sorted = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return (
    <ul className="findings" aria-label="Linter findings" data-testid="link-findings">
      {sorted.map((f) => (
        <li key={`${f.code}-${f.message}`} className={`finding finding-${f.severity}`}>
          <Icon name={f.severity === 'error' ? 'error' : 'alert'} size={15} />
          <span className="finding-text">
            <span className="visually-hidden">{f.severity === 'error' ? 'Error: ' : 'Warning: '}</span>
            {f.message}
            <code className="finding-code">{f.code}</code>
          </span>
        </li>
      ))}
    </ul>
  );
}
