//! [`Core`]: the one object the shell holds. It owns the store, the secrets, the built-in sandbox,
//! the TrueLayer clients and the services, and publishes [`CoreEvent`]s.
//!
//! Started once with [`Core::start`]; cheap to clone (an `Arc` inside). Must not: know about
//! tauri (events go out through a broadcast channel the shell forwards), or log a secret.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use linkscope_sandbox::keys::ClientSigningKey;
use linkscope_sandbox::{ClientConfig, Sandbox, SandboxConfig};
use linkscope_truelayer as tl;
use tokio::sync::broadcast;

use crate::connections::lifecycle::LifecycleService;
use crate::connections::ConnectionService;
use crate::context::{loopback_redirect_uri, CoreEvent, LinkCheckpoint, Shared, SharedConfig};
use crate::data::accounts::AccountService;
use crate::data::async_mode::AsyncService;
use crate::data::cards::CardService;
use crate::data::transactions::TransactionService;
use crate::data::views::DataService;
use crate::dto::{AppInfo, BuildKind, EnvironmentKind, KeychainInfo};
use crate::error::{Error, Result};
use crate::holder::HolderService;
use crate::inspect::export::ExportService;
use crate::inspect::requests::RequestService;
use crate::link::environments::{EnvironmentService, BUILTIN_ENVIRONMENT_ID};
use crate::link::loopback::DEFAULT_LOOPBACK_PORT;
use crate::link::sessions::LinkService;
use crate::link::tracking::TrackingService;
use crate::snapshots::SnapshotService;
use crate::storage::secrets::{
    KeyringStore, SecretKey, SecretStore, SecretValue, Secrets, KEYCHAIN_DEADLINE,
};
use crate::storage::store::{EnvironmentRow, Store};
use crate::workbench::controls::BuiltinSandbox;
use crate::workbench::{Workbench, WorkbenchParts};

/// The sandbox's state file inside the data dir (demo client secret, token hashes, clock).
pub const SANDBOX_STATE_FILE: &str = "sandbox-state.json";

/// How long a link session waits for its redirect (DESIGN.md §6: `state` expires).
pub const DEFAULT_LINK_TTL: Duration = Duration::from_secs(10 * 60);

/// How long before an access token's expiry it is refreshed ("shortly before expiry").
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The longest a refresh may hold its connection's lock: two keychain deadlines plus the token
/// request's own time, so callers waiting on the lock are never stuck behind a hung keychain.
pub const DEFAULT_REFRESH_DEADLINE: Duration = Duration::from_secs(60);

/// How Core starts.
#[derive(Debug)]
pub struct CoreConfig {
    /// Where the database (and the built-in sandbox's state) live. The shell resolves it with
    /// [`crate::storage::store::resolve_data_dir`].
    pub data_dir: PathBuf,
    /// The app identifier, namespaced per build (e.g. `dev.linkscope.app.dev`): the keychain
    /// service name.
    pub app_identifier: String,
    /// Dev or release: decides the deep-link scheme (`linkscope-dev` / `linkscope`).
    pub build: BuildKind,
    /// The app version, for `get_app_info`.
    pub version: String,
    /// The secret store; `None` = the OS keychain under `app_identifier`. Tests inject a
    /// [`crate::storage::secrets::MemoryStore`] (clone it first to restart Core on the same secrets).
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
    /// The deadline of each keychain call (default [`KEYCHAIN_DEADLINE`]).
    pub keychain_deadline: Duration,
    /// The longest a refresh holds its connection's lock (default 60 s).
    pub refresh_deadline: Duration,
    /// Called at each step of saving a new link (none in the app; the crash tests stop there).
    pub link_checkpoint: LinkCheckpoint,
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
            keychain_deadline: KEYCHAIN_DEADLINE,
            refresh_deadline: DEFAULT_REFRESH_DEADLINE,
            link_checkpoint: LinkCheckpoint::default(),
        }
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
    tracking: TrackingService,
    connections: ConnectionService,
    accounts: AccountService,
    cards: CardService,
    transactions: TransactionService,
    data: DataService,
    lifecycle: LifecycleService,
    requests: RequestService,
    exports: ExportService,
    workbench: Workbench,
    holder: HolderService,
    snapshots: SnapshotService,
    async_mode: AsyncService,
}

impl Core {
    /// Opens the store, probes the keychain, starts the built-in sandbox (if asked) and seeds the
    /// built-in environment on first run (its demo client secret goes to the secret store).
    pub async fn start(config: CoreConfig) -> Result<Core> {
        let store = Arc::new(Store::open_in(&config.data_dir)?);
        let primary: Arc<dyn SecretStore> = match config.secret_store {
            Some(s) => s,
            None => Arc::new(KeyringStore::new(config.app_identifier.clone())),
        };
        let secrets = Secrets::with_deadline(primary, config.keychain_deadline).await;

        let deep_link_scheme = match config.build {
            BuildKind::Dev => "linkscope-dev",
            BuildKind::Release => "linkscope",
        };
        let shared = Shared::start(
            SharedConfig {
                data_dir: config.data_dir.clone(),
                version: config.version.clone(),
                build: config.build,
                deep_link_scheme: deep_link_scheme.to_owned(),
                loopback_port: config.loopback_port,
                link_ttl: config.link_ttl,
                refresh_margin: config.refresh_margin,
                retry_policy: config.retry_policy,
                checkpoint: config.link_checkpoint,
                refresh_deadline: config.refresh_deadline,
            },
            store,
            secrets,
        );

        let sandbox = if config.start_builtin_sandbox {
            Some(start_builtin_sandbox(&shared).await?)
        } else {
            None
        };

        let connections = ConnectionService::new(shared.clone());
        let environments = EnvironmentService::new(shared.clone(), connections.clone());
        let links = LinkService::new(shared.clone(), connections.clone())?;
        let tracking = TrackingService::new(shared.clone());
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
                control_token: s.control_token().to_owned(),
                seed: s.state().seed,
            }),
        })?;
        connections.sweep_orphaned_secrets().await?;
        let holder = HolderService::new(shared.clone());
        let snapshots = SnapshotService::new(
            shared.clone(),
            connections.clone(),
            accounts.clone(),
            cards.clone(),
            transactions.clone(),
        );
        let async_mode = AsyncService::new(shared.clone());
        connections.mark_unsaved_without_tokens().await?;

        Ok(Core {
            inner: Arc::new(CoreInner {
                shared,
                sandbox,
                environments,
                links,
                tracking,
                connections,
                accounts,
                cards,
                transactions,
                data,
                lifecycle,
                requests,
                exports,
                workbench,
                holder,
                snapshots,
                async_mode,
            }),
        })
    }

    /// Async mode: per connection on or off, and each async task's timeline.
    pub fn async_mode(&self) -> &AsyncService {
        &self.inner.async_mode
    }

    /// Account holder verification v3 and bank lookup, and the signing keys they use.
    pub fn holder(&self) -> &HolderService {
        &self.inner.holder
    }

    /// Snapshots of a connection's data and what changed since.
    pub fn snapshots(&self) -> &SnapshotService {
        &self.inner.snapshots
    }

    /// Environments: list, save, select, providers, scope catalog.
    pub fn environments(&self) -> &EnvironmentService {
        &self.inner.environments
    }

    /// Link sessions: start, open, cancel, complete.
    pub fn links(&self) -> &LinkService {
        &self.inner.links
    }

    /// Link attempts and their auth-journey trails (Client Tracking API).
    pub fn tracking(&self) -> &TrackingService {
        &self.inner.tracking
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
        self.inner.shared.set_presenter_mode(on);
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
    // The demo client's request-signing key lives in our secret store too: hand it back.
    if let Some((key_id, key)) = crate::holder::stored_key(&shared.secrets, BUILTIN_ENVIRONMENT_ID)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the demo client's signing key could not be read: a new one is made");
            None
        })
    {
        if let Ok(stored) = ClientSigningKey::from_private_pem(&key_id, key.expose()) {
            demo.signing_key = Some(stored);
        }
    }
    let loopback = loopback_redirect_uri(shared.config.loopback_port);
    if !demo.redirect_uris.contains(&loopback) {
        demo.redirect_uris.push(loopback);
    }
    Sandbox::start(SandboxConfig {
        clients: vec![demo],
        state_path: Some(state_path.to_path_buf()),
        // Random per launch; the e2e suite pins it through the environment to drive the controls.
        control_token: std::env::var(linkscope_sandbox::CONTROL_TOKEN_ENV).ok(),
        ..Default::default()
    })
    .await
    .map_err(|e| Error::Internal(format!("the built-in sandbox did not start: {e}")))
}

/// Starts the sandbox with its state file in the data dir and (re)writes the built-in
/// environment: its URLs change on every start, its demo secret only on first run.
async fn start_builtin_sandbox(shared: &Arc<Shared>) -> Result<Sandbox> {
    // The sandbox's state file keeps only a hash of its demo client's secret; the secret itself
    // lives in our secret store. Hand it back so the sandbox knows it again after a restart.
    // A keychain that cannot be read is not a lost secret: the state stays for the session the
    // keychain answers again (the built-in environment cannot link or refresh meanwhile).
    let key = SecretKey::client_secret(BUILTIN_ENVIRONMENT_ID);
    let read = shared.secrets.get(&key).await;
    let stored = read.as_ref().ok().and_then(Option::as_ref);
    let state_path = shared.config.data_dir.join(SANDBOX_STATE_FILE);
    let mut sandbox = launch_builtin_sandbox(shared, stored, &state_path).await?;
    if sandbox.demo_client_secret().is_none() && read.is_ok() {
        // The sandbox does not recognise the secret we hold, or we hold none (it was only in
        // memory last session). Nothing could exchange or refresh against it any more, so
        // start it afresh; its old connections will ask to be linked again.
        tracing::warn!("the built-in sandbox's client secret was lost; resetting its state");
        drop(sandbox);
        std::fs::remove_file(&state_path)?;
        sandbox = launch_builtin_sandbox(shared, stored, &state_path).await?;
    }

    let client = sandbox.demo_client();
    let existing = shared.store.environment(BUILTIN_ENVIRONMENT_ID)?;
    let first_run = existing.is_none();
    let now = crate::now_rfc3339();
    shared.store.upsert_environment(&EnvironmentRow {
        id: BUILTIN_ENVIRONMENT_ID.to_owned(),
        name: "Built-in sandbox".to_owned(),
        kind: EnvironmentKind::Builtin,
        auth_url: sandbox.auth_url().to_owned(),
        api_url: sandbox.api_url().to_owned(),
        client_id: client.client_id.clone(),
        redirect_uris: client.redirect_uris.clone(),
        marked_live: false,
        tracking_url: Some(sandbox.tracking_url().to_owned()),
        active: false,
        created_at: existing.map(|e| e.created_at).unwrap_or(now),
    })?;
    if let Some(fresh) = sandbox.demo_client_secret() {
        if stored.map(SecretValue::expose) != Some(fresh) {
            shared
                .secrets
                .set(&key, &SecretValue::new(fresh.to_owned()))
                .await;
        }
    }
    // An unreadable keychain: do not overwrite what may still be there (it may answer again).
    if let (Some(key), Ok(stored)) = (
        sandbox.demo_signing_key(),
        crate::holder::stored_key(&shared.secrets, BUILTIN_ENVIRONMENT_ID).await,
    ) {
        let known = stored.as_ref().map(|(id, pem)| (id.as_str(), pem.expose()));
        if let Some(pem) = key
            .private_key_pem()
            .filter(|pem| known != Some((&key.key_id, pem)))
        {
            crate::holder::store_key(&shared.secrets, BUILTIN_ENVIRONMENT_ID, &key.key_id, pem)
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
