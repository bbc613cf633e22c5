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
//!   what was signed (its `status` is rewritten), so a receiver sees an invalid signature;
//! - account holder verification v3 notifies "the webhook URI registered in Console": here
//!   `POST /__sandbox/webhooks {"console_webhook_uri": "http://127.0.0.1:…"}` (loopback only;
//!   `null` forgets it) registers it for every client, and each verification is delivered there,
//!   signed and retried the same way, once it ends, as `verification.json`'s
//!   `account-holder-verification` webhook (`{type, event_version: 1, event_id,
//!   account_holder_verification_id, match_result | failure_reason}`).
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
    console_uri: std::sync::Mutex<Option<String>>,
}

impl WebhookControls {
    fn take_tamper(&self) -> bool {
        self.tamper_next.swap(false, Ordering::SeqCst)
    }

    /// The webhook URI "registered in Console" (v3 verifications are notified there).
    pub fn console_uri(&self) -> Option<String> {
        lock(&self.console_uri).clone()
    }

    fn snapshot(&self) -> Value {
        json!({
            "tamper_next": self.tamper_next.load(Ordering::SeqCst),
            "console_webhook_uri": self.console_uri(),
        })
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

/// The body with its status rewritten (an async task's `status` Succeeded ⇄ Failed, a v3
/// verification's `type` completed ⇄ failed): no longer what was signed.
fn tampered(body: &Value) -> String {
    let mut body = body.clone();
    if let Some(kind) = body["type"].as_str() {
        let flipped = if kind.ends_with("_completed") {
            kind.replace("_completed", "_failed")
        } else {
            kind.replace("_failed", "_completed")
        };
        body["type"] = json!(flipped);
        return body.to_string();
    }
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

/// `POST /__sandbox/webhooks {"tamper_next"?: bool, "console_webhook_uri"?: uri|null}`: arms (or
/// disarms) tampering with the next delivery; registers (or forgets) the Console webhook URI.
/// Anything invalid is refused and changes nothing.
pub async fn set_controls(State(state): State<SandboxState>, body: Bytes) -> Response {
    let refuse = |field: &str, reason: String| {
        TlError::data("validation_error")
            .detail("parameter", field.to_owned())
            .reason(reason)
    };
    let parsed = request::json_object(&body, &["tamper_next", "console_webhook_uri"], &[])
        .map_err(|e| refuse(e.field.as_deref().unwrap_or("body"), e.message))
        .and_then(|object| {
            let tamper = match object.get("tamper_next") {
                None => None,
                Some(Value::Bool(b)) => Some(*b),
                Some(_) => {
                    return Err(refuse(
                        "tamper_next",
                        "tamper_next must be true or false".into(),
                    ))
                }
            };
            let console = match object.get("console_webhook_uri") {
                None => None,
                Some(Value::Null) => Some(None),
                Some(Value::String(uri)) => {
                    crate::api::async_tasks::check_webhook_uri(uri)?;
                    Some(Some(uri.clone()))
                }
                Some(_) => {
                    return Err(refuse(
                        "console_webhook_uri",
                        "console_webhook_uri must be a URL or null".into(),
                    ))
                }
            };
            Ok((tamper, console))
        });
    match parsed {
        Ok((tamper, console)) => {
            if let Some(tamper) = tamper {
                state.webhooks.tamper_next.store(tamper, Ordering::SeqCst);
            }
            if let Some(console) = console {
                *lock(&state.webhooks.console_uri) = console;
            }
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
        let v3 = json!({"type": "account_holder_verification_completed", "event_version": 1});
        let out: Value = serde_json::from_str(&tampered(&v3)).unwrap();
        assert_eq!(out["type"], "account_holder_verification_failed");
    }
}
