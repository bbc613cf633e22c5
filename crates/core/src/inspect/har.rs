//! HAR 1.2 files of recorded exchanges, for the tools support staff already use (Chrome DevTools,
//! Insomnia, Charles).
//!
//! Each entry is built from the exchange exactly as the inspector shows it
//! ([`crate::inspect::requests::shown_detail`]: redacted before it was stored, masked in presenter
//! mode), so a HAR never holds more than the inspector does. Linkscope's own fields ride along as
//! HAR custom fields (`_traceId`, `_correlationId`, `_linkscopeId`, `_connectionId`, `_error`).
//! Timings are what was recorded: the whole exchange as `wait`, the rest 0 (HAR's "not known").

use chrono::{DateTime, SecondsFormat};
use serde_json::{json, Map, Value};

use crate::context::Shared;
use crate::dto::{HarSelection, RequestDetail};
use crate::error::{Error, Result};
use crate::inspect::export::ExportFile;
use crate::inspect::requests::{content_type, shown_detail};
use crate::storage::store::{RequestFilter, RequestRow, REQUEST_LOG_MAX_ROWS};

/// The exchanges `selection` names, oldest first (HAR's order), as a `.har` file.
pub(crate) fn har_file(shared: &Shared, selection: &HarSelection) -> Result<ExportFile> {
    let rows = selected_rows(shared, selection)?;
    let entries: Vec<Value> = rows
        .iter()
        .map(|row| entry(&shown_detail(shared, row)))
        .collect();
    let har = json!({
        "log": {
            "version": "1.2",
            "creator": { "name": "Linkscope", "version": shared.config.version },
            "pages": [],
            "entries": entries,
        }
    });
    let stem = match &selection.connection_id {
        Some(id) => format!("linkscope-{}", super::export::file_safe(id)),
        None => "linkscope-requests".to_owned(),
    };
    Ok(ExportFile {
        file_name: format!("{stem}.har"),
        content: serde_json::to_string_pretty(&har).map_err(Error::internal)?,
    })
}

/// The rows of a selection, checked before anything is read: ids must be request ids, times
/// RFC 3339 and in order.
fn selected_rows(shared: &Shared, selection: &HarSelection) -> Result<Vec<RequestRow>> {
    let since = selection.since.as_deref().map(instant).transpose()?;
    let until = selection.until.as_deref().map(instant).transpose()?;
    if let (Some(since), Some(until)) = (since, until) {
        if since > until {
            return Err(Error::Validation(
                "The time range ends before it starts: swap \"since\" and \"until\".".into(),
            ));
        }
    }
    let mut rows = if selection.ids.is_empty() {
        shared.store.list_requests(&RequestFilter {
            connection_id: selection.connection_id.clone(),
            limit: u32::try_from(REQUEST_LOG_MAX_ROWS).ok(),
            ..Default::default()
        })?
    } else {
        if selection.ids.len() > REQUEST_LOG_MAX_ROWS as usize {
            return Err(Error::Validation(format!(
                "A HAR holds at most {REQUEST_LOG_MAX_ROWS} exchanges (the log's size); {} were chosen.",
                selection.ids.len()
            )));
        }
        let numbers = selection
            .ids
            .iter()
            .map(|id| {
                id.trim().parse::<i64>().map_err(|_| {
                    Error::Validation(format!(
                        "\"{}\" is not a request id from the inspector.",
                        id.chars().take(40).collect::<String>()
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut rows = Vec::with_capacity(numbers.len());
        for n in numbers {
            let row = shared.store.request(n)?.ok_or_else(|| Error::NotFound {
                what: "request",
                id: n.to_string(),
            })?;
            rows.push(row);
        }
        rows
    };
    rows.retain(|row| {
        let at = DateTime::parse_from_rfc3339(&row.record.at).ok();
        let connection = selection.connection_id.as_deref();
        connection.is_none_or(|c| row.record.connection_id.as_deref() == Some(c))
            && since.is_none_or(|s| at.is_some_and(|at| at >= s))
            && until.is_none_or(|u| at.is_some_and(|at| at <= u))
    });
    rows.sort_by_key(|row| row.id);
    rows.dedup_by_key(|row| row.id);
    Ok(rows)
}

fn instant(text: &str) -> Result<DateTime<chrono::FixedOffset>> {
    DateTime::parse_from_rfc3339(text.trim()).map_err(|_| {
        Error::Validation(format!(
            "\"{}\" is not a time like 2026-12-01T09:30:00Z.",
            text.chars().take(40).collect::<String>()
        ))
    })
}

/// One HAR entry from an exchange as the inspector shows it.
fn entry(d: &RequestDetail) -> Value {
    let s = &d.summary;
    let started = DateTime::parse_from_rfc3339(&s.started_at)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
        .unwrap_or_else(|_| s.started_at.clone());
    let request_type = content_type(&d.request_headers);
    let response_type = content_type(&d.response_headers);
    let mut request = json!({
        "method": s.method,
        "url": s.url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": name_values(&d.request_headers),
        "queryString": query_of(&s.url),
        "headersSize": -1,
        "bodySize": -1,
    });
    if let Some(text) = body_text(&d.request_body, &request_type) {
        let mut post = json!({ "mimeType": request_type, "text": text });
        if let Value::Object(form) = &d.request_body {
            if request_type.contains("x-www-form-urlencoded") {
                post["params"] = form
                    .iter()
                    .map(|(k, v)| json!({ "name": k, "value": v.as_str().unwrap_or_default() }))
                    .collect();
            }
        }
        request["bodySize"] = json!(text.len());
        request["postData"] = post;
    }
    let response_text = body_text(&d.response_body, &response_type);
    let mut content = json!({
        "size": response_text.as_ref().map_or(0, String::len),
        "mimeType": response_type,
    });
    if let Some(text) = &response_text {
        content["text"] = json!(text);
    }
    let status = s.status.unwrap_or(0);
    let mut entry = Map::new();
    entry.insert("startedDateTime".into(), json!(started));
    entry.insert("time".into(), json!(s.duration_ms));
    entry.insert("request".into(), request);
    entry.insert(
        "response".into(),
        json!({
            "status": status,
            "statusText": reqwest::StatusCode::from_u16(status)
                .ok()
                .and_then(|c| c.canonical_reason())
                .unwrap_or(""),
            "httpVersion": if s.status.is_some() { "HTTP/1.1" } else { "" },
            "cookies": [],
            "headers": name_values(&d.response_headers),
            "content": content,
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": response_text.as_ref().map_or(-1, |t| t.len() as i64),
        }),
    );
    entry.insert("cache".into(), json!({}));
    entry.insert(
        "timings".into(),
        json!({ "send": 0, "wait": s.duration_ms, "receive": 0 }),
    );
    entry.insert("_linkscopeId".into(), json!(s.id));
    entry.insert("_traceId".into(), json!(s.trace_id));
    entry.insert("_correlationId".into(), json!(s.correlation_id));
    entry.insert("_connectionId".into(), json!(s.connection_id));
    entry.insert("_error".into(), json!(s.error));
    Value::Object(entry)
}

fn name_values(headers: &[(String, String)]) -> Vec<Value> {
    headers
        .iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect()
}

fn query_of(url: &str) -> Vec<Value> {
    url::Url::parse(url)
        .map(|u| {
            u.query_pairs()
                .map(|(name, value)| json!({ "name": name, "value": value }))
                .collect()
        })
        .unwrap_or_default()
}

/// A body as text again: text as it was, a form re-encoded, JSON compact; `None` when empty.
fn body_text(body: &Value, mime: &str) -> Option<String> {
    match body {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        Value::Object(form) if mime.contains("x-www-form-urlencoded") => Some(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(
                    form.iter()
                        .map(|(k, v)| (k, v.as_str().unwrap_or_default())),
                )
                .finish(),
        ),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_body_becomes_post_data_with_params_and_the_same_text() {
        let form = json!({ "grant_type": "authorization_code", "code": "[REDACTED]" });
        let text = body_text(&form, "application/x-www-form-urlencoded").unwrap();
        assert_eq!(text, "grant_type=authorization_code&code=%5BREDACTED%5D");
        assert_eq!(body_text(&Value::Null, "application/json"), None);
        assert_eq!(
            body_text(&json!({"results": []}), "application/json").unwrap(),
            r#"{"results":[]}"#
        );
    }

    #[test]
    fn a_query_string_is_listed_by_name() {
        let pairs = query_of(
            "https://api.example/data/v1/accounts/a/transactions?from=2026-01-01&to=2026-02-01",
        );
        assert_eq!(pairs.len(), 2);
        assert_eq!(pairs[0], json!({ "name": "from", "value": "2026-01-01" }));
    }
}
