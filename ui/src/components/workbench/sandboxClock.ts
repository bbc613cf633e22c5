// How far the sandbox's clock is ahead of this machine's, per environment, so countdowns of
// sandbox-issued expiries (access tokens, consent) follow sandbox time. Set whenever the
// workbench reads or moves a sandbox's clock; 0 until then.
import { useSyncExternalStore } from 'react';

const offsets = new Map<string, number>();
const listeners = new Set<() => void>();

export function setSandboxOffset(environmentId: string, offsetSeconds: number): void {
  offsets.set(environmentId, offsetSeconds * 1000);
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The sandbox clock's lead over this machine's in ms (0 when unknown). */
export function useSandboxOffset(environmentId: string): number {
  return useSyncExternalStore(subscribe, () => offsets.get(environmentId) ?? 0, () => 0);
}
