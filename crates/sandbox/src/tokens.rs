//! Minting and hashing of the sandbox's secrets: authorization codes, the claims of access tokens
//! (TrueLayer's; `keys` signs them), refresh tokens, credentials ids; PKCE (RFC 7636)
//! verification. Raw tokens leave this module only inside redacting secret types; the state
//! keeps their SHA-256 hashes, never the tokens themselves.

use std::fmt;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use rand::RngCore as _;
use serde::Serialize;
use sha2::{Digest as _, Sha256};

/// A secret string handed to a client once (a code, an access or refresh token). Its `Debug`
/// is redacted and it cannot be serialized; call [`Secret::expose`] at the HTTP boundary.
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: String) -> Self {
        Self(value)
    }

    /// The raw value, for the one place that must put it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The SHA-256 hash under which the state remembers this secret.
    pub fn hash(&self) -> TokenHash {
        TokenHash::of(&self.0)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// Lower-case hex SHA-256 of a secret: the only form in which tokens and codes are stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct TokenHash(String);

impl TokenHash {
    /// Hashes a presented secret.
    pub fn of(secret: &str) -> Self {
        Self(hex::encode(Sha256::digest(secret.as_bytes())))
    }

    /// Whether `secret` hashes to this, compared in constant time.
    pub fn matches(&self, secret: &str) -> bool {
        constant_time_eq(Self::of(secret).0.as_bytes(), self.0.as_bytes())
    }
}

/// `n` random bytes from the OS-seeded thread RNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes
}

/// Upper-case hex of `N` random bytes (TrueLayer's refresh tokens and codes look like this).
pub fn random_upper_hex<const N: usize>() -> String {
    hex::encode_upper(random_bytes::<N>())
}

/// A fresh refresh token: 64 upper-case hex characters, like TrueLayer's.
pub fn new_refresh_token() -> Secret {
    Secret::new(random_upper_hex::<32>())
}

/// A fresh authorization code (single use, 5 minutes; the rule lives in the token endpoint).
pub fn new_code() -> Secret {
    Secret::new(random_upper_hex::<32>())
}

/// A credentials id in TrueLayer's shape: standard base64 of 32 bytes (44 characters).
pub fn new_credentials_id() -> String {
    STANDARD.encode(random_bytes::<32>())
}

/// A fresh control token for the `/__sandbox/` controls: base64url of 32 random bytes.
pub fn new_control_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// A random URL-safe id for dialog sessions and the like (not a bearer secret).
pub fn new_session_id(prefix: &str) -> String {
    format!("{prefix}-{}", URL_SAFE_NO_PAD.encode(random_bytes::<24>()))
}

/// The claims of an access token, as TrueLayer puts them in its JWT (API.md §4).
#[derive(Debug, Serialize)]
pub struct AccessClaims<'a> {
    /// Not before (seconds since the epoch).
    pub nbf: i64,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Issuer: the sandbox's auth URL.
    pub iss: &'a str,
    /// Audience: always `data_api`.
    pub aud: &'a str,
    /// The client the token was issued to.
    pub client_id: &'a str,
    /// Subject: a stable pseudonymous id of the end user's connection.
    pub sub: &'a str,
    /// When the end user authenticated at the bank.
    pub auth_time: i64,
    /// Identity provider (`local`).
    pub idp: &'a str,
    /// Unique token id.
    pub jti: String,
    /// Auth session id (`auth-…`).
    pub sid: &'a str,
    /// Issued at.
    pub iat: i64,
    /// The provider (`mock`, `ob-monzo`, …).
    pub connector_id: &'a str,
    /// The credentials key (64 hex).
    pub credentials_key: &'a str,
    /// Privacy policy version.
    pub privacy_policy: &'a str,
    /// Consent id (a UUID).
    pub consent_id: &'a str,
    /// Granted scopes, as an array.
    pub scope: Vec<&'a str>,
    /// Authentication methods (`pwd`).
    pub amr: Vec<&'a str>,
}

/// Why a PKCE check failed (RFC 7636 §4.1 and §4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PkceFailure {
    /// The link had a `code_challenge` but the token request has no `code_verifier`.
    VerifierMissing,
    /// The token request has a `code_verifier` but the link had no `code_challenge`.
    UnexpectedVerifier,
    /// The verifier is not 43–128 characters of `A-Z a-z 0-9 - . _ ~` (RFC 7636 §4.1).
    MalformedVerifier,
    /// `BASE64URL(SHA256(verifier))` differs from the challenge (RFC 7636 §4.6).
    Mismatch,
}

impl PkceFailure {
    /// The human explanation sent in `error_details.reason`.
    pub fn reason(self) -> &'static str {
        match self {
            Self::VerifierMissing => {
                "code_verifier is required: the auth link had a code_challenge"
            }
            Self::UnexpectedVerifier => {
                "code_verifier was sent but the auth link had no code_challenge"
            }
            Self::MalformedVerifier => {
                "code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)"
            }
            Self::Mismatch => "code_verifier does not match the code_challenge (S256)",
        }
    }
}

/// The S256 challenge of a verifier: `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`.
pub fn s256_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Whether a string is a well-formed S256 challenge (43 base64url characters, no padding).
pub fn is_s256_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Checks a token request's verifier against the link's challenge.
pub fn verify_pkce(challenge: Option<&str>, verifier: Option<&str>) -> Result<(), PkceFailure> {
    match (challenge, verifier) {
        (None, None) => Ok(()),
        (Some(_), None) => Err(PkceFailure::VerifierMissing),
        (None, Some(_)) => Err(PkceFailure::UnexpectedVerifier),
        (Some(challenge), Some(verifier)) => {
            let well_formed = (43..=128).contains(&verifier.len())
                && verifier
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
            if !well_formed {
                return Err(PkceFailure::MalformedVerifier);
            }
            if constant_time_eq(s256_challenge(verifier).as_bytes(), challenge.as_bytes()) {
                Ok(())
            } else {
                Err(PkceFailure::Mismatch)
            }
        }
    }
}

/// Compares two byte strings without an early exit (client secrets, PKCE challenges).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_7636_appendix_b_example_verifies() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert_eq!(s256_challenge(verifier), challenge);
        assert!(is_s256_challenge(challenge));
        assert_eq!(verify_pkce(Some(challenge), Some(verifier)), Ok(()));
    }

    #[test]
    fn pkce_failures_are_told_apart() {
        let challenge = s256_challenge(&"a".repeat(43));
        let cases: &[(Option<&str>, Option<&str>, PkceFailure)] = &[
            (Some(&challenge), None, PkceFailure::VerifierMissing),
            (None, Some("x"), PkceFailure::UnexpectedVerifier),
            (
                Some(&challenge),
                Some("short"),
                PkceFailure::MalformedVerifier,
            ),
            (
                Some(&challenge),
                Some(&"a b".repeat(20)),
                PkceFailure::MalformedVerifier,
            ),
            (
                Some(&challenge),
                Some(&"b".repeat(43)),
                PkceFailure::Mismatch,
            ),
        ];
        for (challenge, verifier, expected) in cases {
            assert_eq!(verify_pkce(*challenge, *verifier), Err(*expected));
        }
    }

    #[test]
    fn secrets_print_redacted_and_hash_stably() {
        let secret = Secret::new("top-secret".to_owned());
        assert_eq!(format!("{secret:?}"), "Secret([redacted])");
        assert_eq!(secret.hash(), TokenHash::of("top-secret"));
        assert_eq!(new_refresh_token().expose().len(), 64);
        assert_eq!(new_credentials_id().len(), 44);
    }
}
