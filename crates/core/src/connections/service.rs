//! The connections service's rows and DTOs: listing, detail (decoded JWT claims, never the
//! token), rename, saving a freshly linked connection, forgetting one. Its tokens are in
//! [`super::tokens`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use chrono::{DateTime, Utc};
use linkscope_truelayer as tl;
use serde_json::{Map, Value};

use super::tokens::TokenState;
use crate::context::{lock, CoreEvent, LinkStep, Shared};
use crate::dto::{Connection, ConnectionDetail, ConnectionStatus, ConnectionUpdatedEvent, MeView};
use crate::error::{Error, Result};
use crate::link::environments::displayable_logo;
use crate::storage::secrets::{SecretKey, SecretValue};
use crate::storage::store::{ConnectionRow, EnvironmentRow};

/// TrueLayer (UK): a consent lasts 90 days; the clock's end when the bank gives no date.
pub(crate) const CONSENT_DAYS: i64 = 90;

/// The connections service.
#[derive(Debug, Clone)]
pub struct ConnectionService {
    pub(super) shared: Arc<Shared>,
    pub(super) cells: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<TokenState>>>>>,
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
        let token = self.current_access_token(id).await?;
        let token_claims = token.map(|t| jwt_claims(t.expose())).unwrap_or_default();
        Ok(ConnectionDetail {
            connection,
            token_claims,
        })
    }

    /// `read_me`: reads `GET /data/v1/me` again and stores what it says (consent status and
    /// dates, credentials_id, scopes); the overview shows the answer. The consent clock's end is
    /// `/me`'s `consent_expires_at` when the bank gives one, else created + 90 days (said so).
    pub async fn read_me(&self, id: &str) -> Result<MeView> {
        let me = self
            .call(id, |client, token| async move { client.me(&token).await })
            .await?
            .data;
        let mut row = self.row(id)?;
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
        self.shared.store.upsert_connection(&row)?;
        let connection = self.dto(row.clone())?;
        self.emit_updated(&connection);

        let created = me.consent_created_at.as_ref().map(timestamp);
        let expires = me.consent_expires_at.as_ref().map(timestamp);
        let fallback_end = DateTime::parse_from_rfc3339(&row.consent_created_at)
            .map(|c| rfc3339(c.with_timezone(&Utc) + chrono::Duration::days(CONSENT_DAYS)))
            .unwrap_or_default();
        let provider = me.provider.as_ref();
        Ok(MeView {
            client_id: me.client_id.clone(),
            credentials_id: me.credentials_id.clone(),
            consent_status: me.consent_status.clone(),
            consent_status_updated_at: me.consent_status_updated_at.as_ref().map(timestamp),
            consent_created_at: created,
            consent_end_is_fallback: expires.is_none(),
            consent_ends_at: expires.clone().unwrap_or(fallback_end),
            consent_expires_at: expires,
            provider_id: provider.and_then(|p| p.provider_id.clone()),
            provider_name: provider.and_then(|p| p.display_name.clone()),
            scopes: me.scopes,
            read_at: rfc3339(Utc::now()),
        })
    }

    /// The access token as it is now (in memory, else the keychain), without refreshing it.
    pub(super) async fn current_access_token(&self, id: &str) -> Result<Option<SecretValue>> {
        let cell = self.cell(id);
        let token = {
            let state = cell.lock().await;
            state.access.as_ref().map(SecretValue::duplicate)
        };
        match token {
            Some(t) => Ok(Some(t)),
            None => self.shared.secrets.get(&SecretKey::access_token(id)).await,
        }
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

    /// Saves a freshly linked connection: its keys to the index of pending secrets, tokens to the
    /// secret store (refresh token first), then the row (dropping the index entries in the same
    /// transaction). If the row cannot be written the tokens are deleted again.
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
            .map(|url| displayable_logo(new.environment, url))
            .or_else(|| cached.map(|p| p.logo_url).filter(|u| !u.is_empty()));
        let scopes = if me.scopes.is_empty() {
            match &new.tokens.scopes {
                Some(s) => s.iter().map(|s| s.as_str().to_owned()).collect(),
                None => new.requested_scopes,
            }
        } else {
            me.scopes.clone()
        };

        // Durability (a kill at any point leaves a whole connection or nothing): the keys are
        // indexed before they are written, and the row is saved in the same transaction that
        // drops them from the index; the next start sweeps whatever is still indexed.
        let keys = SecretKey::of_connection(&id);
        let [access_key, refresh_key] = &keys;
        self.shared.store.add_pending_secrets(&keys)?;
        let mut durable = true;
        if let Some(rt) = &new.tokens.refresh_token {
            durable &= self
                .shared
                .secrets
                .set(refresh_key, &SecretValue::new(rt.secret()))
                .await;
        }
        durable &= self
            .shared
            .secrets
            .set(
                access_key,
                &SecretValue::new(new.tokens.access_token.secret()),
            )
            .await;
        self.shared
            .config
            .checkpoint
            .reached(LinkStep::SecretsWritten);
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
        if let Err(e) = self.shared.store.insert_linked_connection(&row, &keys) {
            // Still indexed: if these deletes fail too, the next start sweeps them.
            self.delete_secrets(&id).await.ok();
            return Err(e);
        }
        self.shared.config.checkpoint.reached(LinkStep::RowWritten);
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

    /// Deletes a connection's tokens from the secret store and its row from the database. A
    /// keychain that fails to delete them is reported and the row stays (nothing is forgotten
    /// while its tokens may still be in the keychain).
    pub(crate) async fn forget(&self, id: &str) -> Result<()> {
        self.row(id)?;
        let cell = self.cell(id);
        {
            let mut state = cell.lock().await;
            self.delete_secrets(id).await?;
            *state = TokenState::default();
            self.shared.store.delete_connection(id)?;
        }
        lock(&self.cells).remove(id);
        Ok(())
    }

    /// Deletes both of a connection's tokens; the first keychain failure is returned.
    pub(super) async fn delete_secrets(&self, id: &str) -> Result<()> {
        let mut outcome = Ok(());
        for key in SecretKey::of_connection(id) {
            if let Err(e) = self.shared.secrets.delete(&key).await {
                if outcome.is_ok() {
                    outcome = Err(e);
                }
            }
        }
        outcome
    }

    /// The environment's server changed: every connection of it loses its tokens (deleted from
    /// the keychain, forgotten in memory) and is marked `reauth_required`.
    pub(crate) async fn sign_out_environment(&self, environment_id: &str) -> Result<()> {
        for row in self.shared.store.list_connections()? {
            if row.environment_id != environment_id {
                continue;
            }
            let cell = self.cell(&row.id);
            let mut state = cell.lock().await;
            self.delete_secrets(&row.id).await?;
            *state = TokenState {
                loaded: true,
                generation: state.generation + 1,
                ..TokenState::default()
            };
            drop(state);
            if row.status != ConnectionStatus::Revoked {
                self.shared
                    .store
                    .set_connection_status(&row.id, ConnectionStatus::ReauthRequired)?;
            }
            if let Ok(connection) = self.get(&row.id).await {
                self.emit_updated(&connection);
            }
        }
        Ok(())
    }

    /// At start: deletes the secrets a link wrote before it was killed (indexed, never given a
    /// row). A key whose delete fails stays indexed for the next start.
    pub(crate) async fn sweep_orphaned_secrets(&self) -> Result<()> {
        for key in self.shared.store.pending_secrets()? {
            let key = SecretKey::from_stored(key);
            let owned = match key.connection_id() {
                Some(id) => self.shared.store.connection(id)?.is_some(),
                None => false,
            };
            if !owned {
                if let Err(e) = self.shared.secrets.delete(&key).await {
                    tracing::warn!(key = %key, error = %e, "an orphaned secret could not be deleted yet");
                    continue;
                }
                tracing::info!(key = %key, "deleted a secret a killed link left behind");
            }
            self.shared.store.remove_pending_secrets(&[key])?;
        }
        Ok(())
    }

    /// At start: a connection whose secrets were only in memory last session has no tokens now;
    /// it needs the user to consent again.
    pub(crate) async fn mark_unsaved_without_tokens(&self) -> Result<()> {
        for row in self.shared.store.list_connections()? {
            if row.saved || row.status != ConnectionStatus::Active {
                continue;
            }
            // A keychain that does not answer says nothing about this connection: leave it.
            let mut has_any = false;
            for key in SecretKey::of_connection(&row.id) {
                match self.shared.secrets.get(&key).await {
                    Ok(found) => has_any |= found.is_some(),
                    Err(_) => has_any = true,
                }
            }
            if !has_any {
                self.shared
                    .store
                    .set_connection_status(&row.id, ConnectionStatus::ReauthRequired)?;
            }
        }
        Ok(())
    }

    pub(super) fn emit_updated(&self, connection: &Connection) {
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
                detail: None,
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
            consent_status: row.consent_status,
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

/// The error every call on a revoked connection gets.
pub(super) fn revoked(_id: &str) -> Error {
    Error::Validation(
        "This connection was revoked; link the account again to read its data.".into(),
    )
}

pub(super) fn not_found(id: &str) -> Error {
    Error::NotFound {
        what: "connection",
        id: id.to_owned(),
    }
}

pub(super) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub(super) fn timestamp(t: &tl::Timestamp) -> String {
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
