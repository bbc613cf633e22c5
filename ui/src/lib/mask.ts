// Presenter-mode masking on screen and in copies: personal data is replaced by dots that keep the
// shape. The rules are core's (crates/core/src/mask.rs, generated into ui/src/bindings/mask), so
// the screen and core's copies and exports mask alike; crates/core/tests/mask-cases.json is the
// one table of cases both sides' tests run. Local, so the presenter toggle is instant.
import { MASK_RULES, type MaskKind } from '../bindings/mask/maskRules';

export type { MaskKind };

const { dot, hidden } = MASK_RULES;
const isAlphanumeric = (c: string) => /^[0-9A-Za-z]$/.test(c);

function dots(value: string): string {
  if (value.trim() === '') return value;
  const count = [...value].filter((c) => !/\s/.test(c)).length;
  return dot.repeat(Math.min(Math.max(count, MASK_RULES.dotsMin), MASK_RULES.dotsMax));
}

/** Hides every alphanumeric character but the last few; separators stay. */
function keepLast(value: string): string {
  const keep = MASK_RULES.keepLast;
  const chars = [...value];
  const total = chars.filter(isAlphanumeric).length;
  let seen = 0;
  return chars
    .map((c) => {
      if (!isAlphanumeric(c)) return c;
      seen += 1;
      return total >= keep + MASK_RULES.minHidden && seen > total - keep ? c : dot;
    })
    .join('');
}

function maskName(value: string): string {
  return value
    .split(' ')
    .map((word) => {
      const [first, ...rest] = [...word];
      return first === undefined ? '' : first + dot.repeat(Math.max(rest.length, MASK_RULES.nameMinDots));
    })
    .join(' ');
}

function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return dots(value);
  const domain = value.slice(at + 1);
  const tld = domain.includes('.') ? domain.slice(domain.lastIndexOf('.') + 1) : '';
  return `${dot.repeat(3)}@${dot.repeat(3)}.${tld}`;
}

/** Masks a value of a known kind, exactly as core's `mask_field`. */
export function mask(kind: MaskKind, value: string): string {
  switch (kind) {
    case 'name':
      return maskName(value);
    case 'sortCode':
      return [...value].map((c) => (isAlphanumeric(c) ? dot : c)).join('');
    case 'number':
    case 'phone':
      return keepLast(value);
    case 'address':
    case 'dateOfBirth':
      return dots(value);
    case 'email':
      return maskEmail(value);
    case 'token':
      return hidden;
  }
}

/** Masks a string leaf of raw JSON when its key names personal data (snake_case or camelCase). */
export function maskJsonString(key: string | null, value: string): string {
  if (key === null) return value;
  const kind = MASK_RULES.fields[key.replace(/[_-]/g, '').toLowerCase()];
  return kind ? mask(kind, value) : value;
}
