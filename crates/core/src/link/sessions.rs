//! Link sessions: building an auth link (fresh `state` + PKCE S256 from the TrueLayer client,
//! linted), keeping its `state` and PKCE verifier in memory only (10 minutes, single use), and
//! completing it from a redirect, whichever way the redirect came (deep link, loopback, paste).
//!
//! Every link carries a `tracking_id` (the user's, or generated) and is kept as a link attempt in
//! the store from the moment it is built, with how it ended, so its auth-journey trail can be read
//! later (`link::tracking`), abandoned attempts included.
//!
//! `complete_authorization` = strict parse → find the session by `state` (unknown, expired or
//! reused → a clear error) → exchange the code with the verifier → tokens to the secret store →
//! `GET /me` → save the connection. On any failure nothing is stored. A renewal session (the
//! `user_input_link` of `/connections/extend`, `LinkService::start_renewal`) completes the
//! same way but stores the tokens on the connection it renews instead of creating one. Must
//! not: persist a verifier or a state, or exchange a code before its state matched (RFC 6749
//! §10.12).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use linkscope_truelayer as tl;
use tokio::task::JoinHandle;

use crate::connections::{ConnectionService, NewConnection};
use crate::context::{lock, CoreEvent, LinkStep, Shared, CURRENT_CONNECTION};
use crate::dto::{
    Connection, EnvironmentKind, Language, LinkCatalog, LinkCompletedEvent, LinkFailedEvent,
    LinkOutcome, LinkPreview, LinkRequest, LinkWaitingEvent, LintFinding, ProviderGroup,
    RedirectKind, ResponseMode, Severity,
};
use crate::error::{Error, Result};
use crate::link::callback::{parse_callback, CallbackOutcome, ExpectedRedirect};
use crate::link::environments::{LIVE_PROVIDERS, SANDBOX_PROVIDERS};
use crate::link::loopback::{self, LoopbackStopper};
use crate::link::redirects::{SelfTests, LOOPBACK_PROBE_ARRIVED};
use crate::storage::store::{EnvironmentRow, LinkAttemptRow};

/// Expired sessions are remembered this much longer, to say "expired" rather than "unknown".
const EXPIRED_GRACE: chrono::Duration = chrono::Duration::hours(1);

/// The link service. Clone freely.
#[derive(Debug, Clone)]
pub struct LinkService {
    inner: Arc<LinksInner>,
}

#[derive(Debug)]
struct LinksInner {
    shared: Arc<Shared>,
    connections: ConnectionService,
    /// The redirect URIs a callback may arrive on: the ones a link is sent with (this build's
    /// deep link, the loopback, the console page). Fixed for the life of Core.
    expected: ExpectedRedirect,
    sessions: Mutex<HashMap<String, LinkSession>>,
    /// The states of sessions already taken by a redirect, with when (memory only).
    used: Mutex<Vec<(tl::CsrfState, DateTime<Utc>)>>,
    /// A re-consent that came back with another bank: its tokens, until the user keeps them as
    /// a new connection or drops them (memory only; by session id).
    held: Mutex<HashMap<String, HeldLink>>,
    loopback: tokio::sync::Mutex<Option<(JoinHandle<()>, LoopbackStopper)>>,
    /// The redirect self-tests' probes ([`crate::link::redirects`]).
    self_tests: SelfTests,
}

/// One pending link. Holds secrets (state, verifier): memory only, never cloned.
#[derive(Debug)]
struct LinkSession {
    id: String,
    environment_id: String,
    pending: tl::PendingAuthorization,
    url: String,
    redirect: RedirectKind,
    provider_id: Option<String>,
    scopes: Vec<String>,
    expires_at: DateTime<Utc>,
    /// The `tracking_id` made for this session, sent unless the user gives their own.
    generated_tracking_id: String,
    /// Whether `open_link` handed the URL to a browser (it can no longer be edited).
    opened: bool,
    /// For a re-consent or an extend's user input: the connection the tokens go to.
    renews: Option<String>,
    /// The session wraps extend's `user_input_link` (TrueLayer's URL: not ours to rebuild).
    from_extend: bool,
}

impl LinkService {
    pub(crate) fn new(shared: Arc<Shared>, connections: ConnectionService) -> Result<Self> {
        let expected = ExpectedRedirect::new(shared.config.own_redirect_uris())?;
        Ok(Self {
            inner: Arc::new(LinksInner {
                shared,
                connections,
                expected,
                sessions: Mutex::new(HashMap::new()),
                used: Mutex::new(Vec::new()),
                held: Mutex::new(HashMap::new()),
                loopback: tokio::sync::Mutex::new(None),
                self_tests: SelfTests::default(),
            }),
        })
    }

    /// `start_link`: builds and lints a new auth link (fresh `state` and PKCE pair) and opens a
    /// session for it (and the loopback listener when the redirect is loopback).
    pub async fn start(&self, request: LinkRequest) -> Result<LinkPreview> {
        self.build(request, None).await
    }

    /// `update_link`: the link of `session_id` with the edited parameters. A link no browser
    /// has opened keeps its session, `state` and PKCE pair (the preview follows the user's edits
    /// live); an opened, expired or unknown one is replaced by a fresh link (single use).
    pub async fn update(&self, session_id: &str, request: LinkRequest) -> Result<LinkPreview> {
        let reusable = {
            let mut sessions = self.sessions();
            match sessions.get(session_id) {
                Some(s)
                    if !s.opened
                        && !s.from_extend
                        && s.expires_at > Utc::now()
                        && s.environment_id == request.environment_id =>
                {
                    sessions.remove(session_id)
                }
                _ => None,
            }
        };
        self.build(request, reusable).await
    }

    /// `get_link_catalog`: the provider groups and languages the builder offers, and the
    /// environment's default `providers`.
    pub fn catalog(&self, environment_id: &str) -> Result<LinkCatalog> {
        let env = self.inner.shared.environment(environment_id)?;
        Ok(LinkCatalog {
            provider_groups: tl::lint::PROVIDER_GROUPS
                .iter()
                .map(|(token, label, country)| ProviderGroup {
                    token: (*token).to_owned(),
                    label: (*label).to_owned(),
                    country: (*country).to_owned(),
                })
                .collect(),
            languages: tl::lint::LANGUAGES
                .iter()
                .map(|(id, name)| Language {
                    id: (*id).to_owned(),
                    name: (*name).to_owned(),
                })
                .collect(),
            default_providers: default_providers(&env)
                .iter()
                .map(|p| (*p).to_owned())
                .collect(),
            registered_redirects: {
                let own = self.inner.shared.config.own_redirect_uris();
                env.redirect_uris
                    .iter()
                    .filter(|u| !own.contains(u) && !is_linkscope_redirect(u))
                    .cloned()
                    .collect()
            },
        })
    }

    /// Builds the link of `request`, reusing `unopened`'s session (id, expiry, `state`, PKCE)
    /// when given, and keeps the session.
    async fn build(
        &self,
        request: LinkRequest,
        unopened: Option<LinkSession>,
    ) -> Result<LinkPreview> {
        let shared = &self.inner.shared;
        let env = shared.environment(&request.environment_id)?;
        let client = shared.client_with_secret(&env).await?;
        let mut scopes = Vec::new();
        for s in &request.scopes {
            scopes.push(
                tl::Scope::new(s.trim().to_owned())
                    .map_err(|e| Error::Validation(e.to_string()))?,
            );
        }
        if scopes.is_empty() {
            return Err(Error::Validation("Choose at least one permission.".into()));
        }
        if let Some(id) = &request.renews {
            self.inner.connections.row(id)?;
        }

        let redirect_uri = match request.redirect {
            RedirectKind::Registered => {
                let chosen = request.redirect_uri.as_deref().map(str::trim).unwrap_or("");
                if !env.redirect_uris.iter().any(|u| u == chosen) {
                    return Err(Error::Validation(format!(
                        "Choose one of this environment's registered redirect URIs ({}).",
                        env.redirect_uris.join(", ")
                    )));
                }
                chosen.to_owned()
            }
            kind => shared
                .config
                .redirect_uri(kind)
                .ok_or_else(|| Error::internal("no redirect URI for this kind"))?,
        };
        let redirect = tl::RedirectUri::new(redirect_uri.clone()).map_err(Error::from_tl)?;

        let list = |values: &[String]| -> Vec<String> {
            values
                .iter()
                .flat_map(|v| v.split_whitespace())
                .map(str::to_owned)
                .collect()
        };
        let provider_id = request
            .provider_id
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        let mut providers = list(&request.providers);
        if providers.is_empty() {
            // The defaults are ours, so they are made to offer the chosen bank; a list the user
            // wrote is sent as written, and the linter says if it misses the provider_id.
            providers = default_providers(&env)
                .iter()
                .map(|p| (*p).to_owned())
                .collect();
            if let Some(pid) = provider_id {
                let covered = (pid == "mock" && providers.iter().any(|p| p == "uk-cs-mock"))
                    || pid.starts_with("ob-")
                    || pid.starts_with("oauth-");
                if !covered && !providers.iter().any(|p| p == pid) {
                    providers.push(pid.to_owned());
                }
            }
        }

        let mut builder = client
            .auth_link(redirect)
            .scopes(scopes)
            .providers(providers);
        if let Some(pid) = provider_id {
            builder = builder.provider_id(pid);
        }
        let disabled = list(&request.disable_providers);
        if !disabled.is_empty() {
            builder = builder.disable_providers(disabled);
        }
        builder = builder.response_mode(match request.response_mode {
            ResponseMode::Query => tl::ResponseMode::Query,
            ResponseMode::FormPost => tl::ResponseMode::FormPost,
        });
        let opt = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        if let Some(v) = opt(&request.language_id) {
            builder = builder.language_id(v);
        }
        if let Some(v) = opt(&request.country_id) {
            builder = builder.country_id(v);
        }
        if let Some(v) = opt(&request.user_email) {
            builder = builder.user_email(v);
        }
        let generated_tracking_id = unopened
            .as_ref()
            .map(|s| s.generated_tracking_id.clone())
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let tracking_id =
            opt(&request.tracking_id).unwrap_or_else(|| generated_tracking_id.clone());
        if tracking_id.chars().count() > tl::MAX_TRACKING_ID_CHARS {
            return Err(Error::Validation(format!(
                "The tracking id is too long (at most {} characters).",
                tl::MAX_TRACKING_ID_CHARS
            )));
        }
        builder = builder.tracking_id(tracking_id.clone());
        let (id, expires_at, link) = match unopened {
            Some(session) => (
                session.id,
                session.expires_at,
                builder.rebuild(session.pending),
            ),
            None => {
                let ttl = chrono::Duration::from_std(shared.config.link_ttl)
                    .unwrap_or_else(|_| chrono::Duration::minutes(10));
                (
                    uuid::Uuid::new_v4().to_string(),
                    Utc::now() + ttl,
                    builder.build(),
                )
            }
        };
        let findings = link
            .lint(client.environment())
            .into_iter()
            .map(|f| LintFinding {
                severity: match f.severity {
                    tl::Severity::Error => Severity::Error,
                    tl::Severity::Warning => Severity::Warning,
                },
                code: f.code.to_owned(),
                message: f.message,
            })
            .collect();
        let state = link.state().secret().to_owned();
        let (url, pending) = link.into_parts();

        if request.redirect == RedirectKind::Loopback {
            self.ensure_loopback().await?;
        }

        let session = LinkSession {
            id,
            environment_id: env.id.clone(),
            pending,
            url: url.to_string(),
            redirect: request.redirect,
            provider_id: provider_id.map(str::to_owned),
            scopes: request.scopes.clone(),
            expires_at,
            generated_tracking_id,
            opened: false,
            renews: request.renews.clone(),
            from_extend: false,
        };
        let expires_at = session
            .expires_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        shared.store.save_link_attempt(&LinkAttemptRow {
            id: session.id.clone(),
            environment_id: env.id.clone(),
            tracking_id: tracking_id.clone(),
            provider_id: session.provider_id.clone(),
            scopes: session.scopes.clone(),
            renews: session.renews.clone(),
            created_at: crate::now_rfc3339(),
            expires_at: expires_at.clone(),
            opened_at: None,
            outcome: LinkOutcome::Waiting,
            ended_at: None,
            connection_id: None,
            error_code: None,
        })?;
        let preview = LinkPreview {
            session_id: session.id.clone(),
            url: session.url.clone(),
            redirect_uri,
            expires_at,
            findings,
            state,
            tracking_id,
            renews: request.renews,
        };
        let mut sessions = self.sessions();
        purge(&mut sessions);
        sessions.insert(session.id.clone(), session);
        Ok(preview)
    }

    /// Wraps the `user_input_link` of `/connections/extend` in a link session, so its redirect
    /// (deep link, loopback or paste) is completed by [`Self::complete_authorization`] with the
    /// `state` and PKCE verifier the extend request sent, and renews `connection_id`.
    pub(crate) async fn start_renewal(
        &self,
        connection_id: &str,
        environment_id: &str,
        user_input_link: &url::Url,
        pending: tl::PendingAuthorization,
        redirect: RedirectKind,
    ) -> Result<LinkPreview> {
        if redirect == RedirectKind::Loopback {
            self.ensure_loopback().await?;
        }
        let ttl = chrono::Duration::from_std(self.inner.shared.config.link_ttl)
            .unwrap_or_else(|_| chrono::Duration::minutes(10));
        let redirect_uri = pending.redirect_uri.as_str().to_owned();
        let session = LinkSession {
            id: uuid::Uuid::new_v4().to_string(),
            environment_id: environment_id.to_owned(),
            pending,
            url: user_input_link.to_string(),
            redirect,
            provider_id: None,
            scopes: Vec::new(),
            expires_at: Utc::now() + ttl,
            // TrueLayer's user_input_link is not ours to add a tracking_id to: nothing is tracked.
            generated_tracking_id: String::new(),
            opened: false,
            renews: Some(connection_id.to_owned()),
            from_extend: true,
        };
        let preview = LinkPreview {
            session_id: session.id.clone(),
            url: session.url.clone(),
            redirect_uri,
            expires_at: session
                .expires_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            findings: Vec::new(),
            state: session.pending.state.secret().to_owned(),
            tracking_id: String::new(),
            renews: session.renews.clone(),
        };
        let mut sessions = self.sessions();
        purge(&mut sessions);
        sessions.insert(session.id.clone(), session);
        Ok(preview)
    }

    /// `open_link`: the URL to open in the system browser (http(s) only, checked), and the
    /// `link://waiting` event. The shell opens it with its opener.
    pub fn open(&self, session_id: &str) -> Result<String> {
        let (url, expires_at) = {
            let mut sessions = self.sessions();
            let session = sessions
                .get_mut(session_id)
                .ok_or_else(|| Error::NotFound {
                    what: "link",
                    id: session_id.to_owned(),
                })?;
            if session.expires_at <= Utc::now() {
                return Err(Error::LinkExpired);
            }
            session.opened = true;
            (session.url.clone(), session.expires_at)
        };
        let scheme = url::Url::parse(&url)
            .map(|u| u.scheme().to_owned())
            .unwrap_or_default();
        if !matches!(scheme.as_str(), "http" | "https") {
            return Err(Error::Validation("Only http(s) links are opened.".into()));
        }
        self.inner
            .shared
            .store
            .open_link_attempt(session_id, &crate::now_rfc3339())?;
        self.inner
            .shared
            .emit(CoreEvent::LinkWaiting(LinkWaitingEvent {
                session_id: session_id.to_owned(),
                expires_at: expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            }));
        Ok(url)
    }

    /// `cancel_link`: forgets the session (its state can no longer complete anything) and
    /// stops the loopback listener if no loopback link is left. Cancelling twice is fine.
    pub async fn cancel(&self, session_id: &str) -> Result<()> {
        self.end_attempt(session_id, &Err(Error::Cancelled));
        let loopback_left = {
            let mut sessions = self.sessions();
            sessions.remove(session_id);
            sessions
                .values()
                .any(|s| s.redirect == RedirectKind::Loopback)
        };
        if !loopback_left {
            if let Some((_, stopper)) = self.inner.loopback.lock().await.as_ref() {
                stopper.stop();
            }
        }
        Ok(())
    }

    /// How many links are waiting (tests, diagnostics).
    pub fn pending_count(&self) -> usize {
        self.sessions()
            .values()
            .filter(|s| s.expires_at > Utc::now())
            .count()
    }

    /// `complete_link` and the deep-link / loopback paths: completes the link a redirect
    /// belongs to, and publishes `link://completed` or `link://failed` (with an empty
    /// `sessionId` when the redirect matched no session).
    pub async fn complete_authorization(&self, url: &str) -> Result<Connection> {
        let (session_id, result) = self.complete_inner(url).await;
        self.publish(session_id, &result);
        result
    }

    /// A callback the loopback listener received. One that matches no pending link is anyone's
    /// (a web page can request `127.0.0.1`): the browser is told, the listener keeps waiting, and
    /// nothing is published (no app-wide banner).
    async fn complete_loopback(&self, url: &str) -> loopback::Verdict {
        if self.inner.self_tests.arrived(RedirectKind::Loopback, url) {
            tracing::info!("the redirect self-test's loopback probe arrived");
            return loopback::Verdict::Handled(Ok(LOOPBACK_PROBE_ARRIVED.to_owned()));
        }
        let (session_id, result) = self.complete_inner(url).await;
        if session_id.is_none() {
            let said = result.err().map(|e| e.to_string()).unwrap_or_default();
            tracing::info!("a loopback callback matched no pending link: {said}");
            return loopback::Verdict::Stray(said);
        }
        self.publish(session_id, &result);
        loopback::Verdict::Handled(match result {
            Ok(c) => Ok(format!("Linked {}.", c.provider_name)),
            Err(e) => Err(e.to_string()),
        })
    }

    /// Writes how a link attempt ended (a cancel is `Err(Cancelled)`); bookkeeping only, so a
    /// store that fails is logged, never the link's failure.
    fn end_attempt(&self, session_id: &str, result: &Result<Connection>) {
        let (outcome, connection_id, code) = match result {
            Ok(connection) => (LinkOutcome::Completed, Some(connection.id.as_str()), None),
            Err(Error::Cancelled) => (LinkOutcome::Cancelled, None, None),
            Err(e) => (LinkOutcome::Failed, None, Some(e.code())),
        };
        let ended = self.inner.shared.store.end_link_attempt(
            session_id,
            outcome,
            &crate::now_rfc3339(),
            connection_id,
            code,
        );
        if let Err(e) = ended {
            tracing::warn!(error = %e, "could not record how a link attempt ended");
        }
    }

    /// `link://completed` or `link://failed` for a completion.
    fn publish(&self, session_id: Option<String>, result: &Result<Connection>) {
        let shared = &self.inner.shared;
        if let Some(id) = &session_id {
            self.end_attempt(id, result);
        }
        match result {
            Ok(connection) => shared.emit(CoreEvent::LinkCompleted(LinkCompletedEvent {
                session_id: session_id.unwrap_or_default(),
                connection: connection.clone(),
            })),
            Err(e) => {
                tracing::info!(code = ?e.code(), "a redirect was refused: {e}");
                shared.emit(CoreEvent::LinkFailed(LinkFailedEvent {
                    session_id: session_id.unwrap_or_default(),
                    error: e.to_api_error(),
                }))
            }
        }
    }

    async fn complete_inner(&self, url: &str) -> (Option<String>, Result<Connection>) {
        let outcome = match self
            .expected()
            .and_then(|expected| parse_callback(url, &expected))
        {
            Ok(o) => o,
            Err(e) => return (None, Err(e)),
        };
        let callback = match outcome {
            CallbackOutcome::Refused(refused) => {
                // An error redirect ends the link it names and is shown as that link's refusal.
                // One that names no link is anyone's (a web page can open it): refused as unknown,
                // and its words are not shown as the bank's.
                let Some(state) = refused.state.as_deref() else {
                    return (None, Err(Error::UnknownState));
                };
                return match self.take_session(state) {
                    Ok(session) => (Some(session.id), Err(refused.to_error())),
                    Err(e) => (None, Err(e)),
                };
            }
            CallbackOutcome::Authorized(a) => a,
        };
        let session = match self.take_session(&callback.state) {
            Ok(s) => s,
            Err(e) => return (None, Err(e)),
        };
        let session_id = session.id.clone();
        (Some(session_id), self.finish(session, callback).await)
    }

    async fn finish(
        &self,
        session: LinkSession,
        callback: crate::link::callback::AuthorizedCallback,
    ) -> Result<Connection> {
        let shared = &self.inner.shared;
        if let Some(came_on) = &callback.redirect_uri {
            let sent_with = session.pending.redirect_uri.as_str();
            if !ExpectedRedirect::new([sent_with])?.accepts(came_on) {
                return Err(Error::InvalidCallback(format!(
                    "it came back on {came_on} but the link was sent with {sent_with}"
                )));
            }
        }
        let env = shared.environment(&session.environment_id)?;
        let client = shared.client(&env.id).await?.client;
        let connection_id = session
            .renews
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let exchange = async {
            // TrueLayer: the code is valid 5 minutes and once; the exchange never retries it.
            let tokens = client
                .exchange_code(
                    callback.code,
                    session.pending.pkce_verifier,
                    &session.pending.redirect_uri,
                )
                .await
                .map_err(|e| Error::token_exchange(&e))?;
            shared.config.checkpoint.reached(LinkStep::Exchanged);
            let access = tl::AccessToken::new(tokens.access_token.secret());
            let me = match client.me(&access).await {
                Ok(me) => me,
                Err(e) => {
                    // Nothing will be saved, so the fresh grant would live on at TrueLayer with
                    // no one holding it: revoke it (best effort) before reporting the failure.
                    if session.renews.is_none() {
                        if let Err(revoke) = client.delete_connection(&access).await {
                            tracing::warn!(error = %revoke.explain(), "could not revoke the tokens of a link whose /me failed");
                        }
                    }
                    return Err(crate::connections::data_error(e));
                }
            };
            Ok::<_, Error>((tokens, me))
        };
        // The link's own exchanges are recorded under the connection they create or renew.
        let (tokens, me) = CURRENT_CONNECTION
            .scope(connection_id.clone(), exchange)
            .await?;
        let Some(renews) = session.renews else {
            return self
                .create(
                    connection_id,
                    &env,
                    tokens,
                    me.data,
                    session.provider_id,
                    session.scopes,
                )
                .await;
        };
        if !session.from_extend {
            // A re-consent must come back with the same bank; another one is not this
            // connection's consent. (A new auth link gets a new credentials_id from TrueLayer,
            // so only the bank can be compared here.)
            let row = self.inner.connections.row(&renews)?;
            let linked = me
                .data
                .provider
                .as_ref()
                .and_then(|p| p.provider_id.clone());
            if let Some(linked) = linked.filter(|p| *p != row.provider_id) {
                let message = format!(
                    "The bank linked ({linked}) is not this connection's bank ({}), so \"{}\" was \
                     left as it was. Keep the new consent as a new connection, or build the \
                     re-consent link again and pick {} at the bank.",
                    row.provider_id, row.label, row.provider_name
                );
                lock(&self.inner.held).insert(
                    session.id.clone(),
                    HeldLink {
                        connection_id: uuid::Uuid::new_v4().to_string(),
                        environment_id: env.id.clone(),
                        tokens,
                        me: me.data,
                        scopes: session.scopes,
                    },
                );
                return Err(Error::DifferentConnection { message });
            }
        }
        self.inner
            .connections
            .renewed(&renews, tokens, Some(&me.data), true)
            .await
    }

    /// `keep_link_as_new`: a re-consent that came back with another bank becomes a connection
    /// of its own. Refused (nothing stored) when no such consent is held.
    pub async fn keep_as_new(&self, session_id: &str) -> Result<Connection> {
        let held = lock(&self.inner.held)
            .remove(session_id)
            .ok_or_else(|| Error::NotFound {
                what: "held link",
                id: session_id.to_owned(),
            })?;
        let env = self.inner.shared.environment(&held.environment_id)?;
        let connection = self
            .create(
                held.connection_id,
                &env,
                held.tokens,
                held.me,
                None,
                held.scopes,
            )
            .await?;
        self.inner
            .shared
            .emit(CoreEvent::LinkCompleted(LinkCompletedEvent {
                session_id: session_id.to_owned(),
                connection: connection.clone(),
            }));
        Ok(connection)
    }

    async fn create(
        &self,
        id: String,
        env: &EnvironmentRow,
        tokens: tl::TokenSet,
        me: tl::Me,
        provider_id_hint: Option<String>,
        requested_scopes: Vec<String>,
    ) -> Result<Connection> {
        self.inner
            .connections
            .create(NewConnection {
                id,
                environment: env,
                tokens,
                me: &me,
                provider_id_hint,
                requested_scopes,
            })
            .await
    }

    /// Finds and removes (single use) the session whose state matches. The state of a session
    /// taken once is remembered (memory only, for [`EXPIRED_GRACE`]) so a second use of the same
    /// redirect is refused as already used, not as unknown.
    fn take_session(&self, state: &str) -> Result<LinkSession> {
        let mut sessions = self.sessions();
        let found = sessions
            .values()
            .find(|s| s.pending.state.matches(state))
            .map(|s| s.id.clone());
        let Some(id) = found else {
            let mut used = lock(&self.inner.used);
            used.retain(|(_, at)| *at > Utc::now() - EXPIRED_GRACE);
            return Err(if used.iter().any(|(s, _)| s.matches(state)) {
                Error::LinkAlreadyUsed
            } else {
                Error::UnknownState
            });
        };
        let session = sessions.remove(&id).ok_or(Error::UnknownState)?;
        lock(&self.inner.used).push((tl::CsrfState::new(state.to_owned()), Utc::now()));
        if session.expires_at <= Utc::now() {
            return Err(Error::LinkExpired);
        }
        Ok(session)
    }

    /// The redirect URIs a callback may arrive on now: this build's own, and the registered
    /// ones waiting links were sent with (those come back pasted).
    fn expected(&self) -> Result<ExpectedRedirect> {
        let registered: Vec<String> = self
            .sessions()
            .values()
            .filter(|s| s.redirect == RedirectKind::Registered)
            .map(|s| s.pending.redirect_uri.as_str().to_owned())
            .collect();
        if registered.is_empty() {
            return Ok(self.inner.expected.clone());
        }
        ExpectedRedirect::new(self.inner.expected.uris().into_iter().chain(registered))
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, LinkSession>> {
        lock(&self.inner.sessions)
    }

    /// What the services share (for the redirect helper beside this file).
    pub(super) fn shared(&self) -> &Shared {
        &self.inner.shared
    }

    /// The redirect self-tests' probes.
    pub(super) fn self_tests(&self) -> &SelfTests {
        &self.inner.self_tests
    }

    /// Starts the loopback listener unless it runs; it completes links as callbacks arrive and
    /// restarts itself while loopback links are still waiting.
    pub(super) async fn ensure_loopback(&self) -> Result<()> {
        let mut guard = self.inner.loopback.lock().await;
        if let Some((handle, _)) = guard.as_ref() {
            if !handle.is_finished() {
                return Ok(());
            }
        }
        let c = &self.inner.shared.config;
        let mut listener = loopback::start(c.loopback_port, c.link_ttl).await?;
        let stopper = listener.stopper();
        let this = self.clone();
        let handle = tokio::spawn(async move {
            while let Some(callback) = listener.recv().await {
                let verdict = this.complete_loopback(&callback.url).await;
                callback.reply(verdict);
            }
            drop(listener);
            this.loopback_ended().await;
        });
        *guard = Some((handle, stopper));
        Ok(())
    }

    /// [`Self::ensure_loopback`] behind a boxed future: the listener task restarts the listener,
    /// and the box breaks the otherwise infinite future type.
    fn ensure_loopback_boxed(
        &self,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<()>> + Send + '_>> {
        Box::pin(self.ensure_loopback())
    }

    async fn loopback_ended(&self) {
        let waiting = self
            .sessions()
            .values()
            .any(|s| s.redirect == RedirectKind::Loopback && s.expires_at > Utc::now());
        *self.inner.loopback.lock().await = None;
        if waiting {
            if let Err(e) = self.ensure_loopback_boxed().await {
                tracing::warn!(error = %e, "could not restart the loopback listener");
            }
        }
    }
}

/// A re-consent's tokens held for the user's choice (see [`LinkService::keep_as_new`]).
#[derive(Debug)]
struct HeldLink {
    connection_id: String,
    environment_id: String,
    tokens: tl::TokenSet,
    me: tl::Me,
    scopes: Vec<String>,
}

/// The `providers` sent when the user gives none: Mock first in sandboxes.
fn default_providers(env: &EnvironmentRow) -> &'static [&'static str] {
    let sandbox_like =
        env.kind != EnvironmentKind::TruelayerLive && !crate::link::environments::is_live(env);
    if sandbox_like {
        SANDBOX_PROVIDERS
    } else {
        LIVE_PROVIDERS
    }
}

/// A redirect URI of either Linkscope flavour (`linkscope://…`, `linkscope-dev://…`) or of a
/// loopback listener (`http://127.0.0.1:<port>/callback`): covered by the deep-link and loopback
/// choices, so not offered again as "registered".
fn is_linkscope_redirect(uri: &str) -> bool {
    url::Url::parse(uri).is_ok_and(|u| {
        u.scheme().starts_with("linkscope")
            || (u.scheme() == "http"
                && u.host_str() == Some("127.0.0.1")
                && u.path() == "/callback")
    })
}

/// Drops sessions long past their expiry.
fn purge(sessions: &mut HashMap<String, LinkSession>) {
    let cutoff = Utc::now() - EXPIRED_GRACE;
    sessions.retain(|_, s| s.expires_at > cutoff);
}
