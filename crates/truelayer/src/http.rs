//! The one HTTP path every call takes: the injectable [`Transport`] (reqwest by default, built
//! with timeouts and no redirects), the retry policy, and the recording hook.
//!
//! Owns: building requests (bearer, JSON or form body), retrying 429/503/504 and connection
//! errors with exponential backoff and full jitter while honouring `Retry-After` (bounded), and
//! handing each redacted attempt to the observer. Must not: retry what could repeat a side effect
//! (a code exchange is never retried: TrueLayer codes are single use), follow redirects, or let a
//! secret reach an observer or an error message.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use futures::future::BoxFuture;
use http::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT,
};
use http::{Method, StatusCode};
use rand::Rng;
use url::Url;
use zeroize::Zeroizing;

use crate::error::{ApiError, DecodeError, Error, Result, TraceIds, TransportErrorKind};
use crate::operation::Operation;
use crate::record::{Exchange, Observer, Redactor};
use crate::secret::AccessToken;

/// Sends one HTTP request and reads the whole answer. The default is [`ReqwestTransport`]; inject
/// another (e.g. one that serves an in-process router) with
/// [`crate::ClientBuilder::transport`]. A transport must not follow redirects.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request`; any HTTP status is `Ok`, only a missing answer is `Err`.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> BoxFuture<'_, std::result::Result<http::Response<Vec<u8>>, TransportError>>;
}

/// A request that got no HTTP answer.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct TransportError {
    /// Whether the request can have reached the server.
    pub kind: TransportErrorKind,
    /// What happened.
    pub message: String,
}

/// Timeouts of the default transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// To establish a connection (TCP + TLS).
    pub connect: Duration,
    /// For the whole exchange, from sending to having read the whole body.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(60),
        }
    }
}

/// The default transport: one `reqwest` client (rustls) shared by every call.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A reqwest client with these timeouts and redirects disabled.
    pub fn new(timeouts: Timeouts) -> Result<Self> {
        let client = reqwest::Client::builder()
            // Never follow redirects: a redirect would carry the request (and its bearer token
            // or client secret) to wherever the Location header points, possibly another host,
            // and TrueLayer's APIs never redirect. A 3xx is returned to the caller as an error.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            .build()
            .map_err(|e| Error::invalid("HTTP client configuration", e.to_string()))?;
        Ok(Self { client })
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> BoxFuture<'_, std::result::Result<http::Response<Vec<u8>>, TransportError>> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(transport_error)?;
            let response = self
                .client
                .execute(request)
                .await
                .map_err(transport_error)?;
            let status = response.status();
            let version = response.version();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(transport_error)?;
            let mut out = http::Response::new(body.to_vec());
            *out.status_mut() = status;
            *out.version_mut() = version;
            *out.headers_mut() = headers;
            Ok(out)
        })
    }
}

fn transport_error(e: reqwest::Error) -> TransportError {
    let kind = if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Other
    };
    // The message names the cause chain, not the URL (which the exchange already records).
    let e = e.without_url();
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    TransportError { kind, message }
}

/// How many times, and how long to wait, before giving up on a transient failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// The first backoff; doubled each retry, with full jitter in `[d/2, d]`.
    pub initial_backoff: Duration,
    /// The largest backoff.
    pub max_backoff: Duration,
    /// A `Retry-After` longer than this is not waited for: the 429/503 is returned instead.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The jittered backoff before retry number `retry` (0-based).
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry);
        let full = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let half = full / 2;
        let jitter_ms = u64::try_from((full - half).as_millis()).unwrap_or(0);
        let extra = if jitter_ms == 0 {
            0
        } else {
            rand::thread_rng().gen_range(0..=jitter_ms)
        };
        half + Duration::from_millis(extra)
    }
}

/// What may be retried for a given call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Never: exchanging an authorization code (single use; a second try would fail with
    /// `invalid_grant` even if the first one worked).
    Never,
    /// Only failures where the server cannot have acted: 429, 503, connection refused. Used for
    /// non-idempotent POSTs (refresh, client_credentials, extend, name verification).
    UnprocessedOnly,
    /// Also 504 and timeouts: reads and idempotent calls.
    Idempotent,
}

/// A request body. It holds client secrets, codes and tokens: `Debug` shows only its shape.
pub(crate) enum Body {
    Empty,
    /// Field values in zeroizing buffers: they include the client secret and codes.
    Form(Vec<(&'static str, Zeroizing<String>)>),
    Json(serde_json::Value),
    /// JSON already serialized, with the headers signed over exactly these bytes
    /// (`Tl-Signature`, `Idempotency-Key`).
    SignedJson {
        bytes: Vec<u8>,
        headers: Vec<(HeaderName, HeaderValue)>,
    },
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("Empty"),
            Self::Form(pairs) => f
                .debug_tuple("Form")
                .field(&pairs.iter().map(|(name, _)| *name).collect::<Vec<_>>())
                .finish(),
            Self::Json(_) => write!(f, "Json({})", crate::secret::REDACTED),
            Self::SignedJson { .. } => write!(f, "SignedJson({})", crate::secret::REDACTED),
        }
    }
}

/// One call, before it is sent.
pub(crate) struct Call<'a> {
    pub operation: Operation,
    pub method: Method,
    pub url: Url,
    pub bearer: Option<&'a AccessToken>,
    pub body: Body,
    pub retry: Retry,
    /// Secrets present in this call (sent, or expected back) to scrub literally from recordings.
    pub secrets: Vec<&'a str>,
}

/// A complete answer (any status). Its body may hold fresh tokens: `Debug` shows its length.
pub(crate) struct Reply {
    pub operation: Operation,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub trace_ids: TraceIds,
    /// The redacted body, computed when it was recorded or when the status is an error.
    redacted_body: Option<String>,
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("trace_ids", &self.trace_ids)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl Reply {
    /// The body, redacted (computed now if it was not recorded).
    pub fn redacted_body(&self) -> String {
        match &self.redacted_body {
            Some(body) => body.clone(),
            None => Redactor::new([])
                .response_body(self.operation, &self.body, content_type(&self.headers))
                .unwrap_or_default(),
        }
    }

    /// `Err(Error::Api)` unless the status is 2xx.
    pub fn ensure_success(self) -> Result<Self> {
        if self.status.is_success() {
            return Ok(self);
        }
        let redacted = self.redacted_body();
        Err(ApiError::parse(
            self.operation,
            self.status.as_u16(),
            &self.headers,
            &self.body,
            redacted,
        )
        .into())
    }

    /// A decode error for this (successful) reply.
    pub fn decode_error(&self, message: impl Into<String>) -> Error {
        Error::Decode(Box::new(DecodeError {
            operation: self.operation,
            status: self.status.as_u16(),
            message: message.into(),
            trace_ids: self.trace_ids.clone(),
            raw_body: self.redacted_body(),
        }))
    }

    /// The body as UTF-8 text (TrueLayer answers JSON).
    pub fn text(&self) -> Result<&str> {
        std::str::from_utf8(&self.body).map_err(|e| self.decode_error(e.to_string()))
    }

    /// Parses the body as `T` (serde's message names the line and column of a mismatch).
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| self.decode_error(e.to_string()))
    }
}

/// The configured HTTP path: transport, retry policy, observer.
#[derive(Clone)]
pub(crate) struct Http {
    pub transport: Arc<dyn Transport>,
    pub observer: Option<Arc<dyn Observer>>,
    pub retry: RetryPolicy,
    pub user_agent: HeaderValue,
    pub extra_headers: Vec<(HeaderName, HeaderValue)>,
}

impl fmt::Debug for Http {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http")
            .field("transport", &self.transport)
            .field("observer", &self.observer.is_some())
            .field("retry", &self.retry)
            .finish()
    }
}

impl Http {
    /// Sends `call`, retrying as its class and the policy allow, recording every attempt.
    pub async fn send(&self, call: Call<'_>) -> Result<Reply> {
        let redactor = Redactor::new(
            call.secrets
                .iter()
                .copied()
                .chain(call.bearer.map(AccessToken::secret)),
        );
        let (body_bytes, request_content_type) = match &call.body {
            Body::Empty => (Zeroizing::new(Vec::new()), None),
            Body::Form(pairs) => (
                Zeroizing::new(
                    url::form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
                        .finish()
                        .into_bytes(),
                ),
                Some("application/x-www-form-urlencoded"),
            ),
            Body::Json(value) => (
                Zeroizing::new(
                    serde_json::to_vec(value)
                        .map_err(|e| Error::invalid("request body", e.to_string()))?,
                ),
                Some("application/json"),
            ),
            Body::SignedJson { bytes, .. } => {
                (Zeroizing::new(bytes.clone()), Some("application/json"))
            }
        };
        let mut retries_done = 0u32;
        loop {
            let request = self.build(&call, &body_bytes, request_content_type)?;
            let recorded_request = self
                .observer
                .as_ref()
                .map(|_| RecordedRequest::of(&request, &redactor));
            let started_at = Utc::now();
            let started = Instant::now();
            let result = self.transport.send(request).await;
            let duration = started.elapsed();
            let can_retry = retries_done < self.retry.max_retries;
            match result {
                Ok(response) => {
                    let (parts, body) = response.into_parts();
                    let trace_ids = TraceIds::from_headers(&parts.headers);
                    let needs_redacted = self.observer.is_some() || !parts.status.is_success();
                    let redacted_body = needs_redacted.then(|| {
                        redactor
                            .response_body(call.operation, &body, content_type(&parts.headers))
                            .unwrap_or_default()
                    });
                    if let (Some(observer), Some(req)) = (&self.observer, recorded_request) {
                        let mut exchange = req.into_exchange(
                            call.operation,
                            retries_done + 1,
                            started_at,
                            duration,
                        );
                        exchange.status = Some(parts.status.as_u16());
                        exchange.response_headers = redact_headers(&parts.headers, &redactor);
                        exchange.response_body = redacted_body.clone().filter(|b| !b.is_empty());
                        exchange.trace_ids = trace_ids.clone();
                        observer.on_exchange(&exchange);
                    }
                    if can_retry {
                        if let Some(delay) =
                            self.retry_delay(call.retry, parts.status, &parts.headers, retries_done)
                        {
                            tokio::time::sleep(delay).await;
                            retries_done += 1;
                            continue;
                        }
                    }
                    return Ok(Reply {
                        operation: call.operation,
                        status: parts.status,
                        headers: parts.headers,
                        body,
                        trace_ids,
                        redacted_body,
                    });
                }
                Err(error) => {
                    let message = redactor.text(&error.message);
                    if let (Some(observer), Some(req)) = (&self.observer, recorded_request) {
                        let mut exchange = req.into_exchange(
                            call.operation,
                            retries_done + 1,
                            started_at,
                            duration,
                        );
                        exchange.error = Some(message.clone());
                        observer.on_exchange(&exchange);
                    }
                    let retryable = match (call.retry, error.kind) {
                        (Retry::Never, _) => false,
                        (_, TransportErrorKind::Connect) => true,
                        (Retry::Idempotent, TransportErrorKind::Timeout) => true,
                        _ => false,
                    };
                    if can_retry && retryable {
                        tokio::time::sleep(self.retry.backoff(retries_done)).await;
                        retries_done += 1;
                        continue;
                    }
                    return Err(Error::Transport {
                        operation: call.operation,
                        kind: error.kind,
                        message,
                    });
                }
            }
        }
    }

    /// The delay before retrying an answer with this status, or `None` to return it.
    fn retry_delay(
        &self,
        class: Retry,
        status: StatusCode,
        headers: &HeaderMap,
        retries_done: u32,
    ) -> Option<Duration> {
        let retryable = match (class, status.as_u16()) {
            (Retry::Never, _) => false,
            (_, 429 | 503) => true,
            (Retry::Idempotent, 504) => true,
            _ => false,
        };
        if !retryable {
            return None;
        }
        match retry_after(headers) {
            // Honour Retry-After, but never wait longer than the policy allows.
            Some(wait) if wait > self.retry.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.retry.backoff(retries_done)),
        }
    }

    fn build(
        &self,
        call: &Call<'_>,
        body: &[u8],
        content_type: Option<&'static str>,
    ) -> Result<http::Request<Vec<u8>>> {
        let mut builder = http::Request::builder()
            .method(call.method.clone())
            .uri(call.url.as_str())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, self.user_agent.clone());
        if let Some(token) = call.bearer {
            let mut value =
                HeaderValue::from_str(&format!("Bearer {}", token.secret())).map_err(|_| {
                    Error::invalid(
                        "access token",
                        "it contains characters not allowed in a header",
                    )
                })?;
            value.set_sensitive(true);
            builder = builder.header(AUTHORIZATION, value);
        }
        if let Some(content_type) = content_type {
            builder = builder.header(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        for (name, value) in &self.extra_headers {
            builder = builder.header(name, value);
        }
        if let Body::SignedJson { headers, .. } = &call.body {
            for (name, value) in headers {
                builder = builder.header(name, value);
            }
        }
        builder
            .body(body.to_vec())
            .map_err(|e| Error::invalid("request", e.to_string()))
    }
}

/// The request half of an exchange, redacted before the request is sent.
struct RecordedRequest {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

impl RecordedRequest {
    fn of(request: &http::Request<Vec<u8>>, redactor: &Redactor) -> Self {
        let uri = request.uri().to_string();
        let url = match Url::parse(&uri) {
            Ok(url) => redactor.url(&url),
            Err(_) => redactor.text(&uri),
        };
        Self {
            method: request.method().as_str().to_owned(),
            url,
            headers: redact_headers(request.headers(), redactor),
            body: redactor.body(request.body(), content_type(request.headers())),
        }
    }

    /// The exchange for this request, with no answer yet.
    fn into_exchange(
        self,
        operation: Operation,
        attempt: u32,
        started_at: chrono::DateTime<Utc>,
        duration: Duration,
    ) -> Exchange {
        Exchange {
            operation,
            attempt,
            started_at,
            duration,
            method: self.method,
            url: self.url,
            request_headers: self.headers,
            request_body: self.body,
            status: None,
            response_headers: Vec::new(),
            response_body: None,
            trace_ids: TraceIds::default(),
            error: None,
        }
    }
}

fn redact_headers(headers: &HeaderMap, redactor: &Redactor) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            let value = String::from_utf8_lossy(v.as_bytes());
            (k.as_str().to_owned(), redactor.header(k.as_str(), &value))
        })
        .collect()
}

fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
}

/// `Retry-After` as a duration: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        if seconds.is_finite() && seconds >= 0.0 {
            return Some(Duration::from_secs_f64(seconds.min(86_400.0)));
        }
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&Utc) - Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        map
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(
            retry_after(&headers(&[("retry-after", "3")])),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "0.5")])),
            Some(Duration::from_millis(500))
        );
        let past = "Wed, 21 Oct 2015 07:28:00 GMT";
        assert_eq!(
            retry_after(&headers(&[("retry-after", past)])),
            Some(Duration::ZERO)
        );
        let future = (Utc::now() + chrono::Duration::seconds(120)).to_rfc2822();
        let wait = retry_after(&headers(&[("retry-after", &future)])).unwrap();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120));
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), None);
        assert_eq!(retry_after(&headers(&[])), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let policy = RetryPolicy::default();
        for retry in 0..10 {
            let full = policy
                .initial_backoff
                .saturating_mul(2u32.pow(retry))
                .min(policy.max_backoff);
            let d = policy.backoff(retry);
            assert!(
                d >= full / 2 && d <= full,
                "retry {retry}: {d:?} outside [{:?}, {full:?}]",
                full / 2
            );
        }
    }

    fn http() -> Http {
        Http {
            transport: Arc::new(ReqwestTransport::new(Timeouts::default()).unwrap()),
            observer: None,
            retry: RetryPolicy::default(),
            user_agent: HeaderValue::from_static("t"),
            extra_headers: Vec::new(),
        }
    }

    #[test]
    fn which_statuses_are_retried_depends_on_the_call() {
        let h = http();
        let none = headers(&[]);
        let s = |n| StatusCode::from_u16(n).unwrap();
        assert!(
            h.retry_delay(Retry::Never, s(429), &none, 0).is_none(),
            "a code exchange is never retried"
        );
        assert!(h.retry_delay(Retry::Never, s(503), &none, 0).is_none());
        assert!(h
            .retry_delay(Retry::UnprocessedOnly, s(429), &none, 0)
            .is_some());
        assert!(h
            .retry_delay(Retry::UnprocessedOnly, s(503), &none, 0)
            .is_some());
        assert!(
            h.retry_delay(Retry::UnprocessedOnly, s(504), &none, 0)
                .is_none(),
            "a POST that timed out upstream may have happened"
        );
        assert!(h.retry_delay(Retry::Idempotent, s(504), &none, 0).is_some());
        for status in [400, 401, 403, 404, 500, 501] {
            assert!(
                h.retry_delay(Retry::Idempotent, s(status), &none, 0)
                    .is_none(),
                "{status} is not transient"
            );
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_policy_bound() {
        let h = http();
        let s = StatusCode::TOO_MANY_REQUESTS;
        assert_eq!(
            h.retry_delay(Retry::Idempotent, s, &headers(&[("retry-after", "2")]), 0),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            h.retry_delay(
                Retry::Idempotent,
                s,
                &headers(&[("retry-after", "3600")]),
                0
            ),
            None,
            "an hour is longer than the policy allows: return the 429"
        );
    }

    #[test]
    fn the_debug_output_of_bodies_and_replies_shows_no_secret() {
        let form = Body::Form(vec![
            ("client_secret", Zeroizing::new("cs-secret-1".to_owned())),
            ("code", Zeroizing::new("code-secret-1".to_owned())),
        ]);
        let json = Body::Json(serde_json::json!({ "refresh_token": "rt-secret-1" }));
        let answer = tests_support::reply(200, r#"{"access_token":"at-secret-1"}"#);
        for printed in [
            format!("{form:?}"),
            format!("{json:?}"),
            format!("{answer:?}"),
        ] {
            assert!(!printed.contains("secret-1"), "leaked in {printed}");
        }
        assert!(
            format!("{form:?}").contains("client_secret"),
            "field names stay, so the shape can still be debugged"
        );
    }
}

/// Helpers for unit tests that assert the exact request sent (as oauth2-rs does). The capturing
/// transport never answers (it reports a refused connection), so no test fakes TrueLayer's
/// behaviour; responses are parsed from documented example bodies with [`reply`].
#[cfg(test)]
pub(crate) mod tests_support {
    use std::sync::Mutex;

    use super::*;
    use crate::environment::Environment;
    use crate::secret::ClientSecret;
    use crate::types::ClientId;
    use crate::Client;

    /// One request as sent.
    #[derive(Debug, Clone)]
    pub struct Captured {
        pub method: String,
        pub uri: String,
        pub headers: Vec<(String, String)>,
        pub body: String,
    }

    impl Captured {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }
    }

    #[derive(Debug, Default)]
    pub struct CapturingTransport {
        requests: Mutex<Vec<Captured>>,
    }

    impl CapturingTransport {
        pub fn requests(&self) -> Vec<Captured> {
            self.requests.lock().unwrap().clone()
        }
    }

    impl Transport for CapturingTransport {
        fn send(
            &self,
            request: http::Request<Vec<u8>>,
        ) -> BoxFuture<'_, std::result::Result<http::Response<Vec<u8>>, TransportError>> {
            self.requests.lock().unwrap().push(Captured {
                method: request.method().to_string(),
                uri: request.uri().to_string(),
                headers: request
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
                    .collect(),
                body: String::from_utf8(request.body().clone()).unwrap(),
            });
            Box::pin(async {
                Err(TransportError {
                    kind: TransportErrorKind::Connect,
                    message: "capturing transport: connection refused".into(),
                })
            })
        }
    }

    /// A client for TrueLayer's sandbox hosts whose transport only captures, with one quick
    /// retry allowed.
    pub fn capture_client() -> (Client, Arc<CapturingTransport>) {
        let transport = Arc::new(CapturingTransport::default());
        let env = Environment::truelayer_sandbox(
            ClientId::new("sandbox-test-abc123").unwrap(),
            ClientSecret::new("the-client-secret"),
        );
        let client = Client::builder(env)
            .transport(transport.clone())
            .retry_policy(RetryPolicy {
                max_retries: 1,
                initial_backoff: Duration::from_millis(1),
                max_backoff: Duration::from_millis(1),
                max_retry_after: Duration::from_secs(1),
            })
            .build()
            .unwrap();
        (client, transport)
    }

    /// A reply carrying a documented example body.
    pub fn reply(status: u16, body: &str) -> Reply {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Reply {
            operation: Operation::Accounts,
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: body.as_bytes().to_vec(),
            trace_ids: TraceIds::default(),
            redacted_body: None,
        }
    }
}
