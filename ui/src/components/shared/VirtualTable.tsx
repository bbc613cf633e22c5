import { useEffect, useRef, useState, type ReactNode, type UIEvent } from 'react';

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
 * scroll as smoothly as 100.
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

  const template = columns.map((c) => c.width).join(' ');
  const rows: ReactNode[] = [];
  for (let i = start; i <= end; i++) {
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
              <span className="skeleton" style={{ width: '60%', height: 10 }} />
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
        onClick={onRowClick ? () => onRowClick(row, i) : undefined}
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
