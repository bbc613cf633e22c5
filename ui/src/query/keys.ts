/**
 * Every query key the app uses, in one place, so a fetch and the invalidation that follows a
 * mutation always agree. Keys nest: environment → connection → view (→ its parameters), so
 * invalidating a prefix reaches everything below it. App-wide lists (app info, environments,
 * connections) sit outside any environment.
 */
import type { RequestFilter } from '../ipc';

export const queryKeys = {
  appInfo: ['app-info'] as const,
  environments: ['environments'] as const,
  connections: ['connections'] as const,
  scopeCatalog: ['scope-catalog'] as const,
  /** Everything that belongs to one environment: its connections' data and its own lists. */
  environment: (environmentId: string) => ['environment', environmentId] as const,
  /** One environment-wide list (providers, personas, scenario runs, the sandbox's clock…). */
  environmentView: (environmentId: string, view: string, ...params: readonly unknown[]) =>
    ['environment', environmentId, view, ...params] as const,
  /** Everything read for the environment's connections (not its own lists). */
  environmentConnections: (environmentId: string) => ['environment', environmentId, 'connection'] as const,
  /** Everything read for one connection. */
  connection: (environmentId: string, connectionId: string) =>
    ['environment', environmentId, 'connection', connectionId] as const,
  /** One view of one connection (accounts, cards, identity…), with its parameters. */
  connectionView: (environmentId: string, connectionId: string, view: string, ...params: readonly unknown[]) =>
    ['environment', environmentId, 'connection', connectionId, view, ...params] as const,
  /** The request inspector's lists: local reads of what core recorded, across environments. */
  requests: ['requests'] as const,
  requestList: (filter: RequestFilter) => ['requests', 'list', filter] as const,
  requestDetail: (id: string) => ['requests', 'detail', id] as const,
  /** A connection's async setting and its task timelines: core's own state, not bank reads. */
  asyncMode: (connectionId: string) => ['async', connectionId, 'mode'] as const,
  asyncRuns: (connectionId: string) => ['async', connectionId, 'runs'] as const,
  /** An environment's recent link attempts, and one attempt's auth-journey trail. */
  linkAttempts: (environmentId: string) => ['link-attempts', environmentId] as const,
  authTrail: (attemptId: string) => ['auth-trail', attemptId] as const,
  /** A connection's snapshots, as stored locally. */
  snapshots: (connectionId: string) => ['snapshots', connectionId] as const,
  /** What to allow-list for an environment's redirect URIs, and a running self-test. */
  redirectGuide: (environmentId: string, redirectUris: readonly string[]) =>
    ['redirect-guide', environmentId, redirectUris] as const,
  redirectSelfTest: (testId: string | undefined) => ['redirect-self-test', testId] as const,
  /**
   * The Transactions panel's state per connection (source, range, search, sort, the fetch): UI
   * state kept here so a fetch outlives the tab; `transactionsViews` is every connection's.
   */
  transactionsViews: ['transactions-view'] as const,
  transactionsView: (connectionId: string) => ['transactions-view', connectionId] as const,
  /** One row of a finished fetch with its raw item, read from core on click. */
  transactionItem: (fetchId: string, index: number | null) => ['transaction-item', fetchId, index] as const,
};

/** True for an environment's list of scenario runs (`environmentView(id, 'scenario-runs')`). */
export function isScenarioRunsKey(key: readonly unknown[]): boolean {
  return key[0] === 'environment' && key[2] === 'scenario-runs';
}

/** True for a key under an environment: its answer came from a bank read that core recorded. */
export function isEnvironmentKey(key: readonly unknown[]): boolean {
  return key[0] === 'environment';
}
