//! Connections and their tokens: listing, detail (decoded JWT claims, never the token), rename,
//! and the access-token getter every data call goes through.
//!
//! Token rules (DESIGN.md §3): refresh shortly before expiry or after a 401 `invalid_token`,
//! single-flight per connection (one `tokio::sync::Mutex` per connection plus a generation
//! counter: however many calls wait, one refresh happens); a refresh token that comes back is
//! stored before the new access token is used; `invalid_grant` on refresh marks the connection
//! `reauth_required`. Tokens live in the secret store and in this service's memory, never in
//! SQLite or a DTO.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use chrono::{DateTime, Utc};
use linkscope_truelayer as tl;
use serde_json::{Map, Value};

use crate::context::{lock, CoreEvent, Shared, CURRENT_CONNECTION};
use crate::dto::{Connection, ConnectionDetail, ConnectionStatus, ConnectionUpdatedEvent};
use crate::error::{Error, Result};
use crate::storage::secrets::{SecretKey, SecretValue};
use crate::storage::store::{ConnectionRow, EnvironmentRow};

/// The connections service.
#[derive(Debug, Clone)]
pub struct ConnectionService {
    shared: Arc<Shared>,
    cells: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<TokenState>>>>>,
}

/// A connection's access token as this process knows it.
#[derive(Debug, Default)]
struct TokenState {
    loaded: bool,
    access: Option<SecretValue>,
    expires_at: Option<DateTime<Utc>>,
    /// Bumped on every refresh: a caller that saw a 401 with generation N refreshes only if no
    /// one has refreshed since.
    generation: u64,
}

/// An access token handed to one call, with the generation it came from.
struct Lease {
    token: tl::AccessToken,
    generation: u64,
}

/// What a successful link brings to [`ConnectionService::create`].
pub(crate) struct NewConnection<'a> {
    /// Chosen before the code exchange, so the link's exchanges are recorded against it.
    pub id: String,
    pub environment: &'a EnvironmentRow,
    pub tokens: tl::TokenSet,
    pub me: &'a tl::Me,
    pub provider_id_hint: Option<String>,
    pub requested_scopes: Vec<String>,
}

impl ConnectionService {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self {
            shared,
            cells: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// `list_connections`: newest first.
    pub async fn list(&self) -> Result<Vec<Connection>> {
        let envs = self.shared.store.list_environments()?;
        let rows = self.shared.store.list_connections()?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let name = envs
                    .iter()
                    .find(|e| e.id == row.environment_id)
                    .map(|e| e.name.clone())
                    .unwrap_or_default();
                self.dto_with(row, name)
            })
            .collect())
    }

    /// One connection.
    pub async fn get(&self, id: &str) -> Result<Connection> {
        let row = self.row(id)?;
        self.dto(row)
    }

    /// `get_connection`: the connection plus its access token's claims (the JWT payload,
    /// decoded without checking the signature: display only; the token itself never leaves).
    pub async fn get_detail(&self, id: &str) -> Result<ConnectionDetail> {
        let connection = self.get(id).await?;
        let cell = self.cell(id);
        let token = {
            let state = cell.lock().await;
            state.access.as_ref().map(SecretValue::duplicate)
        };
        let token = match token {
            Some(t) => Some(t),
            None => self.shared.secrets.get(&SecretKey::access_token(id)).await,
        };
        let token_claims = token.map(|t| jwt_claims(t.expose())).unwrap_or_default();
        Ok(ConnectionDetail {
            connection,
            token_claims,
        })
    }

    /// `rename_connection`.
    pub async fn rename(&self, id: &str, label: &str) -> Result<Connection> {
        let label = label.trim();
        if label.is_empty() || label.chars().count() > 100 {
            return Err(Error::Validation(
                "A connection's name must be 1 to 100 characters.".into(),
            ));
        }
        if !self.shared.store.rename_connection(id, label)? {
            return Err(not_found(id));
        }
        let connection = self.get(id).await?;
        self.emit_updated(&connection);
        Ok(connection)
    }

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
        let row = self.usable_row(id)?;
        let client = self.shared.client(&row.environment_id).await?.client;
        CURRENT_CONNECTION
            .scope(id.to_owned(), async {
                let lease = self.lease(&row, &client).await?;
                match f(client.clone(), lease.token).await {
                    Err(e) if is_invalid_token(&e) => {
                        let lease = self.refresh_after(&row, &client, lease.generation).await?;
                        f(client.clone(), lease.token).await.map_err(data_error)
                    }
                    other => other.map_err(data_error),
                }
            })
            .await
    }

    /// Saves a freshly linked connection: tokens to the secret store (refresh token first),
    /// then the row. If the row cannot be written the tokens are deleted again.
    pub(crate) async fn create(&self, new: NewConnection<'_>) -> Result<Connection> {
        let id = new.id;
        let now = Utc::now();
        let me = new.me;
        let provider = me.provider.as_ref();
        let provider_id = provider
            .and_then(|p| p.provider_id.clone())
            .or(new.provider_id_hint)
            .unwrap_or_else(|| "unknown".to_owned());
        let cached = self.cached_provider(&new.environment.id, &provider_id);
        let provider_name = provider
            .and_then(|p| p.display_name.clone())
            .or_else(|| cached.as_ref().map(|p| p.display_name.clone()))
            .unwrap_or_else(|| provider_id.clone());
        let provider_logo_url = provider
            .and_then(|p| p.logo_uri.clone())
            .or_else(|| cached.map(|p| p.logo_url).filter(|u| !u.is_empty()));
        let scopes = if me.scopes.is_empty() {
            match &new.tokens.scopes {
                Some(s) => s.iter().map(|s| s.as_str().to_owned()).collect(),
                None => new.requested_scopes,
            }
        } else {
            me.scopes.clone()
        };

        let access_key = SecretKey::access_token(&id);
        let refresh_key = SecretKey::refresh_token(&id);
        let mut durable = true;
        if let Some(rt) = &new.tokens.refresh_token {
            durable &= self
                .shared
                .secrets
                .set(&refresh_key, &SecretValue::new(rt.secret()))
                .await;
        }
        durable &= self
            .shared
            .secrets
            .set(
                &access_key,
                &SecretValue::new(new.tokens.access_token.secret()),
            )
            .await;
        let expires_at = new.tokens.expires_at();

        let label = self.unique_label(&provider_name)?;
        let row = ConnectionRow {
            id: id.clone(),
            environment_id: new.environment.id.clone(),
            label,
            provider_id,
            provider_name,
            provider_logo_url,
            scopes,
            credentials_id: me.credentials_id.clone(),
            consent_status: me.consent_status.clone(),
            consent_created_at: me
                .consent_created_at
                .as_ref()
                .map(timestamp)
                .unwrap_or_else(|| rfc3339(now)),
            consent_expires_at: me.consent_expires_at.as_ref().map(timestamp),
            access_token_expires_at: expires_at.map(rfc3339),
            has_refresh_token: new.tokens.refresh_token.is_some(),
            status: ConnectionStatus::Active,
            saved: durable,
            created_at: rfc3339(now),
            last_refresh_at: None,
        };
        if let Err(e) = self.shared.store.upsert_connection(&row) {
            self.shared.secrets.delete(&access_key).await;
            self.shared.secrets.delete(&refresh_key).await;
            return Err(e);
        }
        {
            let cell = self.cell(&id);
            let mut state = cell.lock().await;
            *state = TokenState {
                loaded: true,
                access: Some(SecretValue::new(new.tokens.access_token.secret())),
                expires_at,
                generation: 0,
            };
        }
        Ok(self.dto_with(row, new.environment.name.clone()))
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
            None if new_grant => self.shared.secrets.delete(&refresh_key).await,
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
        self.shared
            .secrets
            .delete(&SecretKey::access_token(id))
            .await;
        self.shared
            .secrets
            .delete(&SecretKey::refresh_token(id))
            .await;
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

    /// Deletes a connection's tokens from the secret store and its row from the database.
    pub(crate) async fn forget(&self, id: &str) -> Result<()> {
        self.row(id)?;
        let cell = self.cell(id);
        {
            let mut state = cell.lock().await;
            self.shared
                .secrets
                .delete(&SecretKey::access_token(id))
                .await;
            self.shared
                .secrets
                .delete(&SecretKey::refresh_token(id))
                .await;
            *state = TokenState::default();
            self.shared.store.delete_connection(id)?;
        }
        lock(&self.cells).remove(id);
        Ok(())
    }

    /// At start: a connection whose secrets were only in memory last session has no tokens now;
    /// it needs the user to consent again.
    pub(crate) async fn mark_unsaved_without_tokens(&self) -> Result<()> {
        for row in self.shared.store.list_connections()? {
            if row.saved || row.status != ConnectionStatus::Active {
                continue;
            }
            let has_refresh = self
                .shared
                .secrets
                .get(&SecretKey::refresh_token(&row.id))
                .await
                .is_some();
            let has_access = self
                .shared
                .secrets
                .get(&SecretKey::access_token(&row.id))
                .await
                .is_some();
            if !has_refresh && !has_access {
                self.shared
                    .store
                    .set_connection_status(&row.id, ConnectionStatus::ReauthRequired)?;
            }
        }
        Ok(())
    }

    fn cell(&self, id: &str) -> Arc<tokio::sync::Mutex<TokenState>> {
        lock(&self.cells).entry(id.to_owned()).or_default().clone()
    }

    /// A token valid for at least the refresh margin (refreshing under the lock if not).
    async fn lease(&self, row: &ConnectionRow, client: &tl::Client) -> Result<Lease> {
        let cell = self.cell(&row.id);
        let mut state = cell.lock().await;
        if !state.loaded {
            state.access = self
                .shared
                .secrets
                .get(&SecretKey::access_token(&row.id))
                .await;
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
        self.refresh_locked(&mut state, row, client).await?;
        lease_of(&state)
    }

    /// The refresh itself; the caller holds the connection's lock.
    async fn refresh_locked(
        &self,
        state: &mut TokenState,
        row: &ConnectionRow,
        client: &tl::Client,
    ) -> Result<()> {
        let refresh_key = SecretKey::refresh_token(&row.id);
        let Some(refresh_token) = self.shared.secrets.get(&refresh_key).await else {
            // Without offline_access there is nothing to refresh with.
            return Err(self.needs_reauth(&row.id)?);
        };
        let answer = client
            .refresh(&tl::RefreshToken::new(refresh_token.expose()))
            .await;
        let tokens = match answer {
            Ok(t) => t,
            Err(e) if e.code() == Some("invalid_grant") => return Err(self.needs_reauth(&row.id)?),
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

    /// Marks the connection `reauth_required` and returns the error to show.
    fn needs_reauth(&self, id: &str) -> Result<Error> {
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
        })
    }

    fn emit_updated(&self, connection: &Connection) {
        self.shared
            .emit(CoreEvent::ConnectionUpdated(ConnectionUpdatedEvent {
                connection: connection.clone(),
            }));
    }

    pub(crate) fn row(&self, id: &str) -> Result<ConnectionRow> {
        self.shared
            .store
            .connection(id)?
            .ok_or_else(|| not_found(id))
    }

    /// A row that can be used for data calls.
    pub(crate) fn usable_row(&self, id: &str) -> Result<ConnectionRow> {
        let row = self.row(id)?;
        match row.status {
            ConnectionStatus::ReauthRequired => Err(Error::ReauthRequired {
                connection_id: id.to_owned(),
            }),
            ConnectionStatus::Revoked => Err(revoked(id)),
            ConnectionStatus::Active | ConnectionStatus::Expired => Ok(row),
        }
    }

    pub(crate) fn dto(&self, row: ConnectionRow) -> Result<Connection> {
        let env_name = self
            .shared
            .store
            .environment(&row.environment_id)?
            .map(|e| e.name)
            .unwrap_or_default();
        Ok(self.dto_with(row, env_name))
    }

    fn dto_with(&self, row: ConnectionRow, environment_name: String) -> Connection {
        // A consent past its end is shown as expired (derived: the bank's date, our clock).
        let consent_over = row
            .consent_expires_at
            .as_deref()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .is_some_and(|end| end <= Utc::now());
        let status = match row.status {
            ConnectionStatus::Active if consent_over => ConnectionStatus::Expired,
            other => other,
        };
        Connection {
            id: row.id,
            label: row.label,
            environment_id: row.environment_id,
            environment_name,
            provider_id: row.provider_id,
            provider_name: row.provider_name,
            provider_logo_url: row.provider_logo_url,
            scopes: row.scopes,
            credentials_id: row.credentials_id,
            status,
            consent_created_at: row.consent_created_at,
            consent_expires_at: row.consent_expires_at,
            access_token_expires_at: row.access_token_expires_at,
            has_refresh_token: row.has_refresh_token,
            saved: row.saved,
            created_at: row.created_at,
            last_refresh_at: row.last_refresh_at,
        }
    }

    fn cached_provider(
        &self,
        environment_id: &str,
        provider_id: &str,
    ) -> Option<crate::dto::Provider> {
        let (_, body) = self.shared.store.cached_providers(environment_id).ok()??;
        let providers: Vec<crate::dto::Provider> = serde_json::from_str(&body).ok()?;
        providers.into_iter().find(|p| p.provider_id == provider_id)
    }

    fn unique_label(&self, base: &str) -> Result<String> {
        let taken: Vec<String> = self
            .shared
            .store
            .list_connections()?
            .into_iter()
            .map(|c| c.label)
            .collect();
        if !taken.iter().any(|l| l == base) {
            return Ok(base.to_owned());
        }
        Ok((2..)
            .map(|n| format!("{base} ({n})"))
            .find(|l| !taken.contains(l))
            .unwrap_or_else(|| base.to_owned()))
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

/// The error every call on a revoked connection gets.
fn revoked(_id: &str) -> Error {
    Error::Validation(
        "This connection was revoked; link the account again to read its data.".into(),
    )
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        what: "connection",
        id: id.to_owned(),
    }
}

/// A 401 `invalid_token` on a data call: the access token expired or was revoked early.
fn is_invalid_token(e: &tl::Error) -> bool {
    e.status() == Some(401) && e.code() == Some("invalid_token")
}

/// Data-call errors: 403 `access_denied` means the consent expired or was revoked.
pub(crate) fn data_error(e: tl::Error) -> Error {
    if e.status() == Some(403) && e.code() == Some("access_denied") {
        return Error::ConsentExpired {
            detail: Box::new(crate::error::detail_of(&e)),
        };
    }
    Error::from_tl(e)
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn timestamp(t: &tl::Timestamp) -> String {
    t.to_utc()
        .map(rfc3339)
        .unwrap_or_else(|| t.as_str().to_owned())
}

/// The claims of a JWT: its middle part, base64url-decoded, if it is a JSON object.
pub fn jwt_claims(token: &str) -> Map<String, Value> {
    let mut parts = token.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Map::new();
    };
    let payload = payload.trim_end_matches('=');
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn jwt_claims_are_the_decoded_payload() {
        let token = format!(
            "{}.{}.sig",
            b64("{\"alg\":\"HS256\"}"),
            b64("{\"sub\":\"u1\",\"exp\":5}")
        );
        let claims = jwt_claims(&token);
        assert_eq!(claims.get("sub"), Some(&Value::from("u1")));
        assert_eq!(claims.get("exp"), Some(&Value::from(5)));
    }

    #[test]
    fn anything_that_is_not_a_jwt_has_no_claims() {
        for token in [
            "",
            "opaque-token",
            "a.b",
            "a.b.c.d",
            "a.!!!.c",
            &format!("a.{}.c", b64("[1]")),
        ] {
            assert!(jwt_claims(token).is_empty(), "{token}");
        }
    }
}
