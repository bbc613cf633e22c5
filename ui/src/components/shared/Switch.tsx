import type { ReactNode } from 'react';

export interface SwitchProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: ReactNode;
  description?: ReactNode;
  disabled?: boolean;
  'data-testid'?: string;
}

/** An on/off switch with a label and an optional line of description. */
export function Switch({ checked, onChange, label, description, disabled = false, ...rest }: SwitchProps) {
  return (
    <label className={disabled ? 'switch-row switch-row-disabled' : 'switch-row'}>
      <span className="switch-text">
        <span className="switch-label">{label}</span>
        {description !== undefined && <span className="switch-description">{description}</span>}
      </span>
      <input
        type="checkbox"
        role="switch"
        className="switch"
        checked={checked}
        disabled={disabled}
        aria-checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        data-testid={rest['data-testid']}
      />
    </label>
  );
}
