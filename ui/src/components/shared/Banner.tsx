import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

export interface BannerProps {
  tone?: 'info' | 'warning' | 'danger' | 'live';
  icon?: IconName;
  children: ReactNode;
  actions?: ReactNode;
  'data-testid'?: string;
}

export function Banner({ tone = 'info', icon, children, actions, ...rest }: BannerProps) {
  const fallback: IconName = tone === 'info' ? 'info' : 'alert';
  return (
    <div
      className={`banner banner-${tone}`}
      role={tone === 'info' ? 'status' : 'alert'}
      data-testid={rest['data-testid']}
    >
      <Icon name={icon ?? fallback} size={16} />
      <div className="banner-body">{children}</div>
      {actions !== undefined && <div className="banner-actions">{actions}</div>}
    </div>
  );
}
