/**
 * What every popover menu does (WAI-ARIA menu button): a click outside, Escape or Tab closes it
 * (Escape hands focus back to its button); opening it moves focus to its first item; arrows,
 * Home and End move between its items.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

const ITEMS = '[role^="menuitem"]:not(:disabled)';

export function usePopoverMenu() {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    root.current?.querySelector<HTMLElement>(ITEMS)?.focus();
    function onDown(e: MouseEvent) {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    }
    window.addEventListener('mousedown', onDown);
    return () => window.removeEventListener('mousedown', onDown);
  }, [open]);

  /** Keys for the popover (put it on the element with `role="menu"`). */
  function onMenuKeyDown(e: KeyboardEvent<HTMLElement>) {
    const items = Array.from(e.currentTarget.querySelectorAll<HTMLElement>(ITEMS));
    const at = items.indexOf(document.activeElement as HTMLElement);
    const targets: Record<string, HTMLElement | undefined> = {
      ArrowDown: items[(at + 1) % items.length],
      ArrowUp: items[(at - 1 + items.length) % items.length],
      Home: items[0],
      End: items[items.length - 1],
    };
    if (e.key in targets) {
      e.preventDefault();
      targets[e.key]?.focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
      root.current?.querySelector<HTMLElement>('[aria-haspopup]')?.focus();
    } else if (e.key === 'Tab') {
      setOpen(false);
    }
  }

  return { open, setOpen, root, onMenuKeyDown };
}
