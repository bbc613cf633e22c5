//! The record of requests the sandbox received (`GET /__sandbox/requests`), newest last, with
//! every secret redacted before it is stored: client secrets, codes, PKCE verifiers and
//! challenges, `state`, tokens, passwords and the control token never enter the journal.

use std::collections::VecDeque;

use axum::http::HeaderMap;
use serde::Serialize;
use serde_json::{Map, Value};

/// How many requests are kept.
pub const CAPACITY: usize = 1000;
/// How much of a body is kept.
const MAX_BODY_CHARS: usize = 8 * 1024;
/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// Field and parameter names whose values are secrets.
const SECRET_NAMES: [&str; 11] = [
    "client_secret",
    "code",
    "code_verifier",
    "code_challenge",
    "state",
    "refresh_token",
    "access_token",
    "id_token",
    "token",
    "password",
    "session_id",
];

/// Request headers whose values are credentials, redacted whole (`Authorization` keeps its
/// scheme).
const SECRET_HEADERS: [&str; 2] = ["cookie", crate::guard::CONTROL_TOKEN_HEADER];

/// One recorded exchange.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Sequence number (1, 2, …).
    pub id: u64,
    /// When it arrived (sandbox clock, RFC 3339).
    pub time: String,
    /// `auth`, `api` or `webhook` (a delivery the sandbox made).
    pub server: &'static str,
    /// HTTP method.
    pub method: String,
    /// Path (for webhooks: the target URL).
    pub path: String,
    /// Query string, secrets redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Request headers, `Authorization` redacted.
    pub headers: Map<String, Value>,
    /// Request body (JSON, or text), secrets redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// Response status.
    pub status: u16,
    /// Time to answer, in milliseconds.
    pub duration_ms: u64,
    /// `X-TL-Correlation-Id` of the answer, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// Whether an injected fault answered.
    pub fault: bool,
    /// For a webhook delivery: which attempt this was (1, 2, …; see `webhooks.rs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempt: Option<u32>,
}

/// The journal.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: VecDeque<Entry>,
    next_id: u64,
}

impl RequestLog {
    /// Appends an entry (its `id` is assigned here), dropping the oldest beyond capacity.
    pub fn push(&mut self, mut entry: Entry) {
        self.next_id += 1;
        entry.id = self.next_id;
        if self.entries.len() >= CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// Everything recorded, oldest first.
    pub fn entries(&self) -> Vec<Entry> {
        self.entries.iter().cloned().collect()
    }

    /// Forgets everything (ids keep counting).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

fn is_secret(name: &str) -> bool {
    SECRET_NAMES.contains(&name)
}

/// A query string with secret parameters' values replaced.
pub fn redact_query(query: &str) -> String {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| {
            let value = if is_secret(&k) {
                REDACTED.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), value)
        })
        .collect();
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// Request headers worth keeping, with credentials redacted.
pub fn redact_headers(headers: &HeaderMap) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, value) in headers {
        let name = name.as_str();
        let value = if SECRET_HEADERS.contains(&name) {
            REDACTED.to_owned()
        } else if name == "authorization" {
            let scheme = value
                .to_str()
                .ok()
                .and_then(|v| v.split_whitespace().next())
                .unwrap_or("");
            format!("{scheme} {REDACTED}").trim().to_owned()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        out.insert(name.to_owned(), Value::String(value));
    }
    out
}

/// A request body as JSON (form bodies become objects), secrets redacted, long text cut.
pub fn redact_body(body: &[u8], content_type: Option<&str>) -> Option<Value> {
    if body.is_empty() {
        return None;
    }
    let content_type = content_type.unwrap_or("");
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let mut object = Map::new();
        for (k, v) in url::form_urlencoded::parse(body) {
            let value = if is_secret(&k) {
                REDACTED.to_owned()
            } else {
                v.into_owned()
            };
            object.insert(k.into_owned(), Value::String(value));
        }
        return Some(Value::Object(object));
    }
    if let Ok(mut json) = serde_json::from_slice::<Value>(body) {
        redact_json(&mut json);
        return Some(json);
    }
    let text = String::from_utf8_lossy(body);
    let cut: String = text.chars().take(MAX_BODY_CHARS).collect();
    Some(Value::String(cut))
}

fn redact_json(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (k, v) in object.iter_mut() {
                if is_secret(k) {
                    *v = Value::String(REDACTED.to_owned());
                } else {
                    redact_json(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_reach_the_journal() {
        let form = redact_body(
            b"grant_type=authorization_code&code=ABC&client_secret=s3&code_verifier=v",
            Some("application/x-www-form-urlencoded"),
        )
        .unwrap();
        let text = form.to_string();
        for secret in ["ABC", "s3", "\"v\""] {
            assert!(!text.contains(secret), "{secret} leaked into {text}");
        }
        assert_eq!(form["grant_type"], "authorization_code");

        let json = redact_body(
            br#"{"refresh_token":"R","user":{"name":"n"},"password":"p"}"#,
            Some("application/json"),
        )
        .unwrap();
        assert_eq!(json["refresh_token"], REDACTED);
        assert_eq!(json["password"], REDACTED);
        assert_eq!(json["user"]["name"], "n");

        assert_eq!(
            redact_query("code=X&state=s&scope=info"),
            "code=%5Bredacted%5D&state=%5Bredacted%5D&scope=info"
        );
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "Bearer eyJ.secret".parse().unwrap());
        headers.insert("cookie", "session=abc".parse().unwrap());
        headers.insert("x-sandbox-token", "control-secret".parse().unwrap());
        let kept = redact_headers(&headers);
        assert_eq!(kept["authorization"], "Bearer [redacted]");
        assert_eq!(kept["cookie"], REDACTED);
        assert_eq!(kept["x-sandbox-token"], REDACTED);
    }

    #[test]
    fn the_journal_keeps_the_newest_entries_last_up_to_its_capacity() {
        let mut log = RequestLog::default();
        for i in 0..(CAPACITY + 5) {
            log.push(Entry {
                id: 0,
                time: String::new(),
                server: "api",
                method: "GET".into(),
                path: format!("/{i}"),
                query: None,
                headers: Map::new(),
                body: None,
                status: 200,
                duration_ms: 0,
                correlation_id: None,
                fault: false,
                attempt: None,
            });
        }
        let entries = log.entries();
        assert_eq!(entries.len(), CAPACITY);
        assert_eq!(entries.last().unwrap().path, format!("/{}", CAPACITY + 4));
        assert_eq!(entries.last().unwrap().id, (CAPACITY + 5) as u64);
    }
}
