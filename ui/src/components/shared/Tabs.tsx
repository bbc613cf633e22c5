import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem<T extends string> {
  id: T;
  label: ReactNode;
  disabled?: boolean;
  hint?: string;
}

export interface TabsProps<T extends string> {
  items: TabItem<T>[];
  value: T;
  onChange: (id: T) => void;
  label: string;
}

/** Which ends of the tab strip hide tabs. */
interface Overflow {
  before: boolean;
  after: boolean;
}

/**
 * A WAI-ARIA tablist: arrows move between tabs, Home/End jump to the ends. When the window is too
 * narrow for every tab, the strip scrolls sideways: an edge that hides tabs fades out (so the user
 * can tell there are more), and the selected tab is scrolled into view however it was chosen.
 */
export function Tabs<T extends string>({ items, value, onChange, label }: TabsProps<T>) {
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const strip = useRef<HTMLDivElement>(null);
  const [overflow, setOverflow] = useState<Overflow>({ before: false, after: false });
  const enabled = items.filter((i) => !i.disabled);

  useEffect(() => {
    const el = strip.current;
    if (!el) return;
    const measure = () => {
      const before = el.scrollLeft > 1;
      const after = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      setOverflow((o) => (o.before === before && o.after === after ? o : { before, after }));
    };
    measure();
    el.addEventListener('scroll', measure, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(el);
    return () => {
      el.removeEventListener('scroll', measure);
      observer?.disconnect();
    };
  }, [items.length]);

  useEffect(() => {
    refs.current.get(value)?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [value]);

  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>) {
    const index = enabled.findIndex((i) => i.id === value);
    let next: TabItem<T> | undefined;
    if (e.key === 'ArrowRight') next = enabled[(index + 1) % enabled.length];
    else if (e.key === 'ArrowLeft') next = enabled[(index - 1 + enabled.length) % enabled.length];
    else if (e.key === 'Home') next = enabled[0];
    else if (e.key === 'End') next = enabled[enabled.length - 1];
    if (next) {
      e.preventDefault();
      onChange(next.id);
      refs.current.get(next.id)?.focus();
    }
  }

  const frame = ['tabs-frame', overflow.before && 'tabs-more-before', overflow.after && 'tabs-more-after'];
  return (
    <div className={frame.filter(Boolean).join(' ')}>
      <div className="tabs" role="tablist" aria-label={label} ref={strip}>
        {items.map((item) => {
          const selected = item.id === value;
          return (
            <button
              key={item.id}
              ref={(el) => {
                if (el) refs.current.set(item.id, el);
                else refs.current.delete(item.id);
              }}
              type="button"
              role="tab"
              id={`tab-${item.id}`}
              aria-selected={selected}
              tabIndex={selected ? 0 : -1}
              disabled={item.disabled}
              title={item.hint}
              className={selected ? 'tab tab-selected' : 'tab'}
              onClick={() => onChange(item.id)}
              onKeyDown={onKeyDown}
              data-testid={`tab-${item.id}`}
            >
              {item.label}
            </button>
          );
        })}
      </div>
    </div>
  );
}
