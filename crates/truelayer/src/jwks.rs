//! Checking an access token's signature as TrueLayer issues it: an RS256 JWT whose header names
//! a `kid` that the auth server's JWKS (`{auth}/.well-known/openid-configuration/jwks`)
//! publishes. [`inspect_jwt`] decodes header and claims and checks the signature against a JWKS
//! already fetched ([`Client::token_jwks`]). Display only: nothing here grants access, and the
//! token itself never leaves the caller.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use http::Method;
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::Result;
use crate::http::{Body, Call, Retry};
use crate::operation::Operation;

/// A JWT's decoded parts and what its signature check found.
#[derive(Debug, Clone, PartialEq)]
pub struct JwtInspection {
    /// The JOSE header (`alg`, `typ`, `kid`).
    pub header: Map<String, Value>,
    /// The claims.
    pub claims: Map<String, Value>,
    /// The signature check.
    pub signature: SignatureCheck,
}

/// The outcome of checking a signature against a JWKS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureCheck {
    /// RS256 over `header.claims` verifies with the JWKS key named by `kid`.
    Verified {
        /// The key that verified it.
        kid: String,
    },
    /// It does not verify, or cannot be checked; the reason says which and why.
    NotVerified {
        /// One sentence.
        reason: String,
    },
}

/// Decodes a compact JWT and checks its RS256 signature against `jwks` (`{"keys": [...]}`).
/// `None` when `token` is not a JWT at all (three base64url parts, JSON objects).
pub fn inspect_jwt(token: &str, jwks: Option<&[u8]>) -> Option<JwtInspection> {
    let mut parts = token.split('.');
    let (Some(header_b64), Some(claims_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let header = json_object(header_b64)?;
    let claims = json_object(claims_b64)?;
    let signature = match jwks {
        None => not_verified("the environment's JWKS could not be fetched"),
        Some(jwks) => check_rs256(&header, header_b64, claims_b64, signature_b64, jwks),
    };
    Some(JwtInspection {
        header,
        claims,
        signature,
    })
}

fn json_object(part: &str) -> Option<Map<String, Value>> {
    let bytes = URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

fn not_verified(reason: impl Into<String>) -> SignatureCheck {
    SignatureCheck::NotVerified {
        reason: reason.into(),
    }
}

fn check_rs256(
    header: &Map<String, Value>,
    header_b64: &str,
    claims_b64: &str,
    signature_b64: &str,
    jwks: &[u8],
) -> SignatureCheck {
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("");
    if alg != "RS256" {
        return not_verified(format!(
            "the header's alg is {alg:?}; TrueLayer signs access tokens with RS256"
        ));
    }
    let Some(kid) = header.get("kid").and_then(Value::as_str) else {
        return not_verified("the header names no kid");
    };
    let Ok(Value::Object(jwks)) = serde_json::from_slice::<Value>(jwks) else {
        return not_verified("the JWKS is not a JSON object");
    };
    let key = jwks
        .get("keys")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|k| k.get("kid").and_then(Value::as_str) == Some(kid));
    let Some(key) = key else {
        return not_verified(format!("the JWKS has no key with kid {kid:?}"));
    };
    let component = |name: &str| {
        key.get(name)
            .and_then(Value::as_str)
            .and_then(|v| URL_SAFE_NO_PAD.decode(v).ok())
            .and_then(|bytes| BigNum::from_slice(&bytes).ok())
    };
    if key.get("kty").and_then(Value::as_str) != Some("RSA") {
        return not_verified(format!("the JWKS key {kid:?} is not an RSA key"));
    }
    let (Some(n), Some(e)) = (component("n"), component("e")) else {
        return not_verified(format!("the JWKS key {kid:?} has no valid n and e"));
    };
    let Ok(signature) = URL_SAFE_NO_PAD.decode(signature_b64.trim_end_matches('=')) else {
        return not_verified("the signature is not base64url");
    };
    let input = format!("{header_b64}.{claims_b64}");
    let verified = Rsa::from_public_components(n, e)
        .and_then(PKey::from_rsa)
        .and_then(|key| {
            let mut verifier = openssl::sign::Verifier::new(MessageDigest::sha256(), &key)?;
            verifier.verify_oneshot(&signature, input.as_bytes())
        });
    match verified {
        Ok(true) => SignatureCheck::Verified {
            kid: kid.to_owned(),
        },
        Ok(false) => not_verified(format!(
            "the RS256 signature does not match the key {kid:?}: the token was altered or signed by someone else"
        )),
        Err(e) => not_verified(format!("the key {kid:?} could not be used: {e}")),
    }
}

impl Client {
    /// `GET {auth}/.well-known/openid-configuration/jwks`: the keys access tokens are signed
    /// with, as raw JSON for [`inspect_jwt`].
    pub async fn token_jwks(&self) -> Result<Vec<u8>> {
        let reply = self
            .http()
            .send(Call {
                operation: Operation::TokenJwks,
                method: Method::GET,
                url: self.environment().token_jwks_url(),
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

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn anything_that_is_not_a_jwt_is_not_inspected() {
        for token in ["", "opaque", "a.b", "a.b.c.d", "a.!!!.c"] {
            assert_eq!(inspect_jwt(token, None), None, "{token}");
        }
    }

    #[test]
    fn a_token_that_cannot_be_checked_says_why() {
        let cases = [
            (r#"{"alg":"HS256","kid":"k"}"#, r#"{"keys":[]}"#, "RS256"),
            (r#"{"alg":"RS256"}"#, r#"{"keys":[]}"#, "no kid"),
            (
                r#"{"alg":"RS256","kid":"k"}"#,
                r#"{"keys":[]}"#,
                "no key with kid",
            ),
            (r#"{"alg":"RS256","kid":"k"}"#, "[1]", "not a JSON object"),
            (
                r#"{"alg":"RS256","kid":"k"}"#,
                r#"{"keys":[{"kid":"k","kty":"EC"}]}"#,
                "not an RSA key",
            ),
        ];
        for (header, jwks, expected) in cases {
            let token = format!("{}.{}.sig", b64(header), b64(r#"{"sub":"u"}"#));
            let inspection = inspect_jwt(&token, Some(jwks.as_bytes())).unwrap();
            assert_eq!(inspection.claims["sub"], "u");
            match inspection.signature {
                SignatureCheck::NotVerified { reason } => {
                    assert!(reason.contains(expected), "{reason} should say {expected}")
                }
                other => panic!("{header} with {jwks} gave {other:?}"),
            }
        }
    }
}
