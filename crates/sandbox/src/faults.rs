//! Injected faults and latency (`/__sandbox/faults`): the next N calls under a path prefix get a
//! chosen TrueLayer error; every call can be slowed down. Parsing of the control's body and the
//! shaping of the injected error (classic or problem+json, by the path's API) live here.

use std::collections::VecDeque;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::errors::{data_error_defaults, Problem, TlError};

/// The longest latency accepted (one minute).
pub const MAX_LATENCY_MS: u64 = 60_000;
/// The most calls one fault may hit.
pub const MAX_TIMES: u64 = 10_000;

/// One armed fault.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Fault {
    /// Calls whose path starts with this get the error.
    pub path: String,
    /// HTTP status.
    pub status: u16,
    /// TrueLayer error code.
    pub error: String,
    /// Description (TrueLayer's standard text for known codes when not given).
    pub error_description: String,
    /// `Retry-After` seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Calls left.
    pub times: u64,
}

/// All armed faults plus the added latency.
#[derive(Debug, Default)]
pub struct Faults {
    faults: VecDeque<Fault>,
    latency_ms: u64,
}

/// The parsed body of `POST /__sandbox/faults`.
#[derive(Debug, PartialEq, Eq)]
pub struct FaultRequest {
    /// A fault to arm, if the body had `path`.
    pub fault: Option<Fault>,
    /// New latency, if the body had `latency_ms`.
    pub latency_ms: Option<u64>,
}

impl Faults {
    /// The added latency in milliseconds.
    pub fn latency_ms(&self) -> u64 {
        self.latency_ms
    }

    /// Applies a control request.
    pub fn apply(&mut self, request: FaultRequest) {
        if let Some(fault) = request.fault {
            self.faults.push_back(fault);
        }
        if let Some(latency) = request.latency_ms {
            self.latency_ms = latency;
        }
    }

    /// Removes every fault and the latency.
    pub fn clear(&mut self) {
        self.faults.clear();
        self.latency_ms = 0;
    }

    /// Takes one hit of the first fault armed for `path` (oldest first).
    pub fn take(&mut self, path: &str) -> Option<Fault> {
        let index = self.faults.iter().position(|f| path.starts_with(&f.path))?;
        let fault = self.faults.get_mut(index)?;
        fault.times = fault.times.saturating_sub(1);
        let hit = fault.clone();
        if hit.times == 0 {
            self.faults.remove(index);
        }
        Some(hit)
    }

    /// The control's JSON view.
    pub fn snapshot(&self) -> Value {
        json!({"faults": self.faults, "latency_ms": self.latency_ms})
    }
}

/// The status TrueLayer uses for a code, or the default code for a status.
fn default_code(status: u16) -> &'static str {
    match status {
        400 => "validation_error",
        401 => "invalid_token",
        403 => "access_denied",
        404 => "account_not_found",
        429 => "provider_too_many_requests",
        501 => "endpoint_not_supported",
        503 => "temporarily_unavailable",
        504 => "provider_timeout",
        _ => "internal_server_error",
    }
}

/// Parses the control's JSON body. Unknown fields and out-of-range values are refused.
pub fn parse_fault_request(body: &Value) -> Result<FaultRequest, String> {
    let object = body.as_object().ok_or("the body must be a JSON object")?;
    const KNOWN: [&str; 7] = [
        "path",
        "status",
        "error",
        "error_description",
        "retry_after",
        "times",
        "latency_ms",
    ];
    if let Some(unknown) = object.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(format!("unknown field '{unknown}'"));
    }
    let latency_ms = match object.get("latency_ms") {
        None => None,
        Some(v) => Some(
            v.as_u64()
                .filter(|ms| *ms <= MAX_LATENCY_MS)
                .ok_or(format!(
                    "latency_ms must be an integer from 0 to {MAX_LATENCY_MS}"
                ))?,
        ),
    };
    let fault = match object.get("path") {
        None => {
            if let Some(field) = [
                "status",
                "error",
                "error_description",
                "retry_after",
                "times",
            ]
            .iter()
            .find(|f| object.contains_key(**f))
            {
                return Err(format!("'{field}' needs a 'path' to apply to"));
            }
            None
        }
        Some(path) => Some(parse_fault(object, path)?),
    };
    if fault.is_none() && latency_ms.is_none() {
        return Err("give a fault ('path', 'status', 'error', …) or 'latency_ms'".to_owned());
    }
    Ok(FaultRequest { fault, latency_ms })
}

fn parse_fault(object: &Map<String, Value>, path: &Value) -> Result<Fault, String> {
    let path = path
        .as_str()
        .filter(|p| p.starts_with('/') && !p.starts_with("/__sandbox"))
        .ok_or("'path' must be a string starting with '/' (and not a control path)")?;
    let error = match object.get("error") {
        None => None,
        Some(v) => Some(
            v.as_str()
                .filter(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
                .ok_or("'error' must be a TrueLayer error code (lower-case letters and '_')")?,
        ),
    };
    let status = match object.get("status") {
        None => None,
        Some(v) => Some(
            v.as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .filter(|s| (400..=599).contains(s))
                .ok_or("'status' must be an HTTP error status from 400 to 599")?,
        ),
    };
    let (status, error) = match (status, error) {
        (Some(status), Some(error)) => (status, error.to_owned()),
        (Some(status), None) => (status, default_code(status).to_owned()),
        (None, Some(error)) => {
            let (status, _) = data_error_defaults(error).ok_or(format!(
                "'{error}' has no standard status: give 'status' as well"
            ))?;
            (status.as_u16(), error.to_owned())
        }
        (None, None) => return Err("a fault needs 'status', 'error' or both".to_owned()),
    };
    let error_description = match object.get("error_description") {
        None => data_error_defaults(&error)
            .map(|(_, text)| text.to_owned())
            .unwrap_or_else(|| "Injected by the sandbox.".to_owned()),
        Some(v) => v
            .as_str()
            .ok_or("'error_description' must be a string")?
            .to_owned(),
    };
    let retry_after = match object.get("retry_after") {
        None => None,
        Some(v) => Some(
            v.as_u64()
                .filter(|s| *s <= 86_400)
                .ok_or("'retry_after' must be seconds from 0 to 86400")?,
        ),
    };
    let times = match object.get("times") {
        None => 1,
        Some(v) => v
            .as_u64()
            .filter(|t| (1..=MAX_TIMES).contains(t))
            .ok_or(format!("'times' must be an integer from 1 to {MAX_TIMES}"))?,
    };
    Ok(Fault {
        path: path.to_owned(),
        status,
        error,
        error_description,
        retry_after,
        times,
    })
}

impl Fault {
    /// The error response for a call to `path`, in the shape that path's API uses.
    pub fn response(&self, path: &str) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let description = self.error_description.as_str();
        let mut problem = if path.starts_with("/signup-plus") {
            let slug = self.error.replace('_', "-");
            Some(Problem::signup(status, &slug, description, None))
        } else if path.starts_with("/verification") {
            Some(Problem::verification(
                status,
                description,
                Some(&self.error),
            ))
        } else if path.starts_with("/data/v1/connections/extend") {
            Some(Problem::extend(status, description, Some(&self.error)))
        } else {
            None
        };
        match problem.as_mut() {
            Some(problem) => {
                problem.retry_after = self.retry_after;
                problem.clone().into_response()
            }
            None => TlError::new(status, &self.error, description)
                .retry_after(self.retry_after)
                .into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_example_parses_into_a_single_429_fault() {
        let body = json!({"path": "/data/v1/accounts", "status": 429,
            "error": "provider_too_many_requests", "retry_after": 2, "times": 1});
        let request = parse_fault_request(&body).unwrap();
        let fault = request.fault.unwrap();
        assert_eq!(fault.status, 429);
        assert_eq!(fault.error_description, "Provider rate limit exceeded.");
        assert_eq!(fault.retry_after, Some(2));
        assert_eq!(request.latency_ms, None);
    }

    #[test]
    fn a_fault_is_used_up_after_its_times_and_matches_by_prefix() {
        let mut faults = Faults::default();
        faults.apply(
            parse_fault_request(
                &json!({"path": "/data/v1/accounts", "error": "provider_error", "times": 2}),
            )
            .unwrap(),
        );
        assert!(faults.take("/data/v1/cards").is_none());
        assert_eq!(
            faults.take("/data/v1/accounts/abc/balance").unwrap().status,
            503
        );
        assert!(faults.take("/data/v1/accounts").is_some());
        assert!(faults.take("/data/v1/accounts").is_none(), "two hits only");
    }

    #[test]
    fn malformed_fault_requests_are_refused() {
        for body in [
            json!([]),
            json!({}),
            json!({"path": "data/v1"}),
            json!({"path": "/__sandbox/clock", "status": 500}),
            json!({"path": "/x"}),
            json!({"path": "/x", "status": 200}),
            json!({"path": "/x", "error": "made_up_code"}),
            json!({"path": "/x", "status": 500, "times": 0}),
            json!({"status": 500}),
            json!({"latency_ms": -1}),
            json!({"latency_ms": 100, "colour": "red"}),
        ] {
            assert!(
                parse_fault_request(&body).is_err(),
                "{body} should be refused"
            );
        }
    }
}
