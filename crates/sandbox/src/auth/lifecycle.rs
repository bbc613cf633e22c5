//! Connection lifecycle on the auth server: `DELETE /api/delete` (revoke), `POST /v1/reauthuri`
//! (a re-authentication link from a refresh token) and `POST /v1/authuri` (direct bank
//! authentication: a link straight to the bank's login, consent collected by the client).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::session::{self, DialogSession, Purpose, ReauthRequest};
use crate::authlink::{AuthLink, LinkError};
use crate::data;
use crate::errors::TlError;
use crate::request::{self, FieldError};
use crate::state::{SandboxState, CONSENT_LIFETIME};
use crate::tokens::TokenHash;

fn field_error(e: FieldError) -> TlError {
    let error = TlError::invalid_request(e.message);
    match e.field {
        Some(field) => error.detail("parameter", field),
        None => error,
    }
}

fn link_error(e: LinkError) -> TlError {
    let status = if e.error == "unauthorized_client" {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut error = TlError::new(status, e.error, e.description);
    if let Some(parameter) = e.parameter {
        error = error.detail("parameter", parameter);
    }
    error
}

fn unauthorized() -> TlError {
    TlError::new(StatusCode::UNAUTHORIZED, "unauthorized", "Unauthorized.").reason("Invalid token")
}

/// `DELETE /api/delete`: revokes the connection of the bearer access token. 200, no body.
pub async fn delete(State(state): State<SandboxState>, headers: HeaderMap) -> Response {
    let Some(token) = request::bearer_token(&headers) else {
        return unauthorized().into_response();
    };
    let now = state.now();
    let credentials_id = {
        let mut store = state.store();
        let credentials_id = store
            .access_tokens
            .get(&TokenHash::of(token))
            .filter(|g| g.expires_at > now)
            .and_then(|g| g.credentials_id.clone());
        match credentials_id {
            Some(id) => {
                state.revoke(&mut store, &id);
                id
            }
            None => return unauthorized().into_response(),
        }
    };
    tracing::info!(%credentials_id, "connection revoked");
    state.persist_or_log();
    StatusCode::OK.into_response()
}

fn auth_uri_response(url: String) -> Response {
    axum::Json(json!({"result": url, "success": true})).into_response()
}

fn response_mode(object: &Map<String, Value>) -> Result<bool, TlError> {
    match request::opt_str(object, "response_mode").map_err(field_error)? {
        None => Ok(false),
        Some("form_post") => Ok(true),
        Some(other) => Err(TlError::invalid_request(format!(
            "response_mode '{other}' is not supported: omit it or use 'form_post'"
        ))
        .detail("parameter", "response_mode")),
    }
}

fn challenge(object: &Map<String, Value>) -> Result<Option<&str>, TlError> {
    let challenge = request::opt_str(object, "code_challenge").map_err(field_error)?;
    match (
        challenge,
        request::opt_str(object, "code_challenge_method").map_err(field_error)?,
    ) {
        (None, None) => Ok(None),
        (Some(c), Some("S256")) => Ok(Some(c)),
        (Some(_), None) | (Some(_), Some(_)) => Err(TlError::invalid_request(
            "code_challenge_method must be 'S256' when code_challenge is given",
        )
        .detail("parameter", "code_challenge_method")),
        (None, Some(_)) => Err(TlError::invalid_request(
            "code_challenge_method was given without a code_challenge",
        )
        .detail("parameter", "code_challenge")),
    }
}

/// `POST /v1/reauthuri` (UK only; usable up to 90 days after the consent ended).
pub async fn reauth_uri(State(state): State<SandboxState>, body: Bytes) -> Response {
    match reauth(&state, &body) {
        Ok(url) => auth_uri_response(url),
        Err(e) => e.into_response(),
    }
}

fn reauth(state: &SandboxState, body: &[u8]) -> Result<String, TlError> {
    let object = request::json_object(
        body,
        &[
            "response_type",
            "refresh_token",
            "redirect_uri",
            "state",
            "code_challenge",
            "code_challenge_method",
            "response_mode",
        ],
        &["response_type", "refresh_token", "redirect_uri"],
    )
    .map_err(field_error)?;
    if request::req_str(&object, "response_type").map_err(field_error)? != "code" {
        return Err(TlError::invalid_request("response_type must be 'code'")
            .detail("parameter", "response_type"));
    }
    let invalid_refresh = || {
        TlError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_request",
            "Invalid request",
        )
        .reason("Invalid refresh_token")
    };
    let refresh = request::req_str(&object, "refresh_token").map_err(field_error)?;
    let redirect_uri = request::req_str(&object, "redirect_uri").map_err(field_error)?;
    let form_post = response_mode(&object)?;
    let code_challenge = challenge(&object)?;
    let connection = {
        let store = state.store();
        let grant = store.refresh_tokens.get(&TokenHash::of(refresh)).cloned();
        grant
            .and_then(|g| store.connections.get(&g.credentials_id).cloned())
            .filter(|c| c.revoked_at.is_none())
            .ok_or_else(invalid_refresh)?
    };
    if state.now() > connection.consent_expires_at + CONSENT_LIFETIME {
        return Err(invalid_refresh().reason(
            "Reauthentication is possible up to 90 days after the consent ended; the user must link again",
        ));
    }
    let uk = data::provider(&connection.provider_id).is_some_and(|p| p.country == "uk");
    if !uk {
        return Err(TlError::invalid_request(
            "Reauthentication is only supported for UK providers",
        ));
    }
    let request = ReauthRequest {
        redirect_uri,
        state: request::opt_str(&object, "state").map_err(field_error)?,
        code_challenge,
        form_post,
        reconfirm: false,
    };
    session::start_reauth(state, &connection, &request).map_err(link_error)
}

/// `POST /v1/authuri`: direct bank authentication. The body is checked like an auth link
/// (client, redirect URI, scopes, provider), plus `consent_id`, `user` and `auth_inputs`.
pub async fn auth_uri(State(state): State<SandboxState>, body: Bytes) -> Response {
    match direct(&state, &body) {
        Ok(url) => auth_uri_response(url),
        Err(e) => e.into_response(),
    }
}

fn direct(state: &SandboxState, body: &[u8]) -> Result<String, TlError> {
    let object = request::json_object(
        body,
        &[
            "response_type",
            "client_id",
            "redirect_uri",
            "scope",
            "state",
            "consent_id",
            "user",
            "data_use_description",
            "provider_id",
            "code_challenge",
            "code_challenge_method",
            "response_mode",
            "auth_inputs",
            "tracking_id",
        ],
        &[
            "response_type",
            "client_id",
            "redirect_uri",
            "scope",
            "consent_id",
            "provider_id",
        ],
    )
    .map_err(field_error)?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    for key in [
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "provider_id",
        "code_challenge",
        "code_challenge_method",
        "response_mode",
        "tracking_id",
    ] {
        if let Some(value) = request::opt_str(&object, key).map_err(field_error)? {
            pairs.push((key.to_owned(), value.to_owned()));
        }
    }
    let provider_id = request::req_str(&object, "provider_id").map_err(field_error)?;
    pairs.push(("providers".to_owned(), provider_id.to_owned()));
    let link = AuthLink::parse(&pairs, state).map_err(link_error)?;

    let consent_id = request::req_str(&object, "consent_id").map_err(field_error)?;
    if !consent_id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(TlError::invalid_request(
            "consent_id must be alphanumeric (dashes and underscores allowed)",
        )
        .detail("parameter", "consent_id"));
    }
    request::opt_str(&object, "data_use_description").map_err(field_error)?;
    if let Some(user) = object.get("user") {
        check_user(user)?;
    }
    if let Some(provider) = data::provider(provider_id) {
        check_auth_inputs(&provider, object.get("auth_inputs"))?;
    }
    let session = DialogSession::new(state, link, Purpose::Direct);
    let url = format!("{}/?session_id={}", state.auth_url, session.id);
    session.save(state);
    Ok(url)
}

/// "You must provide the `name` and one of `email` or `phone`."
fn check_user(user: &Value) -> Result<(), TlError> {
    let bad = |m: &str| TlError::invalid_request(m.to_owned()).detail("parameter", "user");
    let object = user
        .as_object()
        .ok_or_else(|| bad("user must be an object"))?;
    if let Some(k) = object
        .keys()
        .find(|k| !["id", "name", "email", "phone"].contains(&k.as_str()))
    {
        return Err(bad(&format!("user has an unknown field '{k}'")));
    }
    let text = |k: &str| {
        object
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    if object.values().any(|v| !v.is_string()) {
        return Err(bad("user's fields must be strings"));
    }
    if text("name").is_none() || (text("email").is_none() && text("phone").is_none()) {
        return Err(bad("user needs a name and one of email or phone"));
    }
    Ok(())
}

/// Mandatory provider steps (e.g. a branch choice) must be answered with one of their values.
fn check_auth_inputs(provider: &data::Provider, inputs: Option<&Value>) -> Result<(), TlError> {
    let mut given: Map<String, Value> = Map::new();
    match inputs {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => given.extend(map.clone()),
        Some(Value::Array(items)) => {
            for item in items {
                let map = item.as_object().ok_or_else(|| {
                    TlError::invalid_request("auth_inputs items must be objects")
                        .detail("parameter", "auth_inputs")
                })?;
                given.extend(map.clone());
            }
        }
        Some(_) => {
            return Err(TlError::invalid_request(
                "auth_inputs must be an object or an array of objects",
            )
            .detail("parameter", "auth_inputs"))
        }
    }
    for step in provider.steps.iter().flatten().filter(|s| s.mandatory) {
        let answer = given.get(&step.id).and_then(Value::as_str);
        let valid = answer.is_some_and(|a| step.values.iter().any(|v| v.value == a));
        if !valid {
            return Err(TlError::invalid_request(format!(
                "{} needs auth_inputs.{} set to one of: {}",
                provider.display_name,
                step.id,
                step.values
                    .iter()
                    .map(|v| v.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .detail("parameter", "auth_inputs"));
        }
    }
    Ok(())
}
