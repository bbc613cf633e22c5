import type { ReactNode } from 'react';

export interface ChipProps {
  selected: boolean;
  onToggle: () => void;
  children: ReactNode;
  'data-testid'?: string;
}

/** A toggleable filter chip. */
export function Chip({ selected, onToggle, children, ...rest }: ChipProps) {
  return (
    <button
      type="button"
      className={selected ? 'chip chip-selected' : 'chip'}
      aria-pressed={selected}
      onClick={onToggle}
      data-testid={rest['data-testid']}
    >
      {children}
    </button>
  );
}
