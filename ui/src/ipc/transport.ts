// The only file that touches Tauri's JS API: `invoke` for commands, `listen` for events.
// Outside Tauri, and only when the URL carries `?preview`, calls go to an in-browser demo dataset
// (./preview.ts, loaded on demand) so the screens can be reviewed in a plain browser.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { IpcError, toIpcError } from './errors';
import type * as PreviewNamespace from './preview';

type PreviewModule = typeof PreviewNamespace;

let previewModule: Promise<PreviewModule> | null = null;

/**
 * Every payload the UI received from core (command results and event payloads), newest last,
 * bounded. It holds nothing the UI does not already hold; the end-to-end suite reads it to prove
 * that no secret ever crossed IPC.
 */
const AUDIT_LIMIT = 2000;
const received: string[] = [];
(globalThis as { __LINKSCOPE_IPC_RECEIVED__?: string[] }).__LINKSCOPE_IPC_RECEIVED__ = received;

function audit(payload: unknown): void {
  received.push(JSON.stringify(payload) ?? 'undefined');
  if (received.length > AUDIT_LIMIT) received.splice(0, received.length - AUDIT_LIMIT);
}

function previewEnabled(): boolean {
  if (typeof window === 'undefined') return false;
  if ('__TAURI_INTERNALS__' in window) return false;
  return new URLSearchParams(window.location.search).has('preview');
}

function loadPreview(): Promise<PreviewModule> {
  previewModule ??= import('./preview');
  return previewModule;
}

/** Calls one Rust command; rejections always arrive as IpcError. */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    if (previewEnabled()) {
      const preview = await loadPreview();
      return await preview.previewInvoke<T>(command, args ?? {});
    }
    if (!('__TAURI_INTERNALS__' in window)) {
      throw new IpcError('internal', 'Linkscope’s core is not reachable: this page is not running inside the app.');
    }
    const result = await invoke<T>(command, args);
    audit(result);
    return result;
  } catch (reason) {
    audit(reason);
    throw toIpcError(reason);
  }
}

export type Unsubscribe = () => void;

/** Subscribes to one core → UI event; resolves to the function that unsubscribes. */
export async function subscribe<T>(event: string, handler: (payload: T) => void): Promise<Unsubscribe> {
  if (previewEnabled()) {
    const preview = await loadPreview();
    return preview.previewListen<T>(event, handler);
  }
  if (!('__TAURI_INTERNALS__' in window)) return () => undefined;
  return listen<T>(event, (e) => {
    audit(e.payload);
    handler(e.payload);
  });
}
