import { useState } from 'react';
import { Button } from './Button';
import { CopyButton } from './CopyButton';
import { JsonTree } from './JsonTree';

export interface RawJsonProps {
  value: unknown;
  mapString?: (key: string | null, value: string) => string;
  label?: string;
}

/** A "Raw JSON" toggle: exactly what came back, unknown fields included. */
export function RawJson({ value, mapString, label = 'Raw JSON' }: RawJsonProps) {
  const [open, setOpen] = useState(false);
  return (
    <div className="raw-json">
      <Button
        size="sm"
        variant="ghost"
        icon={open ? 'chevronDown' : 'chevronRight'}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="raw-json-toggle"
      >
        {label}
      </Button>
      {open && (
        <div className="raw-json-body">
          <div className="raw-json-tools">
            <CopyButton
              label="Copy JSON"
              value={() => JSON.stringify(mapString ? mapStrings(value, null, mapString) : value, null, 2)}
            />
          </div>
          <JsonTree value={value} mapString={mapString} expandDepth={4} />
        </div>
      )}
    </div>
  );
}

/** A copy of `value` with every string leaf passed through `fn` (array items get their array's key). */
export function mapStrings(
  value: unknown,
  key: string | null,
  fn: (key: string | null, value: string) => string,
): unknown {
  if (typeof value === 'string') return fn(key, value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, key, fn));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, k, fn)]));
  }
  return value;
}
