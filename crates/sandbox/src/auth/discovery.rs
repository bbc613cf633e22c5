//! The auth server's OpenID discovery document and the JWKS it names, so a client can check an
//! access token's RS256 signature against the `kid` in its header. The shape of the discovery
//! document is the sandbox's choice (TrueLayer's docs do not show it): issuer, `jwks_uri`, the
//! token endpoint and the signing algorithm.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::keys::TOKEN_JWKS_PATH;
use crate::state::SandboxState;

/// `GET /.well-known/openid-configuration`.
pub async fn configuration(State(state): State<SandboxState>) -> Response {
    axum::Json(json!({
        "issuer": state.auth_url,
        "jwks_uri": format!("{}{TOKEN_JWKS_PATH}", state.auth_url),
        "token_endpoint": format!("{}/connect/token", state.auth_url),
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
    .into_response()
}

/// `GET /.well-known/openid-configuration/jwks`: `{"keys": [{kty: RSA, kid, n, e, …}]}`.
pub async fn jwks(State(state): State<SandboxState>) -> Response {
    axum::Json(state.keys.token_jwks()).into_response()
}
