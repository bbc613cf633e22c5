// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { mask, maskJsonString } from './mask';

describe('presenter masking', () => {
  it.each([
    ['name', 'John Doe', 'J••• D••'],
    ['number', '10000000', '••••0000'],
    ['sortCode', '01-21-31', '••-••-31'],
    ['iban', 'GB08 CLRB 0406 6800 0034 35', 'GB•• •••• •••• •••• ••34 35'],
    ['email', 'john@example.com', 'j••••@••••.com'],
    ['phone', '+447700900123', '+••••••••••23'],
    ['date', '1980-04-01', '••••-••-••'],
    ['address', '1 Market Street', '••••••••••••'],
  ] as const)('masks a %s so the original is not readable', (kind, value, expected) => {
    const masked = mask(kind, value);
    expect(masked).toBe(expected);
    expect(masked).not.toContain(value);
  });

  it('masks raw JSON strings by their key and leaves other fields alone', () => {
    expect(maskJsonString('full_name', 'John Doe')).toBe('J••• D••');
    expect(maskJsonString('sort_code', '01-21-31')).toBe('••-••-31');
    expect(maskJsonString('description', 'TESCO')).toBe('TESCO');
    expect(maskJsonString(null, 'TESCO')).toBe('TESCO');
  });
});
