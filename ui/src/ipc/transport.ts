// The only file that touches Tauri's JS API: `invoke` for commands, `listen` for events.
// Two helpers exist only outside the release bundle (`vite build` without `--mode` drops both):
// - the IPC audit (./audit.ts), in every build but the release one: the dev flavour's build
//   (src-tauri/tauri.dev.conf.json, what `npm start` and the end-to-end suite run) builds the UI
//   with `--mode test`, and the suite reads the audit;
// - the `?preview` stand-in (./preview.ts, loaded on demand), on the Vite dev server only: outside
//   Tauri, with `?preview` in the URL, calls go to an in-browser demo dataset so the screens can
//   be reviewed in a plain browser.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { startAudit } from './audit';
import { IpcError, toIpcError } from './errors';
import type * as PreviewNamespace from './preview';
import type { CommandName } from './types';

type PreviewModule = typeof PreviewNamespace;

const audit: (payload: unknown) => void = import.meta.env.MODE === 'production' ? () => undefined : startAudit();

let previewModule: Promise<PreviewModule> | null = null;

/** The preview module when this page asks for it (a plain browser with `?preview`). */
function previewWhenAsked(): Promise<PreviewModule> | null {
  if (typeof window === 'undefined' || '__TAURI_INTERNALS__' in window) return null;
  if (!new URLSearchParams(window.location.search).has('preview')) return null;
  previewModule ??= import('./preview');
  return previewModule;
}

const preview: () => Promise<PreviewModule> | null = import.meta.env.DEV ? previewWhenAsked : () => null;

/** Calls one Rust command; rejections always arrive as IpcError. */
export async function call<T>(command: CommandName, args?: Record<string, unknown>): Promise<T> {
  try {
    const standIn = preview();
    if (standIn) return await (await standIn).previewInvoke<T>(command, args ?? {});
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
  const standIn = preview();
  if (standIn) return (await standIn).previewListen<T>(event, handler);
  if (!('__TAURI_INTERNALS__' in window)) return () => undefined;
  return listen<T>(event, (e) => {
    audit(e.payload);
    handler(e.payload);
  });
}
