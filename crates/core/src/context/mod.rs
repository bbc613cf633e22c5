//! The context every service shares ([`Shared`]): the store, the secrets, the event channel, the
//! per-environment TrueLayer clients and the request recorder, plus the small helpers the
//! services would otherwise each write by hand (environment lookup, redirect URIs, the
//! poison-recovering lock, trace-id lists).
//!
//! It sits below the services: it imports no service, and no service imports the composition
//! root ([`crate::Core`]). Must not: log a secret, or hold one beyond the clients it builds and
//! the app tokens it reuses (in memory, each until a minute before it expires).

pub(crate) mod async_runs;
mod events;
pub(crate) mod listen;
pub(crate) mod memory;
mod recorder;

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use linkscope_truelayer as tl;
use tokio::sync::{broadcast, mpsc, oneshot};

use crate::dto::{BuildKind, RedirectKind};
use crate::error::{Error, Result};
use crate::storage::secrets::{SecretKey, Secrets};
use crate::storage::store::{EnvironmentRow, RequestRecord, Store};

pub use events::CoreEvent;
pub(crate) use recorder::CURRENT_CONNECTION;
use recorder::{record_of, RecorderMsg};

/// The loopback redirect URI for a port (the listener is [`crate::link::loopback`]).
pub fn loopback_redirect_uri(port: u16) -> String {
    format!("http://127.0.0.1:{port}/callback")
}

/// TrueLayer's console page that shows the code for copying (the "console" redirect).
const CONSOLE_REDIRECT_URI: &str = "https://console.truelayer.com/redirect-page";

/// State shared by the services.
pub(crate) struct Shared {
    pub config: SharedConfig,
    pub store: Arc<Store>,
    pub secrets: Secrets,
    pub events: broadcast::Sender<CoreEvent>,
    clients: Mutex<HashMap<String, EnvironmentClient>>,
    recorder: mpsc::UnboundedSender<RecorderMsg>,
    /// Presenter mode: exports, copies and bundles are masked while it is on.
    presenter: AtomicBool,
    /// Live environments whose extend and revoke the user unlocked this session (the interlock
    /// the lifecycle service enforces and the environments report).
    live_unlocked: Mutex<HashSet<String>>,
    /// Async mode: which connections' calls go async, task timelines, the webhook listener.
    pub async_runs: async_runs::AsyncRuns,
    /// App tokens (`client_credentials`) by environment and scope, with when to stop using them.
    app_tokens: Mutex<HashMap<(String, String), AppToken>>,
}

/// A cached app token and the moment it stops being used.
type AppToken = (Arc<tl::AccessToken>, Instant);

/// An app token is not used in its last minute, so a call made with it does not land after it
/// expired.
const APP_TOKEN_MARGIN: Duration = Duration::from_secs(60);

/// The parts of [`crate::CoreConfig`] the services read.
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
    pub checkpoint: LinkCheckpoint,
    /// The longest a refresh may hold a connection's lock (keychain reads, the token request,
    /// keychain writes, all together).
    pub refresh_deadline: Duration,
}

/// A step of saving a new link, in order. A [`LinkCheckpoint`] hears each one (the crash tests
/// stop the process there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStep {
    /// The code was exchanged for tokens (nothing stored yet).
    Exchanged,
    /// The tokens are in the secret store (indexed as pending; no row yet).
    SecretsWritten,
    /// The connection's row is saved.
    RowWritten,
}

/// A hook called at each [`LinkStep`]; the app sets none.
#[derive(Clone, Default)]
pub struct LinkCheckpoint(Option<Arc<dyn Fn(LinkStep) + Send + Sync>>);

impl LinkCheckpoint {
    /// Calls `hook` at each step.
    pub fn new(hook: impl Fn(LinkStep) + Send + Sync + 'static) -> Self {
        Self(Some(Arc::new(hook)))
    }

    pub(crate) fn reached(&self, step: LinkStep) {
        if let Some(hook) = &self.0 {
            hook(step);
        }
    }
}

impl std::fmt::Debug for LinkCheckpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "LinkCheckpoint(set)"
        } else {
            "LinkCheckpoint(none)"
        })
    }
}

impl SharedConfig {
    /// The redirect URI Linkscope hands out for a redirect kind; `None` for
    /// [`RedirectKind::Registered`], which names one of the environment's own.
    pub fn redirect_uri(&self, kind: RedirectKind) -> Option<String> {
        Some(match kind {
            RedirectKind::DeepLink => format!("{}://callback", self.deep_link_scheme),
            RedirectKind::Loopback => loopback_redirect_uri(self.loopback_port),
            RedirectKind::Console => CONSOLE_REDIRECT_URI.to_owned(),
            RedirectKind::Registered => return None,
        })
    }

    /// Every redirect URI of this build: deep link, loopback, console page.
    pub fn own_redirect_uris(&self) -> Vec<String> {
        [
            RedirectKind::DeepLink,
            RedirectKind::Loopback,
            RedirectKind::Console,
        ]
        .into_iter()
        .filter_map(|kind| self.redirect_uri(kind))
        .collect()
    }
}

/// An environment's TrueLayer client and whether the environment has a client secret.
#[derive(Debug, Clone)]
pub(crate) struct EnvironmentClient {
    pub client: tl::Client,
    pub has_client_secret: bool,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// The context, with the task that writes recorded exchanges to the request log.
    pub fn start(config: SharedConfig, store: Arc<Store>, secrets: Secrets) -> Arc<Self> {
        let recorder = recorder::spawn(store.clone());
        let (events, _) = broadcast::channel(256);
        let async_runs = async_runs::AsyncRuns::new(events.clone(), recorder.clone());
        Arc::new(Self {
            config,
            store,
            secrets,
            events,
            async_runs,
            clients: Mutex::new(HashMap::new()),
            recorder,
            presenter: AtomicBool::new(false),
            live_unlocked: Mutex::new(HashSet::new()),
            app_tokens: Mutex::new(HashMap::new()),
        })
    }

    /// Publishes an event (no subscriber is fine).
    pub fn emit(&self, event: CoreEvent) {
        let _ = self.events.send(event);
    }

    /// An environment's row, or `not_found`.
    pub fn environment(&self, id: &str) -> Result<EnvironmentRow> {
        self.store.environment(id)?.ok_or_else(|| Error::NotFound {
            what: "environment",
            id: id.to_owned(),
        })
    }

    /// The TrueLayer client of an environment and whether it has a client secret (cached until
    /// the environment changes).
    pub async fn client(&self, environment_id: &str) -> Result<EnvironmentClient> {
        if let Some(hit) = lock(&self.clients).get(environment_id).cloned() {
            return Ok(hit);
        }
        let row = self.environment(environment_id)?;
        let secret = self
            .secrets
            .get(&SecretKey::client_secret(environment_id))
            .await?;
        let has_client_secret = secret.is_some();
        let client_id = tl::ClientId::new(row.client_id.clone()).map_err(Error::from_tl)?;
        let secret =
            tl::ClientSecret::new(secret.map(|s| s.expose().to_owned()).unwrap_or_default());
        let redirect_uris = row
            .redirect_uris
            .iter()
            .filter_map(|u| tl::RedirectUri::new(u.clone()).ok())
            .collect::<Vec<_>>();
        let mut env = tl::Environment::new(&row.auth_url, &row.api_url, client_id, secret)
            .map_err(Error::from_tl)?
            .with_redirect_uris(redirect_uris);
        if let Some(tracking) = row.tracking_url() {
            env = env.with_tracking_url(tracking).map_err(Error::from_tl)?;
        }
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
        let client = EnvironmentClient {
            client: builder.build().map_err(Error::from_tl)?,
            has_client_secret,
        };
        lock(&self.clients).insert(environment_id.to_owned(), client.clone());
        Ok(client)
    }

    /// The client of an environment that must have a client secret (to link or extend).
    pub async fn client_with_secret(&self, env: &EnvironmentRow) -> Result<tl::Client> {
        let found = self.client(&env.id).await?;
        if !found.has_client_secret {
            return Err(Error::Validation(format!(
                "The environment \"{}\" has no client secret yet: add it in Settings first.",
                env.name
            )));
        }
        Ok(found.client)
    }

    /// Whether presenter mode is on.
    pub fn presenter_mode(&self) -> bool {
        self.presenter.load(Ordering::Relaxed)
    }

    /// Turns presenter mode on or off.
    pub fn set_presenter_mode(&self, on: bool) {
        self.presenter.store(on, Ordering::Relaxed);
    }

    /// Whether extend and revoke are unlocked for this live environment, this session.
    pub fn is_live_unlocked(&self, environment_id: &str) -> bool {
        lock(&self.live_unlocked).contains(environment_id)
    }

    /// Unlocks (or locks again) extend and revoke for a live environment, this session.
    pub fn set_live_unlocked(&self, environment_id: &str, unlocked: bool) {
        let mut set = lock(&self.live_unlocked);
        if unlocked {
            set.insert(environment_id.to_owned());
        } else {
            set.remove(environment_id);
        }
    }

    /// Forgets a cached client (its environment or secret changed), and its app tokens.
    pub fn invalidate_client(&self, environment_id: &str) {
        lock(&self.clients).remove(environment_id);
        lock(&self.app_tokens).retain(|(env, _), _| env != environment_id);
    }

    /// Makes `call` with an app token (`client_credentials`) of the environment for `scope`. The
    /// token is asked for once and reused until a minute before it expires (the auth-journey
    /// trail is read every 3 s while a link waits, and each read asked a new one); one refused
    /// with 401 before its time (revoked, or the clocks disagree) is replaced and `call` made once
    /// more, so a call must be safe to repeat. The environment must have a client secret.
    pub async fn with_app_token<T, F, Fut>(
        &self,
        env: &EnvironmentRow,
        scope: &tl::Scope,
        call: F,
    ) -> Result<T>
    where
        F: Fn(Arc<tl::AccessToken>) -> Fut,
        Fut: Future<Output = tl::Result<T>>,
    {
        match call(self.app_token(env, scope).await?).await {
            Err(e) if e.status() == Some(401) => {
                lock(&self.app_tokens).remove(&app_token_key(env, scope));
                call(self.app_token(env, scope).await?).await
            }
            done => done,
        }
        .map_err(Error::from_tl)
    }

    /// The cached app token for `scope`, or a new one.
    async fn app_token(
        &self,
        env: &EnvironmentRow,
        scope: &tl::Scope,
    ) -> Result<Arc<tl::AccessToken>> {
        let key = app_token_key(env, scope);
        if let Some((token, until)) = lock(&self.app_tokens).get(&key) {
            if Instant::now() < *until {
                return Ok(token.clone());
            }
        }
        let client = self.client_with_secret(env).await?;
        let set = client
            .client_credentials(std::slice::from_ref(scope))
            .await
            .map_err(Error::from_tl)?;
        let usable = set
            .expires_in
            .and_then(|lifetime| lifetime.checked_sub(APP_TOKEN_MARGIN));
        let token = Arc::new(set.access_token);
        if let Some(usable) = usable {
            lock(&self.app_tokens).insert(key, (token.clone(), Instant::now() + usable));
        }
        Ok(token)
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

/// Locks a mutex, recovering the data if a panicking holder poisoned it (every value guarded
/// here stays consistent between statements).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Adds a trace id to a list, once.
pub(crate) fn push_trace_id(out: &mut Vec<String>, id: &str) {
    if !out.iter().any(|t| t == id) {
        out.push(id.to_owned());
    }
}

/// Adds the primary trace id of an answer, once.
pub(crate) fn push_trace(out: &mut Vec<String>, ids: &tl::TraceIds) {
    if let Some(id) = ids.primary() {
        push_trace_id(out, id);
    }
}

/// Where an app token is kept: by environment and scope.
fn app_token_key(env: &EnvironmentRow, scope: &tl::Scope) -> (String, String) {
    (env.id.clone(), scope.as_str().to_owned())
}
