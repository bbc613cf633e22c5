//! Webhook deliveries of async tasks, signed the way TrueLayer signs its webhooks. API.md §6 gives
//! the payload only from memory and says nothing of signing, so every shape here is the sandbox's
//! choice, kept in this one module and listed in the README:
//! - the body is `{request_timestamp, request_uri, results_uri, credentials_id, task_id, status}`
//!   (never the results), POSTed as JSON to the task's `webhook_uri`;
//! - its headers are `Tl-Signature` (a detached ES512 JWS by `truelayer-signing`, over POST, the
//!   target's path, `X-Tl-Webhook-Timestamp` and the body; its JWS header carries `kid` and a
//!   `jku` on the sandbox's own API host) and `X-Tl-Webhook-Timestamp` (RFC 3339);
//! - [`JWKS_PATH`] on the API host publishes the key (`{"keys": [EC P-521]}`);
//! - a delivery that gets no 2xx is tried again after 250 ms, 500 ms, 1 s: [`MAX_ATTEMPTS`] in
//!   all, each in the journal (`server: "webhook"`, with its `attempt`);
//! - `POST /__sandbox/webhooks {"tamper_next": true}` makes the next delivery's body differ from
//!   what was signed (its `status` is rewritten), so a receiver sees an invalid signature.
//!
//! Must not: call anything but a loopback `webhook_uri` (`async_tasks::check_webhook_uri`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::errors::TlError;
use crate::journal::{self, Entry};
use crate::request;
use crate::state::{lock, SandboxState};

/// Where the API host publishes the webhook-signing key (the `jku` of every delivery).
pub const JWKS_PATH: &str = "/webhooks/jwks";
/// The signed timestamp header of a delivery.
pub const TIMESTAMP_HEADER: &str = "X-Tl-Webhook-Timestamp";
/// Deliveries of one notification, the first included.
pub const MAX_ATTEMPTS: u32 = 4;
/// The wait before the second attempt; doubled before each further one.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);

/// The QA flag: whether the next delivery is tampered with.
#[derive(Debug, Default)]
pub struct WebhookControls {
    tamper_next: AtomicBool,
}

impl WebhookControls {
    fn take_tamper(&self) -> bool {
        self.tamper_next.swap(false, Ordering::SeqCst)
    }

    fn snapshot(&self) -> Value {
        json!({"tamper_next": self.tamper_next.load(Ordering::SeqCst)})
    }
}

/// A notification to deliver.
#[derive(Debug, Clone)]
pub struct Notification {
    /// Where to POST it.
    pub webhook_uri: String,
    /// The JSON body.
    pub body: Value,
}

/// Delivers `notification`, signed, retrying with backoff up to [`MAX_ATTEMPTS`] times until a
/// 2xx answer; every attempt goes to the journal.
pub async fn deliver(state: &SandboxState, notification: Notification) {
    let body = notification.body.to_string();
    let path = url::Url::parse(&notification.webhook_uri)
        .map(|u| u.path().to_owned())
        .unwrap_or_else(|_| "/".to_owned());
    let timestamp = crate::api::respond::update_time(state.now());
    let jku = format!("{}{JWKS_PATH}", state.api_url);
    let signature = match state.keys.sign_webhook(
        &path,
        &[(TIMESTAMP_HEADER, timestamp.as_bytes())],
        body.as_bytes(),
        &jku,
    ) {
        Ok(signature) => signature,
        Err(e) => {
            tracing::error!(error = %e, "webhook not signed, so not sent");
            return;
        }
    };
    let sent_body = if state.webhooks.take_tamper() {
        tampered(&notification.body)
    } else {
        body
    };
    let mut backoff = FIRST_BACKOFF;
    for attempt in 1..=MAX_ATTEMPTS {
        let started = Instant::now();
        let answer = state
            .http
            .post(&notification.webhook_uri)
            .header("content-type", "application/json")
            .header("tl-signature", &signature)
            .header(TIMESTAMP_HEADER, &timestamp)
            .body(sent_body.clone())
            .send()
            .await;
        let status = match &answer {
            Ok(response) => response.status().as_u16(),
            Err(e) => {
                tracing::warn!(error = %e, uri = %notification.webhook_uri, attempt, "webhook delivery failed");
                0
            }
        };
        let mut headers = Map::new();
        headers.insert("content-type".into(), json!("application/json"));
        headers.insert("tl-signature".into(), json!(signature));
        headers.insert(TIMESTAMP_HEADER.to_ascii_lowercase(), json!(timestamp));
        lock(&state.requests).push(Entry {
            id: 0,
            time: crate::api::respond::update_time(state.now()),
            server: "webhook",
            method: "POST".to_owned(),
            path: notification.webhook_uri.clone(),
            query: None,
            headers,
            body: journal::redact_body(sent_body.as_bytes(), Some("application/json")),
            status,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            correlation_id: None,
            fault: false,
            attempt: Some(attempt),
        });
        if (200..300).contains(&status) || attempt == MAX_ATTEMPTS {
            return;
        }
        tokio::time::sleep(backoff).await;
        backoff *= 2;
    }
}

/// The body with its `status` rewritten (Succeeded ⇄ Failed): no longer what was signed.
fn tampered(body: &Value) -> String {
    let mut body = body.clone();
    let flipped = match body["status"].as_str() {
        Some("Succeeded") => "Failed",
        _ => "Succeeded",
    };
    body["status"] = json!(flipped);
    body.to_string()
}

/// `GET {api}/webhooks/jwks`: `{"keys": [{kty: EC, crv: P-521, kid, x, y, …}]}`.
pub async fn jwks(State(state): State<SandboxState>) -> Response {
    axum::Json(state.keys.webhook_jwks()).into_response()
}

/// `GET /__sandbox/webhooks` → `{"tamper_next": bool}`.
pub async fn get_controls(State(state): State<SandboxState>) -> Response {
    axum::Json(state.webhooks.snapshot()).into_response()
}

/// `POST /__sandbox/webhooks {"tamper_next": true|false}`: arms (or disarms) tampering with the
/// next delivery.
pub async fn set_controls(State(state): State<SandboxState>, body: Bytes) -> Response {
    let refuse = |reason: String| {
        TlError::data("validation_error")
            .detail("parameter", "tamper_next")
            .reason(reason)
    };
    let parsed = request::json_object(&body, &["tamper_next"], &["tamper_next"])
        .map_err(|e| refuse(e.message))
        .and_then(|object| {
            object
                .get("tamper_next")
                .and_then(Value::as_bool)
                .ok_or_else(|| refuse("tamper_next must be true or false".to_owned()))
        });
    match parsed {
        Ok(tamper) => {
            state.webhooks.tamper_next.store(tamper, Ordering::SeqCst);
            axum::Json(state.webhooks.snapshot()).into_response()
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tampered_body_says_the_opposite_status() {
        let body = json!({"task_id": "t", "status": "Succeeded"});
        let out: Value = serde_json::from_str(&tampered(&body)).unwrap();
        assert_eq!(out["status"], "Failed");
        assert_eq!(out["task_id"], "t", "only the status changes");
    }
}
