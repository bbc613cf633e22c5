import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

export interface EmptyStateProps {
  icon?: IconName;
  title: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  compact?: boolean;
}

export function EmptyState({ icon = 'info', title, children, action, compact = false }: EmptyStateProps) {
  return (
    <div className={compact ? 'empty-state empty-state-compact' : 'empty-state'}>
      <div className="empty-state-icon">
        <Icon name={icon} size={compact ? 18 : 22} />
      </div>
      <h2 className="empty-state-title">{title}</h2>
      {children !== undefined && <div className="empty-state-body">{children}</div>}
      {action !== undefined && <div className="empty-state-action">{action}</div>}
    </div>
  );
}
