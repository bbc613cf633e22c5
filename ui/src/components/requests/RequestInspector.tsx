import { useDeferredValue, useState, type KeyboardEvent } from 'react';
import {
  exportHar,
  getRequest,
  listRequests,
  toIpcError,
  type HarSelection,
  type RequestStatusFilter,
  type RequestSummary,
} from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { formatTime } from '../../lib/format';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { usePresenter } from '../presenter/usePresenter';
import {
  Badge,
  Button,
  Card,
  CopyButton,
  EmptyState,
  Icon,
  JsonTree,
  LoadingPanel,
  Menu,
  SegmentedControl,
  TextInput,
  useToast,
} from '../shared';
import './requests.css';

export interface RequestInspectorProps {
  /** Only this connection's exchanges; null: all of them. */
  connectionId: string | null;
  /** Search text to start with (e.g. a trace id from the coverage matrix). */
  initialText?: string | null;
}

const LIMIT = 500;

function statusTone(r: RequestSummary) {
  if (r.status === null) return 'danger' as const;
  if (r.status >= 500) return 'danger' as const;
  if (r.status >= 400) return 'warning' as const;
  return 'success' as const;
}

/** Every HTTP exchange core recorded (already redacted), filterable, with a detail pane. */
export function RequestInspector({ connectionId, initialText = null }: RequestInspectorProps) {
  const [status, setStatus] = useState<RequestStatusFilter>('all');
  const [endpoint, setEndpoint] = useState('');
  const [text, setText] = useState(initialText ?? '');
  const [selected, setSelected] = useState<string | null>(null);
  const endpointQuery = useDeferredValue(endpoint.trim());
  const textQuery = useDeferredValue(text.trim());

  const filter = { connectionId, status, endpoint: endpointQuery || null, text: textQuery || null, limit: LIMIT };
  const requests = useIpcQuery(queryKeys.requestList(filter), () => listRequests(filter));
  const rows = requests.data ?? [];
  const toast = useToast();

  async function saveHar(selection: HarSelection, what: string) {
    try {
      const path = await exportHar(selection);
      if (path) toast.show(`HAR of ${what} saved to ${path}`, 'success');
    } catch (reason) {
      toast.show(toIpcError(reason).message, 'danger');
    }
  }

  /** Up/Down move through the rows (and show each), Enter or Space shows the focused one. */
  function onRowKey(e: KeyboardEvent<HTMLTableRowElement>, index: number) {
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    const target = rows[index + step];
    if (step !== 0 && target) {
      e.preventDefault();
      setSelected(target.id);
      (e.currentTarget.parentElement?.children[index + step] as HTMLElement | undefined)?.focus();
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      setSelected(rows[index]?.id ?? null);
    }
  }

  return (
    <div className="inspector">
      <div className="inspector-filters">
        <SegmentedControl<RequestStatusFilter>
          name="request-status"
          label="Status"
          value={status}
          onChange={setStatus}
          options={[
            { value: 'all', label: 'All', testId: 'requests-status-all' },
            { value: 'success', label: 'Succeeded', testId: 'requests-status-success' },
            { value: 'failure', label: 'Failed', testId: 'requests-status-failure' },
          ]}
        />
        <TextInput
          placeholder="Endpoint, e.g. /data/v1/accounts"
          aria-label="Endpoint"
          value={endpoint}
          onChange={(e) => setEndpoint(e.target.value)}
          data-testid="requests-endpoint"
          mono
        />
        <div className="search-box">
          <Icon name="search" size={14} />
          <TextInput
            type="search"
            placeholder="Search URL, trace id, body"
            aria-label="Search requests"
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="requests-search"
          />
        </div>
        <Button
          size="sm"
          variant="ghost"
          icon="refresh"
          loading={requests.reloading}
          onClick={requests.reload}
          data-testid="requests-refresh"
        >
          Refresh
        </Button>
        <Menu
          label="Export HAR"
          icon="download"
          data-testid="requests-export-har"
          items={[
            {
              id: 'har-shown',
              label: `The ${rows.length} ${rows.length === 1 ? 'request' : 'requests'} shown`,
              disabled: rows.length === 0,
              onSelect: () =>
                void saveHar(
                  { ids: rows.map((r) => r.id), connectionId, since: null, until: null },
                  'the requests shown',
                ),
            },
            {
              id: 'har-selected',
              label: 'The selected request',
              disabled: selected === null,
              hint: selected === null ? 'Select a request first.' : undefined,
              onSelect: () =>
                selected &&
                void saveHar({ ids: [selected], connectionId, since: null, until: null }, 'the selected request'),
            },
          ]}
        />
      </div>

      <div className="inspector-body">
        <div className="inspector-list">
          {requests.status === 'loading' ? (
            <LoadingPanel label="Loading requests…" />
          ) : requests.status === 'error' && requests.error ? (
            <IpcErrorPanel error={requests.error.toPayload()} onRetry={requests.reload} data-testid="requests-error" />
          ) : rows.length === 0 ? (
            <EmptyState icon="list" title="No requests" compact>
              <p>
                {endpointQuery || textQuery || status !== 'all'
                  ? 'Nothing matches these filters.'
                  : 'Exchanges with TrueLayer appear here as they happen.'}
              </p>
            </EmptyState>
          ) : (
            <table className="data-table request-table" data-testid="requests-list">
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Request</th>
                  <th className="right">Status</th>
                  <th className="right">ms</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, index) => (
                  <tr
                    key={r.id}
                    className={r.id === selected ? 'row-selected' : undefined}
                    tabIndex={r.id === selected || (selected === null && index === 0) ? 0 : -1}
                    aria-current={r.id === selected ? true : undefined}
                    onClick={() => setSelected(r.id)}
                    onKeyDown={(e) => onRowKey(e, index)}
                    data-testid={`request-row-${r.id}`}
                  >
                    <td className="num muted">{formatTime(r.startedAt)}</td>
                    <td className="request-cell">
                      <span className="mono request-method">{r.method}</span> <span className="mono">{r.endpoint}</span>
                      {r.traceId && <div className="muted mono request-trace">trace {r.traceId}</div>}
                    </td>
                    <td className="right">
                      <Badge tone={statusTone(r)}>{r.status ?? 'failed'}</Badge>
                    </td>
                    <td className="right num muted">{r.durationMs}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {rows.length === LIMIT && (
            <p className="muted">Showing the latest {LIMIT}; narrow the filters to see older ones.</p>
          )}
        </div>
        <div className="inspector-detail">
          {selected ? (
            <RequestDetailPane key={selected} id={selected} />
          ) : (
            <p className="muted inspector-hint">Select a request to see its headers and bodies.</p>
          )}
        </div>
      </div>
    </div>
  );
}

function HeaderTable({ headers }: { headers: [string, string][] }) {
  if (headers.length === 0) return <p className="muted">none</p>;
  return (
    <table className="kv-table">
      <tbody>
        {headers.map(([k, v], i) => (
          <tr key={`${k}-${i}`}>
            <th scope="row" className="mono">
              {k}
            </th>
            <td className="mono">{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RequestDetailPane({ id }: { id: string }) {
  const detail = useIpcQuery(queryKeys.requestDetail(id), () => getRequest(id));
  const { maskJson } = usePresenter();
  if (detail.status === 'loading') return <LoadingPanel />;
  if (detail.status === 'error' && detail.error)
    return <IpcErrorPanel error={detail.error.toPayload()} onRetry={detail.reload} />;
  const d = detail.data;
  if (!d) return null;
  const s = d.summary;
  return (
    <div className="stack" data-testid="request-detail">
      <Card>
        <div className="stack-sm">
          <div className="row wrap">
            <Badge tone={statusTone(s)}>{s.status ?? 'failed'}</Badge>
            <span className="mono request-url">
              {s.method} {s.url}
            </span>
          </div>
          <div className="trace-box">
            <span className="muted">Trace id</span>
            <strong className="mono" data-testid="request-trace-id">
              {s.traceId ?? 'none'}
            </strong>
            {s.traceId && <CopyButton value={s.traceId} variant="ghost" label="Copy" />}
          </div>
          <p className="muted">
            {formatTime(s.startedAt)} · {s.durationMs} ms{s.correlationId && ` · correlation ${s.correlationId}`}
            {s.error && ` · ${s.error}`}
          </p>
          <div>
            <CopyButton value={d.curl} label="Copy as curl" variant="secondary" data-testid="request-copy-curl" />
          </div>
        </div>
      </Card>
      <Card title="Request">
        <div className="stack-sm">
          <HeaderTable headers={d.requestHeaders} />
          {d.requestBody !== null && d.requestBody !== undefined && (
            <JsonTree value={d.requestBody} mapString={maskJson} />
          )}
        </div>
      </Card>
      <Card title="Response">
        <div className="stack-sm">
          <HeaderTable headers={d.responseHeaders} />
          {d.responseBody !== null && d.responseBody !== undefined ? (
            <JsonTree value={d.responseBody} mapString={maskJson} expandDepth={3} />
          ) : (
            <p className="muted">No body.</p>
          )}
        </div>
      </Card>
    </div>
  );
}
