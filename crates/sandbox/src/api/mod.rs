//! The API server (`api.truelayer.com`'s role): Data API v1, async results and batch, connection
//! extension, Signup+, verification and account holder verification v3. This module routes and holds what every data call
//! shares: bearer authentication, consent and scope checks, the connection's bank.

pub mod account_holder;
pub mod async_tasks;
pub mod data;
pub mod dates;
pub mod extend;
pub mod respond;
pub mod signup_plus;
pub mod verification;

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;

use crate::data::{self as mock, Bank, Persona, Provider};
use crate::errors::TlError;
use crate::request;
use crate::scopes::Scope;
use crate::state::{Connection, SandboxState};
use crate::tokens::TokenHash;

/// The API server's routes.
pub fn router() -> Router<SandboxState> {
    Router::new()
        .route("/data/v1/me", get(data::me))
        .route("/data/v1/info", get(data::info))
        .route("/data/v1/accounts", get(data::accounts))
        .route("/data/v1/accounts/{account_id}", get(data::account))
        .route("/data/v1/accounts/{account_id}/balance", get(data::balance))
        .route(
            "/data/v1/accounts/{account_id}/transactions",
            get(data::transactions),
        )
        .route(
            "/data/v1/accounts/{account_id}/transactions/pending",
            get(data::pending),
        )
        .route(
            "/data/v1/accounts/{account_id}/standing_orders",
            get(data::standing_orders),
        )
        .route(
            "/data/v1/accounts/{account_id}/direct_debits",
            get(data::direct_debits),
        )
        .route("/data/v1/cards", get(data::cards))
        .route("/data/v1/cards/{account_id}", get(data::card))
        .route(
            "/data/v1/cards/{account_id}/balance",
            get(data::card_balance),
        )
        .route(
            "/data/v1/cards/{account_id}/transactions",
            get(data::card_transactions),
        )
        .route(
            "/data/v1/cards/{account_id}/transactions/pending",
            get(data::card_pending),
        )
        .route("/data/v1/results/{task_id}", get(async_tasks::results))
        .route(crate::webhooks::JWKS_PATH, get(crate::webhooks::jwks))
        .route("/data/v1/batch/transactions", post(async_tasks::batch))
        .route("/data/v1/batch/results", get(async_tasks::batch_results))
        .route("/data/v1/connections/extend", post(extend::extend))
        .route("/signup-plus/accounts", get(signup_plus::accounts))
        .route("/verification/v1/verify", post(verification::verify))
        .route(
            "/v3/account-holder-verifications/requests",
            post(account_holder::create),
        )
        .route(
            "/v3/account-holder-verifications/requests/{id}",
            get(account_holder::get),
        )
        .route("/v3/bank-lookup", post(account_holder::bank_lookup))
}

/// An authenticated end-user call.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The token's connection.
    pub connection: Connection,
    /// Its mock user.
    pub persona: Persona,
    /// Its provider.
    pub provider: Provider,
}

/// Why a bearer token does not open the data (before any scope check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthFailure {
    /// No `Authorization: Bearer` header.
    Missing,
    /// Unknown or revoked token.
    Invalid,
    /// Expired at the given time.
    Expired(chrono::DateTime<chrono::Utc>),
    /// A `client_credentials` token.
    NotAUser,
    /// The consent ran out at the given time.
    ConsentExpired(chrono::DateTime<chrono::Utc>),
}

impl AuthFailure {
    /// The Data API's error for it.
    pub fn to_error(&self) -> TlError {
        match self {
            AuthFailure::Missing => TlError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "The credentials or token are no longer valid.",
            )
            .reason("Authorization header with a Bearer access token is required"),
            AuthFailure::Invalid => TlError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "The access token is invalid or was revoked.",
            ),
            AuthFailure::Expired(at) => TlError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                format!("The token expired at '{}'", at.format("%Y-%m-%d %H:%M:%SZ")),
            ),
            AuthFailure::NotAUser => TlError::data("access_denied")
                .reason("A client_credentials token cannot read end-user data"),
            AuthFailure::ConsentExpired(at) => TlError::data("access_denied").reason(format!(
                "The consent expired at {}: the user must re-authenticate",
                at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            )),
        }
    }
}

/// Resolves the bearer token to its connection, checking expiry, revocation and consent.
pub fn authenticate(state: &SandboxState, headers: &HeaderMap) -> Result<Ctx, AuthFailure> {
    let token = request::bearer_token(headers).ok_or(AuthFailure::Missing)?;
    let now = state.now();
    let connection = {
        let store = state.store();
        let grant = store
            .access_tokens
            .get(&TokenHash::of(token))
            .ok_or(AuthFailure::Invalid)?;
        if grant.expires_at <= now {
            return Err(AuthFailure::Expired(grant.expires_at));
        }
        let id = grant.credentials_id.as_ref().ok_or(AuthFailure::NotAUser)?;
        store
            .connections
            .get(id)
            .filter(|c| c.revoked_at.is_none())
            .cloned()
            .ok_or(AuthFailure::Invalid)?
    };
    if connection.consent_expired(now) {
        return Err(AuthFailure::ConsentExpired(connection.consent_expires_at));
    }
    let persona = mock::persona_from_key(&connection.persona_key).ok_or(AuthFailure::Invalid)?;
    let provider = mock::provider(&connection.provider_id).ok_or(AuthFailure::Invalid)?;
    Ok(Ctx {
        connection,
        persona,
        provider,
    })
}

impl Ctx {
    /// Refuses a token without every scope the operation needs (403 `access_denied`; TrueLayer
    /// does not document this case, see the README).
    pub fn require(&self, scopes: &[Scope]) -> Result<(), TlError> {
        match scopes
            .iter()
            .find(|s| !self.connection.scopes.contains(**s))
        {
            Some(missing) => Err(TlError::data("access_denied")
                .reason(format!("The token was not granted the '{missing}' scope"))),
            None => Ok(()),
        }
    }

    /// The `error.*` users' failure, if this is one.
    pub fn persona_failure(&self) -> Option<TlError> {
        self.persona.data_error().map(|f| {
            TlError::new(
                StatusCode::from_u16(f.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                f.error,
                f.description,
            )
        })
    }

    /// The connection's bank as of the sandbox clock's date (history before a date never
    /// changes, so moving the clock only adds days).
    pub async fn bank(&self, state: &SandboxState) -> Result<Arc<Bank>, TlError> {
        let today = state.now().date_naive();
        crate::banks::provider_bank(state, &self.persona, today, &self.provider)
            .await
            .ok_or_else(|| TlError::data("internal_server_error"))
    }

    /// Whether the user shared this account or card.
    pub fn shared(&self, account_id: &str) -> bool {
        self.connection
            .account_ids
            .iter()
            .any(|id| id == account_id)
    }
}
