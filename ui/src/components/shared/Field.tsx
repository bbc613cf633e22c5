import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';

export interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}

/** A label, a control, and a hint or error under it (ids wired for screen readers). */
export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const describedBy = error !== undefined || hint !== undefined ? hintId : undefined;
  return (
    <div className={error !== undefined ? 'field field-invalid' : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children(id, describedBy)}
      {error !== undefined ? (
        <p className="field-error" id={hintId}>
          {error}
        </p>
      ) : hint !== undefined ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export interface TextInputProps extends InputHTMLAttributes<HTMLInputElement> {
  mono?: boolean;
  ref?: Ref<HTMLInputElement>;
}

export function TextInput({ mono = false, className, ...rest }: TextInputProps) {
  return <input className={['input', mono ? 'mono' : '', className].filter(Boolean).join(' ')} {...rest} />;
}

export function Select({ className, children, ...rest }: SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <select className={['input', 'select', className].filter(Boolean).join(' ')} {...rest}>
      {children}
    </select>
  );
}
