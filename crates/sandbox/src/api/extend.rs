//! `POST /data/v1/connections/extend` (API.md §7): with the client's credentials and the
//! connection's refresh token, either extends the consent at once (`no_action_needed`, the
//! john/eternal user), asks the user to reconfirm (`reconfirmation_of_consent_needed`, the
//! john/reconfirm user) or sends the user back to the bank (`authentication_needed`); the last
//! two with a `user_input_link` into the sandbox's dialog. Errors are problem+json as the spec says.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::auth::session::{self, ReauthRequest};
use crate::data::{self, ExtendOutcome};
use crate::errors::Problem;
use crate::state::{SandboxState, ACCESS_TOKEN_SECONDS, CONSENT_LIFETIME};
use crate::tokens::{self, TokenHash};

/// The request's fields and their .NET-style names in validation errors.
const FIELDS: [(&str, &str); 10] = [
    ("user_has_reconfirmed_consent", "UserHasReconfirmedConsent"),
    ("client_id", "ClientId"),
    ("client_secret", "ClientSecret"),
    ("user", "User"),
    ("refresh_token", "RefreshToken"),
    ("redirect_uri", "RedirectUri"),
    ("state", "State"),
    ("code_challenge", "CodeChallenge"),
    ("code_challenge_method", "CodeChallengeMethod"),
    ("response_mode", "ResponseMode"),
];
const REQUIRED: [&str; 6] = [
    "user_has_reconfirmed_consent",
    "client_id",
    "client_secret",
    "user",
    "refresh_token",
    "redirect_uri",
];

fn pascal(field: &str) -> String {
    FIELDS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, p)| (*p).to_owned())
        .unwrap_or_else(|| field.to_owned())
}

/// Collects validation errors as `{"Field": ["message", …]}`.
#[derive(Debug, Default)]
struct Errors(Map<String, Value>);

impl Errors {
    fn add(&mut self, field: &str, message: impl Into<String>) {
        let entry = self
            .0
            .entry(pascal(field))
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = entry {
            items.push(Value::String(message.into()));
        }
    }

    fn into_problem(self) -> Option<Problem> {
        (!self.0.is_empty()).then(|| {
            Problem::extend(
                StatusCode::BAD_REQUEST,
                "One or more validation errors occurred.",
                None,
            )
            .with_errors(Value::Object(self.0))
        })
    }
}

fn unauthorized(detail: &str) -> Problem {
    Problem::extend(StatusCode::UNAUTHORIZED, "Unauthorized", Some(detail))
}

/// `POST /data/v1/connections/extend`.
pub async fn extend(State(state): State<SandboxState>, body: Bytes) -> Response {
    match run(&state, &body) {
        Ok(body) => axum::Json(body).into_response(),
        Err(problem) => problem.into_response(),
    }
}

fn text<'a>(object: &'a Map<String, Value>, key: &str, errors: &mut Errors) -> Option<&'a str> {
    match object.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => {
            errors.add(key, format!("The {} field must be a string.", pascal(key)));
            None
        }
    }
}

fn run(state: &SandboxState, body: &[u8]) -> Result<Value, Problem> {
    let mut errors = Errors::default();
    let object = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => object,
        _ => {
            errors.add("body", "The request body must be a JSON object.");
            return Err(errors.into_problem().unwrap_or_else(|| unauthorized("")));
        }
    };
    for key in object.keys() {
        if !FIELDS.iter().any(|(f, _)| f == key) {
            errors.add(
                key,
                format!("The field '{key}' is not part of the request."),
            );
        }
    }
    for key in REQUIRED {
        if object
            .get(key)
            .is_none_or(|v| v.is_null() || v.as_str() == Some(""))
        {
            errors.add(key, format!("The {} field is required.", pascal(key)));
        }
    }
    match object.get("user_has_reconfirmed_consent") {
        None | Some(Value::Null) | Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => errors.add(
            "user_has_reconfirmed_consent",
            "Setting user_has_reconfirmed_consent to false is currently not supported.",
        ),
        Some(_) => errors.add(
            "user_has_reconfirmed_consent",
            "The field must be true or false.",
        ),
    }
    let client_id = text(&object, "client_id", &mut errors);
    let client_secret = text(&object, "client_secret", &mut errors);
    let refresh_token = text(&object, "refresh_token", &mut errors);
    let redirect_uri = text(&object, "redirect_uri", &mut errors);
    let state_param = text(&object, "state", &mut errors);
    let code_challenge = text(&object, "code_challenge", &mut errors);
    let method = text(&object, "code_challenge_method", &mut errors);
    let response_mode = text(&object, "response_mode", &mut errors);
    if let Some(user) = object.get("user").filter(|u| !u.is_null()) {
        check_user(user, &mut errors);
    }
    if response_mode.is_some_and(|m| m != "form_post") {
        errors.add(
            "response_mode",
            "The ResponseMode field must be 'form_post' when given.",
        );
    }
    if let Some(challenge) = code_challenge {
        if !tokens::is_s256_challenge(challenge) {
            errors.add(
                "code_challenge",
                "The CodeChallenge must be a base64url SHA-256 (43 characters).",
            );
        }
    }
    if method.is_some_and(|m| m != "S256") {
        errors.add(
            "code_challenge_method",
            "The CodeChallengeMethod must be 'S256'.",
        );
    }
    if let Some(problem) = errors.into_problem() {
        return Err(problem);
    }
    let (Some(client_id), Some(client_secret), Some(refresh_token), Some(redirect_uri)) =
        (client_id, client_secret, refresh_token, redirect_uri)
    else {
        return Err(unauthorized("Client credentials missing or invalid."));
    };

    let client = state
        .authenticate_client(client_id, client_secret)
        .ok_or_else(|| unauthorized("Client credentials missing or invalid."))?;
    let now = state.now();
    let connection = {
        let store = state.store();
        store
            .refresh_tokens
            .get(&TokenHash::of(refresh_token))
            .and_then(|g| store.connections.get(&g.credentials_id))
            .filter(|c| c.client_id == client.client_id && c.revoked_at.is_none())
            .cloned()
            .ok_or_else(|| unauthorized("Refresh token missing or invalid."))?
    };
    let uk = data::provider(&connection.provider_id).is_some_and(|p| p.country == "uk");
    let persona = data::persona_from_key(&connection.persona_key);
    let (Some(persona), true) = (persona, uk) else {
        return Err(Problem::extend(
            StatusCode::UNPROCESSABLE_ENTITY,
            "No way to extend this connection",
            Some("This connection cannot be extended"),
        ));
    };

    match persona.extend_outcome() {
        ExtendOutcome::NoActionNeeded => {
            let access_token = {
                let mut store = state.store();
                if let Some(c) = store.connections.get_mut(&connection.credentials_id) {
                    c.consent_expires_at = now + CONSENT_LIFETIME;
                    c.consent_status_updated_at = now;
                }
                if let Some(g) = store.refresh_tokens.get_mut(&TokenHash::of(refresh_token)) {
                    g.last_used_at = now;
                }
                state.mint_user_token(&mut store, &connection.credentials_id, now)
            };
            state.persist_or_log();
            Ok(json!({
                "action_needed": ExtendOutcome::NoActionNeeded.as_str(),
                "access_token": access_token.expose(),
                "expires_in": ACCESS_TOKEN_SECONDS,
                "refresh_token": refresh_token,
                "token_type": "Bearer",
            }))
        }
        outcome @ (ExtendOutcome::AuthenticationNeeded
        | ExtendOutcome::ReconfirmationOfConsentNeeded) => {
            let request = ReauthRequest {
                redirect_uri,
                state: state_param,
                code_challenge,
                form_post: response_mode.is_some(),
                reconfirm: outcome == ExtendOutcome::ReconfirmationOfConsentNeeded,
            };
            let link = session::start_reauth(state, &connection, &request).map_err(|e| {
                let mut errors = Errors::default();
                errors.add(
                    e.parameter.as_deref().unwrap_or("redirect_uri"),
                    e.description,
                );
                errors
                    .into_problem()
                    .unwrap_or_else(|| unauthorized("Client credentials missing or invalid."))
            })?;
            Ok(json!({
                "action_needed": outcome.as_str(),
                "user_input_link": link,
            }))
        }
    }
}

/// Unregulated clients (every sandbox client) must give the user's name and an email or phone.
fn check_user(user: &Value, errors: &mut Errors) {
    let Some(object) = user.as_object() else {
        errors.add("user", "The User field must be an object.");
        return;
    };
    for (key, value) in object {
        if !["id", "name", "email", "phone"].contains(&key.as_str()) {
            errors.add(
                "user",
                format!("The field 'user.{key}' is not part of the request."),
            );
        } else if !value.is_string() {
            errors.add("user", format!("The field 'user.{key}' must be a string."));
        }
    }
    let present = |k: &str| {
        object
            .get(k)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    if !present("name") {
        errors.add("user", "User.Name is required for unregulated clients.");
    }
    if !present("email") && !present("phone") {
        errors.add(
            "user",
            "User.Email or User.Phone is required for unregulated clients.",
        );
    }
}
