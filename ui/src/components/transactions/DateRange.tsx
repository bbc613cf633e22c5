import { isoDay } from '../../lib/format';
import { Chip, TextInput } from '../shared';
import './transactions.css';

export interface Range {
  from: string;
  to: string;
}

export const QUICK_RANGES = [
  { id: '7d', label: '7 days', days: 7 },
  { id: '30d', label: '30 days', days: 30 },
  { id: '90d', label: '90 days', days: 90 },
  { id: '1y', label: '1 year', days: 365 },
  { id: '2y', label: '2 years', days: 730 },
  { id: '5y', label: '5 years', days: 1826 },
  { id: '7y', label: '7 years', days: 2557 },
] as const;

/** The last `days` days up to today, as YYYY-MM-DD. */
export function lastDays(days: number, today: Date = new Date()): Range {
  const from = new Date(today);
  from.setDate(from.getDate() - days);
  return { from: isoDay(from), to: isoDay(today) };
}

export interface DateRangeProps {
  value: Range;
  onChange: (range: Range) => void;
  disabled?: boolean;
}

/** From/to dates with quick ranges. Long ranges are fetched by core in 3-month windows. */
export function DateRange({ value, onChange, disabled = false }: DateRangeProps) {
  return (
    <div className="date-range">
      <label className="date-field">
        <span>From</span>
        <TextInput
          type="date"
          value={value.from}
          max={value.to}
          disabled={disabled}
          onChange={(e) => onChange({ ...value, from: e.target.value })}
          data-testid="transactions-from"
        />
      </label>
      <label className="date-field">
        <span>To</span>
        <TextInput
          type="date"
          value={value.to}
          min={value.from}
          disabled={disabled}
          onChange={(e) => onChange({ ...value, to: e.target.value })}
          data-testid="transactions-to"
        />
      </label>
      <div className="chip-row" role="group" aria-label="Quick ranges">
        {QUICK_RANGES.map((q) => {
          const r = lastDays(q.days);
          const selected = r.from === value.from && r.to === value.to;
          return (
            <Chip
              key={q.id}
              selected={selected}
              onToggle={() => !disabled && onChange(r)}
              data-testid={`transactions-range-${q.id}`}
            >
              {q.label}
            </Chip>
          );
        })}
      </div>
    </div>
  );
}
