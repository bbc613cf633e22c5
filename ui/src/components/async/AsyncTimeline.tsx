import { useState } from 'react';
import { tamperNextWebhook, type AsyncRun, type WebhookArrival } from '../../ipc';
import { formatTime } from '../../lib/format';
import { Badge, Button, Card, EmptyState, LoadingPanel } from '../shared';
import { useAsyncRuns } from './useAsyncMode';
import { WebhookDetails, WebhookSignatureBadge } from './WebhookArrivalView';
import './async.css';

export interface AsyncTimelineProps {
  connectionId: string;
  environmentId: string;
  /** Opens the request inspector on the exchanges of one task (filtered by its task id). */
  onOpenExchanges: (taskId: string) => void;
}

/** Every async task of the connection: Queued → Running → Succeeded/Failed, webhooks, results. */
export function AsyncTimeline({ connectionId, environmentId, onOpenExchanges }: AsyncTimelineProps) {
  const runs = useAsyncRuns(connectionId);
  const [tamper, setTamper] = useState<'idle' | 'armed' | string>('idle');
  const armTamper = () =>
    tamperNextWebhook(environmentId).then(
      (armed) => setTamper(armed ? 'armed' : 'The sandbox did not arm it.'),
      (e: Error) => setTamper(e.message),
    );

  if (runs.status === 'pending') return <LoadingPanel label="Loading async tasks…" />;
  const list = runs.data ?? [];
  return (
    <div className="stack" data-testid="async-timeline">
      <div className="panel-toolbar">
        <span className="muted">
          {list.length} async {list.length === 1 ? 'task' : 'tasks'} this session, newest first.
        </span>
        <Button variant="secondary" size="sm" onClick={armTamper} data-testid="async-tamper">
          Tamper with the next webhook
        </Button>
      </div>
      {tamper === 'armed' && (
        <p className="muted" role="status" data-testid="async-tamper-armed">
          The sandbox will alter the next webhook after signing it: its signature must not verify.
        </p>
      )}
      {tamper !== 'idle' && tamper !== 'armed' && (
        <p className="async-error" role="alert">
          {tamper}
        </p>
      )}
      {list.length === 0 ? (
        <EmptyState icon="clock" title="No async tasks yet">
          <p>Turn on async mode above, then open any data view or run the coverage matrix.</p>
        </EmptyState>
      ) : (
        list.map((run) => <RunCard key={run.taskId} run={run} onOpenExchanges={onOpenExchanges} />)
      )}
    </div>
  );
}

interface Moment {
  at: string;
  label: string;
  kind: 'step' | 'webhook' | 'results';
  status?: string;
  webhook?: WebhookArrival;
}

/** The task's steps, webhook arrivals and results fetch, in time order. */
function moments(run: AsyncRun): Moment[] {
  const all: Moment[] = [
    ...run.steps.map((s) => ({ at: s.at, label: s.status, kind: 'step' as const, status: s.status })),
    ...run.webhooks.map((w) => ({ at: w.receivedAt, label: 'Webhook arrived', kind: 'webhook' as const, webhook: w })),
  ];
  if (run.resultsFetchedAt) {
    all.push({ at: run.resultsFetchedAt, label: 'Results fetched from results_uri', kind: 'results' });
  }
  return all.sort((a, b) => a.at.localeCompare(b.at));
}

function statusTone(status: string | undefined) {
  if (status === 'Succeeded') return 'success' as const;
  if (status === 'Failed') return 'danger' as const;
  return 'neutral' as const;
}

function RunCard({ run, onOpenExchanges }: { run: AsyncRun; onOpenExchanges: (taskId: string) => void }) {
  const last = run.steps.at(-1)?.status;
  return (
    <Card
      title={<code>{run.operation}</code>}
      subtitle={<span className="mono async-path">{run.path}</span>}
      actions={
        <>
          <Badge tone={statusTone(last)} data-testid="async-run-status">
            {last ?? 'Unknown'}
          </Badge>
          <Button variant="ghost" size="sm" onClick={() => onOpenExchanges(run.taskId)}>
            Open in inspector
          </Button>
        </>
      }
      data-testid="async-run"
      data-operation={run.operation}
    >
      <ol className="async-moments" aria-label={`Timeline of task ${run.taskId}`}>
        {moments(run).map((m, i) => (
          <li key={i} className={`async-moment async-moment-${m.kind}`} data-testid={`async-${m.kind}`}>
            <time dateTime={m.at} className="mono">
              {formatTime(m.at)}
            </time>
            <span className="async-moment-label">
              {m.kind === 'step' ? <Badge tone={statusTone(m.status)}>{m.label}</Badge> : m.label}
            </span>
            {m.webhook && <WebhookSignatureBadge signature={m.webhook.signature} />}
            {m.kind === 'results' && run.resultsTraceId && (
              <span className="muted mono">trace {run.resultsTraceId}</span>
            )}
            {m.webhook && <WebhookDetails webhook={m.webhook} />}
          </li>
        ))}
      </ol>
      <p className="muted async-task-id">
        Task <span className="mono">{run.taskId}</span>
      </p>
      {run.error && (
        <p className="async-error" role="alert">
          {run.error}
        </p>
      )}
    </Card>
  );
}
