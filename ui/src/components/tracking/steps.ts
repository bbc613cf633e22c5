/**
 * The auth dialog's tracked steps (Client Tracking API names), in words, and how an attempt's
 * outcome reads. One table, so the trail and the attempt list say the same thing.
 */
import type { LinkAttempt, LinkOutcome, TrailStep } from '../../ipc';
import type { Tone } from '../shared';

/** Every step, in the order TrueLayer's documentation lists them. */
export const TRAIL_STEPS: readonly TrailStep[] = [
  'dialog_started',
  'provider_selected',
  'consent_granted',
  'provider_auth_started',
  'provider_authorized',
  'code_exchanged',
];

export const STEP_LABELS: Record<TrailStep, string> = {
  dialog_started: 'Dialog opened',
  provider_selected: 'Bank chosen',
  consent_granted: 'Consent given',
  provider_auth_started: "Bank's login shown",
  provider_authorized: 'Bank authorised',
  code_exchanged: 'Code returned to the app',
};

const OUTCOME_LABELS: Record<LinkOutcome, { label: string; tone: Tone }> = {
  waiting: { label: 'Waiting', tone: 'accent' },
  completed: { label: 'Completed', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'warning' },
  expired: { label: 'Abandoned', tone: 'warning' },
};

/**
 * How an attempt reads. A link the app never opened (the wizard builds one as soon as the choices
 * allow, and drops it when the user leaves) is told apart; it may still have been copied or scanned,
 * so its journey can be asked for all the same.
 */
export function outcomeOf(attempt: LinkAttempt): { label: string; tone: Tone } {
  if (attempt.openedAt === null) {
    if (attempt.outcome === 'waiting') return { label: 'Not opened yet', tone: 'neutral' };
    if (attempt.outcome === 'cancelled' || attempt.outcome === 'expired')
      return { label: 'Never opened', tone: 'neutral' };
  }
  return OUTCOME_LABELS[attempt.outcome];
}
