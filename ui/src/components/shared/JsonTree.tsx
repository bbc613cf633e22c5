import { useState, type KeyboardEvent } from 'react';

export interface JsonTreeProps {
  value: unknown;
  /** Levels expanded at first (deeper ones start collapsed). */
  expandDepth?: number;
  /** Optional transform applied to every string leaf (e.g. presenter-mode masking). */
  mapString?: (key: string | null, value: string) => string;
}

/**
 * A read-only, collapsible view of any JSON value, unknown fields included. It is a WAI-ARIA tree
 * for the keyboard: one item holds the tab stop; Up/Down move through the items shown, Right opens
 * an object or steps into it, Left closes it or steps out to its parent, Home/End jump to the ends,
 * Enter or Space opens or closes.
 */
export function JsonTree({ value, expandDepth = 2, mapString }: JsonTreeProps) {
  return (
    <div className="json-tree mono" role="tree">
      <Node name={null} maskKey={null} value={value} depth={0} expandDepth={expandDepth} mapString={mapString} />
    </div>
  );
}

interface NodeProps {
  name: string | null;
  /** The key that names this value for `mapString` (array items inherit their array's key). */
  maskKey: string | null;
  value: unknown;
  depth: number;
  expandDepth: number;
  mapString: JsonTreeProps['mapString'];
}

function Leaf({
  value,
  name,
  mapString,
}: {
  value: unknown;
  name: string | null;
  mapString: JsonTreeProps['mapString'];
}) {
  if (value === null) return <span className="json-literal">null</span>;
  if (value === undefined) return <span className="json-literal">undefined</span>;
  if (typeof value === 'string') {
    const shown = mapString ? mapString(name, value) : value;
    return <span className="json-string">"{shown}"</span>;
  }
  if (typeof value === 'number' || typeof value === 'bigint')
    return <span className="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json-literal">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

/** Moves the tree's single tab stop to `item` and focuses it. */
function focusItem(from: HTMLElement, item: Element | null | undefined) {
  if (!(item instanceof HTMLElement)) return;
  from.tabIndex = -1;
  item.tabIndex = 0;
  item.focus();
}

/** The tree keys for one item (`toggle` opens or closes it when it is an object or array). */
function onItemKey(e: KeyboardEvent<HTMLDivElement>, open: boolean | null, toggle: (open: boolean) => void) {
  const item = e.currentTarget;
  const items = Array.from(item.closest('[role="tree"]')?.querySelectorAll('[role="treeitem"]') ?? []);
  const at = items.indexOf(item);
  const parent = item.parentElement?.closest('[role="treeitem"]');
  const child = item.querySelector('[role="group"] [role="treeitem"]');
  const keys: Record<string, () => void> = {
    ArrowDown: () => focusItem(item, items[at + 1]),
    ArrowUp: () => focusItem(item, items[at - 1]),
    Home: () => focusItem(item, items[0]),
    End: () => focusItem(item, items[items.length - 1]),
    ArrowRight: () => (open === false ? toggle(true) : focusItem(item, child)),
    ArrowLeft: () => (open === true ? toggle(false) : focusItem(item, parent)),
    Enter: () => open !== null && toggle(!open),
    ' ': () => open !== null && toggle(!open),
  };
  const act = keys[e.key];
  if (!act) return;
  e.preventDefault();
  e.stopPropagation();
  act();
}

function Node({ name, maskKey, value, depth, expandDepth, mapString }: NodeProps) {
  const [open, setOpen] = useState(depth < expandDepth);
  const isArray = Array.isArray(value);
  const isObject = typeof value === 'object' && value !== null;
  const label = name !== null ? <span className="json-key">{name}: </span> : null;

  if (!isObject) {
    return (
      <div
        className="json-row"
        role="treeitem"
        aria-selected={false}
        tabIndex={depth === 0 ? 0 : -1}
        onKeyDown={(e) => onItemKey(e, null, () => undefined)}
        style={{ paddingLeft: depth * 16 }}
      >
        {label}
        <Leaf value={value} name={maskKey} mapString={mapString} />
      </div>
    );
  }

  const entries: [string, unknown][] = isArray
    ? (value as unknown[]).map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, unknown>);
  const [openBrace, closeBrace] = isArray ? ['[', ']'] : ['{', '}'];

  return (
    <div
      className="json-item"
      role="treeitem"
      aria-expanded={open}
      aria-selected={false}
      tabIndex={depth === 0 ? 0 : -1}
      onKeyDown={(e) => onItemKey(e, open, setOpen)}
    >
      <div className="json-row" style={{ paddingLeft: depth * 16 }}>
        <button
          type="button"
          tabIndex={-1}
          className="json-toggle"
          onClick={() => setOpen((o) => !o)}
          aria-label={open ? 'Collapse' : 'Expand'}
        >
          {open ? '▾' : '▸'}
        </button>
        {label}
        <span className="json-brace">{openBrace}</span>
        {!open && (
          <button type="button" tabIndex={-1} className="json-summary" onClick={() => setOpen(true)}>
            {entries.length}{' '}
            {isArray ? (entries.length === 1 ? 'item' : 'items') : entries.length === 1 ? 'key' : 'keys'}
          </button>
        )}
        {!open && <span className="json-brace">{closeBrace}</span>}
      </div>
      {open && (
        <div role="group">
          {entries.map(([k, v]) => (
            <Node
              key={k}
              name={isArray ? null : k}
              maskKey={isArray ? maskKey : k}
              value={v}
              depth={depth + 1}
              expandDepth={expandDepth}
              mapString={mapString}
            />
          ))}
          <div className="json-row" style={{ paddingLeft: depth * 16 }}>
            <span className="json-brace json-close">{closeBrace}</span>
          </div>
        </div>
      )}
    </div>
  );
}
