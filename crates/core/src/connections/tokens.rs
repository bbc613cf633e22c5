//! A connection's tokens: the access-token lease every data call goes through, refresh, and
//! storing the tokens of a renewed or revoked consent.
//!
//! Token rules (DESIGN.md §3): refresh shortly before expiry or after a 401 `invalid_token`,
//! single-flight per connection (one `tokio::sync::Mutex` per connection plus a generation
//! counter: however many calls wait, one refresh happens); a refresh token that comes back is
//! stored before the new access token is used; `invalid_grant` on refresh marks the connection
//! `reauth_required`. Tokens live in the secret store and in this service's memory, never in
//! SQLite or a DTO.

use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use linkscope_truelayer as tl;

use super::service::{not_found, revoked, rfc3339, timestamp, ConnectionService};
use crate::context::{lock, CURRENT_CONNECTION};
use crate::dto::{Connection, ConnectionStatus, ErrorCause};
use crate::error::{detail_of, grant_cause, Error, GrantRecords, Result};
use crate::storage::secrets::{SecretKey, SecretValue};
use crate::storage::store::ConnectionRow;

/// A connection's access token as this process knows it.
#[derive(Debug, Default)]
pub(super) struct TokenState {
    pub(super) loaded: bool,
    pub(super) access: Option<SecretValue>,
    pub(super) expires_at: Option<DateTime<Utc>>,
    /// Bumped on every refresh: a caller that saw a 401 with generation N refreshes only if no
    /// one has refreshed since.
    pub(super) generation: u64,
}

/// An access token handed to one call, with the generation it came from.
struct Lease {
    token: tl::AccessToken,
    generation: u64,
}

impl ConnectionService {
    /// A valid access token for the connection, refreshed first if it expires within the
    /// refresh margin (single-flight). Never put it in a DTO: it has no `Serialize`.
    pub async fn access_token(&self, id: &str) -> Result<tl::AccessToken> {
        let row = self.usable_row(id)?;
        let client = self.shared.client(&row.environment_id).await?.client;
        let lease = CURRENT_CONNECTION
            .scope(id.to_owned(), self.lease(&row, &client))
            .await?;
        Ok(lease.token)
    }

    /// `refresh_connection`: refreshes now, whatever the expiry (single-flight with any refresh
    /// already running).
    pub async fn refresh(&self, id: &str) -> Result<Connection> {
        let row = self.row(id)?;
        if row.status == ConnectionStatus::Revoked {
            return Err(revoked(id));
        }
        let client = self.shared.client(&row.environment_id).await?.client;
        let cell = self.cell(id);
        let seen = cell.lock().await.generation;
        CURRENT_CONNECTION
            .scope(id.to_owned(), self.refresh_after(&row, &client, seen))
            .await?;
        self.get(id).await
    }

    /// Runs a TrueLayer call with the connection's access token: refreshes first if needed and,
    /// on a 401 `invalid_token`, refreshes once (single-flight) and retries once. The exchanges
    /// are recorded against this connection.
    pub(crate) async fn call<T, F, Fut>(&self, id: &str, f: F) -> Result<T>
    where
        F: Fn(tl::Client, tl::AccessToken) -> Fut,
        Fut: Future<Output = tl::Result<T>>,
    {
        self.caller(id).await?.call(f).await
    }

    /// The call path of one usable connection, resolved once (its row and its environment's
    /// client), for a view that makes several calls (a transaction fetch, a list with balances).
    pub(crate) async fn caller(&self, id: &str) -> Result<Caller<'_>> {
        let row = self.usable_row(id)?;
        let client = self.shared.client(&row.environment_id).await?.client;
        Ok(Caller {
            service: self,
            row,
            client,
        })
    }

    /// Stores the tokens of a renewed consent (extend `no_action_needed`, or a re-authentication
    /// completed through a link session) on an existing connection: refresh token first, then
    /// the access token, then the row (consent dates from `me` when given). `new_grant`: the
    /// tokens start a new grant, so a refresh token that did not come back is dead and dropped.
    pub(crate) async fn renewed(
        &self,
        id: &str,
        tokens: tl::TokenSet,
        me: Option<&tl::Me>,
        new_grant: bool,
    ) -> Result<Connection> {
        let mut row = self.row(id)?;
        if row.status == ConnectionStatus::Revoked {
            return Err(revoked(id));
        }
        let cell = self.cell(id);
        let mut state = cell.lock().await;
        let refresh_key = SecretKey::refresh_token(id);
        match &tokens.refresh_token {
            Some(rt) => {
                self.shared
                    .secrets
                    .set(&refresh_key, &SecretValue::new(rt.secret()))
                    .await;
            }
            None if new_grant => self.shared.secrets.delete(&refresh_key).await?,
            None => {}
        }
        let access = SecretValue::new(tokens.access_token.secret());
        self.shared
            .secrets
            .set(&SecretKey::access_token(id), &access)
            .await;
        let expires_at = tokens.expires_at();
        let now = Utc::now();
        row.access_token_expires_at = expires_at.map(rfc3339);
        row.has_refresh_token =
            tokens.refresh_token.is_some() || (row.has_refresh_token && !new_grant);
        row.status = ConnectionStatus::Active;
        row.saved = self.shared.secrets.is_connection_saved(id);
        row.last_refresh_at = Some(rfc3339(now));
        if let Some(me) = me {
            if me.credentials_id.is_some() {
                row.credentials_id = me.credentials_id.clone();
            }
            if me.consent_status.is_some() {
                row.consent_status = me.consent_status.clone();
            }
            if let Some(created) = &me.consent_created_at {
                row.consent_created_at = timestamp(created);
            }
            if let Some(expires) = &me.consent_expires_at {
                row.consent_expires_at = Some(timestamp(expires));
            }
            if !me.scopes.is_empty() {
                row.scopes = me.scopes.clone();
            }
        }
        self.shared.store.upsert_connection(&row)?;
        state.loaded = true;
        state.access = Some(access);
        state.expires_at = expires_at;
        state.generation += 1;
        drop(state);
        let connection = self.dto(row)?;
        self.emit_updated(&connection);
        Ok(connection)
    }

    /// Marks a connection revoked and deletes its tokens (they are dead at TrueLayer).
    pub(crate) async fn mark_revoked(&self, id: &str) -> Result<Connection> {
        let cell = self.cell(id);
        let mut state = cell.lock().await;
        if let Err(e) = self.delete_secrets(id).await {
            // They are dead at TrueLayer already; the connection is revoked either way.
            tracing::warn!(error = %e, "the tokens of a revoked connection stay in the keychain");
        }
        *state = TokenState {
            loaded: true,
            generation: state.generation + 1,
            ..TokenState::default()
        };
        drop(state);
        if !self
            .shared
            .store
            .set_connection_status(id, ConnectionStatus::Revoked)?
        {
            return Err(not_found(id));
        }
        let connection = self.get(id).await?;
        self.emit_updated(&connection);
        Ok(connection)
    }

    pub(super) fn cell(&self, id: &str) -> Arc<tokio::sync::Mutex<TokenState>> {
        lock(&self.cells).entry(id.to_owned()).or_default().clone()
    }

    /// A token valid for at least the refresh margin (refreshing under the lock if not).
    async fn lease(&self, row: &ConnectionRow, client: &tl::Client) -> Result<Lease> {
        let cell = self.cell(&row.id);
        let mut state = cell.lock().await;
        let work = async {
            if !state.loaded {
                state.access = self
                    .shared
                    .secrets
                    .get(&SecretKey::access_token(&row.id))
                    .await?;
                state.expires_at = row
                    .access_token_expires_at
                    .as_deref()
                    .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                    .map(|d| d.with_timezone(&Utc));
                state.loaded = true;
            }
            let margin = chrono::Duration::from_std(self.shared.config.refresh_margin)
                .unwrap_or_else(|_| chrono::Duration::seconds(60));
            let expiring = state.expires_at.is_some_and(|at| at - margin <= Utc::now());
            if state.access.is_none() || expiring {
                self.refresh_locked(&mut state, row, client).await?;
            }
            lease_of(&state)
        };
        self.within_refresh_deadline(work).await
    }

    /// Refreshes unless someone already did since `seen_generation`.
    async fn refresh_after(
        &self,
        row: &ConnectionRow,
        client: &tl::Client,
        seen_generation: u64,
    ) -> Result<Lease> {
        let cell = self.cell(&row.id);
        let mut state = cell.lock().await;
        if state.loaded && state.generation != seen_generation && state.access.is_some() {
            return lease_of(&state);
        }
        state.loaded = true;
        let work = async {
            self.refresh_locked(&mut state, row, client).await?;
            lease_of(&state)
        };
        self.within_refresh_deadline(work).await
    }

    /// Runs what a caller does under a connection's lock within the refresh deadline: however the
    /// keychain or the server hang, the lock is held at most that long.
    async fn within_refresh_deadline<T>(&self, work: impl Future<Output = Result<T>>) -> Result<T> {
        let deadline = self.shared.config.refresh_deadline;
        tokio::time::timeout(deadline, work).await.map_err(|_| {
            Error::Network(format!(
                "the token refresh did not finish within {}s and was abandoned",
                deadline.as_secs_f32()
            ))
        })?
    }

    /// The refresh itself; the caller holds the connection's lock.
    async fn refresh_locked(
        &self,
        state: &mut TokenState,
        row: &ConnectionRow,
        client: &tl::Client,
    ) -> Result<()> {
        let refresh_key = SecretKey::refresh_token(&row.id);
        // Only the keychain's own "no entry" is a lost refresh token; a read that failed is
        // returned as it is and changes nothing.
        let Some(refresh_token) = self.shared.secrets.get(&refresh_key).await? else {
            // Without offline_access there is nothing to refresh with.
            return Err(self.needs_reauth(row, None)?);
        };
        let answer = client
            .refresh(&tl::RefreshToken::new(refresh_token.expose()))
            .await;
        let tokens = match answer {
            Ok(t) => t,
            Err(e) if e.code() == Some("invalid_grant") => {
                return Err(self.needs_reauth(row, Some(&e))?)
            }
            Err(e) => return Err(Error::from_tl(e)),
        };
        // Rotation rule: persist the refresh token that came back before the new access token
        // is used, so a crash cannot leave only a dead one stored.
        let has_refresh = tokens.refresh_token.is_some() || row.has_refresh_token;
        if let Some(rt) = &tokens.refresh_token {
            if rt.secret() != refresh_token.expose() {
                self.shared
                    .secrets
                    .set(&refresh_key, &SecretValue::new(rt.secret()))
                    .await;
            }
        }
        let access = SecretValue::new(tokens.access_token.secret());
        self.shared
            .secrets
            .set(&SecretKey::access_token(&row.id), &access)
            .await;
        let expires_at = tokens.expires_at();
        let saved = self.shared.secrets.is_connection_saved(&row.id);
        self.shared.store.record_refresh(
            &row.id,
            &expires_at.map(rfc3339).unwrap_or_default(),
            &rfc3339(Utc::now()),
            has_refresh,
            saved,
        )?;
        state.access = Some(access);
        state.expires_at = expires_at;
        state.generation += 1;
        if let Ok(connection) = self.get(&row.id).await {
            self.emit_updated(&connection);
        }
        Ok(())
    }

    /// Marks the connection `reauth_required` and returns the error to show: with TrueLayer's
    /// refusal and its cause (told apart by [`grant_cause`]) when a refresh was refused.
    fn needs_reauth(&self, row: &ConnectionRow, refused: Option<&tl::Error>) -> Result<Error> {
        let id = row.id.as_str();
        let detail = refused.map(|e| {
            let mut detail = detail_of(e);
            detail.cause = grant_cause(e, &grant_records(row));
            Box::new(detail)
        });
        self.shared
            .store
            .set_connection_status(id, ConnectionStatus::ReauthRequired)?;
        if let Ok(row) = self.row(id) {
            if let Ok(connection) = self.dto(row) {
                self.emit_updated(&connection);
            }
        }
        Ok(Error::ReauthRequired {
            connection_id: id.to_owned(),
            detail,
        })
    }
}

/// What the connection's row says about its grant: when the refresh token was last used (the
/// last refresh, else the link) and when the consent ends (`/me`'s date, else created + 90
/// days).
fn grant_records(row: &ConnectionRow) -> GrantRecords {
    let parse = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    };
    let created = parse(&row.consent_created_at);
    GrantRecords {
        refresh_token_used_at: row
            .last_refresh_at
            .as_deref()
            .and_then(parse)
            .or_else(|| parse(&row.created_at)),
        consent_ends_at: row
            .consent_expires_at
            .as_deref()
            .and_then(parse)
            .or_else(|| created.map(|c| c + chrono::Duration::days(super::service::CONSENT_DAYS))),
    }
}

/// One connection's call path: see [`ConnectionService::caller`].
#[derive(Debug)]
pub(crate) struct Caller<'a> {
    service: &'a ConnectionService,
    row: ConnectionRow,
    client: tl::Client,
}

impl Caller<'_> {
    /// Whether the connection was granted `scope`.
    pub(crate) fn has_scope(&self, scope: &str) -> bool {
        self.row.scopes.iter().any(|s| s == scope)
    }

    /// [`ConnectionService::call`] on the resolved connection (its data calls async when the
    /// connection is in async mode: `context::async_runs`).
    pub(crate) async fn call<T, F, Fut>(&self, f: F) -> Result<T>
    where
        F: Fn(tl::Client, tl::AccessToken) -> Fut,
        Fut: Future<Output = tl::Result<T>>,
    {
        let (service, row, client) = (self.service, &self.row, &self.client);
        let data_client =
            service
                .shared
                .async_runs
                .client_for(&row.id, &row.environment_id, client);
        CURRENT_CONNECTION
            .scope(row.id.clone(), async {
                let lease = service.lease(row, client).await?;
                match f(data_client.clone(), lease.token).await {
                    Err(e) if is_invalid_token(&e) => {
                        let lease = service.refresh_after(row, client, lease.generation).await?;
                        f(data_client.clone(), lease.token)
                            .await
                            .map_err(data_error)
                    }
                    other => other.map_err(data_error),
                }
            })
            .await
    }
}

fn lease_of(state: &TokenState) -> Result<Lease> {
    let access = state
        .access
        .as_ref()
        .ok_or_else(|| Error::internal("no access token after a refresh"))?;
    Ok(Lease {
        token: tl::AccessToken::new(access.expose()),
        generation: state.generation,
    })
}

/// A 401 `invalid_token` on a data call: the access token expired or was revoked early.
fn is_invalid_token(e: &tl::Error) -> bool {
    e.status() == Some(401) && e.code() == Some("invalid_token")
}

/// Data-call errors: 403 `access_denied` means the consent expired or was revoked, unless its
/// reason says it is the historical-transactions window (older than 90 days only shortly after
/// the login), which is not the consent's fault and gets its own explanation.
pub(crate) fn data_error(e: tl::Error) -> Error {
    if e.status() == Some(403) && e.code() == Some("access_denied") {
        let mut detail = detail_of(&e);
        if is_historical_window(&e) {
            detail.cause = Some(ErrorCause::HistoricalWindow);
            return Error::TrueLayer {
                message: crate::error::cause_sentence(ErrorCause::HistoricalWindow).to_owned(),
                detail: Box::new(detail),
            };
        }
        return Error::ConsentExpired {
            detail: Box::new(detail),
        };
    }
    Error::from_tl(e)
}

/// Whether an `access_denied` names the historical window (its reason or description speaks of
/// transactions older than 90 days).
fn is_historical_window(e: &tl::Error) -> bool {
    e.api()
        .map(crate::error::reason_of)
        .is_some_and(|reason| reason.contains("older than") || reason.contains("historical"))
}
