import type { ReactNode } from 'react';

export interface SegmentOption<T extends string> {
  value: T;
  label: ReactNode;
  description?: ReactNode;
  testId?: string;
}

export interface SegmentedControlProps<T extends string> {
  name: string;
  label: string;
  value: T;
  options: SegmentOption<T>[];
  onChange: (value: T) => void;
  /** "cards" shows each option as a card with its description. */
  layout?: 'inline' | 'cards';
}

/** A radio group drawn as segments or as option cards. */
export function SegmentedControl<T extends string>({
  name,
  label,
  value,
  options,
  onChange,
  layout = 'inline',
}: SegmentedControlProps<T>) {
  return (
    <div role="radiogroup" aria-label={label} className={layout === 'cards' ? 'option-cards' : 'segmented'}>
      {options.map((o) => (
        <label
          key={o.value}
          className={o.value === value ? 'segment segment-selected' : 'segment'}
          data-testid={o.testId}
        >
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={o.value === value}
            onChange={() => onChange(o.value)}
          />
          <span className="segment-label">{o.label}</span>
          {layout === 'cards' && o.description !== undefined && (
            <span className="segment-description">{o.description}</span>
          )}
        </label>
      ))}
    </div>
  );
}
