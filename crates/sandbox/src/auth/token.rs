//! `POST /connect/token`: the authorization_code grant (with RFC 7636 PKCE and the exact
//! redirect_uri check), refresh_token (persistent refresh token, new access token each time) and
//! client_credentials. Bodies may be form-encoded (what TrueLayer's own clients send) or JSON
//! (what the spec declares); client credentials may come in the body or as HTTP Basic
//! (RFC 6749 §2.3.1). Every failure is a TrueLayer-shaped error.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::{json, Value};

use crate::config::ClientConfig;
use crate::errors::TlError;
use crate::state::{IssuedTokens, SandboxState, CODE_LIFETIME, REFRESH_IDLE_LIFETIME};
use crate::tokens::{self, TokenHash};

/// Scopes a `client_credentials` token may carry (API.md §3: Payments v3, Signup+, legacy
/// payouts/paydirect; `verification` for account holder verification v3; `tracking` for the
/// Client Tracking API).
pub const CLIENT_CREDENTIALS_SCOPES: [&str; 8] = [
    "payments",
    "recurring_payments:sweeping",
    "recurring_payments:commercial",
    "signupplus",
    "payouts",
    "paydirect",
    "verification",
    "tracking",
];

/// The parameters of a token request. They hold client secrets, codes, verifiers and refresh
/// tokens: `Debug` shows the parameter names only.
#[derive(Default)]
pub struct TokenParams(Vec<(String, String)>);

impl std::fmt::Debug for TokenParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("TokenParams")
            .field(&self.0.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>())
            .finish()
    }
}

impl TokenParams {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn require(&self, key: &str) -> Result<&str, TlError> {
        self.get(key)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| TlError::invalid_request(format!("{key} is required")))
    }

    fn only(&self, allowed: &[&str]) -> Result<(), TlError> {
        match self.0.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            Some((k, _)) => Err(TlError::invalid_request(format!(
                "unexpected parameter '{k}' for this grant_type"
            ))),
            None => Ok(()),
        }
    }
}

/// Reads a form or JSON body into parameters; duplicates and non-string JSON values are refused.
pub fn parse_body(headers: &HeaderMap, body: &[u8]) -> Result<TokenParams, TlError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let pairs: Vec<(String, String)> = if content_type
        .starts_with("application/x-www-form-urlencoded")
    {
        url::form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    } else if content_type.starts_with("application/json") {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| TlError::invalid_request(format!("the body is not valid JSON: {e}")))?;
        let object = value
            .as_object()
            .ok_or_else(|| TlError::invalid_request("the body must be a JSON object"))?;
        let mut pairs = Vec::with_capacity(object.len());
        for (k, v) in object {
            let text = v
                .as_str()
                .ok_or_else(|| TlError::invalid_request(format!("'{k}' must be a string")))?;
            pairs.push((k.clone(), text.to_owned()));
        }
        pairs
    } else {
        return Err(TlError::invalid_request(
            "Content-Type must be application/x-www-form-urlencoded or application/json",
        ));
    };
    for (i, (k, _)) in pairs.iter().enumerate() {
        if pairs[..i].iter().any(|(other, _)| other == k) {
            return Err(TlError::invalid_request(format!(
                "parameter '{k}' is given more than once (RFC 6749 §3.2)"
            )));
        }
    }
    Ok(TokenParams(pairs))
}

/// HTTP Basic client credentials (`client_id:client_secret`, each form-urlencoded).
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, TlError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let bad = || TlError::invalid_client("the Authorization header is not valid HTTP Basic");
    let value = value.to_str().map_err(|_| bad())?;
    let (scheme, encoded) = value.split_once(' ').ok_or_else(bad)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(bad());
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| bad())?;
    let decoded = String::from_utf8(decoded).map_err(|_| bad())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(bad)?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("v={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Ok(Some((unescape(id), unescape(secret))))
}

/// Authenticates the client from the body and/or Basic header.
fn authenticate<'s>(
    state: &'s SandboxState,
    headers: &HeaderMap,
    params: &TokenParams,
) -> Result<&'s ClientConfig, TlError> {
    let basic = basic_credentials(headers)?;
    let body_id = params.get("client_id");
    let body_secret = params.get("client_secret");
    let (client_id, secret) = match (basic, body_id, body_secret) {
        (Some(_), _, Some(_)) => {
            return Err(TlError::invalid_request(
                "client_secret is both in the body and in the Authorization header: use one",
            ))
        }
        (Some((id, secret)), body_id, None) => {
            if body_id.is_some_and(|b| b != id) {
                return Err(TlError::invalid_client(
                    "client_id in the body differs from the Authorization header",
                ));
            }
            (id, secret)
        }
        (None, Some(id), Some(secret)) => (id.to_owned(), secret.to_owned()),
        (None, None, _) => return Err(TlError::invalid_request("client_id is required")),
        (None, Some(_), None) => {
            return Err(TlError::invalid_client(
                "client_secret is required (TrueLayer has no public clients)",
            ))
        }
    };
    state
        .authenticate_client(&client_id, &secret)
        .ok_or_else(|| TlError::invalid_client("unknown client_id or wrong client_secret"))
}

/// `POST /connect/token`.
pub async fn token(State(state): State<SandboxState>, headers: HeaderMap, body: Bytes) -> Response {
    match exchange(&state, &headers, &body) {
        Ok(tokens) => {
            let mut body = json!({
                "access_token": tokens.access_token.expose(),
                "expires_in": tokens.expires_in,
                "token_type": "Bearer",
                "scope": tokens.scope,
            });
            if let Some(refresh) = &tokens.refresh_token {
                body["refresh_token"] = json!(refresh.expose());
            }
            let mut response = axum::Json(body).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
            response
        }
        Err(error) => error.into_response(),
    }
}

fn exchange(
    state: &SandboxState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<IssuedTokens, TlError> {
    let params = parse_body(headers, body)?;
    let grant_type = params.require("grant_type")?;
    let allowed: &[&str] = match grant_type {
        "authorization_code" => &["grant_type", "client_id", "client_secret", "code", "redirect_uri", "code_verifier"],
        "refresh_token" => &["grant_type", "client_id", "client_secret", "refresh_token"],
        "client_credentials" => &["grant_type", "client_id", "client_secret", "scope"],
        other => {
            return Err(TlError::invalid_request(format!(
                "unsupported grant_type '{other}': use authorization_code, refresh_token or client_credentials"
            )))
        }
    };
    params.only(allowed)?;
    let client = authenticate(state, headers, &params)?;
    let issued = match grant_type {
        "authorization_code" => authorization_code(state, client, &params)?,
        "refresh_token" => refresh(state, client, &params)?,
        _ => client_credentials(state, client, &params)?,
    };
    state.persist_or_log();
    Ok(issued)
}

/// TrueLayer: a code is exchanged within 5 minutes, once, with the link's redirect_uri and the
/// PKCE verifier of the link's challenge. Any attempt by the owning client uses the code up.
fn authorization_code(
    state: &SandboxState,
    client: &ClientConfig,
    params: &TokenParams,
) -> Result<IssuedTokens, TlError> {
    let code = params.require("code")?;
    let redirect_uri = params.require("redirect_uri")?;
    let verifier = params.get("code_verifier");
    let now = state.now();
    let mut store = state.store();
    let grant = store
        .codes
        .get_mut(&TokenHash::of(code))
        .ok_or_else(|| TlError::invalid_grant("the authorization code is unknown"))?;
    if grant.client_id != client.client_id {
        return Err(TlError::invalid_grant(
            "the authorization code was issued to another client",
        ));
    }
    if let Some(used_at) = grant.used_at {
        return Err(TlError::invalid_grant(format!(
            "the authorization code was already used at {}",
            used_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        )));
    }
    grant.used_at = Some(now);
    if now - grant.issued_at > CODE_LIFETIME {
        return Err(TlError::invalid_grant(
            "the authorization code has expired (codes are valid for 5 minutes)",
        ));
    }
    if grant.redirect_uri != redirect_uri {
        return Err(TlError::invalid_grant(
            "redirect_uri does not match the one used in the auth link",
        ));
    }
    tokens::verify_pkce(grant.code_challenge.as_deref(), verifier)
        .map_err(|failure| TlError::invalid_grant(failure.reason()))?;
    let authorization = grant.authorization.clone();
    Ok(state.grant_connection(&mut store, &client.client_id, &authorization))
}

/// TrueLayer: the refresh token is persistent (the same value comes back), the access token is
/// new each time; refused after revocation, after the consent's end, or after 30 days unused.
fn refresh(
    state: &SandboxState,
    client: &ClientConfig,
    params: &TokenParams,
) -> Result<IssuedTokens, TlError> {
    let presented = params.require("refresh_token")?;
    let hash = TokenHash::of(presented);
    let now = state.now();
    let mut store = state.store();
    let grant = store
        .refresh_tokens
        .get(&hash)
        .cloned()
        .ok_or_else(|| TlError::invalid_grant("the refresh token is unknown or was revoked"))?;
    let connection = store
        .connections
        .get(&grant.credentials_id)
        .cloned()
        .ok_or_else(|| TlError::invalid_grant("the refresh token is unknown or was revoked"))?;
    if connection.client_id != client.client_id {
        return Err(TlError::invalid_grant(
            "the refresh token was issued to another client",
        ));
    }
    if connection.revoked_at.is_some() {
        return Err(TlError::invalid_grant("the connection was revoked"));
    }
    if connection.consent_expired(now) {
        return Err(TlError::invalid_grant(format!(
            "the consent expired at {}: the user must re-authenticate",
            connection
                .consent_expires_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        )));
    }
    if now - grant.last_used_at > REFRESH_IDLE_LIFETIME {
        return Err(TlError::invalid_grant(
            "the refresh token expired: it was not used for 30 days",
        ));
    }
    if let Some(g) = store.refresh_tokens.get_mut(&hash) {
        g.last_used_at = now;
    }
    let access_token = state.mint_user_token(&mut store, &connection.credentials_id, now);
    Ok(IssuedTokens {
        access_token,
        expires_in: crate::state::ACCESS_TOKEN_SECONDS,
        refresh_token: Some(tokens::Secret::new(presented.to_owned())),
        scope: connection.scopes.to_space_separated(),
    })
}

fn client_credentials(
    state: &SandboxState,
    client: &ClientConfig,
    params: &TokenParams,
) -> Result<IssuedTokens, TlError> {
    let scope = params.require("scope")?;
    let mut scopes: Vec<String> = Vec::new();
    for word in scope.split(' ').filter(|w| !w.is_empty()) {
        if !CLIENT_CREDENTIALS_SCOPES.contains(&word) {
            return Err(TlError::invalid_request(format!(
                "scope '{word}' cannot be granted to a client: use {}",
                CLIENT_CREDENTIALS_SCOPES.join(", ")
            )));
        }
        if !scopes.iter().any(|s| s == word) {
            scopes.push(word.to_owned());
        }
    }
    if scopes.is_empty() {
        return Err(TlError::invalid_request("scope is required"));
    }
    let access_token = state.mint_client_token(&client.client_id, &scopes);
    Ok(IssuedTokens {
        access_token,
        expires_in: crate::state::ACCESS_TOKEN_SECONDS,
        refresh_token: None,
        scope: scopes.join(" "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_debug_output_of_token_params_names_the_fields_but_shows_no_value() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let params = parse_body(
            &headers,
            b"grant_type=authorization_code&client_secret=cs-secret-1&code=code-secret-1&code_verifier=v-secret-1",
        )
        .unwrap();
        let printed = format!("{params:?}");
        assert!(!printed.contains("secret-1"), "leaked in {printed}");
        assert!(printed.contains("client_secret"), "{printed}");
    }
}
