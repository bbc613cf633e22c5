//! Async mode (API.md §6): `async=true` answers 202 with a `task_id` and `results_uri`; the task
//! moves Queued → Running → Succeeded/Failed with the sandbox clock (1 s queued, 2 s running);
//! `GET /data/v1/results/{task_id}` shows it; a `webhook_uri` (loopback only) is notified by POST
//! when it ends, without the results (signed and retried by `webhooks.rs`). Also the batch endpoints, which are always async.

use std::collections::{HashMap, VecDeque};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};

use super::dates;
use super::respond::{json_bytes, update_time, with_credentials_id, NewestFirst};
use super::{authenticate, Ctx};
use crate::errors::TlError;
use crate::scopes::Scope;
use crate::state::{lock, SandboxState};

/// How long a task stays `Queued`.
pub const QUEUED_FOR: Duration = Duration::seconds(1);
/// When a task ends (`Running` in between).
pub const DONE_AFTER: Duration = Duration::seconds(3);
/// How many tasks are remembered.
const CAPACITY: usize = 500;

/// What kind of task.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskKind {
    /// An async data call: the result is the call's usual body.
    Data,
    /// A batch: the result is a `BatchResults` body.
    Batch {
        /// The request's `from`/`to` as echoed in `request`.
        request: Value,
    },
}

/// How a task ends (computed when it is created, revealed with time).
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The serialized success body.
    Succeeded(Vec<u8>),
    /// The error the call would have answered.
    Failed(TlError),
}

/// One async task.
#[derive(Debug, Clone)]
pub struct Task {
    id: String,
    credentials_id: String,
    created_at: DateTime<Utc>,
    kind: TaskKind,
    outcome: Outcome,
    request_uri: String,
    webhook_uri: Option<String>,
}

/// All tasks.
#[derive(Debug, Default)]
pub struct Tasks {
    tasks: HashMap<String, Task>,
    order: VecDeque<String>,
    latest_batch: HashMap<String, String>,
}

impl Tasks {
    fn insert(&mut self, task: Task) {
        if self.order.len() >= CAPACITY {
            if let Some(old) = self.order.pop_front() {
                self.tasks.remove(&old);
            }
        }
        if matches!(task.kind, TaskKind::Batch { .. }) {
            self.latest_batch
                .insert(task.credentials_id.clone(), task.id.clone());
        }
        self.order.push_back(task.id.clone());
        self.tasks.insert(task.id.clone(), task);
    }
}

impl Task {
    /// `Queued`, `Running`, `Succeeded` or `Failed` at `now`.
    pub fn status(&self, now: DateTime<Utc>) -> &'static str {
        let age = now - self.created_at;
        if age < QUEUED_FOR {
            "Queued"
        } else if age < DONE_AFTER {
            "Running"
        } else {
            match self.outcome {
                Outcome::Succeeded(_) => "Succeeded",
                Outcome::Failed(_) => "Failed",
            }
        }
    }
}

fn results_uri(state: &SandboxState, task_id: &str) -> String {
    format!("{}/data/v1/results/{task_id}", state.api_url)
}

/// Refuses a webhook URI that is not loopback http(s): the built-in sandbox never calls out.
pub fn check_webhook_uri(uri: &str) -> Result<(), TlError> {
    let refuse = |reason: &str| {
        TlError::data("validation_error")
            .detail("parameter", "webhook_uri")
            .reason(reason.to_owned())
    };
    let url = url::Url::parse(uri).map_err(|_| refuse("webhook_uri is not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refuse("webhook_uri must be http or https"));
    }
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if !loopback {
        return Err(refuse(
            "the built-in sandbox only calls loopback webhooks (127.0.0.1, [::1] or localhost)",
        ));
    }
    Ok(())
}

/// Creates a task and answers 202 `{results_uri, status: "Queued", task_id}`; schedules the
/// webhook.
pub fn create(
    state: &SandboxState,
    credentials_id: &str,
    kind: TaskKind,
    outcome: Outcome,
    request_uri: String,
    webhook_uri: Option<String>,
) -> Response {
    let id = uuid::Uuid::new_v4().to_string();
    let task = Task {
        id: id.clone(),
        credentials_id: credentials_id.to_owned(),
        created_at: state.now(),
        kind,
        outcome,
        request_uri,
        webhook_uri: webhook_uri.clone(),
    };
    lock(&state.tasks).insert(task);
    if webhook_uri.is_some() {
        tokio::spawn(deliver_webhook(state.clone(), id.clone()));
    }
    let body = json!({
        "results_uri": results_uri(state, &id),
        "status": "Queued",
        "task_id": id,
    });
    (StatusCode::ACCEPTED, axum::Json(body)).into_response()
}

/// Waits until the task ends (real time or a clock jump), then has the notification delivered.
async fn deliver_webhook(state: SandboxState, task_id: String) {
    let task = loop {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let now = state.now();
        let Some(task) = lock(&state.tasks).tasks.get(&task_id).cloned() else {
            return;
        };
        if matches!(task.status(now), "Succeeded" | "Failed") {
            break task;
        }
    };
    let Some(webhook_uri) = task.webhook_uri.clone() else {
        return;
    };
    let body = json!({
        "request_timestamp": update_time(task.created_at),
        "request_uri": task.request_uri,
        "results_uri": results_uri(&state, &task.id),
        "credentials_id": task.credentials_id,
        "task_id": task.id,
        "status": task.status(state.now()),
    });
    crate::webhooks::deliver(&state, crate::webhooks::Notification { webhook_uri, body }).await;
}

/// The body `GET /data/v1/results/{task_id}` shows for a task at `now`.
fn task_body(state: &SandboxState, task: &Task, now: DateTime<Utc>) -> Vec<u8> {
    let status = task.status(now);
    let done = matches!(status, "Succeeded" | "Failed");
    match (&task.kind, &task.outcome, done) {
        (TaskKind::Data, Outcome::Succeeded(body), true) => body.clone(),
        (TaskKind::Batch { request }, Outcome::Succeeded(body), true) => {
            let results: Value = serde_json::from_slice(body).unwrap_or(json!({}));
            json!({"status": status, "task_id": task.id, "request": request, "results": results})
                .to_string()
                .into_bytes()
        }
        (_, Outcome::Failed(error), true) => {
            let mut body = json!({
                "status": status,
                "task_id": task.id,
                "results_uri": results_uri(state, &task.id),
            });
            if let (Some(object), Value::Object(error)) = (body.as_object_mut(), error.body()) {
                object.extend(error);
            }
            body.to_string().into_bytes()
        }
        (TaskKind::Batch { request }, _, false) => {
            json!({"status": status, "task_id": task.id, "request": request, "results": {}})
                .to_string()
                .into_bytes()
        }
        (TaskKind::Data, _, false) => json!({
            "results_uri": results_uri(state, &task.id),
            "status": status,
            "task_id": task.id,
        })
        .to_string()
        .into_bytes(),
    }
}

fn task_not_found() -> TlError {
    TlError::new(StatusCode::NOT_FOUND, "not_found", "Task not found.")
}

/// `GET /data/v1/results/{task_id}`: the task's status, and its results once it has ended.
pub async fn results(
    State(state): State<SandboxState>,
    headers: HeaderMap,
    Path(task_id): Path<String>,
) -> Response {
    let ctx = match authenticate(&state, &headers) {
        Ok(ctx) => ctx,
        Err(failure) => return failure.to_error().into_response(),
    };
    let task = lock(&state.tasks)
        .tasks
        .get(&task_id)
        .filter(|t| t.credentials_id == ctx.connection.credentials_id)
        .cloned();
    let response = match task {
        Some(task) => json_bytes(StatusCode::OK, task_body(&state, &task, state.now())),
        None => task_not_found().into_response(),
    };
    with_credentials_id(response, &ctx.connection.credentials_id)
}

/// `GET /data/v1/batch/results[?task_id=]`: the connection's latest (or named) batch.
pub async fn batch_results(
    State(state): State<SandboxState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let ctx = match authenticate(&state, &headers) {
        Ok(ctx) => ctx,
        Err(failure) => return failure.to_error().into_response(),
    };
    let response = match find_batch(&state, &ctx, query.as_deref()) {
        Ok(task) => json_bytes(StatusCode::OK, task_body(&state, &task, state.now())),
        Err(e) => e.into_response(),
    };
    with_credentials_id(response, &ctx.connection.credentials_id)
}

fn find_batch(state: &SandboxState, ctx: &Ctx, query: Option<&str>) -> Result<Task, TlError> {
    ctx.require(&[Scope::Accounts])?;
    let mut wanted = None;
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if key != "task_id" || wanted.is_some() {
            return Err(TlError::data("validation_error")
                .detail("parameter", key.into_owned())
                .reason("only one optional 'task_id' is accepted"));
        }
        wanted = Some(value.into_owned());
    }
    let tasks = lock(&state.tasks);
    let id = wanted.or_else(|| {
        tasks
            .latest_batch
            .get(&ctx.connection.credentials_id)
            .cloned()
    });
    id.and_then(|id| tasks.tasks.get(&id).cloned())
        .filter(|t| {
            t.credentials_id == ctx.connection.credentials_id
                && matches!(t.kind, TaskKind::Batch { .. })
        })
        .ok_or_else(task_not_found)
}

/// `POST /data/v1/batch/transactions`: every shared account's (and card's) transactions, with
/// pending transactions and balances on request, as an async task.
pub async fn batch(State(state): State<SandboxState>, headers: HeaderMap, body: Bytes) -> Response {
    let ctx = match authenticate(&state, &headers) {
        Ok(ctx) => ctx,
        Err(failure) => return failure.to_error().into_response(),
    };
    let response = match start_batch(&state, &ctx, &body).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    with_credentials_id(response, &ctx.connection.credentials_id)
}

async fn start_batch(state: &SandboxState, ctx: &Ctx, body: &[u8]) -> Result<Response, TlError> {
    let validation = |field: &str, reason: &str| {
        TlError::data("validation_error")
            .detail("parameter", field.to_owned())
            .reason(reason.to_owned())
    };
    let object = if body.is_empty() {
        Map::new()
    } else {
        crate::request::json_object(
            body,
            &[
                "from",
                "to",
                "pending",
                "balance",
                "webhook_uri",
                "account_ids_whitelist",
            ],
            &[],
        )
        .map_err(|e| validation(e.field.as_deref().unwrap_or("body"), &e.message))?
    };
    let text = |key: &str| -> Result<Option<String>, TlError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(validation(key, "must be a string")),
        }
    };
    let flag = |key: &str| -> Result<bool, TlError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(validation(key, "must be true or false")),
        }
    };
    let (from, to) = (text("from")?, text("to")?);
    let (pending, balance) = (flag("pending")?, flag("balance")?);
    let webhook_uri = text("webhook_uri")?;
    if let Some(uri) = &webhook_uri {
        check_webhook_uri(uri)?;
    }
    let whitelist: Option<Vec<String>> = match object.get("account_ids_whitelist") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    validation("account_ids_whitelist", "must be an array of strings")
                })?,
        ),
        Some(_) => {
            return Err(validation(
                "account_ids_whitelist",
                "must be an array of strings",
            ))
        }
    };
    ctx.require(&[Scope::Accounts, Scope::Transactions])?;
    if balance {
        ctx.require(&[Scope::Balance])?;
    }
    let now = state.now();
    let window = dates::window(from.as_deref(), to.as_deref(), now)?;
    dates::check_historical(&window, now, ctx.connection.auth_time)?;
    let outcome =
        match batch_results_body(state, ctx, &window, pending, balance, whitelist.as_deref()).await
        {
            Ok(results) => Outcome::Succeeded(results.to_string().into_bytes()),
            Err(e) => Outcome::Failed(e),
        };
    let request = json!({"from": update_time(window.from), "to": update_time(window.to)});
    Ok(create(
        state,
        &ctx.connection.credentials_id,
        TaskKind::Batch { request },
        outcome,
        format!("{}/data/v1/batch/transactions", state.api_url),
        webhook_uri,
    ))
}

async fn batch_results_body(
    state: &SandboxState,
    ctx: &Ctx,
    window: &dates::Window,
    pending: bool,
    balance: bool,
    whitelist: Option<&[String]>,
) -> Result<Value, TlError> {
    if let Some(failure) = ctx.persona_failure() {
        return Err(failure);
    }
    let bank = ctx.bank(state).await?;
    let stamp = update_time(state.now());
    let wanted = |id: &str| ctx.shared(id) && whitelist.is_none_or(|w| w.iter().any(|x| x == id));
    let newest_first = |items: &[crate::data::model::Transaction]| {
        serde_json::to_value(NewestFirst(items)).map_err(|_| TlError::data("internal_server_error"))
    };
    let touched = |v: Value| -> Value {
        let mut v = v;
        if let Some(o) = v.as_object_mut() {
            o.insert("update_timestamp".into(), json!(stamp));
        }
        v
    };
    let mut accounts = Vec::new();
    for account in bank.accounts().iter().filter(|a| wanted(&a.account_id)) {
        let id = account.account_id.as_str();
        let mut item = json!({"account_id": id});
        item["transactions"] =
            newest_first(bank.transactions(id, window.from, window.to).unwrap_or(&[]))?;
        if pending {
            item["pending_transactions"] = newest_first(
                bank.pending_window(id, window.from, window.to)
                    .unwrap_or(&[]),
            )?;
        }
        if balance {
            if let Some(b) = bank.balance(id) {
                item["balance"] = touched(serde_json::to_value(b).unwrap_or(Value::Null));
            }
        }
        accounts.push(item);
    }
    let mut cards = Vec::new();
    if ctx.connection.scopes.contains(Scope::Cards) {
        for card in bank.cards().iter().filter(|c| wanted(&c.account_id)) {
            let id = card.account_id.as_str();
            let mut item = json!({"account_id": id});
            item["transactions"] = newest_first(
                bank.card_transactions(id, window.from, window.to)
                    .unwrap_or(&[]),
            )?;
            if pending {
                item["pending_transactions"] = newest_first(
                    bank.card_pending_window(id, window.from, window.to)
                        .unwrap_or(&[]),
                )?;
            }
            if balance {
                if let Some(b) = bank.card_balance(id) {
                    item["balance"] = touched(serde_json::to_value(b).unwrap_or(Value::Null));
                }
            }
            cards.push(item);
        }
    }
    Ok(json!({"accounts": accounts, "cards": cards}))
}
