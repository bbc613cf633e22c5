//! The recording hook: [`Observer`] receives every HTTP exchange the client makes, as an
//! [`Exchange`] that has already been redacted. The app's request inspector is built on it.
//!
//! Owns the redaction rules. What is replaced by [`REDACTED`], everywhere (URL query, form
//! bodies, JSON bodies at any depth, headers):
//! - the `Authorization`/`Proxy-Authorization` credentials (the scheme is kept: `Bearer
//!   [REDACTED]`), `Cookie`/`Set-Cookie` values;
//! - the values of `access_token`, `refresh_token`, `id_token`, `client_secret`, `code`,
//!   `code_verifier` (and their camelCase spellings);
//! - every literal occurrence of a secret the client sent or received in that exchange (so a
//!   token echoed inside an error description is caught too), and anything shaped like a JWT.
//!
//! Must not: hand an observer anything before redaction, or keep a copy of a secret.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use url::Url;

use crate::error::TraceIds;
use crate::operation::Operation;
pub use crate::secret::REDACTED;

/// One HTTP exchange (one attempt: a retried call gives one `Exchange` per attempt), redacted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Exchange {
    /// Which call this was.
    pub operation: Operation,
    /// 1 for the first attempt, 2 for the first retry, …
    pub attempt: u32,
    /// When the request was sent.
    pub started_at: DateTime<Utc>,
    /// From sending the request to having read the whole answer (or failing).
    #[serde(serialize_with = "serialize_millis", rename = "duration_ms")]
    pub duration: Duration,
    /// `GET`, `POST`, `DELETE`.
    pub method: String,
    /// The full URL, query redacted.
    pub url: String,
    /// Request headers, in the order sent, values redacted.
    pub request_headers: Vec<(String, String)>,
    /// The request body (JSON or form), redacted; `None` when there was none.
    pub request_body: Option<String>,
    /// The HTTP status, `None` when no answer came (see `error`).
    pub status: Option<u16>,
    /// Response headers, values redacted.
    pub response_headers: Vec<(String, String)>,
    /// The response body, redacted (JSON bodies re-serialized after redaction); `None` when empty.
    pub response_body: Option<String>,
    /// `X-TL-Correlation-Id`, `Tl-Trace-Id`, `X-Request-Id` of the answer.
    pub trace_ids: TraceIds,
    /// Why no answer came (connection refused, timeout), secrets scrubbed.
    pub error: Option<String>,
}

fn serialize_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Receives every exchange after redaction. Called on the task that made the request, right
/// after each attempt: implementations must be quick and must not block (push to a channel).
pub trait Observer: Send + Sync {
    /// One exchange happened.
    fn on_exchange(&self, exchange: &Exchange);
}

impl<F> Observer for F
where
    F: Fn(&Exchange) + Send + Sync,
{
    fn on_exchange(&self, exchange: &Exchange) {
        self(exchange)
    }
}

/// An [`Observer`] that keeps every exchange in memory (for tests and short sessions).
#[derive(Debug, Clone, Default)]
pub struct MemoryRecorder {
    exchanges: Arc<Mutex<Vec<Exchange>>>,
}

impl MemoryRecorder {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of everything recorded so far, oldest first.
    pub fn exchanges(&self) -> Vec<Exchange> {
        match self.exchanges.lock() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Forgets everything recorded.
    pub fn clear(&self) {
        match self.exchanges.lock() {
            Ok(mut guard) => guard.clear(),
            Err(poisoned) => poisoned.into_inner().clear(),
        }
    }
}

impl Observer for MemoryRecorder {
    fn on_exchange(&self, exchange: &Exchange) {
        match self.exchanges.lock() {
            Ok(mut guard) => guard.push(exchange.clone()),
            Err(poisoned) => poisoned.into_inner().push(exchange.clone()),
        }
    }
}

impl fmt::Debug for dyn Observer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Observer")
    }
}

/// Names whose values are always secret, compared after lower-casing and dropping `_` and `-`.
const SECRET_NAMES: &[&str] = &[
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "clientsecret",
    "code",
    "codeverifier",
];

/// Literal secrets shorter than this are not scrubbed by value (they would match ordinary text);
/// real tokens, codes, verifiers and client secrets are far longer, and are also caught by name.
const MIN_LITERAL_LEN: usize = 6;

fn is_secret_name(name: &str) -> bool {
    let normalised: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_NAMES.contains(&normalised.as_str())
}

/// Redacts one exchange's texts. `known` holds the secrets the client sent or received in it.
#[derive(Debug)]
pub(crate) struct Redactor<'a> {
    known: Vec<&'a str>,
}

impl<'a> Redactor<'a> {
    pub(crate) fn new(known: impl IntoIterator<Item = &'a str>) -> Self {
        let mut known: Vec<&str> = known
            .into_iter()
            .filter(|s| s.len() >= MIN_LITERAL_LEN)
            .collect();
        // Longest first, so a secret containing another is replaced whole.
        known.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Self { known }
    }

    /// Free text: known secrets and JWT-shaped strings replaced.
    pub(crate) fn text(&self, text: &str) -> String {
        let mut out = scrub_jwts(text);
        for secret in &self.known {
            if out.contains(secret) {
                out = out.replace(secret, REDACTED);
            }
        }
        out
    }

    /// A URL: secret query parameters replaced, then free-text rules.
    pub(crate) fn url(&self, url: &Url) -> String {
        if url.query().is_none() {
            return self.text(url.as_str());
        }
        let mut redacted = url.clone();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if is_secret_name(&k) {
                    REDACTED.to_owned()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        redacted.query_pairs_mut().clear().extend_pairs(pairs);
        self.text(redacted.as_str())
    }

    /// A header value.
    pub(crate) fn header(&self, name: &str, value: &str) -> String {
        match name.to_ascii_lowercase().as_str() {
            "authorization" | "proxy-authorization" => match value.split_once(' ') {
                Some((scheme, _)) => format!("{scheme} {REDACTED}"),
                None => REDACTED.to_owned(),
            },
            "cookie" | "set-cookie" => REDACTED.to_owned(),
            "location" | "content-location" => match Url::parse(value) {
                Ok(url) => self.url(&url),
                Err(_) => self.text(value),
            },
            _ => self.text(value),
        }
    }

    /// A body: JSON redacted by key at any depth, form-encoded bodies by field name, anything
    /// else as text. A JSON body that cannot hold a secret-named key (checked with a quick
    /// case-insensitive scan) is kept byte for byte, which also spares re-serializing large
    /// transaction lists. `None` for an empty body.
    pub(crate) fn body(&self, body: &[u8], content_type: Option<&str>) -> Option<String> {
        if body.is_empty() {
            return None;
        }
        let text = String::from_utf8_lossy(body);
        let trimmed = text.trim_start();
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            if !may_hold_secret_key(&text) {
                return Some(self.text(&text));
            }
            if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(body) {
                redact_json(&mut value);
                return Some(self.text(&value.to_string()));
            }
        }
        let is_form = content_type.is_some_and(|c| {
            c.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(text.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if is_form || pairs.iter().any(|(k, _)| is_secret_name(k)) {
            let redacted = pairs.into_iter().map(|(k, v)| {
                let v = if is_secret_name(&k) {
                    REDACTED.to_owned()
                } else {
                    v
                };
                (k, v)
            });
            let encoded = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(redacted)
                .finish();
            return Some(self.text(&encoded));
        }
        Some(self.text(&text))
    }
}

/// Whether a JSON text may have a key from [`SECRET_NAMES`]: a quoted name in any case with `_`,
/// `-` or nothing between its words, or any `\u` escape (which could spell one).
fn may_hold_secret_key(json: &str) -> bool {
    const WORDS: &[&[&str]] = &[
        &["access", "token"],
        &["refresh", "token"],
        &["id", "token"],
        &["client", "secret"],
        &["code"],
        &["code", "verifier"],
    ];
    if json.contains("\\u") {
        return true;
    }
    let lower = json.to_ascii_lowercase();
    WORDS.iter().any(|words| {
        ["_", "-", ""]
            .iter()
            .any(|sep| lower.contains(&format!("\"{}\"", words.join(sep))))
    })
}

/// Replaces the value of every secret-named key, at any depth.
pub(crate) fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if is_secret_name(key) && !v.is_null() {
                    *v = serde_json::Value::String(REDACTED.to_owned());
                } else {
                    redact_json(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

/// Replaces anything shaped like a JWT (`eyJ<b64url>.<b64url>.<b64url>`).
fn scrub_jwts(text: &str) -> String {
    const START: &str = "eyJ";
    if !text.contains(START) {
        return text.to_owned();
    }
    let is_b64 = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(START) {
        let (before, candidate) = rest.split_at(pos);
        out.push_str(before);
        // Measure `seg.seg.seg` starting at the candidate.
        let mut end = 0;
        let mut dots = 0;
        let mut segment_len = 0;
        for (i, c) in candidate.char_indices() {
            if is_b64(c) {
                segment_len += 1;
                end = i + c.len_utf8();
            } else if c == '.' && dots < 2 && segment_len > 0 {
                dots += 1;
                segment_len = 0;
                end = i + 1;
            } else {
                break;
            }
        }
        if dots == 2 && segment_len > 0 {
            out.push_str(REDACTED);
            rest = &candidate[end..];
        } else {
            out.push_str(START);
            rest = &candidate[START.len()..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

    #[test]
    fn secret_query_parameters_are_redacted_and_others_kept() {
        let r = Redactor::new([]);
        let url = Url::parse(
            "https://x.test/cb?code=abc123&state=st&access_token=t&refresh_token=r&client_secret=s&code_verifier=v&scope=info",
        )
        .unwrap();
        let out = r.url(&url);
        assert_eq!(
            out,
            "https://x.test/cb?code=%5BREDACTED%5D&state=st&access_token=%5BREDACTED%5D&refresh_token=%5BREDACTED%5D&client_secret=%5BREDACTED%5D&code_verifier=%5BREDACTED%5D&scope=info"
        );
    }

    #[test]
    fn form_bodies_are_redacted_by_field_name() {
        let r = Redactor::new([]);
        let body = b"grant_type=authorization_code&client_id=cid&client_secret=sec&code=c0de&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&code_verifier=ver";
        let out = r
            .body(body, Some("application/x-www-form-urlencoded"))
            .unwrap();
        assert_eq!(
            out,
            "grant_type=authorization_code&client_id=cid&client_secret=%5BREDACTED%5D&code=%5BREDACTED%5D&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&code_verifier=%5BREDACTED%5D"
        );
    }

    #[test]
    fn json_bodies_are_redacted_at_any_depth_and_in_camel_case() {
        let r = Redactor::new([]);
        let body = br#"{"access_token":"a","nested":{"refreshToken":"r","list":[{"client_secret":"s"}]},"expires_in":3600,"sort_code":"01-21-31","code":null}"#;
        let out = r.body(body, Some("application/json")).unwrap();
        assert_eq!(
            out,
            r#"{"access_token":"[REDACTED]","nested":{"refreshToken":"[REDACTED]","list":[{"client_secret":"[REDACTED]"}]},"expires_in":3600,"sort_code":"01-21-31","code":null}"#
        );
    }

    #[test]
    fn known_secrets_are_scrubbed_anywhere_in_free_text() {
        let r = Redactor::new(["s3cr3t-value", "abc"]);
        assert_eq!(
            r.text("error: token s3cr3t-value rejected; abc stays (too short)"),
            "error: token [REDACTED] rejected; abc stays (too short)"
        );
    }

    #[test]
    fn jwt_shaped_strings_are_scrubbed_but_lookalikes_are_kept() {
        let r = Redactor::new([]);
        assert_eq!(
            r.text(&format!("bad token {JWT}, retry")),
            "bad token [REDACTED], retry"
        );
        assert_eq!(r.text("eyJ only.one"), "eyJ only.one");
        assert_eq!(r.text("eyJa.b"), "eyJa.b");
    }

    #[test]
    fn authorization_headers_keep_their_scheme_only() {
        let r = Redactor::new([]);
        assert_eq!(
            r.header("Authorization", &format!("Bearer {JWT}")),
            "Bearer [REDACTED]"
        );
        assert_eq!(r.header("authorization", "opaque"), REDACTED);
        assert_eq!(r.header("set-cookie", "sid=1"), REDACTED);
        assert_eq!(
            r.header("location", "http://127.0.0.1/cb?code=x&state=y"),
            "http://127.0.0.1/cb?code=%5BREDACTED%5D&state=y"
        );
        assert_eq!(r.header("x-tl-correlation-id", "c-1"), "c-1");
    }

    #[test]
    fn a_json_body_without_secret_keys_is_kept_byte_for_byte() {
        let r = Redactor::new([]);
        let body = "{\"results\": [ {\"sort_code\":\"01-21-31\", \"description\":\"code red\"} ]}";
        assert_eq!(
            r.body(body.as_bytes(), Some("application/json")).unwrap(),
            body
        );
    }

    #[test]
    fn secret_keys_in_any_case_or_escaped_are_still_redacted() {
        let r = Redactor::new([]);
        for body in [
            r#"{"ACCESS_TOKEN":"x"}"#,
            r#"{"Refresh-Token":"x"}"#,
            r#"{"\u0063ode":"x"}"#,
            r#"{"clientSecret":"x"}"#,
        ] {
            let out = r.body(body.as_bytes(), Some("application/json")).unwrap();
            assert!(
                out.contains(REDACTED) && !out.contains(":\"x\""),
                "{body} -> {out}"
            );
        }
    }

    #[test]
    fn a_form_body_is_redacted_even_without_its_content_type() {
        let r = Redactor::new([]);
        assert_eq!(
            r.body(b"access_token=abc&token_type=Bearer", None).unwrap(),
            "access_token=%5BREDACTED%5D&token_type=Bearer"
        );
    }

    #[test]
    fn non_json_bodies_are_kept_as_text_with_secrets_scrubbed() {
        let r = Redactor::new(["client-secret-123"]);
        assert_eq!(
            r.body(b"oops client-secret-123", Some("text/plain")),
            Some("oops [REDACTED]".to_owned())
        );
        assert_eq!(r.body(b"", None), None);
    }
}
