// @vitest-environment node
import { describe, expect, it } from 'vitest';
import cases from '../../../crates/core/tests/mask-cases.json';
import { mask, maskJsonString, type MaskKind } from './mask';

// The same table core's mask tests run (crates/core/src/mask.rs), so the screen and core's copies
// and exports cannot drift apart.
describe('presenter masking, by the cases core runs too', () => {
  it.each(cases.fields)('masks a $kind "$input" as core does', ({ kind, input, expected }) => {
    const masked = mask(kind as MaskKind, input);
    expect(masked).toBe(expected);
    if (input.trim().length > 2) expect(masked).not.toContain(input);
  });

  it.each(cases.keys)('masks a raw JSON "$key" field as core does', ({ key, input, expected }) => {
    expect(maskJsonString(key, input)).toBe(expected);
  });

  it('leaves a value without a key alone', () => {
    expect(maskJsonString(null, 'John Doe')).toBe('John Doe');
  });
});
