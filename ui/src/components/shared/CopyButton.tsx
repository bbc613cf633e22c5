import { useEffect, useState } from 'react';
import { Button, type ButtonProps } from './Button';
import { copyText } from './clipboard';

export interface CopyButtonProps extends Omit<ButtonProps, 'onClick' | 'value'> {
  /** The text to copy (a function is called at click time). */
  value: string | (() => string);
  label?: string;
}

export function CopyButton({ value, label = 'Copy', size = 'sm', variant = 'secondary', ...rest }: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const id = window.setTimeout(() => setCopied(false), 1500);
    return () => window.clearTimeout(id);
  }, [copied]);

  return (
    <Button
      {...rest}
      size={size}
      variant={variant}
      icon={copied ? 'check' : 'copy'}
      onClick={async () => {
        await copyText(typeof value === 'function' ? value() : value);
        setCopied(true);
      }}
    >
      {copied ? 'Copied' : label}
    </Button>
  );
}
