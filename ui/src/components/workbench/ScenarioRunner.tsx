import { useState } from 'react';
import {
  cancelScenarioRun,
  exportScenarioRun,
  getScenarioRun,
  listPersonas,
  listScenarioRuns,
  onScenarioProgress,
  startScenarioRun,
  toIpcError,
  type Environment,
  type IpcErrorPayload,
  type PersonaRun,
  type ReportFormat,
  type ScenarioRun,
} from '../../ipc';
import { activityIds, endActivity, reportActivity } from '../../activity';
import { queryKeys, useIpcQuery } from '../../query';
import { useAppData } from '../app/useAppData';
import { useSubscription } from '../../hooks/useSubscription';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Badge, Button, Card, ProgressBar } from '../shared';
import './workbench.css';

export interface ScenarioRunnerProps {
  environment: Environment;
}

/**
 * Runs the suite: every persona of the sandbox's table is linked in one click, its coverage
 * matrix run, then refresh, extend and revoke; each outcome is compared with what the sandbox
 * says that persona must produce. Runs in the background; compared with the previous run.
 */
export function ScenarioRunner({ environment }: ScenarioRunnerProps) {
  const runs = useIpcQuery(queryKeys.environmentView(environment.id, 'scenario-runs'), () =>
    listScenarioRuns(environment.id),
  );
  const { connections } = useAppData();
  const personas = useIpcQuery(queryKeys.environmentView(environment.id, 'personas'), () =>
    listPersonas(environment.id),
  );
  const [only, setOnly] = useState('');
  const [current, setCurrent] = useState<ScenarioRun | null>(null);
  const [error, setError] = useState<IpcErrorPayload | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const shown = current ?? runs.data?.[0] ?? null;
  const running = shown?.status === 'running';

  useSubscription(onScenarioProgress, (e) => {
    if (!shown || e.runId !== shown.id) return;
    getScenarioRun(e.runId).then(setCurrent, (reason: unknown) => setError(toIpcError(reason).toPayload()));
    // The run's connections were linked, then revoked and forgotten: show the list as it is.
    if (e.status !== 'running') {
      runs.reload();
      connections.reload();
    }
  });

  async function act(action: () => Promise<ScenarioRun>) {
    setError(null);
    setSaved(null);
    try {
      const run = await action();
      setCurrent(run);
      runs.reload();
      // Started, or cancelled (a cancelled run may send no last event): the indicator says which.
      if (run.status === 'running') reportActivity(activityIds.scenario(run.id), 'Scenario run');
      else endActivity(activityIds.scenario(run.id));
    } catch (reason) {
      setError(toIpcError(reason).toPayload());
    }
  }

  async function save(format: ReportFormat) {
    if (!shown) return;
    setError(null);
    try {
      setSaved(await exportScenarioRun(shown.id, format));
    } catch (reason) {
      setError(toIpcError(reason).toPayload());
    }
  }

  const done = shown?.personas.length ?? 0;
  return (
    <Card
      title="Scenario runner"
      subtitle="For every mock user: link without a browser → coverage matrix → refresh → extend → revoke, each compared with the outcome the sandbox declares for that user. The connections are forgotten afterwards; their exchanges stay in the inspector."
      actions={
        <span className="row">
          {running && shown ? (
            <Button
              variant="secondary"
              onClick={() => void act(() => cancelScenarioRun(shown.id))}
              data-testid="scenario-cancel"
            >
              Cancel
            </Button>
          ) : (
            <>
              <select
                className="input select"
                aria-label="Personas to run"
                value={only}
                onChange={(e) => setOnly(e.target.value)}
                data-testid="scenario-scope"
              >
                <option value="">All personas</option>
                {(personas.data?.groups ?? []).flatMap((g) =>
                  g.personas.map((p) => (
                    <option key={p.key} value={p.key}>
                      Only {p.username}/{p.password}
                    </option>
                  )),
                )}
              </select>
              <Button
                variant="primary"
                onClick={() =>
                  void act(() => startScenarioRun({ environmentId: environment.id, personaKeys: only ? [only] : [] }))
                }
                data-testid="scenario-run"
              >
                Run
              </Button>
            </>
          )}
        </span>
      }
      data-testid="scenario-runner"
    >
      {error && <IpcErrorPanel error={error} />}
      {!shown && <p className="muted">No run yet in {environment.name}.</p>}
      {shown && (
        <div className="stack" data-testid="scenario-run-view" data-status={shown.status}>
          <div className="row scenario-summary">
            <Badge tone={shown.status === 'passed' ? 'success' : shown.status === 'failed' ? 'danger' : 'neutral'}>
              {shown.status}
            </Badge>
            <span data-testid="scenario-totals">
              {shown.total - shown.failures} of {shown.total} checks passed · {shown.failures} failed · {done} persona
              {done === 1 ? '' : 's'} · {(shown.durationMs / 1000).toFixed(1)} s
            </span>
            {shown.changedSincePrevious !== undefined && shown.changedSincePrevious !== null && (
              <span className="muted" data-testid="scenario-changed">
                {shown.changedSincePrevious} changed since the previous run
              </span>
            )}
            <span className="muted">
              app {shown.appVersion} · seed {shown.sandboxSeed ?? 'unknown'}
            </span>
          </div>
          {running && <ProgressBar value={done} max={Math.max(done + 1, 1)} label={`${done} personas done`} />}
          {!running && (
            <span className="row">
              <Button
                size="sm"
                variant="secondary"
                onClick={() => void save('junit')}
                data-testid="scenario-export-junit"
              >
                Export JUnit
              </Button>
              <Button size="sm" variant="secondary" onClick={() => void save('markdown')}>
                Export Markdown
              </Button>
            </span>
          )}
          {saved && (
            <p className="muted" data-testid="scenario-saved">
              Saved to {saved}
            </p>
          )}
          {shown.personas.map((p) => (
            <PersonaResult key={p.personaKey} persona={p} />
          ))}
        </div>
      )}
    </Card>
  );
}

function PersonaResult({ persona }: { persona: PersonaRun }) {
  const failed = persona.cases.filter((c) => !c.passed);
  return (
    <details
      className="scenario-persona"
      open={failed.length > 0}
      data-testid={`scenario-${persona.personaKey}`}
      data-passed={persona.passed}
    >
      <summary>
        <Badge tone={persona.passed ? 'success' : 'danger'}>{persona.passed ? 'pass' : 'fail'}</Badge>{' '}
        <strong>{persona.label}</strong> <code className="muted">{persona.personaKey}</code>{' '}
        <span className="muted">{persona.durationMs} ms</span>
      </summary>
      {persona.linkError && <p className="coverage-error">{persona.linkError}</p>}
      <table className="data-table scenario-cases">
        <thead>
          <tr>
            <th>Check</th>
            <th>Expected</th>
            <th>Actual</th>
            <th>Trace ids</th>
          </tr>
        </thead>
        <tbody>
          {[...failed, ...persona.cases.filter((c) => c.passed)].map((c) => (
            <tr
              key={c.check}
              data-testid={`case-${persona.personaKey}-${c.check}`}
              data-passed={c.passed}
              className={c.passed ? undefined : 'scenario-failed'}
            >
              <td>
                <code>{c.check}</code>
              </td>
              <td>{c.expected.text}</td>
              <td>
                <strong>{c.actual.text}</strong>
                {c.message && <div className="muted">{c.message}</div>}
              </td>
              <td className="mono muted">{c.traceIds.slice(0, 2).join(' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
