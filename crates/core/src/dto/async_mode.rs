//! Async-mode DTOs: whether a connection's data calls go async, and each async task's timeline
//! (Queued → Running → Succeeded/Failed with times, the webhook's arrival with its signature
//! check, the results fetched from `results_uri`).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// `get_async_mode` / `set_async_mode`: a connection's async setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AsyncModeState {
    pub connection_id: String,
    /// Every data call of the connection (but `/me` and `/info`, which have no async mode)
    /// is made with `async=true`.
    pub enabled: bool,
    /// The loopback webhook the calls name (`null` until the listener first runs).
    pub webhook_uri: Option<String>,
}

/// `set_async_mode`'s input.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AsyncModeInput {
    pub connection_id: String,
    pub enabled: bool,
}

/// One step of a task, as the app saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AsyncStep {
    /// `Queued`, `Running`, `Succeeded`, `Failed` (or an undocumented status, as sent).
    pub status: String,
    /// When it was first seen (RFC 3339).
    pub at: String,
}

/// What the webhook's signature check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WebhookSignature {
    /// Being checked (the JWKS is being fetched).
    Checking,
    /// Verified by `truelayer-signing` with key `kid` from `jku`.
    Valid { kid: String, jku: String },
    /// Not valid, or not checkable; `reason` says why.
    Invalid { reason: String },
}

/// A webhook delivery that arrived for a task.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WebhookArrival {
    pub received_at: String,
    /// Its headers as received (a webhook carries no secret: `Tl-Signature` is a signature).
    pub headers: Vec<(String, String)>,
    /// Its body (JSON, else the text).
    #[ts(type = "unknown")]
    pub body: Value,
    pub signature: WebhookSignature,
}

/// One async task's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AsyncRun {
    pub task_id: String,
    pub connection_id: String,
    /// The read that went async, e.g. `accounts`, `account_transactions`.
    pub operation: String,
    /// Its path with query, e.g. `/data/v1/accounts/a1/transactions?from=…&to=…`.
    pub path: String,
    pub results_uri: String,
    pub steps: Vec<AsyncStep>,
    /// Every delivery that arrived (a sender may retry).
    pub webhooks: Vec<WebhookArrival>,
    /// When the results were fetched from `results_uri` (the poll that saw `Succeeded`).
    pub results_fetched_at: Option<String>,
    /// The trace id of that fetch, to find it in the request inspector.
    pub results_trace_id: Option<String>,
    /// Why it failed, or could not be followed to its end.
    pub error: Option<String>,
}

/// Event `async://updated`: a task's timeline changed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AsyncRunEvent {
    pub run: AsyncRun,
}
