//! Link sessions: building an auth link (fresh `state` + PKCE S256 from the TrueLayer client,
//! linted), keeping its `state` and PKCE verifier in memory only (10 minutes, single use), and
//! completing it from a redirect, whichever way the redirect came (deep link, loopback, paste).
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
use crate::context::{lock, summary, CoreEvent, LinkStep, Shared, CURRENT_CONNECTION};
use crate::dto::{
    Connection, EnvironmentKind, LinkCompletedEvent, LinkFailedEvent, LinkPreview, LinkRequest,
    LinkWaitingEvent, LintFinding, RedirectKind, ResponseMode, Severity,
};
use crate::error::{Error, Result};
use crate::link::callback::{parse_callback, CallbackOutcome, ExpectedRedirect};
use crate::link::environments::{LIVE_PROVIDERS, SANDBOX_PROVIDERS};
use crate::link::loopback::{self, LoopbackStopper};

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
    loopback: tokio::sync::Mutex<Option<(JoinHandle<()>, LoopbackStopper)>>,
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
    /// For a renewal (extend's user input): the connection the tokens go to.
    renews: Option<String>,
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
                loopback: tokio::sync::Mutex::new(None),
            }),
        })
    }

    /// `start_link`: builds and lints a new auth link and opens a session for it (and the
    /// loopback listener when the redirect is loopback).
    pub async fn start(&self, request: LinkRequest) -> Result<LinkPreview> {
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

        let redirect_uri = shared.config.redirect_uri(request.redirect);
        let redirect = tl::RedirectUri::new(redirect_uri.clone()).map_err(Error::from_tl)?;

        let sandbox_like =
            env.kind != EnvironmentKind::TruelayerLive && !crate::link::environments::is_live(&env);
        let mut providers: Vec<String> = if sandbox_like {
            SANDBOX_PROVIDERS
        } else {
            LIVE_PROVIDERS
        }
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
        let provider_id = request
            .provider_id
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        if let Some(pid) = provider_id {
            let covered = (pid == "mock" && sandbox_like)
                || pid.starts_with("ob-")
                || pid.starts_with("oauth-");
            if !covered && !providers.iter().any(|p| p == pid) {
                providers.push(pid.to_owned());
            }
        }

        let mut builder = client
            .auth_link(redirect)
            .scopes(scopes)
            .providers(providers);
        if let Some(pid) = provider_id {
            builder = builder.provider_id(pid);
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
        let link = builder.build();
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
        let (url, pending) = link.into_parts();

        if request.redirect == RedirectKind::Loopback {
            self.ensure_loopback().await?;
        }

        let ttl = chrono::Duration::from_std(shared.config.link_ttl)
            .unwrap_or_else(|_| chrono::Duration::minutes(10));
        let session = LinkSession {
            id: uuid::Uuid::new_v4().to_string(),
            environment_id: env.id.clone(),
            pending,
            url: url.to_string(),
            redirect: request.redirect,
            provider_id: provider_id.map(str::to_owned),
            scopes: request.scopes.clone(),
            expires_at: Utc::now() + ttl,
            renews: None,
        };
        let preview = LinkPreview {
            session_id: session.id.clone(),
            url: session.url.clone(),
            redirect_uri,
            expires_at: session
                .expires_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            findings,
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
            renews: Some(connection_id.to_owned()),
        };
        let preview = LinkPreview {
            session_id: session.id.clone(),
            url: session.url.clone(),
            redirect_uri,
            expires_at: session
                .expires_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            findings: Vec::new(),
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
            let sessions = self.sessions();
            let session = sessions.get(session_id).ok_or_else(|| Error::NotFound {
                what: "link",
                id: session_id.to_owned(),
            })?;
            if session.expires_at <= Utc::now() {
                return Err(Error::LinkExpired);
            }
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
            .emit(CoreEvent::LinkWaiting(LinkWaitingEvent {
                session_id: session_id.to_owned(),
                expires_at: expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            }));
        Ok(url)
    }

    /// `cancel_link`: forgets the session (its state can no longer complete anything) and
    /// stops the loopback listener if no loopback link is left. Cancelling twice is fine.
    pub async fn cancel(&self, session_id: &str) -> Result<()> {
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

    /// `link://completed` or `link://failed` for a completion.
    fn publish(&self, session_id: Option<String>, result: &Result<Connection>) {
        let shared = &self.inner.shared;
        match result {
            Ok(connection) => shared.emit(CoreEvent::LinkCompleted(LinkCompletedEvent {
                session_id: session_id.unwrap_or_default(),
                connection: connection.clone(),
            })),
            Err(e) => {
                tracing::info!(code = ?e.code(), "a redirect was refused: {e}");
                shared.emit(CoreEvent::LinkFailed(LinkFailedEvent {
                    session_id: session_id.unwrap_or_default(),
                    error: summary(e),
                }))
            }
        }
    }

    async fn complete_inner(&self, url: &str) -> (Option<String>, Result<Connection>) {
        let outcome = match parse_callback(url, &self.inner.expected) {
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
                .map_err(|e| Error::TokenExchange {
                    message: e.explain(),
                    detail: Box::new(crate::error::detail_of(&e)),
                })?;
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
        // The link's own exchanges are recorded under the connection they create.
        let (tokens, me) = CURRENT_CONNECTION
            .scope(connection_id.clone(), exchange)
            .await?;
        if session.renews.is_some() {
            return self
                .inner
                .connections
                .renewed(&connection_id, tokens, Some(&me.data), true)
                .await;
        }
        self.inner
            .connections
            .create(NewConnection {
                id: connection_id,
                environment: &env,
                tokens,
                me: &me.data,
                provider_id_hint: session.provider_id,
                requested_scopes: session.scopes,
            })
            .await
    }

    /// Finds and removes (single use) the session whose state matches.
    fn take_session(&self, state: &str) -> Result<LinkSession> {
        let mut sessions = self.sessions();
        let id = sessions
            .values()
            .find(|s| s.pending.state.matches(state))
            .map(|s| s.id.clone())
            .ok_or(Error::UnknownState)?;
        let session = sessions.remove(&id).ok_or(Error::UnknownState)?;
        if session.expires_at <= Utc::now() {
            return Err(Error::LinkExpired);
        }
        Ok(session)
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, LinkSession>> {
        lock(&self.inner.sessions)
    }

    /// Starts the loopback listener unless it runs; it completes links as callbacks arrive and
    /// restarts itself while loopback links are still waiting.
    async fn ensure_loopback(&self) -> Result<()> {
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

/// Drops sessions long past their expiry.
fn purge(sessions: &mut HashMap<String, LinkSession>) {
    let cutoff = Utc::now() - EXPIRED_GRACE;
    sessions.retain(|_, s| s.expires_at > cutoff);
}
