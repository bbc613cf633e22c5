import type { ReactNode } from 'react';

export interface DataItem {
  label: ReactNode;
  value: ReactNode;
  mono?: boolean;
}

/** A two-column list of labelled facts. */
export function DataList({ items, columns = 2 }: { items: DataItem[]; columns?: 1 | 2 | 3 }) {
  return (
    <dl className={`data-list data-list-${columns}`}>
      {items.map((item, i) => (
        <div key={i} className="data-list-item">
          <dt>{item.label}</dt>
          <dd className={item.mono ? 'mono' : undefined}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
