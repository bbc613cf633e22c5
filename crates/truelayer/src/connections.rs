//! Connection lifecycle calls: `POST /data/v1/connections/extend` (UK; extends the 90-day
//! consent with the refresh token and client credentials, answering one of three outcomes) and
//! `DELETE {auth}/api/delete` (revokes the connection).
//!
//! Owns: the extend body and its `action_needed` outcomes. When the user must act, the outcome
//! carries a fresh `state` and PKCE verifier generated for the request, exactly like an auth
//! link, so the redirect is completed by the same code path. Must not: decide whether to extend
//! (that is the app's lifecycle logic).

use http::Method;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::auth_link::PendingAuthorization;
use crate::client::Client;
use crate::error::Result;
use crate::http::{Body, Call, Reply, Retry};
use crate::lenient;
use crate::operation::Operation;
use crate::secret::{AccessToken, CsrfState, PkceVerifier, RefreshToken};
use crate::token::TokenSet;
use crate::types::{RedirectUri, ResponseMode};

/// The end user, as `/connections/extend` wants them (unregulated clients must give a name and
/// an email or phone).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ExtendUser {
    /// Your id for the user.
    pub id: String,
    /// Full name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// A `/connections/extend` request.
#[derive(Debug)]
pub struct ExtendRequest<'a> {
    /// The connection's refresh token.
    pub refresh_token: &'a RefreshToken,
    /// Where the user comes back if they must act.
    pub redirect_uri: RedirectUri,
    /// The end user.
    pub user: ExtendUser,
    /// Whether the user has just reconfirmed consent in the app (TrueLayer: `false` is
    /// "currently not supported").
    pub user_has_reconfirmed_consent: bool,
    /// How the code comes back if the user must act.
    pub response_mode: ResponseMode,
}

impl<'a> ExtendRequest<'a> {
    /// A request with `user_has_reconfirmed_consent: true` and a query-mode redirect.
    pub fn new(
        refresh_token: &'a RefreshToken,
        redirect_uri: RedirectUri,
        user: ExtendUser,
    ) -> Self {
        Self {
            refresh_token,
            redirect_uri,
            user,
            user_has_reconfirmed_consent: true,
            response_mode: ResponseMode::Query,
        }
    }
}

/// The three outcomes of `/connections/extend`.
#[derive(Debug)]
pub enum ExtendOutcome {
    /// `no_action_needed`: extended; new tokens came back (store them).
    NoActionNeeded(TokenSet),
    /// `reconfirmation_of_consent_needed`: send the user to `user_input_link` (TrueLayer's
    /// page), then complete the redirect with `pending`.
    ReconfirmationOfConsentNeeded {
        /// Where to send the user.
        user_input_link: Url,
        /// The state and verifier of this request, to complete the redirect.
        pending: PendingAuthorization,
    },
    /// `authentication_needed`: the user must log in at the bank again via `user_input_link`,
    /// then complete the redirect with `pending`.
    AuthenticationNeeded {
        /// Where to send the user.
        user_input_link: Url,
        /// The state and verifier of this request, to complete the redirect.
        pending: PendingAuthorization,
    },
}

impl ExtendOutcome {
    /// The wire value of `action_needed`.
    pub fn action_needed(&self) -> &'static str {
        match self {
            ExtendOutcome::NoActionNeeded(_) => "no_action_needed",
            ExtendOutcome::ReconfirmationOfConsentNeeded { .. } => {
                "reconfirmation_of_consent_needed"
            }
            ExtendOutcome::AuthenticationNeeded { .. } => "authentication_needed",
        }
    }
}

#[derive(Deserialize)]
struct ExtendWire {
    action_needed: String,
    #[serde(default)]
    user_input_link: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    expires_in: Option<u64>,
}

impl Client {
    /// `POST /data/v1/connections/extend`. A fresh `state` and PKCE challenge are sent, and
    /// returned in the outcome when the user must act.
    pub async fn extend_connection(&self, request: ExtendRequest<'_>) -> Result<ExtendOutcome> {
        let env = self.environment();
        let state = CsrfState::new_random();
        let (verifier, challenge) = PkceVerifier::new_random_s256();
        let mut body = serde_json::json!({
            "user_has_reconfirmed_consent": request.user_has_reconfirmed_consent,
            "client_id": env.client_id().as_str(),
            "client_secret": env.client_secret().secret(),
            "user": request.user,
            "refresh_token": request.refresh_token.secret(),
            "redirect_uri": request.redirect_uri.as_str(),
            "state": state.secret(),
            "code_challenge": challenge.as_str(),
        });
        if let (Some(mode), Some(map)) = (request.response_mode.as_param(), body.as_object_mut()) {
            map.insert("response_mode".into(), mode.into());
        }
        let reply = self
            .http()
            .send(Call {
                operation: Operation::ExtendConnection,
                method: Method::POST,
                url: env.data_url(&["connections", "extend"]),
                bearer: None,
                body: Body::Json(body),
                retry: Retry::UnprocessedOnly,
                secrets: vec![env.client_secret().secret(), request.refresh_token.secret()],
            })
            .await?
            .ensure_success()?;
        let pending =
            PendingAuthorization::new(state, verifier, request.redirect_uri, request.response_mode);
        parse_extend(&reply, pending)
    }

    /// `DELETE {auth}/api/delete`: revokes the connection the token belongs to (200, no body).
    pub async fn delete_connection(&self, token: &AccessToken) -> Result<()> {
        self.http()
            .send(Call {
                operation: Operation::DeleteConnection,
                method: Method::DELETE,
                url: self.environment().delete_url(),
                bearer: Some(token),
                body: Body::Empty,
                retry: Retry::Idempotent,
                secrets: Vec::new(),
            })
            .await?
            .ensure_success()
            .map(|_| ())
    }
}

/// Reads an extend answer; `pending` is handed back when the user must act.
pub(crate) fn parse_extend(reply: &Reply, pending: PendingAuthorization) -> Result<ExtendOutcome> {
    let wire: ExtendWire = reply.json()?;
    let link = |wire: &ExtendWire| -> Result<Url> {
        let raw = wire
            .user_input_link
            .as_deref()
            .ok_or_else(|| reply.decode_error("user_input_link is missing"))?;
        Url::parse(raw).map_err(|e| reply.decode_error(format!("user_input_link: {e}")))
    };
    match wire.action_needed.as_str() {
        "no_action_needed" => {
            let access = wire
                .access_token
                .as_deref()
                .filter(|t| !t.trim().is_empty())
                .ok_or_else(|| reply.decode_error("no_action_needed without an access_token"))?;
            Ok(ExtendOutcome::NoActionNeeded(TokenSet {
                access_token: AccessToken::new(access),
                refresh_token: wire
                    .refresh_token
                    .filter(|t| !t.trim().is_empty())
                    .map(RefreshToken::new),
                token_type: wire.token_type.unwrap_or_else(|| "Bearer".to_owned()),
                expires_in: wire.expires_in.map(std::time::Duration::from_secs),
                scopes: None,
                received_at: chrono::Utc::now(),
            }))
        }
        "reconfirmation_of_consent_needed" => Ok(ExtendOutcome::ReconfirmationOfConsentNeeded {
            user_input_link: link(&wire)?,
            pending,
        }),
        "authentication_needed" => Ok(ExtendOutcome::AuthenticationNeeded {
            user_input_link: link(&wire)?,
            pending,
        }),
        other => Err(reply.decode_error(format!("unknown action_needed {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::tests_support::capture_client;

    #[tokio::test]
    async fn extend_sends_the_documented_body_with_a_fresh_state_and_challenge() {
        let (client, captured) = capture_client();
        let refresh = RefreshToken::new("the-refresh-token");
        let user = ExtendUser {
            id: "user-1".into(),
            name: Some("John Doe".into()),
            email: Some("john@example.com".into()),
            phone: None,
        };
        let _ = client
            .extend_connection(ExtendRequest::new(
                &refresh,
                RedirectUri::new("linkscope://callback").unwrap(),
                user,
            ))
            .await;
        let requests = captured.requests();
        let r = &requests[0];
        assert_eq!(r.method, "POST");
        assert_eq!(
            r.uri,
            "https://api.truelayer-sandbox.com/data/v1/connections/extend"
        );
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("authorization"), None);
        let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        let keys: Vec<&str> = body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "user_has_reconfirmed_consent",
                "client_id",
                "client_secret",
                "user",
                "refresh_token",
                "redirect_uri",
                "state",
                "code_challenge"
            ]
        );
        assert_eq!(body["client_secret"], "the-client-secret");
        assert_eq!(body["refresh_token"], "the-refresh-token");
        assert_eq!(
            body["user"],
            serde_json::json!({"id": "user-1", "name": "John Doe", "email": "john@example.com"})
        );
        assert_eq!(body["state"].as_str().unwrap().len(), 43);
        assert_eq!(body["code_challenge"].as_str().unwrap().len(), 43);
        assert_eq!(
            requests.len(),
            2,
            "a refused connection is retried once under the test policy"
        );
        let again: serde_json::Value = serde_json::from_str(&requests[1].body).unwrap();
        assert_eq!(
            again["state"], body["state"],
            "a retry repeats the same request"
        );
    }

    #[tokio::test]
    async fn delete_sends_the_bearer_token_to_the_auth_server() {
        let (client, captured) = capture_client();
        let _ = client
            .delete_connection(&AccessToken::new("tok-123456"))
            .await;
        let r = &captured.requests()[0];
        assert_eq!(r.method, "DELETE");
        assert_eq!(r.uri, "https://auth.truelayer-sandbox.com/api/delete");
        assert_eq!(r.header("authorization"), Some("Bearer tok-123456"));
    }
}
