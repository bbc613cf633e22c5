import type { ReactNode } from 'react';
import { Icon } from './Icon';

export interface ErrorPanelProps {
  title: ReactNode;
  message: ReactNode;
  /** What the user can do about it, in one sentence. */
  nextStep?: ReactNode;
  /** Small facts shown under the message (trace id, HTTP status…). */
  facts?: { label: string; value: string; mono?: boolean }[];
  actions?: ReactNode;
  children?: ReactNode;
  'data-testid'?: string;
}

export function ErrorPanel({ title, message, nextStep, facts = [], actions, children, ...rest }: ErrorPanelProps) {
  return (
    <div className="error-panel" role="alert" data-testid={rest['data-testid']}>
      <div className="error-panel-icon">
        <Icon name="error" size={18} />
      </div>
      <div className="error-panel-body">
        <p className="error-panel-title">{title}</p>
        <p className="error-panel-message">{message}</p>
        {nextStep !== undefined && <p className="error-panel-next">{nextStep}</p>}
        {facts.length > 0 && (
          <dl className="error-panel-facts">
            {facts.map((f) => (
              <div key={f.label}>
                <dt>{f.label}</dt>
                <dd className={f.mono ? 'mono' : undefined}>{f.value}</dd>
              </div>
            ))}
          </dl>
        )}
        {children}
        {actions !== undefined && <div className="error-panel-actions">{actions}</div>}
      </div>
    </div>
  );
}
