import { useCallback, useEffect, useRef, useState } from 'react';
import { queryTransactions, toIpcError, type IpcError, type Transaction, type TransactionSortField } from '../../ipc';

export const PAGE_SIZE = 200;

export interface PageQuery {
  fetchId: string;
  search: string;
  sort: TransactionSortField;
  descending: boolean;
}

interface Pages {
  key: string;
  total: number | null;
  rows: Map<number, Transaction[]>;
  raw: Map<number, unknown[]>;
  error: IpcError | null;
}

export interface TransactionPages {
  /** Rows matching the search; null until the first page answered. */
  total: number | null;
  row: (index: number) => Transaction | undefined;
  raw: (index: number) => unknown;
  error: IpcError | null;
  /** Asks core for the pages covering [start, end] that are not loaded yet. */
  load: (start: number, end: number) => void;
}

const keyOf = (q: PageQuery) => `${q.fetchId}\u0000${q.search}\u0000${q.sort}\u0000${q.descending}`;

/**
 * Reads a fetched transaction set page by page from core (query_transactions), so a table of
 * 100k rows only ever holds the pages that were scrolled past.
 */
export function useTransactionPages(query: PageQuery): TransactionPages {
  const key = keyOf(query);
  const [pages, setPages] = useState<Pages>({ key, total: null, rows: new Map(), raw: new Map(), error: null });
  const inFlight = useRef(new Set<string>());
  const { fetchId, search, sort, descending } = query;

  const load = useCallback(
    (start: number, end: number) => {
      const first = Math.floor(Math.max(0, start) / PAGE_SIZE);
      const last = Math.floor(Math.max(0, end) / PAGE_SIZE);
      for (let page = first; page <= last; page++) {
        const id = `${key}\u0000${page}`;
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
              const base = prev.key === key ? prev : { key, total: null, rows: new Map(), raw: new Map(), error: null };
              const rows = new Map(base.rows);
              const raw = new Map(base.raw);
              rows.set(page, answer.rows);
              raw.set(page, answer.raw);
              return { key, total: answer.total, rows, raw, error: null };
            }),
          (reason: unknown) => {
            inFlight.current.delete(id);
            setPages((prev) => ({
              ...(prev.key === key ? prev : { key, total: null, rows: new Map(), raw: new Map() }),
              key,
              error: toIpcError(reason),
            }));
          },
        );
      }
    },
    [key, fetchId, search, sort, descending],
  );

  useEffect(() => {
    load(0, PAGE_SIZE - 1);
  }, [load]);

  const current = pages.key === key ? pages : null;
  return {
    total: current?.total ?? null,
    error: current?.error ?? null,
    row: (i) => current?.rows.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE],
    raw: (i) => current?.raw.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE],
    load,
  };
}
