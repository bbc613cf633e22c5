import { useMutation, useQuery } from '@tanstack/react-query';
import {
  getRedirectGuide,
  getRedirectSelfTest,
  startRedirectSelfTest,
  toIpcError,
  type Environment,
  type ProbeStatus,
  type RedirectKind,
  type RedirectProbe,
} from '../../ipc';
import { queryKeys } from '../../query';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Badge, Button, Card, CopyButton, LoadingPanel, type Tone } from '../shared';
import './environments.css';

const PATH_NAMES: Record<RedirectKind, string> = {
  deep_link: 'Deep link',
  loopback: 'Loopback listener',
  console: 'Console page (paste)',
  registered: 'Registered',
};

const STATUS: Record<ProbeStatus, { tone: Tone; label: string }> = {
  waiting: { tone: 'neutral', label: 'Waiting…' },
  arrived: { tone: 'success', label: 'Arrived' },
  not_arrived: { tone: 'danger', label: 'Did not arrive' },
  not_opened: { tone: 'danger', label: 'Could not be opened' },
};

/**
 * What to allow-list in TrueLayer Console for this environment, one row per capture path with a
 * copy button, and a self-test that opens a probe down the deep link and the loopback and says
 * which came back (each within its time, or what to do next).
 */
export function RedirectHelperCard({ environment }: { environment: Environment }) {
  const guide = useQuery({
    queryKey: queryKeys.redirectGuide(environment.id, environment.redirectUris),
    queryFn: () => getRedirectGuide(environment.id),
  });
  const start = useMutation({ mutationFn: () => startRedirectSelfTest() });
  const testId = start.data?.testId;
  const progress = useQuery({
    queryKey: queryKeys.redirectSelfTest(testId),
    queryFn: () => getRedirectSelfTest(testId ?? ''),
    enabled: testId !== undefined,
    initialData: start.data,
    refetchInterval: (q) => (q.state.data?.finished === false ? 500 : false),
  });
  const test = progress.data;

  return (
    <Card
      title="Redirect URIs"
      subtitle="Exactly what to allow-list for each way the bank's redirect can come back to this build."
      data-testid="redirect-helper"
    >
      {guide.isPending ? (
        <LoadingPanel />
      ) : guide.isError ? (
        <IpcErrorPanel error={toIpcError(guide.error).toPayload()} onRetry={() => void guide.refetch()} />
      ) : (
        <div className="stack">
          <p data-testid="redirect-where">{guide.data.whereToRegister}</p>
          <ul className="redirect-paths">
            {guide.data.paths.map((p) => (
              <li key={p.kind} data-testid={`redirect-path-${p.kind}`}>
                <div className="redirect-path-head">
                  <strong>{PATH_NAMES[p.kind]}</strong>
                  <Badge tone={p.registered ? 'success' : 'warning'}>
                    {p.registered ? 'Listed for this environment' : 'Not listed for this environment'}
                  </Badge>
                </div>
                <div className="redirect-uri">
                  <code className="mono" data-testid={`redirect-uri-${p.kind}`}>
                    {p.uri}
                  </code>
                  <CopyButton value={p.uri} subject={p.uri} data-testid={`redirect-copy-${p.kind}`} />
                </div>
                <p className="muted">{p.note}</p>
              </li>
            ))}
          </ul>
          <div className="row wrap">
            <Button
              icon="shield"
              loading={start.isPending || test?.finished === false}
              onClick={() => start.mutate()}
              data-testid="redirect-self-test"
            >
              Run self-test
            </Button>
            <span className="muted">
              Opens a harmless redirect down the deep link and the loopback, and reports which reach this app.
            </span>
          </div>
          {start.isError && <IpcErrorPanel error={toIpcError(start.error).toPayload()} />}
          {test && (
            <ul className="redirect-probes" data-testid="redirect-self-test-result" data-finished={test.finished}>
              {test.probes.map((probe) => (
                <ProbeRow key={probe.kind} probe={probe} timeoutSeconds={test.timeoutSeconds} />
              ))}
            </ul>
          )}
        </div>
      )}
    </Card>
  );
}

function ProbeRow({ probe, timeoutSeconds }: { probe: RedirectProbe; timeoutSeconds: number }) {
  const status = STATUS[probe.status];
  return (
    <li data-testid={`redirect-probe-${probe.kind}`} data-status={probe.status}>
      <div className="redirect-path-head">
        <strong>{PATH_NAMES[probe.kind]}</strong>
        <Badge tone={status.tone}>
          {probe.status === 'arrived' && probe.arrivedAfterMs !== null
            ? `Arrived after ${(probe.arrivedAfterMs / 1000).toFixed(1)} s`
            : probe.status === 'not_arrived'
              ? `Did not arrive within ${timeoutSeconds} s`
              : status.label}
        </Badge>
      </div>
      <code className="mono redirect-probe-url" data-testid={`redirect-probe-url-${probe.kind}`}>
        {probe.url}
      </code>
      {probe.detail && <p className="field-error">{probe.detail}</p>}
      {probe.nextStep && <p data-testid={`redirect-probe-next-${probe.kind}`}>{probe.nextStep}</p>}
    </li>
  );
}
