// TrueLayer's standing-order frequency codes (Data API v1 AccountStandingOrder.frequency) in words.

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function ordinal(n: number): string {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
}

function every(n: number, unit: string): string {
  return n === 1 ? `Every ${unit}` : `Every ${n} ${unit}s`;
}

export function describeFrequency(code: string): string {
  const [kind, a, b] = code.split(':');
  const x = Number.parseInt(a ?? '', 10);
  const y = Number.parseInt(b ?? '', 10);
  switch (kind) {
    case 'EvryDay':
      return 'Every day';
    case 'EvryWorkgDay':
      return 'Every working day';
    case 'IntrvlDay':
      return Number.isFinite(x) ? every(x, 'day') : code;
    case 'IntrvlWkDay':
      return Number.isFinite(x) && Number.isFinite(y)
        ? `${every(x, 'week')} on ${WEEKDAYS[y - 1] ?? `day ${y}`}`
        : code;
    case 'IntrvlMnthDay':
      if (!Number.isFinite(x) || !Number.isFinite(y)) return code;
      return `${every(x, 'month')} on the ${y < 0 ? (y === -1 ? 'last day' : `${ordinal(-y)}-last day`) : `${ordinal(y)}`}`;
    case 'QtrDay':
      return a ? `Quarterly (${a.toLowerCase()})` : 'Quarterly';
    case 'WkInMnthDay':
      return Number.isFinite(x) && Number.isFinite(y)
        ? `Every month, ${ordinal(x)} ${WEEKDAYS[y - 1] ?? `day ${y}`}`
        : code;
    default:
      return code;
  }
}
