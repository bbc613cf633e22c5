import { useCallback, useEffect, useRef, useState } from 'react';
import {
  queryTransactions,
  toIpcError,
  type IpcError,
  type TransactionPage,
  type TransactionSortField,
  type TransactionSourceInfo,
} from '../../ipc';

/** A page covers the visible rows plus the table's overscan, twice over: ~9 KB over IPC. */
export const PAGE_SIZE = 100;

export interface PageQuery {
  fetchId: string;
  search: string;
  sort: TransactionSortField;
  descending: boolean;
  /** Changes while a fetch is running (its rows so far): loaded pages are read again. */
  version: number;
}

/** One row of the table, rebuilt from a lean page's columns. */
export interface TableRow {
  /** Its place in the whole fetch: what `getTransaction` takes. */
  index: number;
  timestamp: string;
  description: string;
  merchantName: string | null;
  amount: number;
  runningBalance: number | null;
  category: string;
  source: TransactionSourceInfo | undefined;
}

interface Pages {
  key: string;
  total: number | null;
  partial: boolean;
  sources: TransactionSourceInfo[];
  rows: Map<number, TableRow[]>;
  error: IpcError | null;
}

export interface TransactionPages {
  /** Rows matching the search; null until the first page answered. */
  total: number | null;
  /** The fetch is still running: the rows so far, in arrival order. */
  partial: boolean;
  /** The accounts and cards of the fetch. */
  sources: TransactionSourceInfo[];
  row: (index: number) => TableRow | undefined;
  error: IpcError | null;
  /** Asks core for the pages covering [start, end] that are not loaded yet. */
  load: (start: number, end: number) => void;
}

const keyOf = (q: PageQuery) => `${q.fetchId}\u0000${q.search}\u0000${q.sort}\u0000${q.descending}`;
const empty = (key: string): Pages => ({ key, total: null, partial: false, sources: [], rows: new Map(), error: null });

function rowsOf(page: TransactionPage): TableRow[] {
  const c = page.rows;
  return c.index.map((index, i) => ({
    index,
    timestamp: c.timestamp[i] ?? '',
    description: c.description[i] ?? '',
    merchantName: c.merchantName[i] ?? null,
    amount: c.amount[i] ?? 0,
    runningBalance: c.runningBalance[i] ?? null,
    category: c.transactionCategory[i] ?? '',
    source: page.sources[c.source[i] ?? -1],
  }));
}

/**
 * Reads a fetched transaction set page by page from core (query_transactions, lean columns), so
 * a table of 100k rows only ever holds the pages that were scrolled past.
 */
export function useTransactionPages(query: PageQuery): TransactionPages {
  const key = keyOf(query);
  const [pages, setPages] = useState<Pages>(() => empty(key));
  // Pages asked for under the current key (cleared when it changes: going back to an earlier
  // search must ask again), and that key, so a late answer to an older one is dropped.
  const inFlight = useRef(new Set<string>());
  const latest = useRef(key);
  const visible = useRef<[number, number]>([0, PAGE_SIZE - 1]);
  const { fetchId, search, sort, descending, version } = query;

  const load = useCallback(
    (start: number, end: number) => {
      visible.current = [start, end];
      const first = Math.floor(Math.max(0, start) / PAGE_SIZE);
      const last = Math.floor(Math.max(0, end) / PAGE_SIZE);
      for (let page = first; page <= last; page++) {
        const id = `${key}\u0000${version}\u0000${page}`;
        if (inFlight.current.has(id)) continue;
        inFlight.current.add(id);
        queryTransactions({
          fetchId,
          offset: page * PAGE_SIZE,
          limit: PAGE_SIZE,
          search: search === '' ? null : search,
          sort,
          descending,
        }).then(
          (answer) =>
            setPages((prev) => {
              if (latest.current !== key) return prev;
              const base = prev.key === key ? prev : empty(key);
              const rows = new Map(base.rows);
              rows.set(page, rowsOf(answer));
              return { key, total: answer.total, partial: answer.partial, sources: answer.sources, rows, error: null };
            }),
          (reason: unknown) => {
            inFlight.current.delete(id);
            setPages((prev) => ({ ...(prev.key === key ? prev : empty(key)), error: toIpcError(reason) }));
          },
        );
      }
    },
    [key, version, fetchId, search, sort, descending],
  );

  // A new search or sort starts at the top; a new version re-reads what is on screen.
  useEffect(() => {
    latest.current = key;
    inFlight.current.clear();
    visible.current = [0, PAGE_SIZE - 1];
  }, [key]);

  useEffect(() => {
    const [start, end] = visible.current;
    load(start, end);
  }, [load]);

  const current = pages.key === key ? pages : null;
  return {
    total: current?.total ?? null,
    partial: current?.partial ?? false,
    sources: current?.sources ?? [],
    error: current?.error ?? null,
    row: (i) => current?.rows.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE],
    load,
  };
}
