import { useEffect, useState } from 'react';
import { Button, type ButtonProps } from './Button';
import { copyText } from './clipboard';

export interface CopyButtonProps extends Omit<ButtonProps, 'onClick' | 'value'> {
  /** The text to copy (a function is called at click time). */
  value: string | (() => string);
  label?: string;
  /**
   * What is copied, for screen readers: the button is named "<visible text> <subject>", so its
   * name always starts with what it shows ("Copy …", then "Copied …").
   */
  subject?: string;
}

export function CopyButton({
  value,
  label = 'Copy',
  subject,
  size = 'sm',
  variant = 'secondary',
  ...rest
}: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  const text = copied ? 'Copied' : label;
  useEffect(() => {
    if (!copied) return;
    const id = window.setTimeout(() => setCopied(false), 1500);
    return () => window.clearTimeout(id);
  }, [copied]);

  return (
    <Button
      {...rest}
      aria-label={subject ? `${text} ${subject}` : rest['aria-label']}
      size={size}
      variant={variant}
      icon={copied ? 'check' : 'copy'}
      onClick={async () => {
        await copyText(typeof value === 'function' ? value() : value);
        setCopied(true);
      }}
    >
      {text}
    </Button>
  );
}
