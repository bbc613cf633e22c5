import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { listLinkAttempts, onLinkCompleted, onLinkFailed, onLinkWaiting, toIpcError } from '../../ipc';
import { useSubscription } from '../../hooks/useSubscription';
import { queryKeys } from '../../query';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Badge, Button, Card, Spinner } from '../shared';
import { AuthTrailCard } from './AuthTrailCard';
import { outcomeOf } from './steps';
import './tracking.css';

/** How often the list is read again from core's database (no network): a cancel sends no event. */
const ATTEMPTS_EVERY_MS = 5000;

export interface LinkAttemptsProps {
  environmentId: string;
}

/** The environment's recent link attempts, abandoned ones included; each shows its trail on demand. */
export function LinkAttempts({ environmentId }: LinkAttemptsProps) {
  const attempts = useQuery({
    queryKey: queryKeys.linkAttempts(environmentId),
    queryFn: () => listLinkAttempts(environmentId),
    refetchInterval: ATTEMPTS_EVERY_MS,
  });
  const [open, setOpen] = useState<string | null>(null);
  // An opened, completed or failed link changes its attempt: read the list again at once.
  const reread = () => void attempts.refetch();
  useSubscription(onLinkWaiting, reread);
  useSubscription(onLinkCompleted, reread);
  useSubscription(onLinkFailed, reread);

  return (
    <Card
      title="Recent link attempts"
      subtitle="Every link built here carries a tracking_id; open one to see where its user got to."
      data-testid="link-attempts"
      flush
    >
      {attempts.error ? (
        <IpcErrorPanel error={toIpcError(attempts.error).toPayload()} />
      ) : !attempts.data ? (
        <Spinner size={18} label="Loading link attempts" />
      ) : attempts.data.length === 0 ? (
        <p className="secondary link-attempts-empty">No links built in this environment yet.</p>
      ) : (
        <ul className="link-attempts">
          {attempts.data.map((attempt) => {
            const outcome = outcomeOf(attempt);
            const shown = open === attempt.id;
            return (
              <li key={attempt.id} className="link-attempt" data-testid="link-attempt" data-outcome={attempt.outcome}>
                <div className="link-attempt-row">
                  <time dateTime={attempt.createdAt}>{new Date(attempt.createdAt).toLocaleString()}</time>
                  <span>{attempt.providerId ?? 'any bank'}</span>
                  <code className="link-attempt-tracking">{attempt.trackingId}</code>
                  <Badge tone={outcome.tone} data-testid="link-attempt-outcome">
                    {outcome.label}
                  </Badge>
                  <Button
                    size="sm"
                    variant="secondary"
                    aria-expanded={shown}
                    onClick={() => setOpen(shown ? null : attempt.id)}
                    data-testid="link-attempt-trail"
                  >
                    {shown ? 'Hide journey' : 'Show journey'}
                  </Button>
                </div>
                {shown && <AuthTrailCard attemptId={attempt.id} />}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
