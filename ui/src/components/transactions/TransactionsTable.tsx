import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { getTransaction, toIpcError, type TransactionSortField } from '../../ipc';
import { formatDate, formatMoney, formatNumber, humanize } from '../../lib/format';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { usePresenter } from '../presenter/usePresenter';
import { queryKeys } from '../../query';
import { Card, EmptyState, JsonTree, LoadingPanel, VirtualTable, type Column } from '../shared';
import { useTransactionPages, type TableRow } from './useTransactionPages';
import './transactions.css';

export interface TransactionsTableProps {
  fetchId: string;
  search: string;
  sort: TransactionSortField;
  descending: boolean;
  onSort: (field: TransactionSortField) => void;
  /** While the fetch runs: the rows so far (changes as windows arrive). */
  version: number;
}

const SORTABLE: Record<string, TransactionSortField> = {
  date: 'timestamp',
  description: 'description',
  amount: 'amount',
};

const currencyOf = (t: TableRow) => t.source?.currency ?? '';

/**
 * The fetched transactions: virtualized, searchable, sortable, each row's raw JSON on click
 * (read from core then); an Account column when the fetch holds several accounts and cards.
 */
export function TransactionsTable({ fetchId, search, sort, descending, onSort, version }: TransactionsTableProps) {
  const pages = useTransactionPages({ fetchId, search, sort, descending, version });
  // A row picked while the fetch runs has its arrival index, not its place in the finished set.
  const [picked, setPicked] = useState<{ index: number; partial: boolean } | null>(null);
  const selected = picked && !picked.partial && !pages.partial ? picked.index : null;
  const { maskJson } = usePresenter();
  const several = pages.sources.length > 1;
  const detail = useQuery({
    queryKey: queryKeys.transactionItem(fetchId, selected),
    queryFn: () => getTransaction(fetchId, selected ?? 0),
    enabled: selected !== null,
  });

  const columns = useMemo<Column<TableRow>[]>(
    () => [
      {
        key: 'date',
        header: 'Date',
        width: '112px',
        sortable: true,
        render: (t) => <span className="num">{formatDate(t.timestamp)}</span>,
      },
      {
        key: 'description',
        header: 'Description',
        width: 'minmax(220px, 1fr)',
        sortable: true,
        render: (t) => (
          <span className="tx-description" title={t.description}>
            {t.description}
            {t.merchantName && <span className="muted"> · {t.merchantName}</span>}
          </span>
        ),
      },
      ...(several
        ? [
            {
              key: 'account',
              header: 'Account',
              width: '160px',
              render: (t: TableRow) => (
                <span className="tx-description" title={t.source?.displayName}>
                  {t.source?.displayName || t.source?.accountId}
                </span>
              ),
            },
          ]
        : []),
      {
        key: 'category',
        header: 'Category',
        width: '150px',
        render: (t) => <span className="muted">{humanize(t.category)}</span>,
      },
      {
        key: 'amount',
        header: 'Amount',
        width: '130px',
        align: 'right',
        sortable: true,
        render: (t) => (
          <span className={t.amount < 0 ? 'num' : 'num positive'}>
            {formatMoney(t.amount, currencyOf(t), { signed: true })}
          </span>
        ),
      },
      {
        key: 'balance',
        header: 'Balance',
        width: '130px',
        align: 'right',
        render: (t) => (
          <span className="num muted">
            {t.runningBalance !== null ? formatMoney(t.runningBalance, currencyOf(t)) : '—'}
          </span>
        ),
      },
    ],
    [several],
  );

  if (pages.error) return <IpcErrorPanel error={pages.error.toPayload()} />;
  if (pages.total === null) return <LoadingPanel label="Reading transactions…" />;
  if (pages.total === 0 && pages.partial) return <LoadingPanel label="Waiting for the first window…" />;
  if (pages.total === 0) {
    return (
      <EmptyState icon="search" title={search ? 'No transaction matches' : 'No transactions in this range'} compact>
        <p>{search ? 'Search looks at descriptions and merchant names.' : 'Try a longer date range.'}</p>
      </EmptyState>
    );
  }

  const sortKey = Object.entries(SORTABLE).find(([, f]) => f === sort)?.[0] ?? 'date';

  return (
    <div className="stack">
      <p className="muted" data-testid="transactions-count">
        {formatNumber(pages.total)} {pages.total === 1 ? 'transaction' : 'transactions'}
        {search && ' match'}
        {pages.partial && ' so far (in the order they arrive; sorted when the fetch is done)'}
      </p>
      <VirtualTable
        label="Transactions"
        columns={columns}
        rowCount={pages.total}
        getRow={pages.row}
        rowKey={(t) => String(t.index)}
        onRangeChange={pages.load}
        sort={{ key: sortKey, descending }}
        onSort={(key) => {
          const field = SORTABLE[key];
          if (field) onSort(field);
        }}
        onRowClick={(t) => setPicked({ index: t.index, partial: pages.partial })}
        selectedKey={selected !== null ? String(selected) : null}
        data-testid="transactions-table"
      />
      {detail.error && <IpcErrorPanel error={toIpcError(detail.error).toPayload()} />}
      {selected !== null && detail.data && (
        <Card
          title={detail.data.transaction.description}
          subtitle={
            several
              ? `Exactly what TrueLayer returned for this transaction of ${detail.data.source.displayName || detail.data.source.accountId}`
              : 'Exactly what TrueLayer returned for this transaction'
          }
          data-testid="transaction-detail"
        >
          <JsonTree value={detail.data.raw} mapString={maskJson} expandDepth={3} />
        </Card>
      )}
    </div>
  );
}
