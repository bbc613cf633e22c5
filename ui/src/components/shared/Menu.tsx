import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from './Button';
import type { IconName } from './Icon';
import { Icon } from './Icon';

export interface MenuItem {
  id: string;
  label: ReactNode;
  icon?: IconName;
  onSelect: () => void;
  disabled?: boolean;
  hint?: string;
  tone?: 'default' | 'danger';
}

export interface MenuProps {
  label: string;
  items: MenuItem[];
  icon?: IconName;
  'data-testid'?: string;
}

/** A button that opens a short list of actions (Escape or a click outside closes it). */
export function Menu({ label, items, icon = 'chevronDown', ...rest }: MenuProps) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    function onDown(e: MouseEvent) {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    }
    function onKey(e: KeyboardEvent) {
      if (e.key === 'Escape') setOpen(false);
    }
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="menu" ref={root}>
      <Button
        variant="secondary"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid={rest['data-testid']}
      >
        {label}
        <Icon name={icon} size={14} />
      </Button>
      {open && (
        <div className="menu-popover" role="menu">
          {items.map((item) => (
            <button
              key={item.id}
              type="button"
              role="menuitem"
              className={item.tone === 'danger' ? 'menu-item menu-item-danger' : 'menu-item'}
              disabled={item.disabled}
              title={item.hint}
              onClick={() => {
                setOpen(false);
                item.onSelect();
              }}
              data-testid={`action-${item.id}`}
            >
              {item.icon && <Icon name={item.icon} size={15} />}
              <span>{item.label}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
