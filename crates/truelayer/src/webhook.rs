//! Checking a webhook TrueLayer (or the built-in sandbox) sent: its `Tl-Signature` is a detached
//! ES512 JWS whose header names a `kid` and a `jku`; the keys are fetched from that `jku` only
//! when it is one of the environment's own hosts (its API or auth origin, or `webhooks.<domain>`
//! beside `api.<domain>`: TrueLayer's `webhooks.truelayer.com`), then TrueLayer's own
//! `truelayer-signing` verifies method, path, the signed headers and the body.
//!
//! Must not: fetch a `jku` on any other host (a forged webhook could name its own keys), or
//! treat a webhook as valid because it parsed.

use http::Method;
use url::Url;

use crate::client::Client;
use crate::environment::Environment;
use crate::http::{Body, Call, Retry};
use crate::operation::Operation;

/// The timestamp header TrueLayer's webhooks carry (and sign).
pub const WEBHOOK_TIMESTAMP_HEADER: &str = "X-Tl-Webhook-Timestamp";

/// A webhook as it arrived.
#[derive(Debug, Clone, Copy)]
pub struct WebhookDelivery<'a> {
    /// The path it was POSTed to.
    pub path: &'a str,
    /// Its headers, names as received.
    pub headers: &'a [(String, String)],
    /// Its body, exactly as received.
    pub body: &'a [u8],
}

/// What the signature check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookCheck {
    /// The signature verifies with the key `kid` from `jku`.
    Valid {
        /// The key that verified it.
        kid: String,
        /// Where that key was published.
        jku: String,
    },
    /// It does not verify, or cannot be checked; the reason says which and why.
    Invalid {
        /// In plain words.
        reason: String,
    },
}

fn invalid(reason: impl Into<String>) -> WebhookCheck {
    WebhookCheck::Invalid {
        reason: reason.into(),
    }
}

/// Whether `jku` is one of `environment`'s own hosts (see the module docs).
pub(crate) fn is_own_jku(environment: &Environment, jku: &Url) -> bool {
    let api = environment.api_url();
    if [api, environment.auth_url()]
        .iter()
        .any(|base| base.origin() == jku.origin())
    {
        return true;
    }
    let beside_api = api
        .host_str()
        .and_then(|h| h.strip_prefix("api."))
        .map(|domain| format!("webhooks.{domain}"));
    jku.scheme() == "https" && beside_api.is_some() && jku.host_str() == beside_api.as_deref()
}

impl Client {
    /// Checks `delivery`'s `Tl-Signature` against the keys its `jku` publishes, fetching them
    /// only from the environment's own hosts.
    pub async fn verify_webhook(&self, delivery: WebhookDelivery<'_>) -> WebhookCheck {
        let header = |name: &str| {
            delivery
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let Some(signature) = header("tl-signature") else {
            return invalid("the webhook has no Tl-Signature header");
        };
        let jws = match truelayer_signing::extract_jws_header(signature) {
            Ok(jws) => jws,
            Err(e) => return invalid(format!("the Tl-Signature header is not a JWS: {e}")),
        };
        let Some(jku) = jws.jku.as_deref() else {
            return invalid(
                "the signature's header names no jku, so there is no key to check it with",
            );
        };
        let jku_url = match Url::parse(jku) {
            Ok(url) => url,
            Err(e) => return invalid(format!("the jku {jku:?} is not a URL: {e}")),
        };
        if !is_own_jku(self.environment(), &jku_url) {
            return invalid(format!(
                "the jku {jku} is not one of this environment's hosts, so its keys are not fetched"
            ));
        }
        let jwks = match self.webhook_jwks(jku_url).await {
            Ok(jwks) => jwks,
            Err(e) => return invalid(format!("the keys at {jku} could not be fetched: {e}")),
        };
        let headers: Vec<(&str, &[u8])> = delivery
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_bytes()))
            .collect();
        let verified = truelayer_signing::verify_with_jwks(&jwks)
            .method(truelayer_signing::Method::Post)
            .path(delivery.path)
            .headers(headers)
            .body(delivery.body)
            .build_verifier()
            .verify(signature);
        match verified {
            Ok(()) => WebhookCheck::Valid {
                kid: jws.kid.to_string(),
                jku: jku.to_owned(),
            },
            Err(e) => invalid(format!(
                "the signature does not match this webhook (key {:?}): {e}",
                jws.kid
            )),
        }
    }

    async fn webhook_jwks(&self, jku: Url) -> crate::Result<Vec<u8>> {
        let reply = self
            .http()
            .send(Call {
                operation: Operation::WebhookJwks,
                method: Method::GET,
                url: jku,
                bearer: None,
                body: Body::Empty,
                retry: Retry::Idempotent,
                secrets: Vec::new(),
            })
            .await?
            .ensure_success()?;
        Ok(reply.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::ClientSecret;
    use crate::types::ClientId;

    fn env(auth: &str, api: &str) -> Environment {
        Environment::new(
            auth,
            api,
            ClientId::new("c").unwrap(),
            ClientSecret::new("s".to_owned()),
        )
        .unwrap()
    }

    #[test]
    fn only_the_environments_own_hosts_may_publish_webhook_keys() {
        let sandbox = env("http://127.0.0.1:10", "http://127.0.0.1:11");
        let truelayer = env(
            "https://auth.truelayer-sandbox.com",
            "https://api.truelayer-sandbox.com",
        );
        let cases = [
            (&sandbox, "http://127.0.0.1:11/webhooks/jwks", true),
            (&sandbox, "http://127.0.0.1:10/jwks", true),
            (&sandbox, "http://127.0.0.1:12/webhooks/jwks", false),
            (&sandbox, "https://127.0.0.1:11/webhooks/jwks", false),
            (&sandbox, "https://evil.test/jwks", false),
            (
                &truelayer,
                "https://webhooks.truelayer-sandbox.com/.well-known/jwks",
                true,
            ),
            (&truelayer, "https://api.truelayer-sandbox.com/jwks", true),
            (
                &truelayer,
                "http://webhooks.truelayer-sandbox.com/.well-known/jwks",
                false,
            ),
            (
                &truelayer,
                "https://webhooks.truelayer.com/.well-known/jwks",
                false,
            ),
            (
                &truelayer,
                "https://webhooks.truelayer-sandbox.com.evil.test/jwks",
                false,
            ),
        ];
        for (environment, jku, allowed) in cases {
            assert_eq!(
                is_own_jku(environment, &Url::parse(jku).unwrap()),
                allowed,
                "{jku}"
            );
        }
    }
}
