/**
 * Sends the webview's errors to the app's log (tauri-plugin-log, target `webview`): uncaught
 * errors, unhandled rejections and `console.error`, so a support ticket's log shows what the UI
 * saw. The UI never holds a secret, so none can reach the log this way.
 */
import { logWebviewError } from '../../ipc';

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function send(message: string) {
  // The log is best effort: a failing call must not raise another error (and loop).
  logWebviewError(message.slice(0, 4000)).catch(() => undefined);
}

/** Installs the capture once, at start. */
export function captureConsole(): void {
  window.addEventListener('error', (e) => send(`uncaught ${describe(e.error ?? e.message)}`));
  window.addEventListener('unhandledrejection', (e) => send(`unhandled rejection ${describe(e.reason)}`));
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    original(...args);
    send(args.map(describe).join(' '));
  };
}
