// A complete stand-in for the ipc module, for component tests:
//   vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());
// Commands are vi.fn()s that stay pending until a test gives them a value; events go through
// `emit` so a test can play core's part (link://completed…).
import { vi } from 'vitest';
import { IpcError, isErrorCode, toIpcError } from '../ipc/errors';
import type * as Ipc from '../ipc';

type Handler = (payload: unknown) => void;
const handlers = new Map<string, Set<Handler>>();

function subscriber(event: string) {
  return vi.fn((handler: Handler) => {
    const set = handlers.get(event) ?? new Set<Handler>();
    set.add(handler);
    handlers.set(event, set);
    return Promise.resolve(() => {
      set.delete(handler);
    });
  });
}

/** Plays core's part: delivers an event to every subscribed component. */
export function emit(event: string, payload: unknown): void {
  handlers.get(event)?.forEach((h) => h(payload));
}

export function listenerCount(event: string): number {
  return handlers.get(event)?.size ?? 0;
}

const pending = () => vi.fn(() => new Promise<never>(() => undefined));

export function ipcMockModule(): typeof Ipc {
  return {
    IpcError,
    isErrorCode,
    toIpcError,
    getAppInfo: pending(),
    listEnvironments: pending(),
    saveEnvironment: pending(),
    selectEnvironment: pending(),
    listProviders: pending(),
    getScopeCatalog: pending(),
    startLink: pending(),
    updateLink: pending(),
    getLinkCatalog: pending(),
    keepLinkAsNew: pending(),
    openLink: pending(),
    cancelLink: pending(),
    completeLink: pending(),
    listLinkAttempts: pending(),
    getAuthTrail: pending(),
    listConnections: pending(),
    getConnection: pending(),
    inspectAccessToken: pending(),
    getSigningKeyStatus: pending(),
    setSigningKey: pending(),
    clearSigningKey: pending(),
    verifyAccountHolder: pending(),
    bankLookup: pending(),
    renameConnection: pending(),
    refreshConnection: pending(),
    readMe: pending(),
    extendConnection: pending(),
    revokeConnection: pending(),
    forgetConnection: pending(),
    setLiveUnlocked: pending(),
    listAccounts: pending(),
    listCards: pending(),
    fetchTransactions: pending(),
    fetchAllTransactions: pending(),
    getTransaction: pending(),
    queryTransactions: pending(),
    cancelFetch: pending(),
    listStandingOrders: pending(),
    listDirectDebits: pending(),
    getIdentity: pending(),
    getSignupPlus: pending(),
    verifyName: pending(),
    listRequests: pending(),
    getRequest: pending(),
    exportTransactions: pending(),
    exportHar: pending(),
    exportSupportBundle: pending(),
    getRedirectGuide: pending(),
    startRedirectSelfTest: pending(),
    getRedirectSelfTest: pending(),
    takeSnapshot: pending(),
    listSnapshots: pending(),
    deleteSnapshot: pending(),
    compareSnapshots: pending(),
    setPresenterMode: vi.fn(() => Promise.resolve()),
    onLinkWaiting: subscriber('link://waiting'),
    onLinkCompleted: subscriber('link://completed'),
    onLinkFailed: subscriber('link://failed'),
    onConnectionUpdated: subscriber('connection://updated'),
    onFetchProgress: subscriber('transactions://progress'),
    listPersonas: pending(),
    linkAsPersona: pending(),
    runCoverage: pending(),
    exportCoverage: pending(),
    startScenarioRun: pending(),
    cancelScenarioRun: pending(),
    getScenarioRun: pending(),
    listScenarioRuns: pending(),
    exportScenarioRun: pending(),
    getSandboxClock: pending(),
    advanceSandboxClock: pending(),
    listSandboxFaults: pending(),
    addSandboxFault: pending(),
    clearSandboxFaults: pending(),
    getSandboxJournal: pending(),
    tamperNextWebhook: pending(),
    registerConsoleWebhook: pending(),
    setAsyncMode: pending(),
    getAsyncMode: pending(),
    listAsyncRuns: pending(),
    onAsyncRun: subscriber('async://updated'),
    onCoverageProgress: subscriber('coverage://progress'),
    onScenarioProgress: subscriber('scenarios://progress'),
    revealLog: pending(),
    logWebviewError: vi.fn(() => Promise.resolve()),
    notifyUser: vi.fn(() => Promise.resolve()),
    onMenuAction: subscriber('menu://action'),
  } as unknown as typeof Ipc;
}
