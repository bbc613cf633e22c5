//! The recording hook: [`Observer`] receives every HTTP exchange the client makes, as an
//! [`Exchange`] that has already been redacted. The app's request inspector is built on it.
//!
//! Owns the redaction rules. What is replaced by [`REDACTED`], everywhere (URL query, form
//! bodies, JSON bodies at any depth, headers):
//! - the `Authorization`/`Proxy-Authorization` credentials (the scheme is kept: `Bearer
//!   [REDACTED]`), `Cookie`/`Set-Cookie` values;
//! - the values of `access_token`, `refresh_token`, `id_token`, `client_secret`, `code`,
//!   `code_verifier`, `state`, `password`, `session_id`, `token` (and their camelCase spellings);
//! - in answers of the token endpoint and of `/connections/extend` (which carry fresh tokens
//!   under names no list can foresee), every string value except [`TOKEN_ANSWER_ALLOWED`];
//! - every occurrence of a secret the client sent or received in that exchange, literally and in
//!   its URL- and form-encoded forms (so a token echoed inside an error description is caught
//!   too), and anything shaped like a JWT.
//!
//! It fails closed: a body that names a secret field but cannot be parsed (truncated JSON, a
//! text page quoting a token) is replaced whole by [`UNPARSED_SECRET_BODY`], never scrubbed as
//! text. Must not: hand an observer anything before redaction, or keep a copy of a secret beyond
//! one exchange (encoded forms are held in zeroizing buffers).

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::Serialize;
use url::Url;
use zeroize::Zeroizing;

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
    "state",
    "password",
    "sessionid",
    "token",
];

/// The same names split into words, to spot them in text (`access_token`, `Access-Token`,
/// `accessToken` all lower-case to one of the joined spellings).
const SECRET_NAME_WORDS: &[&[&str]] = &[
    &["access", "token"],
    &["refresh", "token"],
    &["id", "token"],
    &["client", "secret"],
    &["code"],
    &["code", "verifier"],
    &["state"],
    &["password"],
    &["session", "id"],
    &["token"],
];

/// The only string fields kept in an answer of the token endpoint or of `/connections/extend`:
/// the RFC 6749 §5.1 public fields; what an error answer says, for the inspector, the request
/// log's error column and support bundles (RFC 6749 §5.2 `error`/`error_description`, and the
/// RFC 9457 problem fields with TrueLayer's trace id); and extend's `action_needed` outcome.
/// Every other string there is redacted; known secrets are still scrubbed from these.
pub const TOKEN_ANSWER_ALLOWED: &[&str] = &[
    "token_type",
    "expires_in",
    "scope",
    "error",
    "error_description",
    "type",
    "title",
    "detail",
    "trace_id",
    "traceId",
    "action_needed",
];

/// What replaces a whole body that names a secret field but could not be parsed.
pub const UNPARSED_SECRET_BODY: &str =
    "[REDACTED: this body names a secret field but could not be parsed, so none of it is kept]";

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

/// Redacts one exchange's texts. `known` holds the secrets the client sent or received in it,
/// each with its URL- and form-encoded spellings.
pub(crate) struct Redactor {
    known: Vec<Zeroizing<String>>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("known", &self.known.len())
            .finish()
    }
}

impl Redactor {
    pub(crate) fn new<'s>(known: impl IntoIterator<Item = &'s str>) -> Self {
        let mut spellings: Vec<Zeroizing<String>> = Vec::new();
        for secret in known.into_iter().filter(|s| s.len() >= MIN_LITERAL_LEN) {
            let encoded = [
                // As a URL component (`%2F`, `%20`) and as a form field (`+` for a space).
                utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string(),
                url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
            ];
            for spelling in std::iter::once(secret.to_owned()).chain(encoded) {
                if !spellings.iter().any(|s| **s == spelling) {
                    spellings.push(Zeroizing::new(spelling));
                }
            }
        }
        // Longest first, so a secret containing another is replaced whole.
        spellings.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Self { known: spellings }
    }

    /// Free text: known secrets (in every spelling) and JWT-shaped strings replaced.
    pub(crate) fn text(&self, text: &str) -> String {
        let mut out = scrub_jwts(text);
        for secret in &self.known {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
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
    /// transaction lists. Fails closed: a body that names a secret field but parses neither as
    /// JSON nor as a form becomes [`UNPARSED_SECRET_BODY`]. `None` for an empty body.
    pub(crate) fn body(&self, body: &[u8], content_type: Option<&str>) -> Option<String> {
        if body.is_empty() {
            return None;
        }
        let text = String::from_utf8_lossy(body);
        let trimmed = text.trim_start();
        let is_json = trimmed.starts_with('{')
            || trimmed.starts_with('[')
            || content_type.is_some_and(|c| c.to_ascii_lowercase().contains("json"));
        if is_json {
            if !may_hold_secret_key(&text) {
                return Some(self.text(&text));
            }
            return Some(match serde_json::from_slice::<serde_json::Value>(body) {
                Ok(mut value) => {
                    redact_json(&mut value);
                    self.text(&value.to_string())
                }
                Err(_) => UNPARSED_SECRET_BODY.to_owned(),
            });
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
        if mentions_secret_field(&text) {
            return Some(UNPARSED_SECRET_BODY.to_owned());
        }
        Some(self.text(&text))
    }

    /// The answer body of `operation`: for the token endpoint and `/connections/extend` a JSON
    /// answer keeps only its numbers, booleans and [`TOKEN_ANSWER_ALLOWED`] strings; any other
    /// answer (and a non-JSON one there) goes through [`Self::body`].
    pub(crate) fn response_body(
        &self,
        operation: Operation,
        body: &[u8],
        content_type: Option<&str>,
    ) -> Option<String> {
        if !answers_with_tokens(operation) {
            return self.body(body, content_type);
        }
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(mut value) => {
                redact_strings_except_allowed(&mut value);
                Some(self.text(&value.to_string()))
            }
            Err(_) => self.body(body, content_type),
        }
    }
}

/// Whether an operation's successful answer carries fresh tokens.
fn answers_with_tokens(operation: Operation) -> bool {
    matches!(
        operation,
        Operation::ExchangeCode
            | Operation::RefreshToken
            | Operation::ClientCredentials
            | Operation::ExtendConnection
    )
}

/// Replaces every string at any depth, except the values of [`TOKEN_ANSWER_ALLOWED`] keys.
fn redact_strings_except_allowed(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => *s = REDACTED.to_owned(),
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if !(v.is_string() && TOKEN_ANSWER_ALLOWED.contains(&key.as_str())) {
                    redact_strings_except_allowed(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_strings_except_allowed),
        _ => {}
    }
}

/// Whether free text names a secret field the way a body would carry one: the name (any case,
/// `_`, `-` or nothing between its words) as a whole word followed by `=` or `:` (quotes and
/// spaces allowed in between), e.g. `access_token=…`, `"Refresh-Token": …`, `code: …`.
fn mentions_secret_field(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    SECRET_NAME_WORDS.iter().any(|words| {
        ["_", "-", ""].iter().any(|sep| {
            let name = words.join(sep);
            lower.match_indices(&name).any(|(at, _)| {
                let before = lower.as_bytes().get(at.wrapping_sub(1)).copied();
                let after = lower.get(at + name.len()..).unwrap_or_default();
                let next = after
                    .bytes()
                    .find(|b| !matches!(b, b'"' | b'\'' | b' ' | b'\t'));
                !before.is_some_and(is_word) && matches!(next, Some(b'=' | b':'))
            })
        })
    })
}

/// Whether a JSON text may have a key from [`SECRET_NAMES`]: a quoted name in any case with `_`,
/// `-` or nothing between its words, or any `\u` escape (which could spell one).
fn may_hold_secret_key(json: &str) -> bool {
    if json.contains("\\u") {
        return true;
    }
    let lower = json.to_ascii_lowercase();
    SECRET_NAME_WORDS.iter().any(|words| {
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
            "https://x.test/cb?code=%5BREDACTED%5D&state=%5BREDACTED%5D&access_token=%5BREDACTED%5D&refresh_token=%5BREDACTED%5D&client_secret=%5BREDACTED%5D&code_verifier=%5BREDACTED%5D&scope=info"
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
            "http://127.0.0.1/cb?code=%5BREDACTED%5D&state=%5BREDACTED%5D"
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
    #[test]
    fn state_password_session_id_and_token_are_redacted_by_name() {
        let r = Redactor::new([]);
        let body = br#"{"state":"st-1","password":"pw","session_id":"sid","token":"tk","Session-Id":"s2","user":"jo"}"#;
        assert_eq!(
            r.body(body, Some("application/json")).unwrap(),
            r#"{"state":"[REDACTED]","password":"[REDACTED]","session_id":"[REDACTED]","token":"[REDACTED]","Session-Id":"[REDACTED]","user":"jo"}"#
        );
        assert_eq!(
            r.body(b"username=jo&password=pw&state=st", None).unwrap(),
            "username=jo&password=%5BREDACTED%5D&state=%5BREDACTED%5D"
        );
    }

    #[test]
    fn a_body_that_names_a_secret_but_does_not_parse_is_replaced_whole() {
        let r = Redactor::new([]);
        for (body, content_type) in [
            (
                r#"{"access_token":"eyJhbGciOi-truncated"#,
                Some("application/json"),
            ),
            (r#"{"refresh_token": "rt-1", oops}"#, None),
            (r#"[{"code":"c-1"},"#, Some("application/json")),
            (r#"{"tok\u0065n":"tk-1""#, Some("application/json")),
            (
                "<html><p>refresh_token: rt-secret-1</p></html>",
                Some("text/html"),
            ),
            (
                "upstream said \"Access-Token\" = at-secret-1",
                Some("text/plain"),
            ),
        ] {
            assert_eq!(
                r.body(body.as_bytes(), content_type).as_deref(),
                Some(UNPARSED_SECRET_BODY),
                "{body:?} must not be scrubbed as text: a secret in a shape the rules miss would leak"
            );
        }
        assert_eq!(
            r.body(b"Bad Gateway: the code path failed", Some("text/plain")),
            Some("Bad Gateway: the code path failed".to_owned()),
            "a word that is only a field name when followed by = or : is ordinary text"
        );
    }

    #[test]
    fn every_string_of_a_token_answer_is_redacted_except_the_allow_list() {
        let r = Redactor::new([]);
        let body = br#"{"access_token":"at","refresh_token":"rt","id_tkn":"novel-secret","nested":{"x":"y"},"list":["a"],"token_type":"Bearer","expires_in":3600,"scope":"info accounts","refresh_expires":"2026-01-01"}"#;
        for operation in [
            Operation::ExchangeCode,
            Operation::RefreshToken,
            Operation::ClientCredentials,
        ] {
            assert_eq!(
                r.response_body(operation, body, Some("application/json"))
                    .unwrap(),
                r#"{"access_token":"[REDACTED]","refresh_token":"[REDACTED]","id_tkn":"[REDACTED]","nested":{"x":"[REDACTED]"},"list":["[REDACTED]"],"token_type":"Bearer","expires_in":3600,"scope":"info accounts","refresh_expires":"[REDACTED]"}"#,
                "{operation}"
            );
        }
        let extend = br#"{"action_needed":"no_action_needed","access_token":"at","user_input_link":"https://x.test/?k=v","expires_in":"3600"}"#;
        assert_eq!(
            r.response_body(Operation::ExtendConnection, extend, None)
                .unwrap(),
            r#"{"action_needed":"no_action_needed","access_token":"[REDACTED]","user_input_link":"[REDACTED]","expires_in":"3600"}"#
        );
        let error = br#"{"error":"invalid_grant","error_description":"The code has expired","error_details":{"hint":"h"}}"#;
        assert_eq!(
            r.response_body(Operation::RefreshToken, error, None)
                .unwrap(),
            r#"{"error":"invalid_grant","error_description":"The code has expired","error_details":{"hint":"[REDACTED]"}}"#,
            "the error code and TrueLayer's words stay for the inspector"
        );
        let problem = br#"{"type":"https://docs.truelayer.com/errors#invalid_parameters","title":"Invalid Parameters","status":400,"detail":"Bad refresh token","trace_id":"t-1","errors":{"RefreshToken":["bad"]}}"#;
        assert_eq!(
            r.response_body(Operation::ExtendConnection, problem, None)
                .unwrap(),
            r#"{"type":"https://docs.truelayer.com/errors#invalid_parameters","title":"Invalid Parameters","status":400,"detail":"Bad refresh token","trace_id":"t-1","errors":{"RefreshToken":["[REDACTED]"]}}"#,
            "a problem+json error keeps its RFC 9457 fields and trace id"
        );
        assert_eq!(
            r.response_body(
                Operation::Accounts,
                br#"{"results":[{"display_name":"Club"}]}"#,
                None
            )
            .unwrap(),
            r#"{"results":[{"display_name":"Club"}]}"#,
            "data answers are redacted by name only"
        );
    }

    #[test]
    fn known_secrets_are_scrubbed_in_their_url_and_form_encoded_forms() {
        let secret = "a/b+c d=e&f~g";
        let r = Redactor::new([secret]);
        for encoded in [
            "a%2Fb%2Bc%20d%3De%26f%7Eg",
            "a%2Fb%2Bc+d%3De%26f%7Eg",
            "a/b+c d=e&f~g",
        ] {
            assert_eq!(
                r.text(&format!("echo {encoded} end")),
                "echo [REDACTED] end",
                "{encoded}"
            );
        }
        let url = Url::parse("https://x.test/p?note=a%2Fb%2Bc%20d%3De%26f%7Eg").unwrap();
        assert!(!r.url(&url).contains("a%2Fb"), "{}", r.url(&url));
    }
}
