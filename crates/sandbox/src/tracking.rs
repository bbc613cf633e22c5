//! The Client Tracking API (`client-tracking.truelayer.com`'s role): the auth-journey events the
//! dialog records for a link's `tracking_id`, and `GET /v1/tracked-events?tracking_id=` on the
//! sandbox's own tracking listener, which answers a `client_credentials` token granted the
//! `tracking` scope (TrueLayer, "Track auth journey events"). The dialog decides when an event
//! happens (`auth::session`); this module keeps the trails (in the state file too, when there is
//! one: a restart keeps them, as TrueLayer keeps them 60 days) and answers for them. Shapes chosen
//! where the spec is silent are in the crate README ("Tracked events").

use std::collections::HashMap;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::session::{DialogSession, Purpose};
use crate::request;
use crate::state::{lock, SandboxState};
use crate::tokens::TokenHash;

/// TrueLayer: "We only store the tracked events for a period of 60 days."
pub const RETENTION: Duration = Duration::days(60);
/// The scope a `client_credentials` token needs to read tracked events.
pub const TRACKING_SCOPE: &str = "tracking";
/// The most trails kept at once (the oldest goes first), so a long run stays bounded.
const MAX_TRAILS: usize = 10_000;
/// The most events kept per trail (a `tracking_id` reused across links appends to one trail).
const MAX_EVENTS_PER_TRAIL: usize = 200;
/// The longest `tracking_id` accepted in a query (links accept any; longer ones match nothing).
const MAX_TRACKING_ID_CHARS: usize = 256;

/// The events of the spec's `TrackedEventResponse.name` enum, in the order the sandbox's dialog
/// reaches them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventName {
    /// The dialog's first page was shown.
    DialogStarted,
    /// The user clicked Allow on the consent page.
    ConsentGranted,
    /// The provider became known: picked on the provider page, or given by the link's
    /// `provider_id` (recorded as consent is granted).
    ProviderSelected,
    /// The bank's login page was shown.
    ProviderAuthStarted,
    /// The bank accepted the login.
    ProviderAuthorized,
    /// The dialog returned a code to the client (the redirect with `code`).
    CodeExchanged,
}

/// One tracked event, as `GET /v1/tracked-events` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedEvent {
    /// Which event.
    pub name: EventName,
    /// When (RFC 3339, microseconds, UTC; the sandbox clock).
    pub time: String,
    /// The dialog session (`auth-…`): one per opened link.
    pub flow_id: String,
    /// The connection's `credentials_id`, from the bank login on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials_id: Option<String>,
    /// The consent's id, from the bank login on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent_id: Option<String>,
    /// Whether the flow re-authenticates an existing connection.
    pub reauth: bool,
    /// The provider, once known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
}

/// One client's trail for one `tracking_id` (also the state file's shape).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trail {
    client_id: String,
    tracking_id: String,
    events: Vec<TrackedEvent>,
    updated_at: DateTime<Utc>,
}

/// Every trail, by client and `tracking_id` (a client reads only its own).
#[derive(Debug, Default)]
pub struct TrackedEvents {
    trails: HashMap<(String, String), Trail>,
}

impl TrackedEvents {
    /// The trails a state file kept.
    pub fn from_stored(stored: Vec<Trail>) -> Self {
        let trails = stored
            .into_iter()
            .map(|t| ((t.client_id.clone(), t.tracking_id.clone()), t))
            .collect();
        Self { trails }
    }

    /// The trails to keep in the state file.
    pub fn stored(&self) -> Vec<Trail> {
        self.trails.values().cloned().collect()
    }

    fn push(
        &mut self,
        client_id: &str,
        tracking_id: &str,
        event: TrackedEvent,
        now: DateTime<Utc>,
    ) {
        self.trails.retain(|_, t| now - t.updated_at < RETENTION);
        let key = (client_id.to_owned(), tracking_id.to_owned());
        if !self.trails.contains_key(&key) && self.trails.len() >= MAX_TRAILS {
            let oldest = self
                .trails
                .iter()
                .min_by_key(|(_, t)| t.updated_at)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                self.trails.remove(&oldest);
            }
        }
        let trail = self.trails.entry(key).or_insert_with(|| Trail {
            client_id: client_id.to_owned(),
            tracking_id: tracking_id.to_owned(),
            events: Vec::new(),
            updated_at: now,
        });
        if trail.events.len() < MAX_EVENTS_PER_TRAIL {
            trail.events.push(event);
        }
        trail.updated_at = now;
    }

    /// The events of one client's `tracking_id` still kept at `now`, oldest first.
    pub fn trail(
        &self,
        client_id: &str,
        tracking_id: &str,
        now: DateTime<Utc>,
    ) -> Option<Vec<TrackedEvent>> {
        self.trails
            .get(&(client_id.to_owned(), tracking_id.to_owned()))
            .filter(|t| now - t.updated_at < RETENTION)
            .map(|t| t.events.clone())
    }
}

/// Records `name` for the session's link, if the link carried a `tracking_id` (and writes the
/// state file).
pub fn record(state: &SandboxState, session: &DialogSession, name: EventName) {
    let Some(tracking_id) = session.link.tracking_id.as_deref() else {
        return;
    };
    let now = state.now();
    let event = TrackedEvent {
        name,
        time: now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        flow_id: session.id.clone(),
        credentials_id: session.credentials_id.clone(),
        consent_id: session.consent_id.clone(),
        reauth: matches!(session.purpose, Purpose::Reauth { .. }),
        provider_id: session.provider_id.clone(),
    };
    lock(&state.tracked).push(&session.link.client_id, tracking_id, event, now);
    state.persist_or_log();
}

/// The client-tracking server's routes.
pub fn router() -> Router<SandboxState> {
    Router::new().route("/v1/tracked-events", get(tracked_events))
}

/// An answer with no body (the spec's 401 and 404 examples are `null`).
fn empty(status: StatusCode) -> Response {
    let mut response = status.into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=\"invalid_token\""),
        );
    }
    response
}

/// The spec's 400: a `text/plain` sentence.
fn bad_request(message: &'static str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

/// The client of a live `client_credentials` token granted [`TRACKING_SCOPE`].
fn tracking_client(state: &SandboxState, headers: &HeaderMap) -> Option<String> {
    let token = request::bearer_token(headers)?;
    let now = state.now();
    let store = state.store();
    let grant = store.access_tokens.get(&TokenHash::of(token))?;
    let granted = grant.expires_at > now
        && grant.credentials_id.is_none()
        && grant.client_scopes.iter().any(|s| s == TRACKING_SCOPE);
    granted.then(|| grant.client_id.clone())
}

/// `GET /v1/tracked-events?tracking_id=`: 200 `{"results": [TrackedEvent…]}` oldest first;
/// 401 (no body) without a valid tracking token; 400 `text/plain` without exactly one non-empty
/// `tracking_id`; 404 (no body) when nothing was recorded for it (or only for another client).
pub async fn tracked_events(
    State(state): State<SandboxState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(client_id) = tracking_client(&state, &headers) else {
        return empty(StatusCode::UNAUTHORIZED);
    };
    let query = query.unwrap_or_default();
    let ids: Vec<String> = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k == "tracking_id")
        .map(|(_, v)| v.into_owned())
        .collect();
    let tracking_id = match ids.as_slice() {
        [id] if !id.trim().is_empty() => id,
        [] | [_] => return bad_request("tracking_id query parameter is required"),
        _ => return bad_request("tracking_id query parameter must be given once"),
    };
    if tracking_id.chars().count() > MAX_TRACKING_ID_CHARS {
        return bad_request("tracking_id query parameter must be at most 256 characters");
    }
    let trail = lock(&state.tracked).trail(&client_id, tracking_id, state.now());
    match trail {
        Some(events) => axum::Json(serde_json::json!({ "results": events })).into_response(),
        None => empty(StatusCode::NOT_FOUND),
    }
}
