import { useMemo, useState } from 'react';
import type { Transaction, TransactionSortField } from '../../ipc';
import { formatDate, formatMoney, formatNumber, humanize } from '../../lib/format';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { usePresenter } from '../presenter/usePresenter';
import { Card, EmptyState, JsonTree, LoadingPanel, VirtualTable, type Column } from '../shared';
import { useTransactionPages } from './useTransactionPages';
import './transactions.css';

export interface TransactionsTableProps {
  fetchId: string;
  search: string;
  sort: TransactionSortField;
  descending: boolean;
  onSort: (field: TransactionSortField) => void;
}

const SORTABLE: Record<string, TransactionSortField> = {
  date: 'timestamp',
  description: 'description',
  amount: 'amount',
};

/** The fetched transactions: virtualized, searchable, sortable, each row's raw JSON on click. */
export function TransactionsTable({ fetchId, search, sort, descending, onSort }: TransactionsTableProps) {
  const pages = useTransactionPages({ fetchId, search, sort, descending });
  const [selected, setSelected] = useState<number | null>(null);
  const { maskJson } = usePresenter();

  const columns = useMemo<Column<Transaction>[]>(
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
      {
        key: 'category',
        header: 'Category',
        width: '150px',
        render: (t) => <span className="muted">{humanize(t.transactionCategory)}</span>,
      },
      {
        key: 'amount',
        header: 'Amount',
        width: '130px',
        align: 'right',
        sortable: true,
        render: (t) => (
          <span className={t.amount < 0 ? 'num' : 'num positive'}>
            {formatMoney(t.amount, t.currency, { signed: true })}
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
            {t.runningBalance !== null ? formatMoney(t.runningBalance, t.currency) : '—'}
          </span>
        ),
      },
    ],
    [],
  );

  if (pages.error) return <IpcErrorPanel error={pages.error.toPayload()} />;
  if (pages.total === null) return <LoadingPanel label="Reading transactions…" />;
  if (pages.total === 0) {
    return (
      <EmptyState icon="search" title={search ? 'No transaction matches' : 'No transactions in this range'} compact>
        <p>{search ? 'Search looks at descriptions and merchant names.' : 'Try a longer date range.'}</p>
      </EmptyState>
    );
  }

  const sortKey = Object.entries(SORTABLE).find(([, f]) => f === sort)?.[0] ?? 'date';
  const selectedRow = selected !== null ? pages.row(selected) : undefined;

  return (
    <div className="stack">
      <p className="muted" data-testid="transactions-count">
        {formatNumber(pages.total)} {pages.total === 1 ? 'transaction' : 'transactions'}
        {search && ' match'}
      </p>
      <VirtualTable
        label="Transactions"
        columns={columns}
        rowCount={pages.total}
        getRow={pages.row}
        rowKey={(t, i) => `${t.transactionId}-${i}`}
        onRangeChange={pages.load}
        sort={{ key: sortKey, descending }}
        onSort={(key) => {
          const field = SORTABLE[key];
          if (field) onSort(field);
        }}
        onRowClick={(_t, i) => setSelected(i)}
        selectedKey={selectedRow && selected !== null ? `${selectedRow.transactionId}-${selected}` : null}
        data-testid="transactions-table"
      />
      {selectedRow && selected !== null && (
        <Card
          title={selectedRow.description}
          subtitle="Exactly what TrueLayer returned for this transaction"
          data-testid="transaction-detail"
        >
          <JsonTree value={pages.raw(selected) ?? selectedRow} mapString={maskJson} expandDepth={3} />
        </Card>
      )}
    </div>
  );
}
