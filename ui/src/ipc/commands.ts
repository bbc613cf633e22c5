// One typed async function per Rust command, grouped like src-tauri/src/commands (one section per
// core service). The names are checked against the shell's command table (`CommandName`, generated).
// Argument names are camelCase; Tauri maps them to the commands' snake_case parameters. Every
// rejection is an IpcError.
import { call } from './transport';
import type {
  AccessTokenInspection,
  AsyncModeState,
  AsyncRun,
  AccountInput,
  BankLookupResult,
  HolderVerificationInput,
  HolderVerificationResult,
  SigningKeyStatus,
  AccountWithBalance,
  AppInfo,
  AuthTrail,
  CardWithBalance,
  CompareSnapshotsInput,
  CoverageReport,
  FaultInput,
  LinkAsPersonaInput,
  PersonaCatalog,
  ReportFormat,
  SandboxClock,
  SandboxFaults,
  SandboxJournal,
  ScenarioRun,
  ScenarioRunInput,
  Connection,
  ConnectionDetail,
  DirectDebit,
  Environment,
  EnvironmentInput,
  ExportFormat,
  ExtendOutcome,
  Fetched,
  FetchAllTransactionsInput,
  FetchTransactionsInput,
  HarSelection,
  Identity,
  LinkAttempt,
  LinkCatalog,
  LinkPreview,
  LinkRequest,
  MeView,
  ProviderList,
  RedirectGuide,
  RedirectSelfTest,
  RequestDetail,
  RequestFilter,
  RequestSummary,
  ScopeInfo,
  SignupPlusResult,
  SnapshotDiff,
  SnapshotSummary,
  StandingOrder,
  TakeSnapshotInput,
  TransactionFetchSummary,
  TransactionItem,
  TransactionPage,
  TransactionQuery,
  VerificationResult,
} from './types';

// ---------------------------------------------------------------- app

export const getAppInfo = (): Promise<AppInfo> => call('get_app_info');

export const setPresenterMode = (on: boolean): Promise<void> => call('set_presenter_mode', { on });

// ---------------------------------------------------------------- environments

export const listEnvironments = (): Promise<Environment[]> => call('list_environments');

export const saveEnvironment = (input: EnvironmentInput): Promise<Environment> => call('save_environment', { input });

export const selectEnvironment = (id: string): Promise<Environment> => call('select_environment', { id });

export const listProviders = (environmentId: string, refresh: boolean): Promise<ProviderList> =>
  call('list_providers', { environmentId, refresh });

export const getScopeCatalog = (): Promise<ScopeInfo[]> => call('get_scope_catalog');

// ---------------------------------------------------------------- links

export const startLink = (input: LinkRequest): Promise<LinkPreview> => call('start_link', { input });

/** The unopened link with edited parameters (same state and PKCE), or a fresh one once opened. */
export const updateLink = (sessionId: string, input: LinkRequest): Promise<LinkPreview> =>
  call('update_link', { sessionId, input });

export const getLinkCatalog = (environmentId: string): Promise<LinkCatalog> =>
  call('get_link_catalog', { environmentId });

/** A re-consent that came back with another bank, kept as a new connection. */
export const keepLinkAsNew = (sessionId: string): Promise<Connection> => call('keep_link_as_new', { sessionId });

export const openLink = (sessionId: string): Promise<void> => call('open_link', { sessionId });

export const cancelLink = (sessionId: string): Promise<void> => call('cancel_link', { sessionId });

/** Resolves once core handled the pasted redirect; the connection arrives as `link://completed`. */
export const completeLink = (url: string): Promise<void> => call('complete_link', { url });

/** Per environment, exactly which redirect URIs to allow-list for each capture path. */
export const getRedirectGuide = (environmentId: string): Promise<RedirectGuide> =>
  call('get_redirect_guide', { environmentId });

/** Opens a probe down the deep link and the loopback; poll `getRedirectSelfTest` for arrivals. */
export const startRedirectSelfTest = (): Promise<RedirectSelfTest> => call('start_redirect_self_test');

export const getRedirectSelfTest = (testId: string): Promise<RedirectSelfTest> =>
  call('get_redirect_self_test', { testId });

// ---------------------------------------------------------------- tracking (auth-journey trails)

/** The newest link attempts (of one environment, or all), newest first; abandoned ones too. */
export const listLinkAttempts = (environmentId: string | null): Promise<LinkAttempt[]> =>
  call('list_link_attempts', { environmentId });

/** Asks the environment's client-tracking host where the user got to in the attempt's dialog. */
export const getAuthTrail = (attemptId: string): Promise<AuthTrail> => call('get_auth_trail', { attemptId });

// ---------------------------------------------------------------- connections

export const listConnections = (): Promise<Connection[]> => call('list_connections');

export const getConnection = (id: string): Promise<ConnectionDetail> => call('get_connection', { id });

/** The access token's header and claims and whether its signature verifies (never the token). */
export const inspectAccessToken = (id: string): Promise<AccessTokenInspection | null> =>
  call('inspect_access_token', { id });

export const renameConnection = (id: string, label: string): Promise<Connection> =>
  call('rename_connection', { id, label });

export const refreshConnection = (id: string): Promise<Connection> => call('refresh_connection', { id });

/** `GET /me` read again now (core stores what it says). */
export const readMe = (id: string): Promise<MeView> => call('read_me', { id });

// ---------------------------------------------------------------- lifecycle

export const extendConnection = (id: string): Promise<ExtendOutcome> => call('extend_connection', { id });

export const revokeConnection = (id: string): Promise<Connection> => call('revoke_connection', { id });

export const forgetConnection = (id: string): Promise<void> => call('forget_connection', { id });

/** The live interlock: core refuses extend and revoke in a live environment until unlocked. */
export const setLiveUnlocked = (environmentId: string, unlocked: boolean): Promise<void> =>
  call('set_live_unlocked', { environmentId, unlocked });

// ---------------------------------------------------------------- accounts

export const listAccounts = (connectionId: string): Promise<Fetched<AccountWithBalance[]>> =>
  call('list_accounts', { connectionId });

// ---------------------------------------------------------------- cards

export const listCards = (connectionId: string): Promise<Fetched<CardWithBalance[]>> =>
  call('list_cards', { connectionId });

// ---------------------------------------------------------------- transactions

export const fetchTransactions = (input: FetchTransactionsInput): Promise<TransactionFetchSummary> =>
  call('fetch_transactions', { input });

/** Every account and card of the connection; its rows can be queried while it runs. */
export const fetchAllTransactions = (input: FetchAllTransactionsInput): Promise<TransactionFetchSummary> =>
  call('fetch_all_transactions', { input });

export const queryTransactions = (query: TransactionQuery): Promise<TransactionPage> =>
  call('query_transactions', { query });

/** One row of a finished fetch (by its `index`) with the exact item TrueLayer sent. */
export const getTransaction = (fetchId: string, index: number): Promise<TransactionItem> =>
  call('get_transaction', { fetchId, index });

export const cancelFetch = (fetchId: string): Promise<void> => call('cancel_fetch', { fetchId });

// ---------------------------------------------------------------- data

export const listStandingOrders = (connectionId: string, accountId: string): Promise<Fetched<StandingOrder[]>> =>
  call('list_standing_orders', { connectionId, accountId });

export const listDirectDebits = (connectionId: string, accountId: string): Promise<Fetched<DirectDebit[]>> =>
  call('list_direct_debits', { connectionId, accountId });

export const getIdentity = (connectionId: string): Promise<Fetched<Identity[]>> =>
  call('get_identity', { connectionId });

export const getSignupPlus = (connectionId: string, accountId: string | null): Promise<Fetched<SignupPlusResult>> =>
  call('get_signup_plus', { connectionId, accountId });

export const verifyName = (connectionId: string, name: string): Promise<Fetched<VerificationResult>> =>
  call('verify_name', { connectionId, name });

// ---------------------------------------------------------------- requests

export const listRequests = (filter: RequestFilter): Promise<RequestSummary[]> => call('list_requests', { filter });

export const getRequest = (id: string): Promise<RequestDetail> => call('get_request', { id });

// ---------------------------------------------------------------- exports

/** Opens a save dialog in Rust; resolves to the saved path, or null when the user cancelled. */
export const exportTransactions = (fetchId: string, format: ExportFormat): Promise<string | null> =>
  call('export_transactions', { fetchId, format });

/** Saves the selected exchanges as a HAR 1.2 file (redacted as the inspector shows them). */
export const exportHar = (selection: HarSelection): Promise<string | null> => call('export_har', { selection });

/** Opens a save dialog in Rust; resolves to the saved path, or null when the user cancelled. */
export const exportSupportBundle = (connectionId: string): Promise<string | null> =>
  call('export_support_bundle', { connectionId });

// ---------------------------------------------------------------- snapshots

/** Reads the connection now (accounts, cards, balances, a range of transactions) and keeps it. */
export const takeSnapshot = (input: TakeSnapshotInput): Promise<SnapshotSummary> => call('take_snapshot', { input });

export const listSnapshots = (connectionId: string): Promise<SnapshotSummary[]> =>
  call('list_snapshots', { connectionId });

export const deleteSnapshot = (snapshotId: string): Promise<void> => call('delete_snapshot', { snapshotId });

/** What changed since a snapshot: against another one (`againstId`) or a fresh read. */
export const compareSnapshots = (input: CompareSnapshotsInput): Promise<SnapshotDiff> =>
  call('compare_snapshots', { input });

// ---------------------------------------------------------------- QA workbench

export const listPersonas = (environmentId: string): Promise<PersonaCatalog> =>
  call('list_personas', { environmentId });

/** Links a mock user without a browser (built-in sandbox or a standalone linkscope-sandbox). */
export const linkAsPersona = (input: LinkAsPersonaInput): Promise<Connection> => call('link_as_persona', { input });

export const runCoverage = (connectionId: string): Promise<CoverageReport> => call('run_coverage', { connectionId });

/** Opens a save dialog in Rust; resolves to the saved path, or null when the user cancelled. */
export const exportCoverage = (connectionId: string, format: ReportFormat): Promise<string | null> =>
  call('export_coverage', { connectionId, format });

export const startScenarioRun = (input: ScenarioRunInput): Promise<ScenarioRun> =>
  call('start_scenario_run', { input });

export const cancelScenarioRun = (runId: string): Promise<ScenarioRun> => call('cancel_scenario_run', { runId });

export const getScenarioRun = (runId: string): Promise<ScenarioRun> => call('get_scenario_run', { runId });

export const listScenarioRuns = (environmentId: string): Promise<ScenarioRun[]> =>
  call('list_scenario_runs', { environmentId });

/** Opens a save dialog in Rust; resolves to the saved path, or null when the user cancelled. */
export const exportScenarioRun = (runId: string, format: ReportFormat): Promise<string | null> =>
  call('export_scenario_run', { runId, format });

export const getSandboxClock = (environmentId: string): Promise<SandboxClock> =>
  call('get_sandbox_clock', { environmentId });

export const advanceSandboxClock = (environmentId: string, seconds: number): Promise<SandboxClock> =>
  call('advance_sandbox_clock', { environmentId, seconds });

export const listSandboxFaults = (environmentId: string): Promise<SandboxFaults> =>
  call('list_sandbox_faults', { environmentId });

export const addSandboxFault = (environmentId: string, fault: FaultInput): Promise<SandboxFaults> =>
  call('add_sandbox_fault', { environmentId, fault });

export const clearSandboxFaults = (environmentId: string): Promise<SandboxFaults> =>
  call('clear_sandbox_faults', { environmentId });

export const getSandboxJournal = (environmentId: string): Promise<SandboxJournal> =>
  call('get_sandbox_journal', { environmentId });

/** The app's webhook listener becomes the sandbox's Console webhook URI (v3 verifications). */
export const registerConsoleWebhook = (environmentId: string): Promise<string> =>
  call('register_console_webhook', { environmentId });

/** The sandbox's next webhook delivery carries a body other than the one it signed. */
export const tamperNextWebhook = (environmentId: string): Promise<boolean> =>
  call('tamper_next_webhook', { environmentId });

// ---------------------------------------------------------------- async mode

/** On: every data call of the connection (but /me and /info) goes through async=true. */
export const setAsyncMode = (connectionId: string, enabled: boolean): Promise<AsyncModeState> =>
  call('set_async_mode', { input: { connectionId, enabled } });

export const getAsyncMode = (connectionId: string): Promise<AsyncModeState> => call('get_async_mode', { connectionId });

/** The connection's async tasks this session, newest first. */
export const listAsyncRuns = (connectionId: string): Promise<AsyncRun[]> => call('list_async_runs', { connectionId });

// ---------------------------------------------------------------- holder (verification v3)

export const getSigningKeyStatus = (environmentId: string): Promise<SigningKeyStatus> =>
  call('get_signing_key_status', { environmentId });

/** The private key goes to core (and the keychain); nothing comes back but its key id. */
export const setSigningKey = (environmentId: string, keyId: string, privateKeyPem: string): Promise<SigningKeyStatus> =>
  call('set_signing_key', { input: { environmentId, keyId, privateKeyPem } });

export const clearSigningKey = (environmentId: string): Promise<SigningKeyStatus> =>
  call('clear_signing_key', { environmentId });

export const verifyAccountHolder = (input: HolderVerificationInput): Promise<HolderVerificationResult> =>
  call('verify_account_holder', { input });

export const bankLookup = (environmentId: string, account: AccountInput): Promise<BankLookupResult> =>
  call('bank_lookup', { environmentId, account });

// ---------------------------------------------------------------- desktop (log, notifications)

/** Opens the folder of `linkscope.log` in the file manager, the file selected. */
export const revealLog = (): Promise<void> => call('reveal_log');

/** Writes an error the webview saw into the app's log (target `webview`). */
export const logWebviewError = (message: string): Promise<void> => call('log_webview_error', { message });

/** Asks the OS to show a notification (and logs that it was asked). */
export const notifyUser = (title: string, body: string): Promise<void> => call('notify_user', { title, body });
