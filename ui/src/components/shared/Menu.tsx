import type { ReactNode } from 'react';
import { Button } from './Button';
import type { IconName } from './Icon';
import { Icon } from './Icon';
import { usePopoverMenu } from './usePopoverMenu';

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

/** A button that opens a short list of actions (keys and closing: `usePopoverMenu`). */
export function Menu({ label, items, icon = 'chevronDown', ...rest }: MenuProps) {
  const { open, setOpen, root, onMenuKeyDown } = usePopoverMenu();

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
        <div className="menu-popover" role="menu" aria-label={label} tabIndex={-1} onKeyDown={onMenuKeyDown}>
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
