// IpcError: every rejected command becomes one of these, built from the `{code, message, detail}`
// payload the Rust side sends. Anything else that rejects (a missing webview bridge, a bug) becomes
// code "internal" so the UI can always branch on `code`. The known codes are core's, generated.
import { ERROR_CODES } from '../bindings/shell/errorCodes';
import type { ErrorCode, ErrorDetail, IpcErrorPayload } from './types';

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN_CODES.has(value);
}

export class IpcError extends Error {
  readonly code: ErrorCode;
  readonly detail: ErrorDetail | null;

  constructor(code: ErrorCode, message: string, detail: ErrorDetail | null = null) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
    this.detail = detail;
  }

  /** The payload form, e.g. to show an error that arrived inside a DTO or an event. */
  toPayload(): IpcErrorPayload {
    return this.detail
      ? { code: this.code, message: this.message, detail: this.detail }
      : { code: this.code, message: this.message };
  }

  static fromPayload(payload: IpcErrorPayload): IpcError {
    return new IpcError(payload.code, payload.message, payload.detail ?? null);
  }
}

function readDetail(value: unknown): ErrorDetail | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const detail: ErrorDetail = {};
  if (typeof v.status === 'number') detail.status = v.status;
  if (typeof v.tlError === 'string') detail.tlError = v.tlError;
  if (typeof v.traceId === 'string') detail.traceId = v.traceId;
  if ('raw' in v) detail.raw = v.raw;
  return detail;
}

/** Turns whatever a rejected `invoke` produced into an IpcError (never throws). */
export function toIpcError(reason: unknown): IpcError {
  if (reason instanceof IpcError) return reason;
  if (typeof reason === 'object' && reason !== null) {
    const r = reason as Record<string, unknown>;
    if (isErrorCode(r.code) && typeof r.message === 'string') {
      return new IpcError(r.code, r.message, readDetail(r.detail));
    }
    if (reason instanceof Error) return new IpcError('internal', reason.message);
  }
  if (typeof reason === 'string' && reason.length > 0) return new IpcError('internal', reason);
  return new IpcError('internal', 'Something went wrong inside Linkscope.');
}
