import type { Environment, EnvironmentKind } from '../../ipc';
import type { Tone } from '../shared';

export const KIND_LABELS: Record<EnvironmentKind, string> = {
  builtin: 'Built-in sandbox',
  truelayer_sandbox: 'TrueLayer sandbox',
  truelayer_live: 'TrueLayer live',
  custom: 'Custom',
};

export function environmentTone(env: Pick<Environment, 'isLive' | 'isSandbox'>): Tone {
  if (env.isLive) return 'live';
  return env.isSandbox ? 'success' : 'neutral';
}

export function environmentBadge(env: Pick<Environment, 'isLive' | 'isSandbox'>): string {
  if (env.isLive) return 'Live';
  return env.isSandbox ? 'Sandbox' : 'Custom';
}
