//! The crate's one error type, TrueLayer's error bodies parsed into [`ApiError`], and
//! [`explain`]: one plain sentence per documented error code saying what to do next.
//!
//! Owns: parsing the three error shapes TrueLayer uses (`{error, error_description,
//! error_details}` on the auth server and Data API; RFC 7807 problem+json on
//! `/connections/extend`, Signup+ and verification; anything else kept raw). Must not: implement
//! `Serialize` (the Tauri shell maps errors to `{code, message}`), or hold a secret (bodies kept
//! here are redacted like recordings).

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::Operation;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong talking to TrueLayer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// TrueLayer answered with an error status (4xx/5xx, or an unexpected 3xx).
    #[error("{0}")]
    Api(Box<ApiError>),
    /// No HTTP answer at all: connection refused, DNS, TLS, or a timeout, after the retries the
    /// policy allowed.
    #[error("{operation}: {kind}: {message}")]
    Transport {
        /// The call that failed.
        operation: Operation,
        /// What kind of failure.
        kind: TransportErrorKind,
        /// The transport's message (secrets scrubbed).
        message: String,
    },
    /// A successful status whose body does not have the documented shape.
    #[error("{}", .0)]
    Decode(Box<DecodeError>),
    /// An async Data API task (`async=true`) finished with status `Failed`.
    #[error("{}", .0)]
    AsyncFailed(Box<AsyncFailure>),
    /// An async task was still `Queued`/`Running` when the polling budget ran out.
    #[error("async task {task_id} still {last_status} after {attempts} polls")]
    AsyncTimedOut {
        /// TrueLayer's task id.
        task_id: String,
        /// The last status seen.
        last_status: String,
        /// How many times `results_uri` was polled.
        attempts: u32,
    },
    /// The caller's input was rejected before anything was sent.
    #[error("invalid {what}: {reason}")]
    InvalidInput {
        /// Which input.
        what: &'static str,
        /// Why, in one sentence.
        reason: String,
    },
    /// The caller cancelled the operation.
    #[error("cancelled")]
    Cancelled,
}

impl Error {
    /// TrueLayer's error, when TrueLayer answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status of the answer, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// TrueLayer's error code (`invalid_grant`, `provider_error`, a problem+json slug, …).
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.code.as_deref(),
            Error::AsyncFailed(e) => e.error.as_deref(),
            _ => None,
        }
    }

    /// The trace ids of the answer that failed, if there was one.
    pub fn trace_ids(&self) -> Option<&TraceIds> {
        match self {
            Error::Api(e) => Some(&e.trace_ids),
            Error::Decode(e) => Some(&e.trace_ids),
            Error::AsyncFailed(e) => Some(&e.trace_ids),
            _ => None,
        }
    }

    /// One plain sentence: what went wrong and what to do next.
    pub fn explain(&self) -> String {
        match self {
            Error::Api(e) => e.explain(),
            Error::Transport { kind, .. } => match kind {
                TransportErrorKind::Timeout => {
                    "TrueLayer did not answer in time; check the network and try again.".into()
                }
                TransportErrorKind::Connect => {
                    "Could not connect to TrueLayer; check the network and the environment's base URLs.".into()
                }
                TransportErrorKind::Other => {
                    "The request could not be sent; check the network and try again.".into()
                }
            },
            Error::Decode(_) => {
                "TrueLayer answered with a body this client does not understand; open the raw response in the inspector and report it.".into()
            }
            Error::AsyncFailed(e) => match e.error.as_deref().and_then(explain) {
                Some(s) => s.into(),
                None => "The asynchronous request failed at the provider; try it again, or without async mode.".into(),
            },
            Error::AsyncTimedOut { .. } => {
                "The asynchronous request is still running; poll its results_uri again later.".into()
            }
            Error::InvalidInput { what, .. } => format!("The {what} is not valid; correct it and try again."),
            Error::Cancelled => "The operation was cancelled.".into(),
        }
    }

    pub(crate) fn invalid(what: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            what,
            reason: reason.into(),
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

/// Why a request got no HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportErrorKind {
    /// The connection could not be made (refused, DNS, TLS): the request never reached TrueLayer.
    Connect,
    /// No complete answer within the timeout: the request may have been processed.
    Timeout,
    /// Anything else (the body could not be read, an invalid request).
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Other => "transport error",
        })
    }
}

/// The ids TrueLayer puts on an answer, for support tickets. Kept from headers (and, for
/// problem+json bodies, from `trace_id`/`traceId` in the body).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TraceIds {
    /// `X-TL-Correlation-Id` (Data API).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// `Tl-Trace-Id` (Signup+, verification), or the body's `trace_id`/`traceId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// `X-Request-Id` (deprecated by TrueLayer, still sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl TraceIds {
    /// The id to quote to TrueLayer support: the correlation id, else the trace id, else the
    /// request id.
    pub fn primary(&self) -> Option<&str> {
        self.correlation_id
            .as_deref()
            .or(self.trace_id.as_deref())
            .or(self.request_id.as_deref())
    }

    /// Whether no id was sent.
    pub fn is_empty(&self) -> bool {
        self.primary().is_none()
    }

    /// Every id that is present, for searching.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        [&self.correlation_id, &self.trace_id, &self.request_id]
            .into_iter()
            .filter_map(|v| v.as_deref())
    }

    pub(crate) fn from_headers(headers: &http::HeaderMap) -> Self {
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        TraceIds {
            correlation_id: get("x-tl-correlation-id"),
            trace_id: get("tl-trace-id"),
            request_id: get("x-request-id"),
        }
    }
}

/// An error answer from TrueLayer, with everything needed to explain it and to report it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The call that failed.
    pub operation: Operation,
    /// The HTTP status.
    pub status: u16,
    /// TrueLayer's code: `error` in OAuth/Data bodies; for problem+json, the slug after `#` in
    /// `type` (e.g. `no-valid-accounts`) or, without one, `title` is kept in `description`.
    pub code: Option<String>,
    /// `error_description`, or problem+json `detail` (else `title`).
    pub description: Option<String>,
    /// problem+json `title`, when there was one.
    pub title: Option<String>,
    /// `error_details`, or problem+json `errors` (validation messages per field).
    pub details: Option<serde_json::Value>,
    /// Trace ids from the headers (and the body, for problem+json).
    pub trace_ids: TraceIds,
    /// `Retry-After`, when sent (seconds or HTTP date).
    pub retry_after: Option<Duration>,
    /// The body as received, with secrets redacted exactly as in recordings.
    pub raw_body: String,
}

impl ApiError {
    /// Parses an error answer. Never fails: an unknown shape keeps only the status and raw body.
    pub(crate) fn parse(
        operation: Operation,
        status: u16,
        headers: &http::HeaderMap,
        body: &[u8],
        redacted_body: String,
    ) -> Self {
        let mut error = ApiError {
            operation,
            status,
            code: None,
            description: None,
            title: None,
            details: None,
            trace_ids: TraceIds::from_headers(headers),
            retry_after: crate::http::retry_after(headers),
            raw_body: redacted_body,
        };
        let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body)
        else {
            return error;
        };
        let text = |key: &str| {
            map.get(key)
                .and_then(|v| v.as_str())
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        if let Some(code) = text("error") {
            // OAuth / Data API shape: {error, error_description, error_details}.
            error.code = Some(code);
            error.description = text("error_description");
            error.details = map
                .get("error_details")
                .filter(|v| !is_empty_json(v))
                .cloned();
        } else if map.contains_key("title") || map.contains_key("type") {
            // RFC 7807 problem+json.
            error.code = text("type").and_then(|t| problem_slug(&t));
            error.title = text("title");
            error.description = text("detail").or_else(|| error.title.clone());
            error.details = map.get("errors").filter(|v| !is_empty_json(v)).cloned();
        }
        if error.trace_ids.trace_id.is_none() {
            error.trace_ids.trace_id = text("trace_id").or_else(|| text("traceId"));
        }
        error
    }

    /// One plain sentence saying what happened and what to do next: the documented meaning of
    /// the code when it is known, else a sentence for the status.
    pub fn explain(&self) -> String {
        if let Some(sentence) = self.code.as_deref().and_then(explain) {
            return sentence.to_owned();
        }
        if self.operation == Operation::ExtendConnection && self.status == 422 {
            return "This connection cannot be extended; send the user through a new auth link instead.".into();
        }
        explain_status(self.status).to_owned()
    }

    /// Whether a retry can help (429, 503, 504).
    pub fn is_transient(&self) -> bool {
        matches!(self.status, 429 | 503 | 504)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(description) = &self.description {
            write!(f, ": {description}")?;
        }
        if let Some(id) = self.trace_ids.primary() {
            write!(f, " (trace id {id})")?;
        }
        Ok(())
    }
}

/// A success status whose body could not be read as the documented shape.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The call.
    pub operation: Operation,
    /// The HTTP status (2xx).
    pub status: u16,
    /// What did not fit (serde's message with the path).
    pub message: String,
    /// Trace ids of the answer.
    pub trace_ids: TraceIds,
    /// The body as received, redacted like recordings.
    pub raw_body: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: HTTP {} with an unexpected body: {}",
            self.operation, self.status, self.message
        )
    }
}

/// An async task that ended `Failed`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AsyncFailure {
    /// TrueLayer's task id.
    pub task_id: String,
    /// The `error` field of the results body, if any.
    pub error: Option<String>,
    /// The `error_description` field, if any.
    pub description: Option<String>,
    /// Trace ids of the final poll.
    pub trace_ids: TraceIds,
    /// The final results body, redacted.
    pub raw_body: String,
}

impl fmt::Display for AsyncFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "async task {} failed", self.task_id)?;
        if let Some(code) = &self.error {
            write!(f, ": {code}")?;
        }
        if let Some(description) = &self.description {
            write!(f, ": {description}")?;
        }
        Ok(())
    }
}

fn is_empty_json(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Null => true,
        serde_json::Value::Object(m) => m.is_empty(),
        serde_json::Value::Array(a) => a.is_empty(),
        serde_json::Value::String(s) => s.is_empty(),
        _ => false,
    }
}

/// `https://docs.truelayer.com/docs/signup-errors#no-valid-accounts` → `no-valid-accounts`.
/// A type without a fragment (e.g. `https://docs.truelayer.com/#connection-api-errors` has one,
/// `about:blank` has none) gives no code.
fn problem_slug(type_uri: &str) -> Option<String> {
    let (_, fragment) = type_uri.rsplit_once('#')?;
    let fragment = fragment.trim();
    (!fragment.is_empty()).then(|| fragment.to_owned())
}

/// One plain sentence for each error code TrueLayer documents (Data API, auth server, Signup+,
/// verification and the mock users), saying what it means and what to do next. `None` for a code
/// TrueLayer does not document.
pub fn explain(code: &str) -> Option<&'static str> {
    Some(match code {
        // Token endpoint and auth dialog (auth server).
        "invalid_grant" => "The code is older than 5 minutes or was already used, or the refresh token or consent has expired; start the link again.",
        "invalid_authorization_code" => "The authorization code is wrong, older than 5 minutes or already used; start the link again.",
        "invalid_client" => "The client_id or client secret is wrong or belongs to the other environment (sandbox vs live); check the environment's credentials.",
        "unauthorized_client" => "The auth link, client_id or redirect_uri is not accepted for this client; check that the redirect URI is allow-listed in the Console.",
        "invalid_request" => "TrueLayer rejected the request as malformed (for example an invalid refresh token); check the parameters or link again.",
        "not_found" => "TrueLayer could not find what was asked for; check the identifiers used.",
        "internal_server_error" => "TrueLayer had an internal error; wait a moment and try again, and quote the trace id to support if it persists.",
        // Data API v1.
        "validation_error" => "The parameters sent are not valid; check them and try again.",
        "invalid_date_range" => "The date range is not valid (from after to, or too long for this provider); choose a shorter range.",
        "deprecated_provider" => "This provider is deprecated at TrueLayer; link the account again through a supported provider.",
        "unauthorized" => "The credentials or token are no longer valid; refresh the token, or link the account again.",
        "invalid_token" => "The access token has expired or is invalid; refresh it and retry.",
        "access_denied" => "Access was denied, usually because the consent has expired or was revoked; link the account again.",
        "invalid_credentials_key" => "TrueLayer could not decrypt this connection's credentials; link the account again.",
        "sca_exceeded" => "This data can only be fetched shortly after the user authenticates at the bank; link the account again and fetch it right away.",
        "account_not_found" => "The account does not exist on this connection; list the accounts again and use one of their ids.",
        "provider_too_many_requests" => "The bank is rate limiting requests; wait a little (see Retry-After) and try again.",
        "provider_request_limit_exceeded" => "The bank's limit of unattended requests per user is used up; wait until tomorrow, or make the call while the user is present (X-PSU-IP).",
        "unattended_calls_limit_exceeded" => "The bank's limit of unattended requests per user is used up; wait until tomorrow, or make the call while the user is present (X-PSU-IP).",
        "endpoint_not_supported" => "This bank does not offer this data; there is nothing to retry.",
        "provider_error" => "The bank's service is unavailable (often planned downtime); try again later.",
        "temporarily_unavailable" => "The bank's service is temporarily unavailable; try again in a few minutes.",
        "connector_overload" => "TrueLayer's connector to this bank is overloaded; try again in a few minutes.",
        "provider_timeout" => "The bank did not answer in time; try again.",
        "connector_timeout" => "TrueLayer's connector to this bank timed out; try again.",
        "account_permanently_locked" => "The bank has locked this account permanently; the user must contact their bank.",
        "account_temporarily_locked" => "The bank has locked this account for now; the user should try again later or contact their bank.",
        "internal_error" => "The bank reported an internal error; try again later.",
        "user_input_required" => "The bank needs the user to act (for example accept new terms); send them through the link again.",
        "insufficient_scope" => "The connection was not granted the scope this endpoint needs; link again with that scope.",
        // Signup+ (problem+json slugs).
        "no-valid-accounts" => "No account on this connection can be used for Signup+ (only UK current accounts qualify); link a current account.",
        "user-data-not-found" => "The bank returned no identity data for this account; Signup+ cannot prefill this user.",
        "joint-account" => "Signup+ does not support joint accounts; link a sole account instead.",
        "provider-not-supported" => "Signup+ does not support this bank; link an account at a supported UK bank.",
        "invalid-parameters" => "The request parameters are not valid; check the account_id and try again.",
        "missing-claims" => "The access token lacks the signupplus scope; link again with the signupplus scope.",
        "provider-timeout" | "provider-unavailable" => "The bank did not answer in time; try again later.",
        "forbidden" => "This client or token may not use this feature; ask TrueLayer support to enable it for the client_id, or link again with the needed scope.",
        "internal-server-error" => "TrueLayer had an internal error; wait a moment and try again, and quote the trace id to support if it persists.",
        // Extend connection (problem+json type fragment).
        "connection-api-errors" => "TrueLayer rejected the extend request; check the details, and link again if the refresh token is no longer valid.",
        _ => return None,
    })
}

/// One plain sentence for an HTTP status when the code is unknown.
fn explain_status(status: u16) -> &'static str {
    match status {
        300..=399 => "TrueLayer answered with a redirect, which this client never follows; check the environment's base URLs.",
        400 => "TrueLayer rejected the request as invalid; check the parameters.",
        401 => "The token or client credentials were not accepted; refresh the token or check the credentials.",
        403 => "Access was refused (consent expired, scope missing or client not enabled); link again or ask TrueLayer support to enable the feature.",
        404 => "TrueLayer found nothing at this address; check the identifiers and the environment's base URLs.",
        422 => "TrueLayer understood the request but cannot do it for this connection; see the details.",
        429 => "Too many requests; wait a little and try again.",
        501 => "This bank does not offer this data; there is nothing to retry.",
        500..=599 => "TrueLayer or the bank had a problem; try again later and quote the trace id if it persists.",
        _ => "TrueLayer answered with an unexpected status; open the raw response in the inspector.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(status: u16, headers: &[(&str, &str)], body: &str) -> ApiError {
        let mut map = http::HeaderMap::new();
        for (k, v) in headers {
            map.insert(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                http::HeaderValue::from_str(v).unwrap(),
            );
        }
        ApiError::parse(
            Operation::Accounts,
            status,
            &map,
            body.as_bytes(),
            body.to_owned(),
        )
    }

    #[test]
    fn an_oauth_style_error_keeps_code_description_details_and_correlation_id() {
        let e = parse(
            401,
            &[("X-TL-Correlation-Id", "corr-1"), ("X-Request-Id", "req-1")],
            r#"{"error":"invalid_request","error_description":"Invalid request","error_details":{"reason":"Invalid refresh_token"}}"#,
        );
        assert_eq!(e.status, 401);
        assert_eq!(e.code.as_deref(), Some("invalid_request"));
        assert_eq!(e.description.as_deref(), Some("Invalid request"));
        assert_eq!(
            e.details,
            Some(serde_json::json!({"reason": "Invalid refresh_token"}))
        );
        assert_eq!(e.trace_ids.correlation_id.as_deref(), Some("corr-1"));
        assert_eq!(e.trace_ids.request_id.as_deref(), Some("req-1"));
        assert_eq!(e.trace_ids.primary(), Some("corr-1"));
    }

    #[test]
    fn empty_error_details_are_dropped() {
        let e = parse(
            503,
            &[],
            r#"{"error":"provider_error","error_description":"The provider service is unavailable.","error_details":{}}"#,
        );
        assert_eq!(e.details, None);
        assert!(e.is_transient());
    }

    #[test]
    fn a_problem_json_error_takes_its_code_from_the_type_fragment_and_trace_id_from_the_body() {
        let e = parse(
            422,
            &[],
            r#"{"type":"https://docs.truelayer.com/docs/signup-errors#no-valid-accounts","title":"No valid accounts","status":422,"detail":"No valid accounts linked, could not process request.","trace_id":"t-9"}"#,
        );
        assert_eq!(e.code.as_deref(), Some("no-valid-accounts"));
        assert_eq!(
            e.description.as_deref(),
            Some("No valid accounts linked, could not process request.")
        );
        assert_eq!(e.title.as_deref(), Some("No valid accounts"));
        assert_eq!(e.trace_ids.trace_id.as_deref(), Some("t-9"));
    }

    #[test]
    fn verification_problem_json_uses_camel_case_trace_id_and_validation_errors() {
        let e = parse(
            400,
            &[],
            r#"{"title":"One or more validation errors occurred.","errors":{"name":["The field Name must be a string with a maximum length of 200."]},"traceId":"abc"}"#,
        );
        assert_eq!(e.code, None);
        assert_eq!(
            e.description.as_deref(),
            Some("One or more validation errors occurred.")
        );
        assert!(e.details.is_some());
        assert_eq!(e.trace_ids.trace_id.as_deref(), Some("abc"));
    }

    #[test]
    fn the_trace_id_header_wins_over_the_body() {
        let e = parse(
            401,
            &[("Tl-Trace-Id", "hdr")],
            r#"{"title":"Unauthorized","trace_id":"body"}"#,
        );
        assert_eq!(e.trace_ids.trace_id.as_deref(), Some("hdr"));
    }

    #[test]
    fn a_non_json_body_is_kept_raw_and_explained_by_status() {
        let e = parse(502, &[], "<html>Bad gateway</html>");
        assert_eq!(e.code, None);
        assert_eq!(e.raw_body, "<html>Bad gateway</html>");
        assert!(e.explain().contains("try again later"));
    }

    #[test]
    fn retry_after_seconds_are_read() {
        let e = parse(
            429,
            &[("Retry-After", "2")],
            r#"{"error":"provider_too_many_requests"}"#,
        );
        assert_eq!(e.retry_after, Some(Duration::from_secs(2)));
    }

    #[test]
    fn every_documented_code_has_a_sentence_that_says_what_to_do() {
        let codes = [
            "invalid_grant",
            "invalid_authorization_code",
            "invalid_client",
            "unauthorized_client",
            "invalid_request",
            "not_found",
            "internal_server_error",
            "validation_error",
            "invalid_date_range",
            "deprecated_provider",
            "unauthorized",
            "invalid_token",
            "access_denied",
            "invalid_credentials_key",
            "sca_exceeded",
            "account_not_found",
            "provider_too_many_requests",
            "provider_request_limit_exceeded",
            "unattended_calls_limit_exceeded",
            "endpoint_not_supported",
            "provider_error",
            "temporarily_unavailable",
            "connector_overload",
            "provider_timeout",
            "connector_timeout",
            "account_permanently_locked",
            "account_temporarily_locked",
            "internal_error",
            "user_input_required",
            "no-valid-accounts",
            "user-data-not-found",
            "joint-account",
        ];
        for code in codes {
            let sentence = explain(code).unwrap_or_else(|| panic!("{code} has no sentence"));
            assert!(sentence.ends_with('.'), "{code}: one sentence");
            assert!(sentence.contains(';'), "{code}: says what to do next");
        }
        assert_eq!(explain("something_else"), None);
    }

    #[test]
    fn invalid_grant_says_to_start_the_link_again() {
        let e = parse(400, &[], r#"{"error":"invalid_grant"}"#);
        assert!(e.explain().contains("5 minutes"));
        assert!(e.explain().contains("start the link again"));
    }
}
