import type { HTMLAttributes, ReactNode } from 'react';

export interface CardProps extends Omit<HTMLAttributes<HTMLElement>, 'title'> {
  title?: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  /** Removes the body padding (tables, lists that run to the edge). */
  flush?: boolean;
}

export function Card({ title, subtitle, actions, flush = false, className, children, ...rest }: CardProps) {
  return (
    <section className={['card', className].filter(Boolean).join(' ')} {...rest}>
      {(title !== undefined || actions !== undefined) && (
        <header className="card-header">
          <div className="card-titles">
            {title !== undefined && <h3 className="card-title">{title}</h3>}
            {subtitle !== undefined && <p className="card-subtitle">{subtitle}</p>}
          </div>
          {actions !== undefined && <div className="card-actions">{actions}</div>}
        </header>
      )}
      <div className={flush ? 'card-body card-body-flush' : 'card-body'}>{children}</div>
    </section>
  );
}
