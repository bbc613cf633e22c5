// IPC types are GENERATED from Rust by ts-rs into ui/src/bindings/ and re-exported here, so the
// rest of the UI imports from the ipc module only.
import type { ApiError } from '../bindings';

export type * from '../bindings';
export type { CommandName } from '../bindings/shell/CommandName';

/** The `{code, message, detail?}` every rejected command carries (the contract's ApiError). */
export type IpcErrorPayload = ApiError;
