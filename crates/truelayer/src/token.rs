//! The token endpoint, `POST {auth}/connect/token`: exchanging a code (with its PKCE verifier and
//! redirect_uri), refreshing, and client_credentials; and [`TokenSet`], the parsed answer.
//!
//! The form POST is written here rather than through `oauth2::Client::exchange_code`, because
//! oauth2's `RequestTokenError` keeps only the parsed error body: the HTTP status, the trace id
//! headers and the raw body that this crate's one error type must carry would be lost; its token
//! types derive `Serialize` and `Clone` (STYLE §6 forbids both on secrets); and TrueLayer sends
//! `expires_in` as a number or a numeric string. The body is exactly what oauth2 would send
//! (RFC 6749 §4.1.3, §6, §4.4 with client_secret in the body, RFC 7636 §4.5 `code_verifier`),
//! and the `oauth2` crate still generates the PKCE pair and `state` (see `secret.rs`).
//!
//! Must not: retry a code exchange (TrueLayer: code valid 5 minutes, single use), or expose a
//! token anywhere but inside [`TokenSet`].

use std::time::Duration;

use chrono::{DateTime, Utc};
use http::Method;
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::client::Client;
use crate::error::Result;
use crate::http::{Body, Call, Reply, Retry};
use crate::lenient;
use crate::operation::Operation;
use crate::secret::{AccessToken, AuthorizationCode, PkceVerifier, RefreshToken};
use crate::types::{RedirectUri, Scope};

/// Tokens from `/connect/token` (or from `/connections/extend` with `no_action_needed`).
///
/// Holds secrets: no `Clone`, no `Serialize`; `Debug` prints them redacted.
#[derive(Debug)]
#[non_exhaustive]
pub struct TokenSet {
    /// The bearer token for the Data API.
    pub access_token: AccessToken,
    /// Present when `offline_access` was granted. On refresh TrueLayer may send the same value
    /// again or a new one: store whatever comes back before using the new access token.
    pub refresh_token: Option<RefreshToken>,
    /// `Bearer`.
    pub token_type: String,
    /// Lifetime of the access token from `received_at` (TrueLayer: at most an hour).
    pub expires_in: Option<Duration>,
    /// The granted scopes, when the answer lists them.
    pub scopes: Option<Vec<Scope>>,
    /// When the answer was read (the clock `expires_in` counts from).
    pub received_at: DateTime<Utc>,
}

impl TokenSet {
    /// When the access token expires, if the answer said.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        let lifetime = chrono::Duration::from_std(self.expires_in?).ok()?;
        self.received_at.checked_add_signed(lifetime)
    }

    /// Whether the access token expires within `margin` of `now` (or already has).
    pub fn expires_within(&self, margin: Duration, now: DateTime<Utc>) -> bool {
        match (self.expires_at(), chrono::Duration::from_std(margin)) {
            (Some(at), Ok(margin)) => at - margin <= now,
            _ => false,
        }
    }

    /// Parses a token answer. Unknown fields are ignored (never kept: they could be secrets).
    pub(crate) fn parse(reply: &Reply) -> Result<Self> {
        #[derive(Deserialize)]
        struct Wire {
            access_token: String,
            #[serde(default)]
            refresh_token: Option<String>,
            #[serde(default)]
            token_type: Option<String>,
            #[serde(default, deserialize_with = "lenient::opt_u64")]
            expires_in: Option<u64>,
            #[serde(default)]
            scope: Option<String>,
        }
        let wire: Wire = reply.json()?;
        if wire.access_token.trim().is_empty() {
            return Err(reply.decode_error("access_token is empty"));
        }
        let scopes = match wire.scope.as_deref() {
            None => None,
            Some(s) => {
                Some(Scope::parse_list(s).map_err(|e| reply.decode_error(format!("scope: {e}")))?)
            }
        };
        Ok(TokenSet {
            access_token: AccessToken::new(wire.access_token),
            refresh_token: wire
                .refresh_token
                .filter(|t| !t.trim().is_empty())
                .map(RefreshToken::new),
            token_type: wire.token_type.unwrap_or_else(|| "Bearer".to_owned()),
            expires_in: wire.expires_in.map(Duration::from_secs),
            scopes,
            received_at: Utc::now(),
        })
    }
}

impl Client {
    /// Exchanges an authorization code (`grant_type=authorization_code`) with the PKCE verifier
    /// and the exact redirect_uri used in the link.
    ///
    /// Takes the code and the verifier by value: a code is single use (TrueLayer: valid 5
    /// minutes, once), so it is never sent twice, not even on a 429 or a connection error.
    pub async fn exchange_code(
        &self,
        code: AuthorizationCode,
        pkce_verifier: PkceVerifier,
        redirect_uri: &RedirectUri,
    ) -> Result<TokenSet> {
        let env = self.environment();
        let body = vec![
            field("grant_type", "authorization_code"),
            field("client_id", env.client_id().as_str()),
            field("client_secret", env.client_secret().secret()),
            field("code", code.secret()),
            field("redirect_uri", redirect_uri.as_str()),
            field("code_verifier", pkce_verifier.secret()),
        ];
        self.token_call(
            Operation::ExchangeCode,
            body,
            Retry::Never,
            vec![code.secret(), pkce_verifier.secret()],
        )
        .await
    }

    /// Refreshes (`grant_type=refresh_token`). Safe to call again after a failure: the refresh
    /// token keeps its value (TrueLayer), and only failures where the server cannot have acted
    /// (429, 503, connection refused) are retried automatically.
    pub async fn refresh(&self, refresh_token: &RefreshToken) -> Result<TokenSet> {
        let env = self.environment();
        let body = vec![
            field("grant_type", "refresh_token"),
            field("client_id", env.client_id().as_str()),
            field("client_secret", env.client_secret().secret()),
            field("refresh_token", refresh_token.secret()),
        ];
        self.token_call(
            Operation::RefreshToken,
            body,
            Retry::UnprocessedOnly,
            vec![refresh_token.secret()],
        )
        .await
    }

    /// A client token (`grant_type=client_credentials`) for the given scopes (e.g. `payments`,
    /// `signupplus`); no user involved, never a refresh token.
    pub async fn client_credentials(&self, scopes: &[Scope]) -> Result<TokenSet> {
        let env = self.environment();
        let body = vec![
            field("grant_type", "client_credentials"),
            field("client_id", env.client_id().as_str()),
            field("client_secret", env.client_secret().secret()),
            field("scope", &Scope::join(scopes)),
        ];
        self.token_call(
            Operation::ClientCredentials,
            body,
            Retry::UnprocessedOnly,
            Vec::new(),
        )
        .await
    }

    async fn token_call(
        &self,
        operation: Operation,
        body: Vec<(&'static str, Zeroizing<String>)>,
        retry: Retry,
        mut secrets: Vec<&str>,
    ) -> Result<TokenSet> {
        let env = self.environment();
        secrets.push(env.client_secret().secret());
        let reply = self
            .http()
            .send(Call {
                operation,
                method: Method::POST,
                url: env.token_url(),
                bearer: None,
                body: Body::Form(body),
                retry,
                secrets,
            })
            .await?
            .ensure_success()?;
        TokenSet::parse(&reply)
    }
}

/// One form field; its value is copied into a zeroizing buffer (it may be a secret).
fn field(name: &'static str, value: &str) -> (&'static str, Zeroizing<String>) {
    (name, Zeroizing::new(value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::tests_support::{capture_client, reply};

    #[test]
    fn a_token_answer_is_parsed_with_expires_in_as_a_number_or_a_string() {
        for expires in ["3600", "\"3600\""] {
            let body = format!(
                r#"{{"access_token":"eyJ.a.b","expires_in":{expires},"token_type":"Bearer","refresh_token":"DD65","scope":"info accounts offline_access"}}"#
            );
            let tokens = TokenSet::parse(&reply(200, &body)).unwrap();
            assert_eq!(tokens.expires_in, Some(Duration::from_secs(3600)));
            assert_eq!(tokens.access_token.secret(), "eyJ.a.b");
            assert_eq!(tokens.refresh_token.as_ref().unwrap().secret(), "DD65");
            assert_eq!(
                tokens.scopes.as_deref(),
                Some(&[Scope::INFO, Scope::ACCOUNTS, Scope::OFFLINE_ACCESS][..])
            );
            assert!(tokens.expires_at().unwrap() > Utc::now());
        }
    }

    #[test]
    fn a_token_answer_without_refresh_token_or_expiry_is_accepted() {
        let tokens =
            TokenSet::parse(&reply(200, r#"{"access_token":"t","token_type":"Bearer"}"#)).unwrap();
        assert!(tokens.refresh_token.is_none());
        assert_eq!(tokens.expires_in, None);
        assert!(!tokens.expires_within(Duration::from_secs(60), Utc::now()));
    }

    #[test]
    fn malformed_token_answers_are_decode_errors_that_keep_no_secret() {
        for body in [
            r#"{"token_type":"Bearer"}"#,
            r#"{"access_token":"","token_type":"Bearer"}"#,
            r#"{"access_token":"abcdefgh","expires_in":"soon"}"#,
            r#"{"access_token":"abcdefgh","expires_in":-1}"#,
            "not json",
        ] {
            let err = TokenSet::parse(&reply(200, body)).unwrap_err();
            let crate::Error::Decode(d) = err else {
                panic!("{body}: expected a decode error")
            };
            assert!(
                !d.raw_body.contains("abcdefgh"),
                "{body}: raw body must be redacted"
            );
        }
    }

    #[test]
    fn the_debug_output_of_a_token_set_hides_both_tokens() {
        let tokens = TokenSet::parse(&reply(
            200,
            r#"{"access_token":"at-123456","refresh_token":"rt-123456"}"#,
        ))
        .unwrap();
        let printed = format!("{tokens:?}");
        assert!(
            !printed.contains("at-123456") && !printed.contains("rt-123456"),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn the_code_exchange_sends_exactly_the_documented_form_once() {
        let (client, captured) = capture_client();
        let result = client
            .exchange_code(
                AuthorizationCode::new("the-code"),
                PkceVerifier::new("the-verifier"),
                &RedirectUri::new("http://127.0.0.1:5000/callback").unwrap(),
            )
            .await;
        assert!(result.is_err(), "the capturing transport never answers");
        let requests = captured.requests();
        assert_eq!(
            requests.len(),
            1,
            "a code exchange is never retried, even after a connection error"
        );
        let r = &requests[0];
        assert_eq!(r.method, "POST");
        assert_eq!(r.uri, "https://auth.truelayer-sandbox.com/connect/token");
        assert_eq!(
            r.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(r.header("accept"), Some("application/json"));
        assert_eq!(
            r.header("authorization"),
            None,
            "client credentials go in the body"
        );
        assert_eq!(
            r.body,
            "grant_type=authorization_code&client_id=sandbox-test-abc123&client_secret=the-client-secret&code=the-code&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fcallback&code_verifier=the-verifier"
        );
    }

    #[tokio::test]
    async fn a_refresh_sends_the_refresh_grant_and_is_retried_after_a_connection_error() {
        let (client, captured) = capture_client();
        let _ = client
            .refresh(&RefreshToken::new("the-refresh-token"))
            .await;
        let requests = captured.requests();
        assert_eq!(
            requests.len(),
            2,
            "one retry allowed by the test policy: a refused connection never reached the server"
        );
        assert_eq!(
            requests[0].body,
            "grant_type=refresh_token&client_id=sandbox-test-abc123&client_secret=the-client-secret&refresh_token=the-refresh-token"
        );
    }

    #[tokio::test]
    async fn client_credentials_send_the_scopes_space_separated() {
        let (client, captured) = capture_client();
        let _ = client
            .client_credentials(&[Scope::SIGNUP_PLUS, Scope::new("payments").unwrap()])
            .await;
        assert_eq!(
            captured.requests()[0].body,
            "grant_type=client_credentials&client_id=sandbox-test-abc123&client_secret=the-client-secret&scope=signupplus+payments"
        );
    }
}
