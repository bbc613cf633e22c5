import { toIpcError, type AuthTrail } from '../../ipc';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Badge, Button, Card, Spinner } from '../shared';
import { STEP_LABELS, TRAIL_STEPS } from './steps';
import { useAuthTrail } from './useAuthTrail';
import './tracking.css';

export interface AuthTrailCardProps {
  attemptId: string;
  /** Re-ask the tracking host every few seconds (while waiting for the redirect). */
  live?: boolean;
}

/** One attempt's auth journey, fetched from the tracking host, with a refresh. */
export function AuthTrailCard({ attemptId, live = false }: AuthTrailCardProps) {
  const trail = useAuthTrail(attemptId, live);
  return (
    <Card
      title="Auth journey"
      subtitle="Where the user got to in the auth dialog, as TrueLayer's Client Tracking API records it."
      className="auth-trail-card"
      data-testid="auth-trail"
      actions={
        <Button
          size="sm"
          variant="secondary"
          icon="refresh"
          loading={trail.isFetching}
          onClick={() => void trail.refetch()}
          data-testid="auth-trail-refresh"
        >
          Refresh
        </Button>
      }
    >
      {trail.error ? (
        <IpcErrorPanel error={toIpcError(trail.error).toPayload()} data-testid="auth-trail-error" />
      ) : trail.data ? (
        <TrailSteps trail={trail.data} />
      ) : (
        <Spinner size={18} label="Asking the tracking host" />
      )}
    </Card>
  );
}

/** The reached steps with their times (oldest first), then those not reached. */
export function TrailSteps({ trail }: { trail: AuthTrail }) {
  const reached = new Set(trail.events.map((e) => e.step));
  const missing = TRAIL_STEPS.filter((s) => !reached.has(s));
  const last = trail.events.length - 1;
  return (
    <div className="auth-trail">
      <p className="auth-trail-summary" data-testid="auth-trail-summary">
        {trail.complete ? (
          <Badge tone="success" dot>
            Complete: a code came back
          </Badge>
        ) : trail.stoppedAt ? (
          <Badge tone="warning" dot>
            Stopped after: {STEP_LABELS[trail.stoppedAt]}
          </Badge>
        ) : (
          <Badge tone="neutral">No events yet: the link was not opened</Badge>
        )}
        <span className="muted">
          tracking_id <code>{trail.attempt.trackingId}</code> · asked {new Date(trail.fetchedAt).toLocaleTimeString()}
        </span>
      </p>
      <ol className="auth-trail-steps">
        {trail.events.map((event, i) => (
          <li
            key={`${event.step}-${event.time}-${i}`}
            className={i === last && !trail.complete ? 'auth-trail-step is-last' : 'auth-trail-step'}
            data-testid="auth-trail-step"
            data-step={event.step}
          >
            <span className="auth-trail-dot" aria-hidden="true" />
            <span className="auth-trail-label">{STEP_LABELS[event.step]}</span>
            <code className="auth-trail-name">{event.step}</code>
            <time className="auth-trail-time" dateTime={event.time}>
              {new Date(event.time).toLocaleTimeString()}
            </time>
            {event.providerId && <span className="muted">{event.providerId}</span>}
            {i === last && !trail.complete && <Badge tone="warning">stopped here</Badge>}
          </li>
        ))}
        {missing.map((step) => (
          <li key={step} className="auth-trail-step is-missing" data-testid="auth-trail-missing" data-step={step}>
            <span className="auth-trail-dot" aria-hidden="true" />
            <span className="auth-trail-label">{STEP_LABELS[step]}</span>
            <code className="auth-trail-name">{step}</code>
            <span className="muted">not reached</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
