//! Data API v1 operations (`/data/v1/me`, `info`, accounts, cards and their balances,
//! transactions, pending transactions, standing orders, direct debits): the required scopes per
//! operation (the spec's `security`), strict query parameters, the historical window, the
//! `error.*` users, and the `{"results": [...], "status": "Succeeded"}` envelope — or a 202 and
//! an async task with `async=true`.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};

use super::async_tasks::{self, Outcome, TaskKind};
use super::dates::{self, Window};
use super::respond::{envelope, json_bytes, update_time, with_credentials_id, NewestFirst};
use super::{authenticate, Ctx};
use crate::errors::TlError;
use crate::scopes::Scope;
use crate::state::SandboxState;

/// One Data API operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `GET /me`
    Me,
    /// `GET /info`
    Info,
    /// `GET /accounts`
    Accounts,
    /// `GET /accounts/{id}`
    Account,
    /// `GET /accounts/{id}/balance`
    Balance,
    /// `GET /accounts/{id}/transactions`
    Transactions,
    /// `GET /accounts/{id}/transactions/pending`
    Pending,
    /// `GET /accounts/{id}/standing_orders`
    StandingOrders,
    /// `GET /accounts/{id}/direct_debits`
    DirectDebits,
    /// `GET /cards`
    Cards,
    /// `GET /cards/{id}`
    Card,
    /// `GET /cards/{id}/balance`
    CardBalance,
    /// `GET /cards/{id}/transactions`
    CardTransactions,
    /// `GET /cards/{id}/transactions/pending`
    CardPending,
}

impl Op {
    /// The scopes the spec's `security` lists for the operation (`/me`: any token).
    pub fn scopes(self) -> &'static [Scope] {
        use Scope::*;
        match self {
            Op::Me => &[],
            Op::Info => &[Info],
            Op::Accounts | Op::Account => &[Accounts],
            Op::Balance => &[Accounts, Balance],
            Op::Transactions | Op::Pending => &[Accounts, Transactions],
            Op::StandingOrders => &[Accounts, StandingOrders],
            Op::DirectDebits => &[Accounts, DirectDebits],
            Op::Cards | Op::Card => &[Cards],
            Op::CardBalance => &[Cards, Balance],
            Op::CardTransactions | Op::CardPending => &[Cards, Transactions],
        }
    }

    /// Whether `async`/`webhook_uri` are accepted (everything but `/me` and `/info`).
    pub fn allows_async(self) -> bool {
        !matches!(self, Op::Me | Op::Info)
    }

    /// Whether `from`/`to` are accepted.
    pub fn has_dates(self) -> bool {
        matches!(
            self,
            Op::Transactions | Op::Pending | Op::CardTransactions | Op::CardPending
        )
    }
}

/// The query parameters of a data call, checked against what the operation accepts.
#[derive(Debug, Default)]
pub struct DataQuery {
    /// `async=true`.
    pub is_async: bool,
    /// `webhook_uri` (loopback only).
    pub webhook_uri: Option<String>,
    /// `from`.
    pub from: Option<String>,
    /// `to`.
    pub to: Option<String>,
}

fn validation(parameter: &str, reason: impl Into<String>) -> TlError {
    TlError::data("validation_error")
        .detail("parameter", parameter)
        .reason(reason)
}

/// Parses a data call's query string: unknown or repeated parameters are refused.
pub fn parse_query(query: Option<&str>, op: Op) -> Result<DataQuery, TlError> {
    let mut parsed = DataQuery::default();
    let mut seen: Vec<String> = Vec::new();
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if seen.iter().any(|k| *k == key) {
            return Err(validation(&key, format!("'{key}' is given more than once")));
        }
        seen.push(key.clone().into_owned());
        match key.as_ref() {
            "async" if op.allows_async() => {
                if value != "true" {
                    return Err(validation("async", "async must be 'true' when given"));
                }
                parsed.is_async = true;
            }
            "webhook_uri" if op.allows_async() => parsed.webhook_uri = Some(value.into_owned()),
            "from" if op.has_dates() => parsed.from = Some(value.into_owned()),
            "to" if op.has_dates() => parsed.to = Some(value.into_owned()),
            other => {
                return Err(validation(
                    other,
                    format!("'{other}' is not a parameter of this endpoint"),
                ))
            }
        }
    }
    if let Some(uri) = &parsed.webhook_uri {
        if !parsed.is_async {
            return Err(validation("webhook_uri", "webhook_uri needs async=true"));
        }
        async_tasks::check_webhook_uri(uri)?;
    }
    Ok(parsed)
}

/// A serializable item with its `update_timestamp` (or another time field) set to now.
fn touched<T: Serialize>(item: &T, field: &str, value: &str) -> Result<Value, TlError> {
    let mut value_json =
        serde_json::to_value(item).map_err(|_| TlError::data("internal_server_error"))?;
    if let Some(object) = value_json.as_object_mut() {
        if object.contains_key(field) {
            object.insert(field.to_owned(), Value::String(value.to_owned()));
        }
    }
    Ok(value_json)
}

fn account_not_found() -> TlError {
    TlError::data("account_not_found")
}

/// Produces the body of a successful call, or its error.
async fn produce(
    state: &SandboxState,
    ctx: &Ctx,
    op: Op,
    id: &str,
    window: Option<Window>,
) -> Result<Vec<u8>, TlError> {
    let now = state.now();
    if op == Op::Me {
        return envelope([me_result(state, ctx)]);
    }
    if let Some(failure) = ctx.persona_failure() {
        return Err(failure);
    }
    let bank = ctx.bank(state).await?;
    let stamp = update_time(now);
    let posting = now.format("%Y-%m-%dT%H:%M:%S+00:00").to_string();
    let shared_account = || {
        bank.account(id)
            .filter(|_| ctx.shared(id))
            .ok_or_else(account_not_found)
    };
    let shared_card = || {
        bank.card(id)
            .filter(|_| ctx.shared(id))
            .ok_or_else(account_not_found)
    };
    let window = window.unwrap_or(Window { from: now, to: now });
    match op {
        Op::Me => envelope([me_result(state, ctx)]),
        Op::Info => envelope([touched(bank.info(), "update_timestamp", &stamp)?]),
        Op::Accounts => {
            let items = bank
                .accounts()
                .iter()
                .filter(|a| ctx.shared(&a.account_id))
                .map(|a| touched(a, "update_timestamp", &stamp))
                .collect::<Result<Vec<_>, _>>()?;
            envelope(items)
        }
        Op::Account => envelope([touched(shared_account()?, "update_timestamp", &stamp)?]),
        Op::Balance => {
            shared_account()?;
            let balance = bank.balance(id).ok_or_else(account_not_found)?;
            envelope([touched(balance, "update_timestamp", &stamp)?])
        }
        Op::Transactions => {
            shared_account()?;
            let items = bank
                .transactions(id, window.from, window.to)
                .ok_or_else(account_not_found)?;
            envelope(NewestFirst(items))
        }
        Op::Pending => {
            shared_account()?;
            let items = bank
                .pending_window(id, window.from, window.to)
                .ok_or_else(account_not_found)?;
            envelope(NewestFirst(items))
        }
        Op::StandingOrders => {
            shared_account()?;
            let items = bank
                .standing_orders(id)
                .ok_or_else(account_not_found)?
                .iter()
                .map(|so| touched(so, "timestamp", &posting))
                .collect::<Result<Vec<_>, _>>()?;
            envelope(items)
        }
        Op::DirectDebits => {
            shared_account()?;
            let items = bank
                .direct_debits(id)
                .ok_or_else(account_not_found)?
                .iter()
                .map(|dd| touched(dd, "timestamp", &posting))
                .collect::<Result<Vec<_>, _>>()?;
            envelope(items)
        }
        Op::Cards => {
            let items = bank
                .cards()
                .iter()
                .filter(|c| ctx.shared(&c.account_id))
                .map(|c| touched(c, "update_timestamp", &stamp))
                .collect::<Result<Vec<_>, _>>()?;
            envelope(items)
        }
        Op::Card => envelope([touched(shared_card()?, "update_timestamp", &stamp)?]),
        Op::CardBalance => {
            shared_card()?;
            let balance = bank.card_balance(id).ok_or_else(account_not_found)?;
            envelope([touched(balance, "update_timestamp", &stamp)?])
        }
        Op::CardTransactions => {
            shared_card()?;
            let items = bank
                .card_transactions(id, window.from, window.to)
                .ok_or_else(account_not_found)?;
            envelope(NewestFirst(items))
        }
        Op::CardPending => {
            shared_card()?;
            let items = bank
                .card_pending_window(id, window.from, window.to)
                .ok_or_else(account_not_found)?;
            envelope(NewestFirst(items))
        }
    }
}

/// `/me`'s single result.
fn me_result(state: &SandboxState, ctx: &Ctx) -> Value {
    let c = &ctx.connection;
    let time = |t: DateTime<Utc>| update_time(t);
    json!({
        "client_id": c.client_id,
        "credentials_id": c.credentials_id,
        "consent_status": "Authorised",
        "consent_status_updated_at": time(c.consent_status_updated_at),
        "consent_created_at": time(c.consent_created_at),
        "consent_expires_at": time(c.consent_expires_at),
        "provider": {
            "display_name": ctx.provider.display_name,
            "logo_uri": format!("{}/img/banks/logos/{}.svg", state.auth_url, ctx.provider.provider_id),
            "provider_id": ctx.provider.provider_id,
        },
        "scopes": c.scopes.names(),
        "privacy_policy": "Feb2019",
    })
}

async fn serve(
    state: SandboxState,
    headers: HeaderMap,
    query: Option<String>,
    uri: Uri,
    op: Op,
    id: String,
) -> Response {
    let ctx = match authenticate(&state, &headers) {
        Ok(ctx) => ctx,
        Err(failure) => return failure.to_error().into_response(),
    };
    let response = match handle(&state, &ctx, query.as_deref(), &uri, op, &id).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    };
    with_credentials_id(response, &ctx.connection.credentials_id)
}

async fn handle(
    state: &SandboxState,
    ctx: &Ctx,
    query: Option<&str>,
    uri: &Uri,
    op: Op,
    id: &str,
) -> Result<Response, TlError> {
    ctx.require(op.scopes())?;
    let query = parse_query(query, op)?;
    let now = state.now();
    let window = if op.has_dates() {
        let window = dates::window(query.from.as_deref(), query.to.as_deref(), now)?;
        dates::check_historical(&window, now, ctx.connection.auth_time)?;
        Some(window)
    } else {
        None
    };
    let result = produce(state, ctx, op, id, window).await;
    if query.is_async {
        let outcome = match result {
            Ok(body) => Outcome::Succeeded(body),
            Err(error) => Outcome::Failed(error),
        };
        let request_uri = format!("{}{}", state.api_url, uri);
        let accepted = async_tasks::create(
            state,
            &ctx.connection.credentials_id,
            TaskKind::Data,
            outcome,
            request_uri,
            query.webhook_uri,
        );
        return Ok(accepted);
    }
    Ok(json_bytes(StatusCode::OK, result?))
}

macro_rules! collection {
    ($name:ident, $op:expr) => {
        #[doc = concat!("Handler for [`", stringify!($op), "`].")]
        pub async fn $name(
            State(state): State<SandboxState>,
            headers: HeaderMap,
            RawQuery(query): RawQuery,
            uri: Uri,
        ) -> Response {
            serve(state, headers, query, uri, $op, String::new()).await
        }
    };
}

macro_rules! item {
    ($name:ident, $op:expr) => {
        #[doc = concat!("Handler for [`", stringify!($op), "`].")]
        pub async fn $name(
            State(state): State<SandboxState>,
            headers: HeaderMap,
            Path(account_id): Path<String>,
            RawQuery(query): RawQuery,
            uri: Uri,
        ) -> Response {
            serve(state, headers, query, uri, $op, account_id).await
        }
    };
}

collection!(me, Op::Me);
collection!(info, Op::Info);
collection!(accounts, Op::Accounts);
collection!(cards, Op::Cards);
item!(account, Op::Account);
item!(balance, Op::Balance);
item!(transactions, Op::Transactions);
item!(pending, Op::Pending);
item!(standing_orders, Op::StandingOrders);
item!(direct_debits, Op::DirectDebits);
item!(card, Op::Card);
item!(card_balance, Op::CardBalance);
item!(card_transactions, Op::CardTransactions);
item!(card_pending, Op::CardPending);
