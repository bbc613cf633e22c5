/**
 * The Transactions panel's state per connection (chosen source, range, search, sort, and the
 * fetch with its progress), kept in the app's TanStack Query cache instead of the panel: a long
 * fetch keeps running when the user leaves the tab, and on return the panel shows it (still
 * running, or done) with no new request to the bank.
 *
 * A running fetch reports into the app's activity register (`activityIds.fetch(fetchId)`, windows
 * done of total), so the activity indicator shows it from any view and a notification can say it
 * finished. `cancelTransactionsFetch(client, connectionId)` stops one.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { activityIds, endActivity, reportActivity, updateActivity } from '../../activity';
import { queryKeys } from '../../query';
import {
  cancelFetch,
  fetchAllTransactions,
  fetchTransactions,
  onFetchProgress,
  toIpcError,
  type FetchProgressEvent,
  type IpcErrorPayload,
  type TransactionFetchSummary,
  type TransactionSortField,
  type TransactionSource,
} from '../../ipc';
import { lastDays, type Range } from './DateRange';

/** "all", or "account:<id>" / "card:<id>". */
export type SourceChoice = string;
export const ALL_SOURCES: SourceChoice = 'all';

export type FetchState =
  | { phase: 'idle' }
  | { phase: 'fetching'; fetchId: string; all: boolean; progress: FetchProgressEvent | null }
  | { phase: 'done'; summary: TransactionFetchSummary }
  | { phase: 'failed'; error: IpcErrorPayload }
  | { phase: 'cancelled' };

export interface TransactionsView {
  chosen: SourceChoice | null;
  range: Range;
  search: string;
  sort: { field: TransactionSortField; descending: boolean };
  /** The chart's series: "total", or a source's index in the summary. */
  series: string;
  state: FetchState;
}

const keyOf = queryKeys.transactionsView;

const initialView = (chosen: SourceChoice | null): TransactionsView => ({
  chosen,
  range: lastDays(90),
  search: '',
  sort: { field: 'timestamp', descending: true },
  series: 'total',
  state: { phase: 'idle' },
});

function newFetchId(): string {
  return typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `fetch-${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

export function parseSource(value: SourceChoice | null): { source: TransactionSource; id: string } | null {
  if (!value) return null;
  const [kind, ...rest] = value.split(':');
  const id = rest.join(':');
  if ((kind === 'account' || kind === 'card') && id) return { source: kind, id };
  return null;
}

function read(client: QueryClient, connectionId: string): TransactionsView {
  return client.getQueryData<TransactionsView>(keyOf(connectionId)) ?? initialView(null);
}

function update(client: QueryClient, connectionId: string, change: (v: TransactionsView) => TransactionsView) {
  client.setQueryData<TransactionsView>(keyOf(connectionId), (v) => change(v ?? initialView(null)));
}

/** The panel's view of one connection, and a setter for its fields. */
export function useTransactionsView(connectionId: string, initialSource: SourceChoice | null) {
  const client = useQueryClient();
  useEffect(() => followProgress(client), [client]);
  const { data } = useQuery({
    queryKey: keyOf(connectionId),
    queryFn: () => initialView(initialSource),
    staleTime: Infinity,
    gcTime: Infinity,
  });
  const view = data ?? initialView(initialSource);
  const set = (change: Partial<Omit<TransactionsView, 'state'>>) =>
    update(client, connectionId, (v) => ({ ...v, ...change }));
  return { view, set, client };
}

/**
 * Starts a fetch of the view's source and range (cancelling the one running); its progress and
 * result land in the cache whether or not the panel is mounted.
 */
export async function startTransactionsFetch(client: QueryClient, connectionId: string, choice: SourceChoice) {
  const previous = read(client, connectionId).state;
  if (previous.phase === 'fetching') await cancelFetch(previous.fetchId).catch(() => undefined);
  const { range } = read(client, connectionId);
  const fetchId = newFetchId();
  const all = choice === ALL_SOURCES;
  const one = parseSource(choice);
  if (!all && !one) return;
  const mine = (v: TransactionsView) => v.state.phase === 'fetching' && v.state.fetchId === fetchId;
  followProgress(client);
  update(client, connectionId, (v) => ({ ...v, state: { phase: 'fetching', fetchId, all, progress: null } }));
  const activity = activityIds.fetch(fetchId);
  reportActivity(activity, all ? 'Fetching all transactions' : 'Fetching transactions');
  try {
    const summary = all
      ? await fetchAllTransactions({ fetchId, connectionId, from: range.from, to: range.to })
      : await fetchTransactions({
          fetchId,
          connectionId,
          source: one?.source ?? 'account',
          accountId: one?.id ?? '',
          from: range.from,
          to: range.to,
        });
    update(client, connectionId, (v) => (mine(v) ? { ...v, series: 'total', state: { phase: 'done', summary } } : v));
  } catch (reason) {
    const error = toIpcError(reason);
    update(client, connectionId, (v) =>
      mine(v)
        ? {
            ...v,
            state: error.code === 'cancelled' ? { phase: 'cancelled' } : { phase: 'failed', error: error.toPayload() },
          }
        : v,
    );
  } finally {
    endActivity(activity);
  }
}

const following = new WeakSet<QueryClient>();

/**
 * Progress reaches the views at most this often: a fetch of every account and card sends one
 * event per window (348 for the dense user), and each re-renders the panel and re-reads the
 * rows on screen, which cost the All view's fetch ~1.5x its network floor in `npm run bench`.
 */
export const PROGRESS_INTERVAL_MS = 125;

/**
 * Puts core's progress events into the views of `client`, app-wide and for good (one
 * subscription per client, made when the panel first mounts, so no early event is missed). An
 * event after a quiet spell is applied at once (the first rows show without waiting); within
 * PROGRESS_INTERVAL_MS of the last one applied, only the newest of each fetch, at its end.
 */
function followProgress(client: QueryClient) {
  if (following.has(client)) return;
  following.add(client);
  const newest = new Map<string, FetchProgressEvent>();
  let flush: ReturnType<typeof setTimeout> | null = null;
  let appliedAt = -Infinity;
  const apply = () => {
    flush = null;
    appliedAt = Date.now();
    const events = [...newest.values()];
    newest.clear();
    for (const e of events) {
      updateActivity(activityIds.fetch(e.fetchId), { done: e.windowsDone, total: e.windowsTotal });
      for (const query of client.getQueryCache().findAll({ queryKey: queryKeys.transactionsViews })) {
        const view = query.state.data as TransactionsView | undefined;
        if (view?.state.phase === 'fetching' && view.state.fetchId === e.fetchId) {
          client.setQueryData<TransactionsView>(query.queryKey, { ...view, state: { ...view.state, progress: e } });
        }
      }
    }
  };
  onFetchProgress((e) => {
    newest.set(e.fetchId, e);
    if (flush !== null) return;
    const wait = appliedAt + PROGRESS_INTERVAL_MS - Date.now();
    if (wait <= 0) apply();
    else flush = setTimeout(apply, wait);
  }).catch(() => following.delete(client));
}

/** Stops the connection's running fetch (it ends as cancelled). */
export async function cancelTransactionsFetch(client: QueryClient, connectionId: string) {
  const { state } = read(client, connectionId);
  if (state.phase === 'fetching') await cancelFetch(state.fetchId).catch(() => undefined);
}
