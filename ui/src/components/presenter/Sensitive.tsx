import type { MaskKind } from '../../lib/mask';
import { usePresenter } from './usePresenter';
import './presenter.css';

/** Personal data on screen: shown as is, or masked while presenter mode is on. */
export function Sensitive({
  kind,
  value,
  className,
}: {
  kind: MaskKind;
  value: string | null | undefined;
  className?: string;
}) {
  const { mask, on } = usePresenter();
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  return (
    <span className={[className, on ? 'masked' : ''].filter(Boolean).join(' ') || undefined} data-sensitive={kind}>
      {mask(kind, value)}
    </span>
  );
}
