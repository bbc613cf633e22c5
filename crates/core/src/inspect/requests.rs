//! The request inspector: the exchanges the TrueLayer client recorded (already redacted by its
//! hook before they reached the store), listed with filters and shown in full, with a `curl`
//! command that puts shell variables (`$ACCESS_TOKEN`, `$CLIENT_SECRET`, `$REFRESH_TOKEN`,
//! `$CODE`, `$CODE_VERIFIER`, else `$SECRET`) where the hook left `[REDACTED]`.
//!
//! Must not: un-redact anything, or read a secret to build the command (the variables are for
//! the user to set). In presenter mode the detail is masked by [`crate::inspect::mask`].

use std::sync::Arc;

use linkscope_truelayer::REDACTED;
use serde_json::{Map, Value};

use crate::context::Shared;
use crate::dto::{RequestDetail, RequestFilter, RequestStatusFilter, RequestSummary};
use crate::error::{Error, Result};
use crate::storage::store::{RequestRecord, RequestRow};

/// The most rows `list_requests` returns.
pub const MAX_LISTED: u32 = 1000;

/// Marks a shell variable inside text being built (private-use characters, never escaped by
/// JSON and never in recorded data once bodies are parsed).
const VAR_OPEN: char = '\u{E000}';
const VAR_CLOSE: char = '\u{E001}';

/// The request inspector.
#[derive(Debug, Clone)]
pub struct RequestService {
    shared: Arc<Shared>,
}

impl RequestService {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// `list_requests`: newest first.
    pub async fn list(&self, filter: RequestFilter) -> Result<Vec<RequestSummary>> {
        self.shared.flush_request_log().await;
        let non_empty =
            |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let store_filter = crate::storage::store::RequestFilter {
            connection_id: non_empty(filter.connection_id),
            failed: match filter.status {
                RequestStatusFilter::All => None,
                RequestStatusFilter::Success => Some(false),
                RequestStatusFilter::Failure => Some(true),
            },
            endpoint: non_empty(filter.endpoint),
            text: non_empty(filter.text),
            limit: Some(filter.limit.clamp(1, MAX_LISTED)),
            ..Default::default()
        };
        let store = self.shared.store.clone();
        let rows = tokio::task::spawn_blocking(move || store.list_requests(&store_filter))
            .await
            .map_err(Error::internal)??;
        Ok(rows.iter().map(summary_of).collect())
    }

    /// `get_request`: one exchange in full, with its curl command.
    pub async fn get(&self, id: &str) -> Result<RequestDetail> {
        self.shared.flush_request_log().await;
        let not_found = || Error::NotFound {
            what: "request",
            id: id.chars().take(40).collect(),
        };
        let number: i64 = id.trim().parse().map_err(|_| not_found())?;
        let row = self.shared.store.request(number)?.ok_or_else(not_found)?;
        Ok(shown_detail(&self.shared, &row))
    }
}

/// A row as the inspector shows it: in full, masked while presenter mode is on.
pub(crate) fn shown_detail(shared: &Shared, row: &RequestRow) -> RequestDetail {
    let detail = detail_of(row);
    if shared.presenter_mode() {
        mask_detail(detail)
    } else {
        detail
    }
}

/// The list entry of a stored row.
pub(crate) fn summary_of(row: &RequestRow) -> RequestSummary {
    let r = &row.record;
    RequestSummary {
        id: row.id.to_string(),
        connection_id: r.connection_id.clone(),
        started_at: r.at.clone(),
        method: r.method.clone(),
        url: r.url.clone(),
        endpoint: r.endpoint.clone(),
        status: r.status,
        duration_ms: u32::try_from(r.duration_ms).unwrap_or(u32::MAX),
        trace_id: r.trace_id.clone().or_else(|| r.correlation_id.clone()),
        correlation_id: r.correlation_id.clone(),
        error: error_of(r),
    }
}

/// Why an exchange failed: the transport error, else TrueLayer's `error` code, else a
/// problem+json `title`.
pub(crate) fn error_of(r: &RequestRecord) -> Option<String> {
    if let Some(e) = &r.error {
        return Some(e.clone());
    }
    if r.status.is_none_or(|s| s < 400) {
        return None;
    }
    let body: Value = serde_json::from_str(r.response_body.as_deref()?).ok()?;
    ["error", "title", "type"]
        .iter()
        .find_map(|k| body.get(*k).and_then(Value::as_str))
        .map(str::to_owned)
}

pub(crate) fn headers_of(json: &str) -> Vec<(String, String)> {
    serde_json::from_str(json).unwrap_or_default()
}

/// The `Content-Type` of recorded headers, lower-cased ("" when there is none).
pub(crate) fn content_type(headers: &[(String, String)]) -> String {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.to_ascii_lowercase())
        .unwrap_or_default()
}

/// A body for the JSON tree: JSON as JSON, a form as an object, other text as a string.
pub(crate) fn body_value(body: Option<&str>, headers: &[(String, String)]) -> Value {
    let Some(body) = body.filter(|b| !b.is_empty()) else {
        return Value::Null;
    };
    if let Ok(v) = serde_json::from_str::<Value>(body) {
        return v;
    }
    if content_type(headers).contains("application/x-www-form-urlencoded") {
        let map: Map<String, Value> = url::form_urlencoded::parse(body.as_bytes())
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect();
        return Value::Object(map);
    }
    Value::String(body.to_owned())
}

fn detail_of(row: &RequestRow) -> RequestDetail {
    let r = &row.record;
    let request_headers = headers_of(&r.request_headers);
    let response_headers = headers_of(&r.response_headers);
    RequestDetail {
        summary: summary_of(row),
        request_body: body_value(r.request_body.as_deref(), &request_headers),
        response_body: body_value(r.response_body.as_deref(), &response_headers),
        curl: curl_of(r),
        request_headers,
        response_headers,
    }
}

fn mask_detail(d: RequestDetail) -> RequestDetail {
    let masker = crate::inspect::mask::Masker::default();
    let headers = |h: Vec<(String, String)>| {
        h.into_iter()
            .map(|(k, v)| {
                let v = masker.text(&v);
                (k, v)
            })
            .collect()
    };
    let mut summary = d.summary;
    summary.url = masker.text(&summary.url);
    RequestDetail {
        summary,
        request_headers: headers(d.request_headers),
        request_body: masker.json(&d.request_body),
        response_headers: headers(d.response_headers),
        response_body: masker.json(&d.response_body),
        curl: masker.text(&d.curl),
    }
}

/// The shell variable for a redacted value, by the name of the field that held it.
fn variable_for(field: &str) -> &'static str {
    let key: String = field
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    match key.as_str() {
        "accesstoken" => "ACCESS_TOKEN",
        "refreshtoken" => "REFRESH_TOKEN",
        "clientsecret" => "CLIENT_SECRET",
        "code" => "CODE",
        "codeverifier" => "CODE_VERIFIER",
        "idtoken" => "ID_TOKEN",
        _ => "SECRET",
    }
}

fn var(name: &str) -> String {
    format!("{VAR_OPEN}{name}{VAR_CLOSE}")
}

/// Replaces every remaining `[REDACTED]` in text by a variable.
fn vars_in_text(text: &str, name: &str) -> String {
    text.replace(REDACTED, &var(name))
}

fn vars_in_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match v {
                    Value::String(s) if s == REDACTED => *s = var(variable_for(k)),
                    _ => vars_in_json(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(vars_in_json),
        Value::String(s) => *s = vars_in_text(s, "SECRET"),
        _ => {}
    }
}

/// Form pairs with variables where values were redacted (keys and other values re-encoded).
fn vars_in_form(body: &str) -> String {
    url::form_urlencoded::parse(body.as_bytes())
        .map(|(k, v)| {
            let key: String = url::form_urlencoded::byte_serialize(k.as_bytes()).collect();
            let value = if v == REDACTED {
                var(variable_for(&k))
            } else {
                url::form_urlencoded::byte_serialize(v.as_bytes()).collect()
            };
            format!("{key}={value}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A URL with variables where query values were redacted.
fn vars_in_url(raw: &str) -> String {
    if !raw.contains("REDACTED") {
        return raw.to_owned();
    }
    let Ok(mut url) = url::Url::parse(raw) else {
        return vars_in_text(raw, "SECRET");
    };
    let Some(query) = url.query().map(str::to_owned) else {
        return raw.to_owned();
    };
    url.set_query(None);
    format!("{}?{}", url.as_str(), vars_in_form(&query))
}

/// Quotes one shell word: single quotes when it has no variable, else double quotes with the
/// variables left to expand.
fn shell_word(text: &str) -> String {
    if !text.contains(VAR_OPEN) {
        return format!("'{}'", text.replace('\'', r"'\''"));
    }
    let mut out = String::from("\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            VAR_OPEN => {
                let name: String = chars.by_ref().take_while(|c| *c != VAR_CLOSE).collect();
                let glued = chars
                    .peek()
                    .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '_');
                if glued {
                    out.push_str(&format!("${{{name}}}"));
                } else {
                    out.push('$');
                    out.push_str(&name);
                }
            }
            '\\' | '"' | '$' | '`' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The request as a curl command (bodies and headers as recorded, secrets as variables).
pub fn curl_of(r: &RequestRecord) -> String {
    let headers = headers_of(&r.request_headers);
    let mut parts = vec!["curl".to_owned()];
    if r.method != "GET" || r.request_body.is_some() {
        parts.push(format!("-X {}", shell_word(&r.method)));
    }
    parts.push(shell_word(&vars_in_url(&r.url)));
    for (name, value) in &headers {
        let lower = name.to_ascii_lowercase();
        if matches!(lower.as_str(), "content-length" | "host") {
            continue;
        }
        let value = if lower == "authorization" || lower == "proxy-authorization" {
            let scheme = value.split_whitespace().next().unwrap_or_default();
            let variable = if scheme.eq_ignore_ascii_case("bearer") {
                "ACCESS_TOKEN"
            } else {
                "CLIENT_CREDENTIALS"
            };
            vars_in_text(value, variable)
        } else {
            vars_in_text(value, "SECRET")
        };
        parts.push(format!("-H {}", shell_word(&format!("{name}: {value}"))));
    }
    if let Some(body) = r.request_body.as_deref().filter(|b| !b.is_empty()) {
        let data = match serde_json::from_str::<Value>(body) {
            Ok(mut json) => {
                vars_in_json(&mut json);
                serde_json::to_string(&json).unwrap_or_else(|_| vars_in_text(body, "SECRET"))
            }
            Err(_) if content_type(&headers).contains("application/x-www-form-urlencoded") => {
                vars_in_form(body)
            }
            Err(_) => vars_in_text(body, "SECRET"),
        };
        parts.push(format!("--data-raw {}", shell_word(&data)));
    }
    parts.join(" \\\n  ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> RequestRecord {
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        RequestRecord {
            method: method.into(),
            url: url.into(),
            request_headers: serde_json::to_string(&headers).unwrap(),
            response_headers: "[]".into(),
            request_body: body.map(str::to_owned),
            ..Default::default()
        }
    }

    #[test]
    fn curl_puts_variables_where_secrets_were_redacted() {
        let cases: Vec<(&str, RequestRecord, &[&str])> = vec![
            (
                "a bearer data call",
                record(
                    "GET",
                    "http://127.0.0.1:1/data/v1/accounts",
                    &[("authorization", "Bearer [REDACTED]"), ("accept", "application/json")],
                    None,
                ),
                &[
                    "curl \\\n  'http://127.0.0.1:1/data/v1/accounts'",
                    "-H \"authorization: Bearer $ACCESS_TOKEN\"",
                    "-H 'accept: application/json'",
                ],
            ),
            (
                "a code exchange form",
                record(
                    "POST",
                    "http://127.0.0.1:1/connect/token",
                    &[("content-type", "application/x-www-form-urlencoded")],
                    Some("grant_type=authorization_code&client_id=demo&client_secret=[REDACTED]&code=[REDACTED]&code_verifier=[REDACTED]&redirect_uri=linkscope-dev%3A%2F%2Fcallback"),
                ),
                &[
                    "-X 'POST'",
                    "client_secret=$CLIENT_SECRET&code=$CODE&code_verifier=$CODE_VERIFIER",
                    "redirect_uri=linkscope-dev%3A%2F%2Fcallback",
                ],
            ),
            (
                "an extend JSON body",
                record(
                    "POST",
                    "http://127.0.0.1:1/data/v1/connections/extend",
                    &[("content-type", "application/json")],
                    Some(r#"{"client_id":"demo","client_secret":"[REDACTED]","refresh_token":"[REDACTED]"}"#),
                ),
                &[r#"--data-raw "{\"client_id\":\"demo\",\"client_secret\":\"$CLIENT_SECRET\",\"refresh_token\":\"$REFRESH_TOKEN\"}""#],
            ),
            (
                "a redacted query value",
                record("GET", "http://127.0.0.1:1/cb?code=[REDACTED]&x=1", &[], None),
                &["\"http://127.0.0.1:1/cb?code=$CODE&x=1\""],
            ),
        ];
        for (name, r, expected) in cases {
            let curl = curl_of(&r);
            for piece in expected {
                assert!(curl.contains(piece), "{name}: {piece} missing from\n{curl}");
            }
            assert!(
                !curl.contains(REDACTED),
                "{name}: every marker became a variable:\n{curl}"
            );
        }
    }

    #[test]
    fn shell_words_cannot_break_out_of_their_quotes() {
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        let with_var = format!("a\"b$c`d\\{}", var("CODE"));
        assert_eq!(shell_word(&with_var), r#""a\"b\$c\`d\\$CODE""#);
        assert_eq!(shell_word(&format!("{}x", var("CODE"))), "\"${CODE}x\"");
    }

    #[test]
    fn a_failure_is_named_by_its_transport_error_or_tl_error_or_problem_title() {
        let mut r = RequestRecord {
            status: Some(503),
            response_body: Some(r#"{"error":"provider_error","error_description":"x"}"#.into()),
            ..Default::default()
        };
        assert_eq!(error_of(&r).as_deref(), Some("provider_error"));
        r.response_body = Some(r#"{"title":"Unauthorized","status":401}"#.into());
        assert_eq!(error_of(&r).as_deref(), Some("Unauthorized"));
        r.status = Some(200);
        assert_eq!(error_of(&r), None, "a success has no error");
        r.status = None;
        r.error = Some("connection refused".into());
        assert_eq!(error_of(&r).as_deref(), Some("connection refused"));
    }
}
