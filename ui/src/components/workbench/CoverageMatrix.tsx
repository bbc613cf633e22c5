import { useState } from 'react';
import {
  exportCoverage,
  onCoverageProgress,
  runCoverage,
  toIpcError,
  type CellStatus,
  type Connection,
  type CoverageCell,
  type CoverageReport,
  type IpcErrorPayload,
  type ReportFormat,
} from '../../ipc';
import { activityIds, trackActivity } from '../../activity';
import { useSubscription } from '../../hooks/useSubscription';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Badge, Button, Card, ProgressBar, type Tone } from '../shared';
import './workbench.css';

export interface CoverageMatrixProps {
  connection: Connection;
  /** Opens the request inspector on an exchange (by its trace id). */
  onOpenExchange: (traceId: string) => void;
}

const STATUS: Record<CellStatus, { label: string; tone: Tone }> = {
  supported: { label: 'supported', tone: 'success' },
  not_supported: { label: 'not supported', tone: 'warning' },
  scope_missing: { label: 'scope missing', tone: 'neutral' },
  error: { label: 'error', tone: 'danger' },
  not_run: { label: 'not run', tone: 'neutral' },
};

/** One click calls every endpoint the connection's scopes allow and shows what each answered. */
export function CoverageMatrix({ connection, onOpenExchange }: CoverageMatrixProps) {
  const [report, setReport] = useState<CoverageReport | null>(null);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const [error, setError] = useState<IpcErrorPayload | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useSubscription(onCoverageProgress, (e) => {
    if (e.connectionId === connection.id) setProgress({ done: e.done, total: e.total });
  });

  async function run() {
    setRunning(true);
    setError(null);
    setSaved(null);
    setProgress({ done: 0, total: 0 });
    try {
      setReport(
        await trackActivity(activityIds.coverage(connection.id), 'Coverage matrix', runCoverage(connection.id)),
      );
    } catch (reason) {
      setError(toIpcError(reason).toPayload());
    } finally {
      setRunning(false);
    }
  }

  async function save(format: ReportFormat) {
    setError(null);
    try {
      setSaved(await exportCoverage(connection.id, format));
    } catch (reason) {
      setError(toIpcError(reason).toPayload());
    }
  }

  return (
    <Card
      title="Coverage matrix"
      subtitle="Calls every endpoint this connection’s permissions allow (4 at a time): each account’s and card’s too. Endpoints a permission is missing for are not called."
      actions={
        <span className="row">
          {report && (
            <>
              <Button
                size="sm"
                variant="secondary"
                onClick={() => void save('markdown')}
                data-testid="coverage-export-md"
              >
                Export Markdown
              </Button>
              <Button size="sm" variant="secondary" onClick={() => void save('json')}>
                Export JSON
              </Button>
            </>
          )}
          <Button variant="primary" loading={running} onClick={() => void run()} data-testid="coverage-run">
            {report ? 'Run again' : 'Run coverage matrix'}
          </Button>
        </span>
      }
      data-testid="coverage-matrix"
    >
      {running && (
        <ProgressBar
          value={progress.done}
          max={Math.max(progress.total, 1)}
          label={`${progress.done} of ${progress.total} calls`}
        />
      )}
      {error && <IpcErrorPanel error={error} />}
      {saved && <p className="muted">Saved to {saved}</p>}
      {report && (
        <div className="table-wrap">
          <table className="data-table coverage-table" data-testid="coverage-grid">
            <thead>
              <tr>
                <th>Endpoint</th>
                <th>Needs</th>
                <th>Status</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((row) => (
                <tr key={row.check} data-testid={`coverage-row-${row.check}`} data-status={row.status}>
                  <td>
                    <code>{row.endpoint}</code>
                  </td>
                  <td className="muted">{row.scopes.join(' + ') || '—'}</td>
                  <td>
                    <Badge tone={STATUS[row.status].tone}>{STATUS[row.status].label}</Badge>
                  </td>
                  <td>
                    <ul className="coverage-cells">
                      {row.cells.map((cell, i) => (
                        <li key={`${cell.itemId ?? ''}-${i}`}>
                          <CellDetail cell={cell} onOpenExchange={onOpenExchange} />
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            {report.rows.length} endpoints in {report.durationMs} ms · scopes <code>{report.scopes.join(' ')}</code>
          </p>
        </div>
      )}
    </Card>
  );
}

function CellDetail({ cell, onOpenExchange }: { cell: CoverageCell; onOpenExchange: (traceId: string) => void }) {
  const on = cell.itemId ? <span className="mono muted">{cell.itemId.slice(0, 8)}… </span> : null;
  if (cell.status === 'supported') {
    return (
      <span>
        {on}
        {cell.result ?? `${cell.count ?? 0} item${cell.count === 1 ? '' : 's'}`}
      </span>
    );
  }
  if (cell.status === 'error' || cell.status === 'not_supported') {
    const traceId = cell.traceId;
    return (
      <span className="coverage-error">
        {on}
        <strong>
          {cell.httpStatus ?? '—'} {cell.errorCode ?? 'no code'}
        </strong>{' '}
        {traceId && (
          <button
            type="button"
            className="wb-link mono"
            onClick={() => onOpenExchange(traceId)}
            title="Open this exchange in the request inspector"
          >
            {traceId}
          </button>
        )}
      </span>
    );
  }
  return <span className="muted">{STATUS[cell.status].label}</span>;
}
