// Typed subscriptions to the core → UI events. Each resolves to its unsubscribe function.
import { subscribe, type Unsubscribe } from './transport';
import type {
  AsyncRunEvent,
  ConnectionUpdatedEvent,
  CoverageProgressEvent,
  FetchProgressEvent,
  LinkCompletedEvent,
  LinkFailedEvent,
  LinkWaitingEvent,
  ScenarioProgressEvent,
} from './types';

export type { Unsubscribe };

export const onLinkWaiting = (handler: (e: LinkWaitingEvent) => void): Promise<Unsubscribe> =>
  subscribe('link://waiting', handler);

export const onLinkCompleted = (handler: (e: LinkCompletedEvent) => void): Promise<Unsubscribe> =>
  subscribe('link://completed', handler);

export const onLinkFailed = (handler: (e: LinkFailedEvent) => void): Promise<Unsubscribe> =>
  subscribe('link://failed', handler);

export const onConnectionUpdated = (handler: (e: ConnectionUpdatedEvent) => void): Promise<Unsubscribe> =>
  subscribe('connection://updated', handler);

/** Issue 6 (UI proposal): progress of a long transaction fetch, one event per finished window. */
export const onFetchProgress = (handler: (e: FetchProgressEvent) => void): Promise<Unsubscribe> =>
  subscribe('transactions://progress', handler);

/** Issue 11: one event per finished call of a coverage matrix. */
export const onCoverageProgress = (handler: (e: CoverageProgressEvent) => void): Promise<Unsubscribe> =>
  subscribe('coverage://progress', handler);

/** Issue 11: one event per finished persona of a scenario run, and one when the run ends. */
export const onScenarioProgress = (handler: (e: ScenarioProgressEvent) => void): Promise<Unsubscribe> =>
  subscribe('scenarios://progress', handler);

/** Issue 14: an async task's timeline changed (a poll, a webhook, its signature check). */
export const onAsyncRun = (handler: (e: AsyncRunEvent) => void): Promise<Unsubscribe> =>
  subscribe('async://updated', handler);

/** Issue 17: the user chose an item of the native menu (its id, from src-tauri/src/menu.rs). */
export const onMenuAction = (handler: (e: { id: string }) => void): Promise<Unsubscribe> =>
  subscribe('menu://action', handler);
