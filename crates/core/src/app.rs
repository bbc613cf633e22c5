//! [`Core`]: the one object the shell holds. It owns the store, the secrets, the built-in sandbox,
//! the TrueLayer clients and the services, and publishes [`CoreEvent`]s.
//!
//! Started once with [`Core::start`]; cheap to clone (an `Arc` inside). Must not: know about
//! tauri (events go out through a broadcast channel the shell forwards), or log a secret.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use linkscope_sandbox::{ClientConfig, Sandbox, SandboxConfig};
use linkscope_truelayer as tl;
use serde::Serialize;
use tokio::sync::{broadcast, mpsc, oneshot};

use crate::accounts::AccountService;
use crate::cards::CardService;
use crate::connections::ConnectionService;
use crate::data::DataService;
use crate::dto::{
    self, AppInfo, BuildKind, ConnectionUpdatedEvent, EnvironmentKind, FetchProgressEvent,
    KeychainInfo, LinkCompletedEvent, LinkFailedEvent, LinkWaitingEvent,
};
use crate::environments::{EnvironmentService, BUILTIN_ENVIRONMENT_ID};
use crate::error::{Error, Result};
use crate::export::ExportService;
use crate::lifecycle::LifecycleService;
use crate::links::LinkService;
use crate::loopback::DEFAULT_LOOPBACK_PORT;
use crate::requests::RequestService;
use crate::secrets::{KeyringStore, SecretKey, SecretStore, SecretValue, Secrets};
use crate::store::{RequestRecord, Store};
use crate::transactions::TransactionService;
use crate::workbench::controls::BuiltinSandbox;
use crate::workbench::dto::{CoverageProgressEvent, ScenarioProgressEvent};
use crate::workbench::{Workbench, WorkbenchParts};

/// The sandbox's state file inside the data dir (demo client secret, token hashes, clock).
pub const SANDBOX_STATE_FILE: &str = "sandbox-state.json";

/// How long a link session waits for its redirect (DESIGN.md §6: `state` expires).
pub const DEFAULT_LINK_TTL: Duration = Duration::from_secs(10 * 60);

/// How long before an access token's expiry it is refreshed ("shortly before expiry").
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// How Core starts.
#[derive(Debug)]
pub struct CoreConfig {
    /// Where the database (and the built-in sandbox's state) live. The shell resolves it with
    /// [`crate::store::resolve_data_dir`].
    pub data_dir: PathBuf,
    /// The app identifier, namespaced per build (e.g. `dev.linkscope.app.dev`): the keychain
    /// service name.
    pub app_identifier: String,
    /// Dev or release: decides the deep-link scheme (`linkscope-dev` / `linkscope`).
    pub build: BuildKind,
    /// The app version, for `get_app_info`.
    pub version: String,
    /// The secret store; `None` = the OS keychain under `app_identifier`. Tests inject a
    /// [`crate::secrets::MemoryStore`] (clone it first to restart Core on the same secrets).
    pub secret_store: Option<Arc<dyn SecretStore>>,
    /// Start the built-in sandbox in-process (the app: yes; some tests: no).
    pub start_builtin_sandbox: bool,
    /// The loopback listener's port (default 3947; registered with the built-in sandbox).
    pub loopback_port: u16,
    /// A link session's lifetime (default 10 minutes).
    pub link_ttl: Duration,
    /// Refresh this long before the access token expires (default 60 s).
    pub refresh_margin: Duration,
    /// Retry policy for TrueLayer calls (default: the client's).
    pub retry_policy: Option<tl::RetryPolicy>,
}

impl CoreConfig {
    /// Defaults for everything but the data dir and the app identifier.
    pub fn new(data_dir: impl Into<PathBuf>, app_identifier: impl Into<String>) -> Self {
        Self {
            data_dir: data_dir.into(),
            app_identifier: app_identifier.into(),
            build: BuildKind::Dev,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            secret_store: None,
            start_builtin_sandbox: true,
            loopback_port: DEFAULT_LOOPBACK_PORT,
            link_ttl: DEFAULT_LINK_TTL,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            retry_policy: None,
        }
    }
}

/// An event for the UI. The shell emits `event.name()` with `event` as the payload (it
/// serializes as the inner DTO).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum CoreEvent {
    /// `link://waiting`
    LinkWaiting(LinkWaitingEvent),
    /// `link://completed`
    LinkCompleted(LinkCompletedEvent),
    /// `link://failed` (`sessionId` is empty when the redirect matched no session)
    LinkFailed(LinkFailedEvent),
    /// `connection://updated`
    ConnectionUpdated(ConnectionUpdatedEvent),
    /// `transactions://progress` (one per window of a transaction fetch)
    TransactionsProgress(FetchProgressEvent),
    /// `coverage://progress` (one per call of a coverage matrix)
    CoverageProgress(CoverageProgressEvent),
    /// `scenarios://progress` (one per persona of a scenario run, and one at its end)
    ScenarioProgress(ScenarioProgressEvent),
}

impl CoreEvent {
    /// The Tauri event name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::LinkWaiting(_) => "link://waiting",
            Self::LinkCompleted(_) => "link://completed",
            Self::LinkFailed(_) => "link://failed",
            Self::ConnectionUpdated(_) => "connection://updated",
            Self::TransactionsProgress(_) => "transactions://progress",
            Self::CoverageProgress(_) => "coverage://progress",
            Self::ScenarioProgress(_) => "scenarios://progress",
        }
    }
}

tokio::task_local! {
    /// The connection a TrueLayer call is made for, so the recording hook can tag the exchange.
    pub(crate) static CURRENT_CONNECTION: String;
}

enum RecorderMsg {
    Record(Box<RequestRecord>),
    Flush(oneshot::Sender<()>),
}

/// State shared by the services.
pub(crate) struct Shared {
    pub config: SharedConfig,
    pub store: Arc<Store>,
    pub secrets: Secrets,
    pub events: broadcast::Sender<CoreEvent>,
    clients: Mutex<HashMap<String, (tl::Client, bool)>>,
    recorder: mpsc::UnboundedSender<RecorderMsg>,
    /// Presenter mode: exports, copies and bundles are masked while it is on.
    presenter: AtomicBool,
}

/// The parts of [`CoreConfig`] the services read.
#[derive(Debug, Clone)]
pub(crate) struct SharedConfig {
    pub data_dir: PathBuf,
    pub version: String,
    pub build: BuildKind,
    pub deep_link_scheme: String,
    pub loopback_port: u16,
    pub link_ttl: Duration,
    pub refresh_margin: Duration,
    pub retry_policy: Option<tl::RetryPolicy>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// Publishes an event (no subscriber is fine).
    pub fn emit(&self, event: CoreEvent) {
        let _ = self.events.send(event);
    }

    /// The TrueLayer client of an environment and whether it has a client secret (cached until
    /// the environment changes).
    pub async fn client(&self, environment_id: &str) -> Result<(tl::Client, bool)> {
        if let Some(hit) = self
            .clients
            .lock()
            .ok()
            .and_then(|c| c.get(environment_id).cloned())
        {
            return Ok(hit);
        }
        let row = self
            .store
            .environment(environment_id)?
            .ok_or_else(|| Error::NotFound {
                what: "environment",
                id: environment_id.into(),
            })?;
        let secret = self
            .secrets
            .get(&SecretKey::client_secret(environment_id))
            .await;
        let has_secret = secret.is_some();
        let client_id = tl::ClientId::new(row.client_id.clone()).map_err(Error::from_tl)?;
        let secret =
            tl::ClientSecret::new(secret.map(|s| s.expose().to_owned()).unwrap_or_default());
        let redirect_uris = row
            .redirect_uris
            .iter()
            .filter_map(|u| tl::RedirectUri::new(u.clone()).ok())
            .collect::<Vec<_>>();
        let env = tl::Environment::new(&row.auth_url, &row.api_url, client_id, secret)
            .map_err(Error::from_tl)?
            .with_redirect_uris(redirect_uris);
        let recorder = self.recorder.clone();
        let env_id = environment_id.to_owned();
        let observer = move |exchange: &tl::Exchange| {
            let record = record_of(exchange, &env_id);
            let _ = recorder.send(RecorderMsg::Record(Box::new(record)));
        };
        let mut builder = tl::Client::builder(env)
            .observer(Arc::new(observer))
            .user_agent(format!("Linkscope/{}", self.config.version));
        if let Some(policy) = self.config.retry_policy {
            builder = builder.retry_policy(policy);
        }
        let client = builder.build().map_err(Error::from_tl)?;
        if let Ok(mut cache) = self.clients.lock() {
            cache.insert(environment_id.to_owned(), (client.clone(), has_secret));
        }
        Ok((client, has_secret))
    }

    /// Whether presenter mode is on.
    pub fn presenter_mode(&self) -> bool {
        self.presenter.load(Ordering::Relaxed)
    }

    /// Forgets a cached client (its environment or secret changed).
    pub fn invalidate_client(&self, environment_id: &str) {
        if let Ok(mut cache) = self.clients.lock() {
            cache.remove(environment_id);
        }
    }

    /// Records an exchange Core made outside the TrueLayer client (the workbench's sandbox
    /// controls); it must arrive redacted.
    pub fn record(&self, record: RequestRecord) {
        let _ = self.recorder.send(RecorderMsg::Record(Box::new(record)));
    }

    /// Waits until every recorded exchange so far is in the database.
    pub async fn flush_request_log(&self) {
        let (tx, rx) = oneshot::channel();
        if self.recorder.send(RecorderMsg::Flush(tx)).is_ok() {
            let _ = rx.await;
        }
    }
}

fn record_of(exchange: &tl::Exchange, environment_id: &str) -> RequestRecord {
    let endpoint = url::Url::parse(&exchange.url)
        .map(|u| u.path().to_owned())
        .unwrap_or_default();
    let headers = |h: &[(String, String)]| serde_json::to_string(h).unwrap_or_else(|_| "[]".into());
    RequestRecord {
        at: exchange
            .started_at
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        connection_id: CURRENT_CONNECTION.try_with(Clone::clone).ok(),
        environment_id: Some(environment_id.to_owned()),
        method: exchange.method.clone(),
        url: exchange.url.clone(),
        endpoint,
        status: exchange.status,
        duration_ms: u64::try_from(exchange.duration.as_millis()).unwrap_or(u64::MAX),
        trace_id: exchange.trace_ids.primary().map(str::to_owned),
        correlation_id: exchange.trace_ids.correlation_id.clone(),
        request_headers: headers(&exchange.request_headers),
        request_body: exchange.request_body.clone(),
        response_headers: headers(&exchange.response_headers),
        response_body: exchange.response_body.clone(),
        error: exchange.error.clone(),
    }
}

/// The app's services. Clone freely.
#[derive(Debug, Clone)]
pub struct Core {
    inner: Arc<CoreInner>,
}

#[derive(Debug)]
struct CoreInner {
    shared: Arc<Shared>,
    sandbox: Option<Sandbox>,
    environments: EnvironmentService,
    links: LinkService,
    connections: ConnectionService,
    accounts: AccountService,
    cards: CardService,
    transactions: TransactionService,
    data: DataService,
    lifecycle: LifecycleService,
    requests: RequestService,
    exports: ExportService,
    workbench: Workbench,
}

impl Core {
    /// Opens the store, probes the keychain, starts the built-in sandbox (if asked) and seeds the
    /// built-in environment on first run (its demo client secret goes to the secret store).
    pub async fn start(config: CoreConfig) -> Result<Core> {
        std::fs::create_dir_all(&config.data_dir)?;
        let store = Arc::new(Store::open_in(&config.data_dir)?);
        let primary: Arc<dyn SecretStore> = match config.secret_store {
            Some(s) => s,
            None => Arc::new(KeyringStore::new(config.app_identifier.clone())),
        };
        let secrets = Secrets::new(primary).await;

        let (recorder, mut rx) = mpsc::unbounded_channel::<RecorderMsg>();
        let log_store = store.clone();
        tokio::spawn(async move {
            while let Some(msg) = rx.recv().await {
                match msg {
                    RecorderMsg::Record(record) => {
                        if let Err(e) = log_store.append_request(&record) {
                            tracing::warn!(error = %e, "could not record an exchange");
                        }
                    }
                    RecorderMsg::Flush(done) => {
                        let _ = done.send(());
                    }
                }
            }
        });

        let deep_link_scheme = match config.build {
            BuildKind::Dev => "linkscope-dev",
            BuildKind::Release => "linkscope",
        };
        let (events, _) = broadcast::channel(256);
        let shared = Arc::new(Shared {
            config: SharedConfig {
                data_dir: config.data_dir.clone(),
                version: config.version.clone(),
                build: config.build,
                deep_link_scheme: deep_link_scheme.to_owned(),
                loopback_port: config.loopback_port,
                link_ttl: config.link_ttl,
                refresh_margin: config.refresh_margin,
                retry_policy: config.retry_policy,
            },
            store,
            secrets,
            events,
            clients: Mutex::new(HashMap::new()),
            recorder,
            presenter: AtomicBool::new(false),
        });

        let sandbox = if config.start_builtin_sandbox {
            Some(start_builtin_sandbox(&shared).await?)
        } else {
            None
        };

        let environments = EnvironmentService::new(shared.clone());
        let connections = ConnectionService::new(shared.clone());
        let links = LinkService::new(shared.clone(), connections.clone());
        let accounts = AccountService::new(connections.clone());
        let cards = CardService::new(connections.clone());
        let transactions = TransactionService::new(shared.clone(), connections.clone());
        let data = DataService::new(connections.clone());
        let lifecycle = LifecycleService::new(
            shared.clone(),
            connections.clone(),
            links.clone(),
            transactions.clone(),
        );
        let requests = RequestService::new(shared.clone());
        let exports = ExportService::new(shared.clone(), connections.clone(), transactions.clone());
        let workbench = Workbench::new(WorkbenchParts {
            shared: shared.clone(),
            links: links.clone(),
            connections: connections.clone(),
            data: data.clone(),
            lifecycle: lifecycle.clone(),
            builtin: sandbox.as_ref().map(|s| BuiltinSandbox {
                auth_url: s.auth_url().to_owned(),
                seed: s.state().seed,
            }),
        })?;
        connections.mark_unsaved_without_tokens().await?;

        Ok(Core {
            inner: Arc::new(CoreInner {
                shared,
                sandbox,
                environments,
                links,
                connections,
                accounts,
                cards,
                transactions,
                data,
                lifecycle,
                requests,
                exports,
                workbench,
            }),
        })
    }

    /// Environments: list, save, select, providers, scope catalog.
    pub fn environments(&self) -> &EnvironmentService {
        &self.inner.environments
    }

    /// Link sessions: start, open, cancel, complete.
    pub fn links(&self) -> &LinkService {
        &self.inner.links
    }

    /// Connections: list, get, rename, tokens, refresh.
    pub fn connections(&self) -> &ConnectionService {
        &self.inner.connections
    }

    /// Accounts and balances.
    pub fn accounts(&self) -> &AccountService {
        &self.inner.accounts
    }

    /// Cards and their balances.
    pub fn cards(&self) -> &CardService {
        &self.inner.cards
    }

    /// Transaction fetches (windowed, cancellable) and their pages.
    pub fn transactions(&self) -> &TransactionService {
        &self.inner.transactions
    }

    /// Standing orders, direct debits, identity, Signup+ and name verification.
    pub fn data(&self) -> &DataService {
        &self.inner.data
    }

    /// Extend, revoke, forget.
    pub fn lifecycle(&self) -> &LifecycleService {
        &self.inner.lifecycle
    }

    /// The request inspector.
    pub fn requests(&self) -> &RequestService {
        &self.inner.requests
    }

    /// Transaction exports and support bundles.
    pub fn exports(&self) -> &ExportService {
        &self.inner.exports
    }

    /// The QA workbench: personas, coverage matrix, scenario runs, sandbox controls.
    pub fn workbench(&self) -> &Workbench {
        &self.inner.workbench
    }

    /// `set_presenter_mode`: while on, exports, the inspector's detail (and its curl) and
    /// support bundles are masked. Off at every start, like the UI's toggle.
    pub fn set_presenter_mode(&self, on: bool) {
        self.inner.shared.presenter.store(on, Ordering::Relaxed);
    }

    /// Whether presenter mode is on.
    pub fn presenter_mode(&self) -> bool {
        self.inner.shared.presenter_mode()
    }

    /// Events for the UI (`link://…`, `connection://updated`, `transactions://progress`).
    pub fn subscribe(&self) -> broadcast::Receiver<CoreEvent> {
        self.inner.shared.events.subscribe()
    }

    /// `get_app_info`.
    pub fn app_info(&self) -> AppInfo {
        let c = &self.inner.shared.config;
        let status = self.inner.shared.secrets.status();
        AppInfo {
            version: c.version.clone(),
            build: c.build,
            deep_link_scheme: c.deep_link_scheme.clone(),
            keychain: KeychainInfo {
                available: status.available,
                // Which store, or why it failed; the UI states what that means for the user.
                detail: status.detail.clone(),
            },
            data_dir: c.data_dir.display().to_string(),
        }
    }

    /// The running built-in sandbox, if Core started one (tests drive its controls).
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.inner.sandbox.as_ref()
    }

    /// The database (for the request inspector and tests).
    pub fn store(&self) -> &Store {
        &self.inner.shared.store
    }

    /// Waits until every exchange recorded so far is written to the request log.
    pub async fn flush_request_log(&self) {
        self.inner.shared.flush_request_log().await;
    }
}

/// Starts the sandbox with its state file in the data dir and (re)writes the built-in
/// environment: its URLs change on every start, its demo secret only on first run.
/// Starts the built-in sandbox with the demo client (plus the loopback redirect URI), presenting
/// `secret` as its client secret when we have one.
async fn launch_builtin_sandbox(
    shared: &Arc<Shared>,
    secret: Option<&SecretValue>,
    state_path: &std::path::Path,
) -> Result<Sandbox> {
    let mut demo = ClientConfig::demo();
    if let Some(secret) = secret {
        demo.client_secret = secret.expose().to_owned();
    }
    let loopback = crate::loopback::loopback_redirect_uri(shared.config.loopback_port);
    if !demo.redirect_uris.contains(&loopback) {
        demo.redirect_uris.push(loopback);
    }
    Sandbox::start(SandboxConfig {
        clients: vec![demo],
        state_path: Some(state_path.to_path_buf()),
        ..Default::default()
    })
    .await
    .map_err(|e| Error::Internal(format!("the built-in sandbox did not start: {e}")))
}

async fn start_builtin_sandbox(shared: &Arc<Shared>) -> Result<Sandbox> {
    // The sandbox's state file keeps only a hash of its demo client's secret; the secret itself
    // lives in our secret store. Hand it back so the sandbox knows it again after a restart.
    let key = SecretKey::client_secret(BUILTIN_ENVIRONMENT_ID);
    let stored = shared.secrets.get(&key).await;
    let state_path = shared.config.data_dir.join(SANDBOX_STATE_FILE);
    let mut sandbox = launch_builtin_sandbox(shared, stored.as_ref(), &state_path).await?;
    if sandbox.demo_client_secret().is_none() {
        // The sandbox does not recognise the secret we hold (or we hold none: the keychain was
        // unavailable last session). Nothing could exchange or refresh against it any more, so
        // start it afresh; its old connections will ask to be linked again.
        tracing::warn!("the built-in sandbox's client secret was lost; resetting its state");
        drop(sandbox);
        std::fs::remove_file(&state_path)?;
        sandbox = launch_builtin_sandbox(shared, stored.as_ref(), &state_path).await?;
    }

    let client = sandbox.demo_client();
    let existing = shared.store.environment(BUILTIN_ENVIRONMENT_ID)?;
    let first_run = existing.is_none();
    let now = crate::now_rfc3339();
    shared
        .store
        .upsert_environment(&crate::store::EnvironmentRow {
            id: BUILTIN_ENVIRONMENT_ID.to_owned(),
            name: "Built-in sandbox".to_owned(),
            kind: EnvironmentKind::Builtin,
            auth_url: sandbox.auth_url().to_owned(),
            api_url: sandbox.api_url().to_owned(),
            client_id: client.client_id.clone(),
            redirect_uris: client.redirect_uris.clone(),
            active: false,
            created_at: existing.map(|e| e.created_at).unwrap_or(now),
        })?;
    if let Some(fresh) = sandbox.demo_client_secret() {
        if stored.as_ref().map(SecretValue::expose) != Some(fresh) {
            shared
                .secrets
                .set(&key, &SecretValue::new(fresh.to_owned()))
                .await;
        }
    }
    let any_active = shared.store.list_environments()?.iter().any(|e| e.active);
    if first_run || !any_active {
        shared
            .store
            .set_active_environment(BUILTIN_ENVIRONMENT_ID)?;
    }
    shared.invalidate_client(BUILTIN_ENVIRONMENT_ID);
    Ok(sandbox)
}

/// The DTO module's `ErrorSummary` for an error.
pub(crate) fn summary(e: &Error) -> dto::ErrorSummary {
    dto::ErrorSummary {
        code: e.code(),
        message: e.to_string(),
    }
}
