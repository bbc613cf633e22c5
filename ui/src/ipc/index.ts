// The IPC module: the only door between the UI and Linkscope's Rust core (STYLE.md 13).
export * from './commands';
export * from './events';
export { IpcError, isErrorCode, toIpcError } from './errors';
export type * from './types';
