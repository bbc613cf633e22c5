//! The sandbox's shared state: registered clients, the clock, connections (grants), token and
//! code hashes, dialog sessions, tracked auth-journey events, and persistence of the durable part to the state file.
//! Owns the rules about *lifetimes* (code 5 minutes and once, access token 1 hour, consent 90
//! days, refresh token 30 days unused); the HTTP handlers decide what to answer.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::api::async_tasks::Tasks;
use crate::auth::session::DialogSession;
use crate::banks::BankCache;
use crate::clock::Clock;
use crate::config::{ClientConfig, SandboxConfig, DEMO_CLIENT_ID};
use crate::error::{Error, Result};
use crate::faults::Faults;
use crate::guard::AllowedHosts;
use crate::journal::RequestLog;
use crate::scopes::ScopeSet;
use crate::tokens::{self, AccessClaims, Secret, TokenHash};

/// TrueLayer: authorization codes must be exchanged within 5 minutes.
pub const CODE_LIFETIME: Duration = Duration::minutes(5);
/// TrueLayer: access tokens last one hour (`expires_in: 3600`).
pub const ACCESS_TOKEN_SECONDS: i64 = 3600;
/// TrueLayer (UK): consent lasts 90 days.
pub const CONSENT_LIFETIME: Duration = Duration::days(90);
/// TrueLayer: a refresh token unused for 30 days expires; each use renews the window.
pub const REFRESH_IDLE_LIFETIME: Duration = Duration::days(30);
/// Auth dialog sessions are abandoned after 30 minutes.
pub const DIALOG_LIFETIME: Duration = Duration::minutes(30);
/// Expired access tokens are dropped once this many are remembered (and at every write of the
/// state file), so long runs without a state file do not grow without bound.
const PRUNE_ACCESS_TOKENS_AT: usize = 4096;
/// The version of the state file's format.
const STATE_FILE_VERSION: u32 = 1;

/// One end user's connection to one provider (TrueLayer's "credentials").
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Connection {
    /// `credentials_id` (base64, 44 characters).
    pub credentials_id: String,
    /// The client that owns it.
    pub client_id: String,
    /// The mock user (`data::Persona::key`).
    pub persona_key: String,
    /// The provider the user chose.
    pub provider_id: String,
    /// The account and card ids the user selected.
    pub account_ids: Vec<String>,
    /// Granted scopes.
    pub scopes: ScopeSet,
    /// Consent id (UUID).
    pub consent_id: String,
    /// When the user consented (the dialog's end).
    pub consent_created_at: DateTime<Utc>,
    /// `consent_created_at` + 90 days (moved by extend / re-authentication).
    pub consent_expires_at: DateTime<Utc>,
    /// When the consent last changed status.
    pub consent_status_updated_at: DateTime<Utc>,
    /// When the user last authenticated at the bank (the historical-transactions window).
    pub auth_time: DateTime<Utc>,
    /// When the connection was revoked (`DELETE /api/delete`).
    pub revoked_at: Option<DateTime<Utc>>,
    /// JWT `sub`.
    pub sub: String,
    /// JWT `sid`.
    pub sid: String,
    /// JWT `credentials_key`.
    pub credentials_key: String,
}

impl Connection {
    /// Whether the consent has run out at `now`.
    pub fn consent_expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.consent_expires_at
    }

    /// TrueLayer's connection status at `now` (`active`, `inactive`, `revoked`).
    pub fn status(&self, now: DateTime<Utc>) -> &'static str {
        if self.revoked_at.is_some() {
            "revoked"
        } else if self.consent_expired(now) {
            "inactive"
        } else {
            "active"
        }
    }
}

/// What an access token grants (stored under the token's hash).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessGrant {
    /// The connection, or `None` for a `client_credentials` token.
    pub credentials_id: Option<String>,
    /// The client it was issued to.
    pub client_id: String,
    /// Scopes of a `client_credentials` token (user tokens read the connection's).
    #[serde(default)]
    pub client_scopes: Vec<String>,
    /// Issue time.
    pub issued_at: DateTime<Utc>,
    /// Expiry (issue + 1 hour).
    pub expires_at: DateTime<Utc>,
}

/// What a refresh token refers to (stored under the token's hash).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefreshGrant {
    /// The connection.
    pub credentials_id: String,
    /// Last use (or issue): the 30-day idle window runs from here.
    pub last_used_at: DateTime<Utc>,
}

/// What the user approved in the dialog; carried by a code until it is exchanged.
#[derive(Debug, Clone)]
pub struct Authorization {
    /// The mock user.
    pub persona_key: String,
    /// The provider.
    pub provider_id: String,
    /// Selected account and card ids.
    pub account_ids: Vec<String>,
    /// Granted scopes.
    pub scopes: ScopeSet,
    /// When the user authenticated.
    pub auth_time: DateTime<Utc>,
    /// For a re-authentication (extend, reauth link): the connection it renews.
    pub renews: Option<String>,
    /// The `credentials_id` the dialog named at the bank login (its tracked events carry it):
    /// a new connection takes it.
    pub credentials_id: Option<String>,
    /// The consent id the dialog named at the bank login: the connection's new consent takes it.
    pub consent_id: Option<String>,
}

/// An issued authorization code (stored under its hash; never persisted).
#[derive(Debug, Clone)]
pub struct CodeGrant {
    /// The client of the auth link.
    pub client_id: String,
    /// The link's redirect URI: the token request must repeat it exactly.
    pub redirect_uri: String,
    /// The link's PKCE challenge (S256).
    pub code_challenge: Option<String>,
    /// Issue time.
    pub issued_at: DateTime<Utc>,
    /// Set at the first exchange attempt: a code is good once.
    pub used_at: Option<DateTime<Utc>>,
    /// What the user approved.
    pub authorization: Authorization,
}

/// The mutable core, behind one mutex.
#[derive(Debug, Default)]
pub struct Store {
    /// Connections by credentials id.
    pub connections: BTreeMap<String, Connection>,
    /// Access tokens by hash.
    pub access_tokens: HashMap<TokenHash, AccessGrant>,
    /// Refresh tokens by hash.
    pub refresh_tokens: HashMap<TokenHash, RefreshGrant>,
    /// Codes by hash.
    pub codes: HashMap<TokenHash, CodeGrant>,
    /// Dialog sessions by id.
    pub dialogs: HashMap<String, DialogSession>,
}

/// What the state file holds: no secret in clear — tokens and the demo client's secret are
/// SHA-256 hashes (the app keeps this file in its data dir, which is searched for secrets).
#[derive(Debug, Serialize, Deserialize)]
struct StateFile {
    version: u32,
    /// SHA-256 of the demo client's secret, so the secret the app stored keeps working after a
    /// restart.
    #[serde(default)]
    demo_client_secret_sha256: Option<TokenHash>,
    /// Early files kept the secret in clear; read once, then rewritten as a hash.
    #[serde(default, skip_serializing)]
    demo_client_secret: Option<String>,
    clock_offset_seconds: i64,
    connections: BTreeMap<String, Connection>,
    access_tokens: HashMap<TokenHash, AccessGrant>,
    refresh_tokens: HashMap<TokenHash, RefreshGrant>,
    /// The tracked auth-journey events (no secret: link ids, times, provider and consent ids).
    #[serde(default)]
    tracked_events: Vec<crate::tracking::Trail>,
}

/// Tokens issued by a successful grant.
#[derive(Debug)]
pub struct IssuedTokens {
    /// The JWT access token.
    pub access_token: Secret,
    /// Seconds until it expires.
    pub expires_in: i64,
    /// The refresh token, when `offline_access` was granted.
    pub refresh_token: Option<Secret>,
    /// Space-separated scopes.
    pub scope: String,
}

/// Everything the sandbox's servers share. Cheap to clone.
#[derive(Clone, Debug)]
pub struct SandboxState {
    inner: Arc<Inner>,
}

/// See [`SandboxState`].
#[derive(Debug)]
pub struct Inner {
    /// Registered clients. After a restart from a state file the demo client's raw secret is
    /// not known any more: its `client_secret` is then empty (see [`SandboxState::demo_client_secret`]).
    pub clients: Vec<ClientConfig>,
    /// SHA-256 of each client's secret, by client id: what `/connect/token` checks against.
    secret_hashes: HashMap<String, TokenHash>,
    /// Data seed.
    pub seed: u64,
    /// The auth server's base URL (no trailing slash).
    pub auth_url: String,
    /// The API server's base URL (no trailing slash).
    pub api_url: String,
    /// The client-tracking server's base URL (no trailing slash).
    pub tracking_url: String,
    /// The sandbox clock.
    pub clock: Clock,
    /// Generated banks.
    pub banks: BankCache,
    /// Async tasks and batches.
    pub tasks: Mutex<Tasks>,
    /// Account holder verifications (v3) and their idempotency keys.
    pub holder_checks: Mutex<crate::api::account_holder::HolderChecks>,
    /// Injected faults and latency.
    pub faults: Mutex<Faults>,
    /// The webhook QA flag (tamper with the next delivery).
    pub webhooks: crate::webhooks::WebhookControls,
    /// Requests received.
    pub requests: Mutex<RequestLog>,
    /// HTTP client for webhooks (no redirects: a webhook target must answer itself).
    pub http: reqwest::Client,
    /// The `Host` values the auth server answers.
    pub auth_hosts: AllowedHosts,
    /// The `Host` values the API server answers.
    pub api_hosts: AllowedHosts,
    /// The `Host` values the client-tracking server answers.
    pub tracking_hosts: AllowedHosts,
    /// The auth-journey events recorded per `tracking_id`.
    pub tracked: Mutex<crate::tracking::TrackedEvents>,
    /// This launch's control token (see [`SandboxState::control_token`]).
    control_token: Secret,
    /// Its hash: what `X-Sandbox-Token` is checked against, in constant time.
    pub control_token_hash: TokenHash,
    /// The process's signing keys (access tokens are RS256 JWTs with their `kid`).
    pub keys: &'static crate::keys::Keys,
    store: Mutex<Store>,
    state_path: Option<PathBuf>,
    /// Serialises writes of the state file.
    write_lock: Mutex<()>,
}

impl std::ops::Deref for SandboxState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.inner
    }
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it (the sandbox keeps
/// serving; every critical section leaves the data consistent before anything can panic).
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl SandboxState {
    /// Builds the state for servers reachable at `auth_url`, `api_url` and `tracking_url`,
    /// loading the state file when the config names one.
    pub fn new(
        config: &SandboxConfig,
        auth_url: &str,
        api_url: &str,
        tracking_url: &str,
    ) -> Result<Self> {
        config.validate()?;
        let mut clients = config.clients.clone();
        let mut secret_hashes: HashMap<String, TokenHash> = clients
            .iter()
            .map(|c| (c.client_id.clone(), TokenHash::of(&c.client_secret)))
            .collect();
        let mut store = Store::default();
        let mut clock_offset = 0;
        let mut tracked = crate::tracking::TrackedEvents::default();
        if let Some(path) = &config.state_path {
            if let Some(file) = read_state_file(path)? {
                clock_offset = file.clock_offset_seconds;
                let stored = file
                    .demo_client_secret_sha256
                    .or_else(|| file.demo_client_secret.as_deref().map(TokenHash::of));
                if let (Some(stored), Some(demo)) = (
                    stored,
                    clients.iter_mut().find(|c| c.client_id == DEMO_CLIENT_ID),
                ) {
                    // The stored secret wins: it is the one the app keeps in its keychain.
                    // Its raw value is known only if the config (or an old file) holds it.
                    let known = file
                        .demo_client_secret
                        .filter(|raw| TokenHash::of(raw) == stored)
                        .or_else(|| {
                            (TokenHash::of(&demo.client_secret) == stored)
                                .then(|| demo.client_secret.clone())
                        });
                    demo.client_secret = known.unwrap_or_default();
                    secret_hashes.insert(DEMO_CLIENT_ID.to_owned(), stored);
                }
                store.connections = file.connections;
                store.access_tokens = file.access_tokens;
                store.refresh_tokens = file.refresh_tokens;
                tracked = crate::tracking::TrackedEvents::from_stored(file.tracked_events);
            }
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(5))
            .build()
            .map_err(|e| Error::Config(format!("webhook HTTP client: {e}")))?;
        let control_token = Secret::new(
            config
                .control_token
                .clone()
                .unwrap_or_else(tokens::new_control_token),
        );
        let auth_url = auth_url.trim_end_matches('/');
        let api_url = api_url.trim_end_matches('/');
        let tracking_url = tracking_url.trim_end_matches('/');
        let state = Self {
            inner: Arc::new(Inner {
                clients,
                secret_hashes,
                seed: config.seed,
                auth_url: auth_url.to_owned(),
                api_url: api_url.to_owned(),
                tracking_url: tracking_url.to_owned(),
                clock: Clock::with_offset(clock_offset),
                banks: BankCache::default(),
                tasks: Mutex::new(Tasks::default()),
                holder_checks: Mutex::default(),
                faults: Mutex::new(Faults::default()),
                webhooks: crate::webhooks::WebhookControls::default(),
                requests: Mutex::new(RequestLog::default()),
                http,
                auth_hosts: AllowedHosts::of(auth_url),
                api_hosts: AllowedHosts::of(api_url),
                tracking_hosts: AllowedHosts::of(tracking_url),
                tracked: Mutex::new(tracked),
                control_token_hash: control_token.hash(),
                control_token,
                keys: crate::keys::keys()?,
                store: Mutex::new(store),
                state_path: config.state_path.clone(),
                write_lock: Mutex::new(()),
            }),
        };
        // Write at once so the demo secret's hash is on disk before anyone is told the secret.
        state.persist()?;
        Ok(state)
    }

    /// The registered client with this id.
    pub fn client(&self, client_id: &str) -> Option<&ClientConfig> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }

    /// The demo client (or the first client when the demo one was not registered). After a
    /// restart from a state file its `client_secret` is empty: only the hash was kept.
    pub fn demo_client(&self) -> &ClientConfig {
        self.clients
            .iter()
            .find(|c| c.client_id == DEMO_CLIENT_ID)
            .or_else(|| self.clients.first())
            .unwrap_or_else(|| unreachable_client())
    }

    /// The demo client's secret when this start knows it: a fresh state (or no state file),
    /// or a config holding the stored secret. `None` after a restart from a state file, which
    /// keeps only the secret's hash; the app seeds its keychain on first run.
    pub fn demo_client_secret(&self) -> Option<&str> {
        Some(self.demo_client().client_secret.as_str()).filter(|s| !s.is_empty())
    }

    /// The token the `/__sandbox/` controls require in `X-Sandbox-Token`: the configured one, or
    /// one drawn at random for this launch. Hand it only to whoever drives the controls.
    pub fn control_token(&self) -> &str {
        self.control_token.expose()
    }

    /// Checks a client id and secret against the secret's SHA-256 (constant-time compare).
    pub fn authenticate_client(&self, client_id: &str, secret: &str) -> Option<&ClientConfig> {
        let expected = self.secret_hashes.get(client_id)?;
        expected
            .matches(secret)
            .then(|| self.client(client_id))
            .flatten()
    }

    /// The sandbox's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Locks the store.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// Writes the durable part of the state to the state file (temp file + rename), if any.
    /// Expired access tokens are dropped from memory and file on the way.
    pub fn persist(&self) -> Result<()> {
        let Some(path) = &self.state_path else {
            return Ok(());
        };
        let _writing = lock(&self.write_lock);
        let now = self.now();
        let tracked_events = lock(&self.tracked).stored();
        let file = {
            let mut store = self.store();
            store
                .access_tokens
                .retain(|_, grant| grant.expires_at > now);
            StateFile {
                version: STATE_FILE_VERSION,
                demo_client_secret_sha256: self.secret_hashes.get(DEMO_CLIENT_ID).cloned(),
                demo_client_secret: None,
                clock_offset_seconds: self.clock.offset_seconds(),
                connections: store.connections.clone(),
                access_tokens: store.access_tokens.clone(),
                refresh_tokens: store.refresh_tokens.clone(),
                tracked_events,
            }
        };
        write_state_file(path, &file)
    }

    /// Persists, logging instead of failing: used after a grant was already given to a client,
    /// where failing the request would not undo it.
    pub fn persist_or_log(&self) {
        if let Err(e) = self.persist() {
            tracing::error!(error = %e, "could not write the sandbox state file");
        }
    }

    /// Stores a new authorization code for what the user approved.
    pub fn issue_code(
        &self,
        client_id: &str,
        redirect_uri: &str,
        code_challenge: Option<String>,
        authorization: Authorization,
    ) -> Secret {
        let code = tokens::new_code();
        let now = self.now();
        let mut store = self.store();
        store
            .codes
            .retain(|_, c| now - c.issued_at < CODE_LIFETIME + Duration::minutes(10));
        store.codes.insert(
            code.hash(),
            CodeGrant {
                client_id: client_id.to_owned(),
                redirect_uri: redirect_uri.to_owned(),
                code_challenge,
                issued_at: now,
                used_at: None,
                authorization,
            },
        );
        code
    }

    /// Creates (or, for a re-authentication, renews) the connection an exchanged code stands
    /// for and issues its tokens. Called with the store locked by the token endpoint.
    pub fn grant_connection(
        &self,
        store: &mut Store,
        client_id: &str,
        authorization: &Authorization,
    ) -> IssuedTokens {
        let now = self.now();
        let consent_created_at = authorization.auth_time;
        let renewed = authorization
            .renews
            .as_ref()
            .and_then(|id| store.connections.get_mut(id))
            .filter(|c| c.client_id == client_id && c.revoked_at.is_none());
        let consent_id = authorization
            .consent_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let credentials_id = match renewed {
            Some(connection) => {
                connection.account_ids = authorization.account_ids.clone();
                connection.consent_created_at = consent_created_at;
                connection.consent_expires_at = consent_created_at + CONSENT_LIFETIME;
                connection.consent_status_updated_at = now;
                connection.auth_time = authorization.auth_time;
                connection.consent_id = consent_id;
                connection.credentials_id.clone()
            }
            None => {
                let connection = Connection {
                    // A renewal whose connection is gone gets a fresh id, not the old one's.
                    credentials_id: authorization
                        .credentials_id
                        .clone()
                        .filter(|_| authorization.renews.is_none())
                        .unwrap_or_else(tokens::new_credentials_id),
                    client_id: client_id.to_owned(),
                    persona_key: authorization.persona_key.clone(),
                    provider_id: authorization.provider_id.clone(),
                    account_ids: authorization.account_ids.clone(),
                    scopes: authorization.scopes.clone(),
                    consent_id,
                    consent_created_at,
                    consent_expires_at: consent_created_at + CONSENT_LIFETIME,
                    consent_status_updated_at: now,
                    auth_time: authorization.auth_time,
                    revoked_at: None,
                    sub: tokens::new_credentials_id(),
                    sid: tokens::new_session_id("auth"),
                    credentials_key: hex::encode(tokens::random_bytes::<32>()),
                };
                let id = connection.credentials_id.clone();
                store.connections.insert(id.clone(), connection);
                id
            }
        };
        if authorization.renews.is_some() {
            // A re-authentication starts a new grant: earlier refresh tokens stop working.
            store
                .refresh_tokens
                .retain(|_, grant| grant.credentials_id != credentials_id);
        }
        let refresh_token = authorization
            .scopes
            .contains(crate::scopes::Scope::OfflineAccess)
            .then(|| {
                let token = tokens::new_refresh_token();
                store.refresh_tokens.insert(
                    token.hash(),
                    RefreshGrant {
                        credentials_id: credentials_id.clone(),
                        last_used_at: now,
                    },
                );
                token
            });
        let access_token = self.mint_user_token(store, &credentials_id, now);
        IssuedTokens {
            access_token,
            expires_in: ACCESS_TOKEN_SECONDS,
            refresh_token,
            scope: authorization.scopes.to_space_separated(),
        }
    }

    /// Mints and records a fresh access token for a connection.
    pub fn mint_user_token(
        &self,
        store: &mut Store,
        credentials_id: &str,
        now: DateTime<Utc>,
    ) -> Secret {
        let iat = now.timestamp();
        let exp = iat + ACCESS_TOKEN_SECONDS;
        let token = match store.connections.get(credentials_id) {
            Some(c) => {
                let claims = AccessClaims {
                    nbf: iat,
                    exp,
                    iss: &self.auth_url,
                    aud: "data_api",
                    client_id: &c.client_id,
                    sub: &c.sub,
                    auth_time: c.auth_time.timestamp(),
                    idp: "local",
                    jti: tokens::random_upper_hex::<16>(),
                    sid: &c.sid,
                    iat,
                    connector_id: &c.provider_id,
                    credentials_key: &c.credentials_key,
                    privacy_policy: "Feb2019",
                    consent_id: &c.consent_id,
                    scope: c.scopes.names(),
                    amr: vec!["pwd"],
                };
                self.sign_jwt(&claims)
            }
            // Unreachable in practice (callers hold the connection); still a valid opaque token.
            None => Secret::new(tokens::random_upper_hex::<32>()),
        };
        if store.access_tokens.len() >= PRUNE_ACCESS_TOKENS_AT {
            store
                .access_tokens
                .retain(|_, grant| grant.expires_at > now);
        }
        let client_id = store
            .connections
            .get(credentials_id)
            .map(|c| c.client_id.clone())
            .unwrap_or_default();
        store.access_tokens.insert(
            token.hash(),
            AccessGrant {
                credentials_id: Some(credentials_id.to_owned()),
                client_id,
                client_scopes: Vec::new(),
                issued_at: now,
                expires_at: now + Duration::seconds(ACCESS_TOKEN_SECONDS),
            },
        );
        token
    }

    /// Mints a `client_credentials` token (no user, no refresh token).
    pub fn mint_client_token(&self, client_id: &str, scopes: &[String]) -> Secret {
        let now = self.now();
        let iat = now.timestamp();
        let claims = serde_json::json!({
            "nbf": iat, "exp": iat + ACCESS_TOKEN_SECONDS, "iss": self.auth_url,
            "aud": "payments_api", "client_id": client_id, "jti": tokens::random_upper_hex::<16>(),
            "iat": iat, "scope": scopes,
        });
        let token = self.sign_jwt(&claims);
        self.store().access_tokens.insert(
            token.hash(),
            AccessGrant {
                credentials_id: None,
                client_id: client_id.to_owned(),
                client_scopes: scopes.to_vec(),
                issued_at: now,
                expires_at: now + Duration::seconds(ACCESS_TOKEN_SECONDS),
            },
        );
        token
    }

    /// Signs access-token claims (RS256). Signing with a key that was generated fine cannot fail
    /// in practice; if it ever does, the token is an opaque random string, which the sandbox
    /// still recognises by its hash.
    fn sign_jwt<T: Serialize>(&self, claims: &T) -> Secret {
        self.keys.sign_jwt(claims).unwrap_or_else(|e| {
            tracing::error!(error = %e, "could not sign an access token; issuing an opaque one");
            Secret::new(tokens::random_upper_hex::<32>())
        })
    }

    /// Revokes a connection: its tokens stop working at once.
    pub fn revoke(&self, store: &mut Store, credentials_id: &str) {
        let now = self.now();
        if let Some(connection) = store.connections.get_mut(credentials_id) {
            connection.revoked_at = Some(now);
            connection.consent_status_updated_at = now;
        }
        store
            .access_tokens
            .retain(|_, g| g.credentials_id.as_deref() != Some(credentials_id));
        store
            .refresh_tokens
            .retain(|_, g| g.credentials_id != credentials_id);
    }
}

fn unreachable_client() -> &'static ClientConfig {
    // `SandboxConfig::validate` refuses an empty client list, so this is never reached; a
    // static fallback keeps the accessor total without a panic.
    static FALLBACK: std::sync::OnceLock<ClientConfig> = std::sync::OnceLock::new();
    FALLBACK.get_or_init(ClientConfig::demo)
}

fn read_state_file(path: &Path) -> Result<Option<StateFile>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::StateIo {
                path: path.to_owned(),
                source,
            })
        }
    };
    let file: StateFile = serde_json::from_str(&text).map_err(|source| Error::StateFormat {
        path: path.to_owned(),
        source,
    })?;
    if file.version != STATE_FILE_VERSION {
        return Err(Error::Config(format!(
            "state file {} has version {}, this sandbox reads version {STATE_FILE_VERSION}",
            path.display(),
            file.version
        )));
    }
    Ok(Some(file))
}

fn write_state_file(path: &Path, file: &StateFile) -> Result<()> {
    let io_error = |source| Error::StateIo {
        path: path.to_owned(),
        source,
    };
    let text = serde_json::to_string_pretty(file).map_err(|source| Error::StateFormat {
        path: path.to_owned(),
        source,
    })?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io_error)?;
    }
    let mut temp = path.as_os_str().to_owned();
    temp.push(format!(".tmp-{}", std::process::id()));
    let temp = PathBuf::from(temp);
    write_private(&temp, text.as_bytes()).map_err(io_error)?;
    std::fs::rename(&temp, path).map_err(io_error)
}

/// Writes a file readable by its owner only (it holds the demo client's secret).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}
