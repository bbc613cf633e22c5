import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode, type UIEvent } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  /** A CSS grid track, e.g. "120px" or "minmax(200px, 1fr)". */
  width: string;
  align?: 'left' | 'right';
  sortable?: boolean;
  render: (row: T, index: number) => ReactNode;
}

export interface VirtualTableProps<T> {
  columns: Column<T>[];
  rowCount: number;
  /** The row at `index`, or undefined while it is still loading (a placeholder row is drawn). */
  getRow: (index: number) => T | undefined;
  rowKey: (row: T, index: number) => string;
  rowHeight?: number;
  overscan?: number;
  /** Called with the first and last index drawn, so the owner can load what is missing. */
  onRangeChange?: (start: number, end: number) => void;
  sort?: { key: string; descending: boolean };
  onSort?: (key: string) => void;
  onRowClick?: (row: T, index: number) => void;
  selectedKey?: string | null;
  label: string;
  'data-testid'?: string;
}

const FALLBACK_VIEWPORT = 480;

/**
 * A table that only draws the rows in view: fixed row height, windowed by scrollTop, so 100k rows
 * scroll as smoothly as 100. When rows open something (`onRowClick`) they are a WAI-ARIA grid for
 * the keyboard: one row holds the tab stop; arrows, Page Up/Down and Home/End move it (scrolling it
 * into view), Enter or Space opens it. The row with the tab stop stays drawn while the user scrolls
 * away with the mouse, so focus is never dropped on the floor.
 *
 * Drawing stays cheap because a fast scroll draws every row anew each frame: rows are contained
 * (`contain: strict`, nothing inside one lays out or paints the others) and a row still loading
 * is a still bar, not a shimmering skeleton per cell.
 */
export function VirtualTable<T>({
  columns,
  rowCount,
  getRow,
  rowKey,
  rowHeight = 36,
  overscan = 8,
  onRangeChange,
  sort,
  onSort,
  onRowClick,
  selectedKey = null,
  label,
  ...rest
}: VirtualTableProps<T>) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_VIEWPORT);
  const [active, setActive] = useState(0);
  const focusAfterMove = useRef(false);
  const activeIndex = Math.min(active, Math.max(0, rowCount - 1));

  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight > 0 ? el.clientHeight : FALLBACK_VIEWPORT);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(rowCount - 1, Math.ceil((scrollTop + height) / rowHeight) + overscan);

  useEffect(() => {
    if (rowCount > 0) onRangeChange?.(start, end);
  }, [start, end, rowCount, onRangeChange]);

  useEffect(() => {
    if (!focusAfterMove.current) return;
    focusAfterMove.current = false;
    viewport.current?.querySelector<HTMLElement>(`[data-row-index="${activeIndex}"]`)?.focus();
  });

  function moveTo(index: number) {
    const el = viewport.current;
    const next = Math.max(0, Math.min(rowCount - 1, index));
    if (el) {
      const top = next * rowHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight > el.scrollTop + height) el.scrollTop = top + rowHeight - height;
      setScrollTop(el.scrollTop);
    }
    focusAfterMove.current = true;
    setActive(next);
  }

  function onRowKeyDown(e: KeyboardEvent<HTMLDivElement>, row: T, index: number) {
    const page = Math.max(1, Math.floor(height / rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: rowCount - 1,
    };
    const target = moves[e.key];
    if (target !== undefined) moveTo(target);
    else if (e.key === 'Enter' || e.key === ' ') onRowClick?.(row, index);
    else return;
    e.preventDefault();
  }

  const template = columns.map((c) => c.width).join(' ');
  const rows: ReactNode[] = [];
  const drawn = onRowClick && rowCount > 0 && (activeIndex < start || activeIndex > end) ? [activeIndex] : [];
  for (let i = start; i <= end; i++) drawn.push(i);
  for (const i of drawn) {
    const row = getRow(i);
    const top = i * rowHeight;
    if (row === undefined) {
      rows.push(
        <div
          key={`placeholder-${i}`}
          className="vt-row vt-row-placeholder"
          role="row"
          aria-rowindex={i + 2}
          style={{ top, height: rowHeight, gridTemplateColumns: template }}
        >
          {columns.map((c) => (
            <div key={c.key} className="vt-cell" role="gridcell">
              <span className="vt-placeholder-bar" />
            </div>
          ))}
        </div>,
      );
      continue;
    }
    const key = rowKey(row, i);
    rows.push(
      <div
        key={key}
        className={key === selectedKey ? 'vt-row vt-row-selected' : 'vt-row'}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={onRowClick ? key === selectedKey : undefined}
        style={{ top, height: rowHeight, gridTemplateColumns: template }}
        {...(onRowClick && {
          tabIndex: i === activeIndex ? 0 : -1,
          'data-row-index': i,
          onClick: () => {
            setActive(i);
            onRowClick(row, i);
          },
          onKeyDown: (e: KeyboardEvent<HTMLDivElement>) => onRowKeyDown(e, row, i),
        })}
      >
        {columns.map((c) => (
          <div key={c.key} className={c.align === 'right' ? 'vt-cell vt-cell-right' : 'vt-cell'} role="gridcell">
            {c.render(row, i)}
          </div>
        ))}
      </div>,
    );
  }

  return (
    <div className="vt" role="grid" aria-label={label} aria-rowcount={rowCount + 1} data-testid={rest['data-testid']}>
      <div className="vt-header" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
        {columns.map((c) => {
          const active = sort?.key === c.key;
          return (
            <div
              key={c.key}
              role="columnheader"
              className={c.align === 'right' ? 'vt-cell vt-cell-right' : 'vt-cell'}
              aria-sort={active ? (sort?.descending ? 'descending' : 'ascending') : undefined}
            >
              {c.sortable && onSort ? (
                <button type="button" className="vt-sort" onClick={() => onSort(c.key)}>
                  {c.header}
                  <span className="vt-sort-mark" aria-hidden="true">
                    {active ? (sort?.descending ? '↓' : '↑') : ''}
                  </span>
                </button>
              ) : (
                c.header
              )}
            </div>
          );
        })}
      </div>
      <div
        ref={viewport}
        className="vt-viewport"
        data-testid={rest['data-testid'] ? `${rest['data-testid']}-viewport` : undefined}
        onScroll={(e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <div className="vt-canvas" style={{ height: rowCount * rowHeight }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
