import { useDeferredValue, useEffect, useRef, useState } from 'react';
import {
  cancelFetch,
  exportTransactions,
  fetchTransactions,
  listCards,
  onFetchProgress,
  toIpcError,
  type Connection,
  type ExportFormat,
  type FetchProgressEvent,
  type IpcErrorPayload,
  type TransactionFetchSummary,
  type TransactionSortField,
  type TransactionSource,
} from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { useSubscription } from '../../hooks/useSubscription';
import { formatDate, formatMoney, formatNumber } from '../../lib/format';
import { useConnectionAccounts } from '../accounts/ConnectionAccountsContext';
import { hasScope, ScopeMissing } from '../data/ScopeMissing';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Banner, Button, Card, EmptyState, Icon, LineChart, ProgressBar, Select, TextInput, useToast } from '../shared';
import { DateRange, lastDays, type Range } from './DateRange';
import { TransactionsTable } from './TransactionsTable';
import './transactions.css';

export interface TransactionsPanelProps {
  connection: Connection;
  /** "account:<id>" or "card:<id>" from the route, to start on that source. */
  initialSource: string | null;
  onReconsent: () => void;
}

type FetchState =
  | { phase: 'idle' }
  | { phase: 'fetching'; fetchId: string; progress: FetchProgressEvent | null }
  | { phase: 'done'; summary: TransactionFetchSummary }
  | { phase: 'failed'; error: IpcErrorPayload }
  | { phase: 'cancelled' };

function newFetchId(): string {
  return typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `fetch-${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

function parseSource(value: string | null): { source: TransactionSource; id: string } | null {
  if (!value) return null;
  const [kind, ...rest] = value.split(':');
  const id = rest.join(':');
  if ((kind === 'account' || kind === 'card') && id) return { source: kind, id };
  return null;
}

/** Transactions of one account or card over a date range, fetched in windows with progress. */
export function TransactionsPanel({ connection, initialSource, onReconsent }: TransactionsPanelProps) {
  if (!hasScope(connection, 'transactions')) {
    return <ScopeMissing connection={connection} scope="transactions" what="transactions" onReconsent={onReconsent} />;
  }
  return <Transactions connection={connection} initialSource={initialSource} />;
}

function Transactions({ connection, initialSource }: { connection: Connection; initialSource: string | null }) {
  const accounts = useConnectionAccounts();
  const withCards = hasScope(connection, 'cards');
  const cards = useIpcQuery(
    queryKeys.connectionView(connection.environmentId, connection.id, 'cards'),
    () => listCards(connection.id),
    { enabled: withCards },
  );
  const toast = useToast();

  const [chosen, setChosen] = useState<string | null>(initialSource);
  const [range, setRange] = useState<Range>(() => lastDays(90));
  const [state, setState] = useState<FetchState>({ phase: 'idle' });
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search.trim());
  const [sort, setSort] = useState<{ field: TransactionSortField; descending: boolean }>({
    field: 'timestamp',
    descending: true,
  });
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const running = useRef<string | null>(null);

  useEffect(
    () => () => {
      if (running.current) cancelFetch(running.current).catch(() => undefined);
    },
    [],
  );

  useSubscription(onFetchProgress, (e) => {
    setState((s) => (s.phase === 'fetching' && s.fetchId === e.fetchId ? { ...s, progress: e } : s));
  });

  const accountOptions = (accounts.data?.data ?? []).map((a) => ({
    value: `account:${a.account.accountId}`,
    label: a.account.displayName,
    currency: a.account.currency,
  }));
  const cardOptions = (cards.data?.data ?? []).map((c) => ({
    value: `card:${c.card.accountId}`,
    label: `${c.card.displayName} (card)`,
    currency: c.card.currency,
  }));
  const options = [...accountOptions, ...cardOptions];
  const selected = options.find((o) => o.value === chosen) ?? options[0];
  const source = parseSource(selected?.value ?? null);

  async function start() {
    if (!source) return;
    if (running.current) await cancelFetch(running.current).catch(() => undefined);
    const fetchId = newFetchId();
    running.current = fetchId;
    setState({ phase: 'fetching', fetchId, progress: null });
    try {
      const summary = await fetchTransactions({
        fetchId,
        connectionId: connection.id,
        source: source.source,
        accountId: source.id,
        from: range.from,
        to: range.to,
      });
      if (running.current !== fetchId) return;
      setState({ phase: 'done', summary });
    } catch (reason) {
      if (running.current !== fetchId) return;
      const error = toIpcError(reason);
      setState(error.code === 'cancelled' ? { phase: 'cancelled' } : { phase: 'failed', error: error.toPayload() });
    } finally {
      if (running.current === fetchId) running.current = null;
    }
  }

  async function cancel(fetchId: string) {
    await cancelFetch(fetchId).catch(() => undefined);
  }

  async function exportAs(fetchId: string, format: ExportFormat) {
    setExporting(format);
    try {
      const path = await exportTransactions(fetchId, format);
      if (path) toast.show(`Saved ${format.toUpperCase()} to ${path}`, 'success');
    } catch (reason) {
      toast.show(toIpcError(reason).message, 'danger');
    } finally {
      setExporting(null);
    }
  }

  const fetching = state.phase === 'fetching';

  return (
    <div className="stack">
      <Card>
        <div className="tx-controls">
          <label className="date-field">
            <span>Account or card</span>
            <Select
              value={selected?.value ?? ''}
              onChange={(e) => setChosen(e.target.value)}
              disabled={fetching || options.length === 0}
              data-testid="transactions-source"
            >
              {options.length === 0 && (
                <option value="">{accounts.status === 'loading' ? 'Loading accounts…' : 'No accounts'}</option>
              )}
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </Select>
          </label>
          <DateRange value={range} onChange={setRange} disabled={fetching} />
          <Button
            variant="primary"
            icon="download"
            onClick={() => void start()}
            disabled={!source || fetching || range.from > range.to}
            data-testid="transactions-fetch"
          >
            Fetch
          </Button>
        </div>
        {accounts.status === 'error' && accounts.error && (
          <IpcErrorPanel error={accounts.error.toPayload()} onRetry={accounts.reload} />
        )}
      </Card>

      {state.phase === 'idle' && (
        <EmptyState icon="list" title="Choose a range and fetch" compact>
          <p>
            Long ranges are split into windows of at most three months, fetched in parallel; you can cancel at any time.
          </p>
        </EmptyState>
      )}

      {state.phase === 'fetching' && (
        <Card data-testid="transactions-progress">
          <div className="stack-sm">
            <div className="row-between">
              <span>
                {state.progress
                  ? `Fetched ${state.progress.windowsDone} of ${state.progress.windowsTotal} windows · ${formatNumber(state.progress.rows)} transactions so far`
                  : 'Starting…'}
              </span>
              <Button
                size="sm"
                variant="secondary"
                onClick={() => void cancel(state.fetchId)}
                data-testid="transactions-cancel"
              >
                Cancel
              </Button>
            </div>
            <ProgressBar
              value={state.progress?.windowsDone ?? 0}
              max={state.progress?.windowsTotal ?? 1}
              label="Fetching transactions"
            />
          </div>
        </Card>
      )}

      {state.phase === 'cancelled' && (
        <Banner tone="info">Fetch cancelled. Nothing partial is shown; fetch again when ready.</Banner>
      )}

      {state.phase === 'failed' && (
        <IpcErrorPanel error={state.error} onRetry={() => void start()} data-testid="transactions-error" />
      )}

      {state.phase === 'done' && (
        <Results
          summary={state.summary}
          search={search}
          onSearch={setSearch}
          deferredSearch={deferredSearch}
          sort={sort}
          onSort={(field) =>
            setSort((s) => ({ field, descending: s.field === field ? !s.descending : field !== 'description' }))
          }
          exporting={exporting}
          onExport={(format) => void exportAs(state.summary.fetchId, format)}
        />
      )}
    </div>
  );
}

interface ResultsProps {
  summary: TransactionFetchSummary;
  search: string;
  deferredSearch: string;
  onSearch: (value: string) => void;
  sort: { field: TransactionSortField; descending: boolean };
  onSort: (field: TransactionSortField) => void;
  exporting: ExportFormat | null;
  onExport: (format: ExportFormat) => void;
}

function Results({ summary, search, deferredSearch, onSearch, sort, onSort, exporting, onExport }: ResultsProps) {
  const points = summary.balanceSeries.map((p) => ({ label: p.date, value: p.balance }));
  return (
    <div className="stack">
      <div className="tx-summary" data-testid="transactions-summary">
        <div>
          <span className="muted">Transactions</span>
          <strong className="num">{formatNumber(summary.total)}</strong>
        </div>
        <div>
          <span className="muted">Pending</span>
          <strong className="num">{formatNumber(summary.pending.length)}</strong>
        </div>
        <div>
          <span className="muted">Windows fetched</span>
          <strong className="num">{summary.windows}</strong>
        </div>
        <div className="tx-summary-traces">
          <span className="muted">Trace ids</span>
          <span className="mono">
            {summary.traceIds.slice(0, 2).join(', ') || '—'}
            {summary.traceIds.length > 2 && ` +${summary.traceIds.length - 2}`}
          </span>
        </div>
        <span className="grow" />
        <span className="row">
          <Button
            size="sm"
            icon="download"
            loading={exporting === 'csv'}
            onClick={() => onExport('csv')}
            data-testid="transactions-export-csv"
          >
            CSV
          </Button>
          <Button
            size="sm"
            icon="download"
            loading={exporting === 'json'}
            onClick={() => onExport('json')}
            data-testid="transactions-export-json"
          >
            JSON
          </Button>
        </span>
      </div>

      {points.length > 1 && (
        <Card title="Balance over time">
          <LineChart
            points={points}
            label="Balance over time"
            formatValue={(v) => formatMoney(v, summary.currency)}
            formatLabel={(d) => formatDate(d)}
          />
        </Card>
      )}

      {summary.pending.length > 0 && (
        <Card
          title="Pending"
          subtitle="Not booked yet; the bank may still change or drop them."
          data-testid="transactions-pending"
        >
          <ul className="pending-list">
            {summary.pending.map((t) => (
              <li key={t.transactionId}>
                <span className="num muted">{formatDate(t.timestamp)}</span>
                <span className="grow">{t.description}</span>
                <span className="num">{formatMoney(t.amount, t.currency, { signed: true })}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}

      <div className="search-box tx-search">
        <Icon name="search" size={14} />
        <TextInput
          type="search"
          placeholder="Search description or merchant"
          aria-label="Search transactions"
          value={search}
          onChange={(e) => onSearch(e.target.value)}
          data-testid="transactions-search"
        />
      </div>
      <TransactionsTable
        fetchId={summary.fetchId}
        search={deferredSearch}
        sort={sort.field}
        descending={sort.descending}
        onSort={onSort}
      />
    </div>
  );
}
