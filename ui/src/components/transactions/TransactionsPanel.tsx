import { useDeferredValue, useState } from 'react';
import {
  exportTransactions,
  listCards,
  toIpcError,
  type Connection,
  type ExportFormat,
  type TransactionFetchSummary,
  type TransactionSortField,
} from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { formatDate, formatMoney, formatNumber } from '../../lib/format';
import { useConnectionAccounts } from '../accounts/ConnectionAccountsContext';
import { hasScope, ScopeMissing } from '../data/ScopeMissing';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Banner, Button, Card, EmptyState, Icon, LineChart, ProgressBar, Select, TextInput, useToast } from '../shared';
import { DateRange } from './DateRange';
import { TransactionsTable } from './TransactionsTable';
import {
  ALL_SOURCES,
  cancelTransactionsFetch,
  parseSource,
  startTransactionsFetch,
  useTransactionsView,
} from './useTransactionsFetch';
import './transactions.css';

export interface TransactionsPanelProps {
  connection: Connection;
  /** "account:<id>" or "card:<id>" from the route, to start on that source. */
  initialSource: string | null;
  onReconsent: () => void;
}

/**
 * Transactions of one account or card, or of every account and card, over a date range,
 * fetched in windows with progress. The fetch and the view live in the query cache
 * (useTransactionsFetch): leaving the tab neither cancels nor forgets them.
 */
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
  const { view, set, client } = useTransactionsView(connection.id, initialSource);
  const { state, range, sort } = view;
  // Typed into here first (the cache notifies a beat later, which would drop keystrokes), and
  // kept in the view for the return to the tab.
  const [search, setSearch] = useState(view.search);
  const onSearch = (value: string) => {
    setSearch(value);
    set({ search: value });
  };
  const deferredSearch = useDeferredValue(search.trim());
  const [exporting, setExporting] = useState<ExportFormat | null>(null);

  const accountOptions = (accounts.data?.data ?? []).map((a) => ({
    value: `account:${a.account.accountId}`,
    label: a.account.displayName,
  }));
  const cardOptions = (cards.data?.data ?? []).map((c) => ({
    value: `card:${c.card.accountId}`,
    label: `${c.card.displayName} (card)`,
  }));
  const sources = [...accountOptions, ...cardOptions];
  const options = sources.length > 1 ? [{ value: ALL_SOURCES, label: 'All accounts and cards' }, ...sources] : sources;
  const selected = options.find((o) => o.value === view.chosen) ?? sources[0];
  const choice = selected?.value ?? null;
  const fetchable = choice === ALL_SOURCES || parseSource(choice) !== null;

  function start() {
    if (choice) void startTransactionsFetch(client, connection.id, choice);
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
              onChange={(e) => set({ chosen: e.target.value })}
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
          <DateRange value={range} onChange={(r) => set({ range: r })} disabled={fetching} />
          <Button
            variant="primary"
            icon="download"
            onClick={start}
            disabled={!fetchable || fetching || range.from > range.to}
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
                onClick={() => void cancelTransactionsFetch(client, connection.id)}
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

      {state.phase === 'fetching' && state.all && (
        <Rows
          fetchId={state.fetchId}
          version={state.progress?.rows ?? 0}
          search={search}
          deferredSearch={deferredSearch}
          onSearch={onSearch}
          sort={sort}
          onSort={() => undefined}
        />
      )}

      {state.phase === 'cancelled' && (
        <Banner tone="info">Fetch cancelled. Nothing partial is shown; fetch again when ready.</Banner>
      )}

      {state.phase === 'failed' && (
        <IpcErrorPanel error={state.error} onRetry={start} data-testid="transactions-error" />
      )}

      {state.phase === 'done' && (
        <Results
          summary={state.summary}
          search={search}
          onSearch={onSearch}
          deferredSearch={deferredSearch}
          sort={sort}
          onSort={(field) =>
            set({ sort: { field, descending: sort.field === field ? !sort.descending : field !== 'description' } })
          }
          series={view.series}
          onSeries={(series) => set({ series })}
          exporting={exporting}
          onExport={(format) => void exportAs(state.summary.fetchId, format)}
        />
      )}
    </div>
  );
}

interface RowsProps {
  fetchId: string;
  version: number;
  search: string;
  deferredSearch: string;
  onSearch: (value: string) => void;
  sort: { field: TransactionSortField; descending: boolean };
  onSort: (field: TransactionSortField) => void;
}

/** The search box and the table (of a finished fetch, or of the rows so far of a running one). */
function Rows({ fetchId, version, search, deferredSearch, onSearch, sort, onSort }: RowsProps) {
  return (
    <>
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
        fetchId={fetchId}
        version={version}
        search={deferredSearch}
        sort={sort.field}
        descending={sort.descending}
        onSort={onSort}
      />
    </>
  );
}

interface ResultsProps extends Omit<RowsProps, 'fetchId' | 'version'> {
  summary: TransactionFetchSummary;
  /** "total", or the index of a source in the summary. */
  series: string;
  onSeries: (series: string) => void;
  exporting: ExportFormat | null;
  onExport: (format: ExportFormat) => void;
}

function Results({ summary, series, onSeries, exporting, onExport, ...rows }: ResultsProps) {
  const several = summary.sources.length > 1;
  // Balances in different currencies have no total: then the chart shows one source at a time.
  const total = !several || summary.currency !== '';
  const chosenSeries = several
    ? (summary.sourceSeries.find((s) => String(s.source) === series) ?? (total ? undefined : summary.sourceSeries[0]))
    : undefined;
  const seriesCurrency = chosenSeries ? (summary.sources[chosenSeries.source]?.currency ?? '') : summary.currency;
  const points = (chosenSeries?.points ?? summary.balanceSeries).map((p) => ({ label: p.date, value: p.balance }));
  return (
    <div className="stack">
      <div className="tx-summary" data-testid="transactions-summary">
        <div>
          <span className="muted">Transactions</span>
          <strong className="num">{formatNumber(summary.total)}</strong>
        </div>
        {several ? (
          <div>
            <span className="muted">Accounts and cards</span>
            <strong className="num">{summary.sources.length}</strong>
          </div>
        ) : (
          <div>
            <span className="muted">Pending</span>
            <strong className="num">{formatNumber(summary.pending.length)}</strong>
          </div>
        )}
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
          {several && (
            <label className="date-field tx-series">
              <span>Series</span>
              <Select
                value={chosenSeries ? String(chosenSeries.source) : 'total'}
                onChange={(e) => onSeries(e.target.value)}
                data-testid="transactions-series"
              >
                {total && <option value="total">Total of every account and card</option>}
                {summary.sources.map((s, i) => (
                  <option key={`${s.source}:${s.accountId}`} value={String(i)}>
                    {s.displayName || s.accountId}
                    {total ? '' : ` (${s.currency})`}
                  </option>
                ))}
              </Select>
            </label>
          )}
          <LineChart
            points={points}
            label="Balance over time"
            formatValue={(v) => formatMoney(v, seriesCurrency)}
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

      <Rows fetchId={summary.fetchId} version={0} {...rows} />
    </div>
  );
}
