// The sandbox's clock as this app has seen it, per environment, so countdowns follow sandbox
// time. Two facts: how far the sandbox's clock is ahead of this machine's (for expiries the
// sandbox stamped, like consent), and each move made from this app (for expiries core computed
// on this machine's clock, like an access token's: it expires early by every move made since
// it was issued). Updated whenever the workbench reads or moves a sandbox's clock.
import { useSyncExternalStore } from 'react';

interface Known {
  offsetMs: number;
  /** Moves made from this app: when (this machine's ms) and by how much. */
  moves: { atMs: number; byMs: number }[];
}

const known = new Map<string, Known>();
const listeners = new Set<() => void>();
let version = 0;

function changed(): void {
  version++;
  listeners.forEach((l) => l());
}

function entry(environmentId: string): Known {
  const k = known.get(environmentId) ?? { offsetMs: 0, moves: [] };
  known.set(environmentId, k);
  return k;
}

/** The sandbox's clock was read: it is `offsetSeconds` ahead. */
export function sawSandboxClock(environmentId: string, offsetSeconds: number): void {
  entry(environmentId).offsetMs = offsetSeconds * 1000;
  changed();
}

/** The sandbox's clock was moved from `fromSeconds` to `toSeconds` ahead. */
export function movedSandboxClock(environmentId: string, fromSeconds: number, toSeconds: number): void {
  const k = entry(environmentId);
  k.offsetMs = toSeconds * 1000;
  k.moves.push({ atMs: Date.now(), byMs: (toSeconds - fromSeconds) * 1000 });
  changed();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function useVersion(): number {
  return useSyncExternalStore(
    subscribe,
    () => version,
    () => 0,
  );
}

/** How far the sandbox's clock is ahead of this machine's, in ms (0 until it was read). */
export function useSandboxOffset(environmentId: string): number {
  useVersion();
  return known.get(environmentId)?.offsetMs ?? 0;
}

/** How far the sandbox's clock was moved from this app since `sinceIso`, in ms. */
export function useSandboxMovedSince(environmentId: string, sinceIso: string | null): number {
  useVersion();
  const since = sinceIso ? new Date(sinceIso).getTime() : Number.NaN;
  const moves = known.get(environmentId)?.moves ?? [];
  return moves.filter((m) => Number.isNaN(since) || m.atMs >= since).reduce((sum, m) => sum + m.byMs, 0);
}
