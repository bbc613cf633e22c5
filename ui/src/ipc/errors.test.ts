// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { IpcError, toIpcError } from './errors';

describe('toIpcError', () => {
  const cases: [string, unknown, { code: string; message: string }][] = [
    [
      'a contract payload keeps its code and message',
      { code: 'link_expired', message: 'Too late.' },
      { code: 'link_expired', message: 'Too late.' },
    ],
    [
      'an unknown code is not trusted and becomes internal',
      { code: 'teapot', message: 'x' },
      { code: 'internal', message: 'Something went wrong inside Linkscope.' },
    ],
    ['a bare string becomes an internal error with that text', 'boom', { code: 'internal', message: 'boom' }],
    ['an Error keeps its message', new Error('bad'), { code: 'internal', message: 'bad' }],
    [
      'undefined still yields a readable message',
      undefined,
      { code: 'internal', message: 'Something went wrong inside Linkscope.' },
    ],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    const e = toIpcError(input);
    expect(e).toBeInstanceOf(IpcError);
    expect({ code: e.code, message: e.message }).toEqual(expected);
  });

  it('ignores detail fields of the wrong type rather than passing them on', () => {
    const e = toIpcError({
      code: 'truelayer',
      message: 'm',
      detail: { status: '500', traceId: 7, tlError: 'provider_error' },
    });
    expect(e.detail).toEqual({ tlError: 'provider_error' });
  });
});
