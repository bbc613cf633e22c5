//! The sandbox's own signing keys and the JWKS that publish them: an RSA key that signs access
//! tokens (RS256, as TrueLayer's auth server does) and a P-521 key that signs webhook deliveries
//! (ES512 `Tl-Signature`, as TrueLayer signs its webhooks; see `webhooks.rs`). Also the clients' request-signing keys
//! (P-521 public keys, TrueLayer's `Tl-Signature`), and the demo client's generated one. Drawn once per process, on
//! first use (key generation costs milliseconds; every sandbox in a test binary shares them).
//! The private halves never leave this module except as the signature they make.

use std::fmt;
use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};

use crate::error::{Error, Result};
use crate::tokens::Secret;

/// Where the auth server publishes the token-signing keys (TrueLayer's auth server is an
/// OpenID provider; the discovery document at `/.well-known/openid-configuration` names it).
pub const TOKEN_JWKS_PATH: &str = "/.well-known/openid-configuration/jwks";

/// The process's signing keys.
pub struct Keys {
    rsa: PKey<Private>,
    rsa_kid: String,
    rsa_jwk: Value,
    webhook_pem: Vec<u8>,
    webhook_kid: String,
    webhook_jwk: Value,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keys")
            .field("rsa_kid", &self.rsa_kid)
            .field("webhook_kid", &self.webhook_kid)
            .finish_non_exhaustive()
    }
}

/// The keys, generated on first call.
pub fn keys() -> Result<&'static Keys> {
    static KEYS: OnceLock<std::result::Result<Keys, String>> = OnceLock::new();
    KEYS.get_or_init(|| Keys::generate().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::Config(format!("signing keys: {e}")))
}

impl Keys {
    fn generate() -> std::result::Result<Self, openssl::error::ErrorStack> {
        let rsa = Rsa::generate(2048)?;
        let n = URL_SAFE_NO_PAD.encode(rsa.n().to_vec());
        let e = URL_SAFE_NO_PAD.encode(rsa.e().to_vec());
        // RFC 7638 thumbprint: SHA-256 of the required members in lexicographic order.
        let rsa_kid = thumbprint(&format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#));
        let rsa_jwk =
            json!({"kty": "RSA", "use": "sig", "alg": "RS256", "kid": rsa_kid, "n": n, "e": e});
        let (webhook_pem, webhook_kid, webhook_jwk) = Self::generate_webhook_key()?;
        Ok(Self {
            rsa: PKey::from_rsa(rsa)?,
            rsa_kid,
            rsa_jwk,
            webhook_pem,
            webhook_kid,
            webhook_jwk,
        })
    }

    /// A P-521 pair for webhooks: its PKCS#8 PEM (what `truelayer-signing` signs with), its
    /// RFC 7638 `kid` and its JWK (RFC 7518 §6.2: coordinates padded to the curve's 66 bytes).
    fn generate_webhook_key(
    ) -> std::result::Result<(Vec<u8>, String, Value), openssl::error::ErrorStack> {
        let group = EcGroup::from_curve_name(Nid::SECP521R1)?;
        let key = EcKey::generate(&group)?;
        let (mut x, mut y) = (openssl::bn::BigNum::new()?, openssl::bn::BigNum::new()?);
        let mut ctx = openssl::bn::BigNumContext::new()?;
        key.public_key()
            .affine_coordinates(&group, &mut x, &mut y, &mut ctx)?;
        let x = URL_SAFE_NO_PAD.encode(x.to_vec_padded(66)?);
        let y = URL_SAFE_NO_PAD.encode(y.to_vec_padded(66)?);
        let kid = thumbprint(&format!(
            r#"{{"crv":"P-521","kty":"EC","x":"{x}","y":"{y}"}}"#
        ));
        let jwk = json!({"kty": "EC", "use": "sig", "alg": "ES512", "crv": "P-521", "kid": kid, "x": x, "y": y});
        let pem = PKey::from_ec_key(key)?.private_key_to_pem_pkcs8()?;
        Ok((pem, kid, jwk))
    }

    /// The `kid` of the webhook-signing key.
    pub fn webhook_kid(&self) -> &str {
        &self.webhook_kid
    }

    /// `{"keys": [EC P-521]}`: what the webhook JWKS (`webhooks::JWKS_PATH`) serves.
    pub fn webhook_jwks(&self) -> Value {
        json!({"keys": [self.webhook_jwk]})
    }

    /// A `Tl-Signature` (detached ES512 JWS, `truelayer-signing` v2) over a webhook delivery:
    /// POST, the target's `path`, the signed `headers`, the body; its header names `jku`.
    pub fn sign_webhook(
        &self,
        path: &str,
        headers: &[(&str, &[u8])],
        body: &[u8],
        jku: &str,
    ) -> Result<String> {
        truelayer_signing::sign_with_pem(&self.webhook_kid, &self.webhook_pem)
            .method(truelayer_signing::Method::Post)
            .path(path)
            .headers(headers.iter().copied())
            .jku(jku)
            .body(body)
            .build_signer()
            .sign()
            .map_err(|e| Error::Config(format!("webhook signature: {e}")))
    }

    /// The `kid` of the token-signing key.
    pub fn token_kid(&self) -> &str {
        &self.rsa_kid
    }

    /// `{"keys": [RSA]}`: what [`TOKEN_JWKS_PATH`] serves.
    pub fn token_jwks(&self) -> Value {
        json!({"keys": [self.rsa_jwk]})
    }

    /// Signs claims into a compact RS256 JWS with this process's `kid`.
    pub fn sign_jwt<T: Serialize>(&self, claims: &T) -> Result<Secret> {
        let header = json!({"alg": "RS256", "typ": "at+jwt", "kid": self.rsa_kid});
        let claims = serde_json::to_vec(claims).map_err(|e| Error::Config(e.to_string()))?;
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims)
        );
        let crypto = |e: openssl::error::ErrorStack| Error::Config(format!("RS256: {e}"));
        let mut signer =
            openssl::sign::Signer::new(MessageDigest::sha256(), &self.rsa).map_err(crypto)?;
        let signature = signer
            .sign_oneshot_to_vec(input.as_bytes())
            .map_err(crypto)?;
        Ok(Secret::new(format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        )))
    }
}

/// A client's request-signing key as TrueLayer Console registers it: a key id and a P-521 public
/// key. The demo client's is generated at start, and only then is its private half known (for
/// the app to keep in its keychain); `Debug` never shows it.
#[derive(Clone)]
pub struct ClientSigningKey {
    /// The `kid` requests carry in their `Tl-Signature` header.
    pub key_id: String,
    /// The public key (SPKI PEM) the sandbox verifies with.
    pub public_key_pem: String,
    private_key_pem: Option<String>,
}

impl fmt::Debug for ClientSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSigningKey")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl ClientSigningKey {
    /// A registered public key (`--config`'s `signing_key`); must be P-521 (ES512).
    pub fn from_public_pem(key_id: &str, public_key_pem: &str) -> Result<Self> {
        let invalid = |why: String| Error::Config(format!("signing key {key_id:?}: {why}"));
        let key = PKey::public_key_from_pem(public_key_pem.as_bytes())
            .and_then(|k| k.ec_key())
            .map_err(|e| invalid(format!("not an EC public key in PEM: {e}")))?;
        if key.group().curve_name() != Some(Nid::SECP521R1) {
            return Err(invalid(
                "TrueLayer signing keys are P-521 (ES512)".to_owned(),
            ));
        }
        if key_id.trim().is_empty() {
            return Err(invalid("the key id is empty".to_owned()));
        }
        Ok(Self {
            key_id: key_id.to_owned(),
            public_key_pem: public_key_pem.to_owned(),
            private_key_pem: None,
        })
    }

    /// The key pair whose private half the app already holds (a restart of the built-in
    /// sandbox): its public key is derived from it.
    pub fn from_private_pem(key_id: &str, private_key_pem: &str) -> Result<Self> {
        let invalid = |e: openssl::error::ErrorStack| {
            Error::Config(format!(
                "signing key {key_id:?}: not a private key in PEM: {e}"
            ))
        };
        let key = PKey::private_key_from_pem(private_key_pem.as_bytes()).map_err(invalid)?;
        let public = key.public_key_to_pem().map_err(invalid)?;
        let mut parsed = Self::from_public_pem(key_id, &String::from_utf8_lossy(&public))?;
        parsed.private_key_pem = Some(private_key_pem.to_owned());
        Ok(parsed)
    }

    /// A fresh P-521 pair for the demo client, with a random key id.
    pub fn generate_demo() -> Result<Self> {
        let crypto =
            |e: openssl::error::ErrorStack| Error::Config(format!("demo signing key: {e}"));
        let group = EcGroup::from_curve_name(Nid::SECP521R1).map_err(crypto)?;
        let key = PKey::from_ec_key(EcKey::generate(&group).map_err(crypto)?).map_err(crypto)?;
        let private = key.private_key_to_pem_pkcs8().map_err(crypto)?;
        let key_id = format!(
            "linkscope-demo-{}",
            crate::tokens::random_upper_hex::<4>().to_lowercase()
        );
        Self::from_private_pem(&key_id, &String::from_utf8_lossy(&private))
    }

    /// The private key (PKCS#8 PEM) when this start generated or was given it.
    pub fn private_key_pem(&self) -> Option<&str> {
        self.private_key_pem.as_deref()
    }
}

fn thumbprint(canonical: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::bn::BigNum;

    #[test]
    fn tokens_verify_against_the_published_jwks_and_name_its_kid() {
        let keys = keys().unwrap();
        let token = keys.sign_jwt(&json!({"sub": "u1"})).unwrap();
        let parts: Vec<&str> = token.expose().split('.').collect();
        let header: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header["alg"], "RS256");
        assert_eq!(header["kid"], keys.token_kid());
        let jwk = &keys.token_jwks()["keys"][0];
        let n = BigNum::from_slice(&URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap())
            .unwrap();
        let e = BigNum::from_slice(&URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap()).unwrap())
            .unwrap();
        let public = PKey::from_rsa(Rsa::from_public_components(n, e).unwrap()).unwrap();
        let mut verifier = openssl::sign::Verifier::new(MessageDigest::sha256(), &public).unwrap();
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        let input = format!("{}.{}", parts[0], parts[1]);
        assert!(verifier
            .verify_oneshot(&signature, input.as_bytes())
            .unwrap());
    }
}
