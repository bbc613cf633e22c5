//! The QA controls under `/__sandbox/` on the auth server (JSON in, JSON out; documented in the
//! README): headless authorisation, the clock, fault and latency injection, and the request
//! journal. These are not TrueLayer endpoints; they never appear in the journal themselves.
//! Who may call them (control token, JSON bodies, loopback Host) is decided before they run,
//! in `guard`.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::session::{DialogSession, Purpose, Redirect, Step};
use crate::authlink::AuthLink;
use crate::errors::TlError;
use crate::faults;
use crate::request::{self, FieldError};
use crate::state::{lock, SandboxState};

fn bad(message: impl Into<String>) -> TlError {
    TlError::invalid_request(message)
}

fn field_error(e: FieldError) -> TlError {
    let error = bad(e.message);
    match e.field {
        Some(field) => error.detail("parameter", field),
        None => error,
    }
}

fn redirect_body(redirect: &Redirect) -> Value {
    let mut body = json!({"redirect": redirect.url()});
    if redirect.form_post {
        let form: serde_json::Map<String, Value> = redirect
            .params
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        body["response_mode"] = json!("form_post");
        body["form"] = Value::Object(form);
    }
    body
}

/// `POST /__sandbox/authorize`: walks the dialog headlessly, validating the link exactly as
/// `GET /` does. `auth_link` may also be a `user_input_link` (`{auth}/?session_id=…` from
/// extend, `/v1/reauthuri` or `/v1/authuri`): that session is walked from its bank login (a
/// reconfirmation from its consent page, without a login). 200 `{"redirect": …}` (also for a refused login, which redirects with
/// `error=access_denied` as the dialog would), or 400 with the dialog's error.
pub async fn authorize(State(state): State<SandboxState>, body: Bytes) -> Response {
    match headless(&state, &body).await {
        Ok(redirect) => axum::Json(redirect_body(&redirect)).into_response(),
        Err(error) => error.into_response(),
    }
}

async fn headless(state: &SandboxState, body: &[u8]) -> Result<Redirect, TlError> {
    let object = request::json_object(
        body,
        &[
            "auth_link",
            "username",
            "password",
            "provider_id",
            "account_ids",
        ],
        &["auth_link", "username", "password"],
    )
    .map_err(field_error)?;
    let auth_link = request::req_str(&object, "auth_link").map_err(field_error)?;
    let username = request::req_str(&object, "username").map_err(field_error)?;
    let password = request::req_str(&object, "password").map_err(field_error)?;
    let wanted_provider = request::opt_str(&object, "provider_id").map_err(field_error)?;
    let account_ids: Option<Vec<String>> = match object.get("account_ids") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    bad("account_ids must be an array of strings")
                        .detail("parameter", "account_ids")
                })?,
        ),
        Some(_) => {
            return Err(
                bad("account_ids must be an array of strings").detail("parameter", "account_ids")
            )
        }
    };

    let url = url::Url::parse(auth_link).map_err(|e| {
        bad(format!("auth_link is not a URL: {e}")).detail("parameter", "auth_link")
    })?;
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut session = match pairs.as_slice() {
        // A `user_input_link` (extend, reauth, direct bank auth): resume that session.
        [(key, session_id)] if key == "session_id" => {
            let now = state.now();
            let session = state
                .store()
                .dialogs
                .get(session_id)
                .cloned()
                .filter(|s| !s.expired(now));
            session.ok_or_else(|| {
                bad("the session of this link has expired, was completed, or does not exist")
                    .detail("parameter", "auth_link")
            })?
        }
        _ => {
            let link = AuthLink::parse(&pairs, state).map_err(|e| e.to_control_error())?;
            DialogSession::new(state, link, Purpose::Link)
        }
    };
    // A resumed session is used up by this call, whatever its outcome (like the dialog's).
    state.store().dialogs.remove(&session.id);

    let provider_id = choose_provider(&session, wanted_provider)?;
    session.allow(state);
    if session.step == Step::Provider {
        session
            .choose_provider(state, &provider_id)
            .map_err(|m| bad(m).detail("parameter", "provider_id"))?;
    }
    // A reconfirmation has no bank login: the user is already known.
    if session.step == Step::Login && session.login(state, username, password).is_err() {
        return Ok(session.refusal("The bank refused the login: wrong username or password."));
    }
    let choices = session.account_choices(state).await;
    let selected = account_ids.unwrap_or_else(|| choices.iter().map(|c| c.id.clone()).collect());
    session
        .finish(state, &choices, &selected)
        .map_err(|m| bad(m).detail("parameter", "account_ids"))
}

/// The provider to log in at: the body's, else the link's (they must agree), else Mock when the
/// link offers it, else the only provider offered.
fn choose_provider(session: &DialogSession, wanted: Option<&str>) -> Result<String, TlError> {
    match (wanted, session.provider_id.as_deref()) {
        (Some(a), Some(b)) if a != b => Err(bad(format!(
            "provider_id '{a}' differs from the link's provider_id '{b}'"
        ))
        .detail("parameter", "provider_id")),
        (Some(p), _) | (None, Some(p)) => Ok(p.to_owned()),
        (None, None) => {
            let eligible = session.link.eligible_providers();
            let only = match eligible.as_slice() {
                [only] => Some(only),
                _ => None,
            };
            match eligible.iter().find(|p| p.provider_id == "mock").or(only) {
                Some(p) => Ok(p.provider_id.clone()),
                None => Err(bad(format!(
                    "the link offers several providers and none is Mock: give provider_id (one of {})",
                    eligible
                        .iter()
                        .map(|p| p.provider_id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .detail("parameter", "provider_id")),
            }
        }
    }
}

fn clock_body(state: &SandboxState) -> Value {
    json!({
        "now": state.now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "offset_seconds": state.clock.offset_seconds(),
    })
}

/// `GET /__sandbox/clock` → `{"now": RFC 3339, "offset_seconds": N}`.
pub async fn get_clock(State(state): State<SandboxState>) -> Response {
    axum::Json(clock_body(&state)).into_response()
}

/// `POST /__sandbox/clock` `{"advance_seconds": N}` moves the clock forward (never back).
pub async fn advance_clock(State(state): State<SandboxState>, body: Bytes) -> Response {
    let result = request::json_object(&body, &["advance_seconds"], &["advance_seconds"])
        .map_err(field_error)
        .and_then(|object| {
            object
                .get("advance_seconds")
                .and_then(Value::as_i64)
                .ok_or_else(|| {
                    bad("advance_seconds must be an integer").detail("parameter", "advance_seconds")
                })
        })
        .and_then(|seconds| {
            state.clock.advance(seconds).ok_or_else(|| {
                bad(format!(
                    "advance_seconds must be from 0 to {} (the clock only moves forward)",
                    crate::clock::MAX_ADVANCE_SECONDS
                ))
                .detail("parameter", "advance_seconds")
            })
        });
    match result {
        Ok(_) => {
            state.persist_or_log();
            axum::Json(clock_body(&state)).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// `GET /__sandbox/faults`: what is armed.
pub async fn get_faults(State(state): State<SandboxState>) -> Response {
    axum::Json(lock(&state.faults).snapshot()).into_response()
}

/// `POST /__sandbox/faults`: arms a fault and/or sets the latency.
pub async fn add_fault(State(state): State<SandboxState>, body: Bytes) -> Response {
    let parsed = serde_json::from_slice::<Value>(&body)
        .map_err(|e| bad(format!("the body is not valid JSON: {e}")))
        .and_then(|v| faults::parse_fault_request(&v).map_err(bad));
    match parsed {
        Ok(request) => {
            let mut faults = lock(&state.faults);
            faults.apply(request);
            axum::Json(faults.snapshot()).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// `DELETE /__sandbox/faults`: clears faults and latency.
pub async fn clear_faults(State(state): State<SandboxState>) -> Response {
    let mut faults = lock(&state.faults);
    faults.clear();
    axum::Json(faults.snapshot()).into_response()
}

/// `GET /__sandbox/requests` → `{"requests": [...]}`, newest last.
pub async fn list_requests(State(state): State<SandboxState>) -> Response {
    let entries = lock(&state.requests).entries();
    axum::Json(json!({ "requests": entries })).into_response()
}

/// `DELETE /__sandbox/requests`: forgets recorded requests.
pub async fn clear_requests(State(state): State<SandboxState>) -> Response {
    lock(&state.requests).clear();
    axum::Json(json!({ "requests": [] })).into_response()
}
