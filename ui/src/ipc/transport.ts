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
 * bounded by size (a transactions page with its raw JSON is ~200 KB; scrolling 100k rows must not
 * grow this without end). It holds nothing the UI does not already hold; the end-to-end suite
 * reads it to prove that no secret ever crossed IPC.
 */
const AUDIT_MAX_CHARS = 8_000_000;
const received: string[] = [];
let receivedChars = 0;
(globalThis as { __LINKSCOPE_IPC_RECEIVED__?: string[] }).__LINKSCOPE_IPC_RECEIVED__ = received;

function audit(payload: unknown): void {
  const text = JSON.stringify(payload) ?? 'undefined';
  received.push(text);
  receivedChars += text.length;
  while (receivedChars > AUDIT_MAX_CHARS && received.length > 1) {
    receivedChars -= received.shift()?.length ?? 0;
  }
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
