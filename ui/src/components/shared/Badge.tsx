import type { ReactNode } from 'react';

export type Tone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger' | 'live';

export interface BadgeProps {
  tone?: Tone;
  dot?: boolean;
  title?: string;
  children: ReactNode;
  'data-testid'?: string;
}

export function Badge({ tone = 'neutral', dot = false, title, children, ...rest }: BadgeProps) {
  return (
    <span className={`badge badge-${tone}`} title={title} data-testid={rest['data-testid']}>
      {dot && <span className="badge-dot" aria-hidden="true" />}
      {children}
    </span>
  );
}
