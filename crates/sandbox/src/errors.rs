//! TrueLayer-shaped HTTP errors: the `{"error","error_description","error_details"}` body of the
//! auth server and Data API (API.md §4–5), and RFC 7807 problem bodies for extend, Signup+ and
//! verification (API.md §7–9). Handlers return these; nothing else builds error bodies.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

/// An error in TrueLayer's classic shape (auth server and Data API v1). Boxed: it travels in
/// `Result`s through every handler.
#[derive(Debug, Clone)]
pub struct TlError(Box<TlErrorBody>);

/// The fields of a [`TlError`].
#[derive(Debug, Clone)]
pub struct TlErrorBody {
    /// HTTP status.
    pub status: StatusCode,
    /// Machine-readable code (`invalid_grant`, `access_denied`, …).
    pub error: String,
    /// Human-readable description.
    pub description: String,
    /// Extra context (`reason`, `parameter`, …); `{}` when empty, as TrueLayer sends.
    pub details: Map<String, Value>,
    /// `Retry-After` seconds, for 429 and injected faults.
    pub retry_after: Option<u64>,
}

/// The standard description and status TrueLayer uses for a Data API error code (API.md §5).
/// Codes the facts give no status for get the sandbox's documented choice (see README).
pub fn data_error_defaults(code: &str) -> Option<(StatusCode, &'static str)> {
    let entry = match code {
        "validation_error" => (StatusCode::BAD_REQUEST, "The supplied parameters are not valid."),
        "invalid_date_range" => (StatusCode::BAD_REQUEST, "Invalid date range provided."),
        "deprecated_provider" => (StatusCode::BAD_REQUEST, "The provider has been deprecated."),
        "unauthorized" => (
            StatusCode::UNAUTHORIZED,
            "The credentials or token are no longer valid.",
        ),
        "invalid_token" => (StatusCode::UNAUTHORIZED, "Invalid access token."),
        "access_denied" => (
            StatusCode::FORBIDDEN,
            "Access to a specific resource has been denied.",
        ),
        "sca_exceeded" => (
            StatusCode::FORBIDDEN,
            "SCA exemption has expired. This resource is protected and should be accessed shortly after PSU Authentication. In order to access this resource, please have the PSU re-authenticate.",
        ),
        "invalid_credentials_key" => (
            StatusCode::FORBIDDEN,
            "The provided credentials encryption key is invalid.",
        ),
        "account_permanently_locked" => (
            StatusCode::FORBIDDEN,
            "The account is permanently locked. The user must contact their bank.",
        ),
        "account_temporarily_locked" => (
            StatusCode::FORBIDDEN,
            "The account is temporarily locked. Try again later.",
        ),
        "user_input_required" => (
            StatusCode::FORBIDDEN,
            "The provider needs the user to take an action before data can be read.",
        ),
        "account_not_found" => (StatusCode::NOT_FOUND, "account not found"),
        "provider_too_many_requests" => (
            StatusCode::TOO_MANY_REQUESTS,
            "Provider rate limit exceeded.",
        ),
        "provider_request_limit_exceeded" => (
            StatusCode::TOO_MANY_REQUESTS,
            "Maximum number of requests per user allowed by provider exceeded.",
        ),
        "internal_server_error" => (StatusCode::INTERNAL_SERVER_ERROR, "Internal server error."),
        "internal_error" => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "An internal error occurred while reading data from the provider.",
        ),
        "endpoint_not_supported" => (
            StatusCode::NOT_IMPLEMENTED,
            "Feature not supported by the provider",
        ),
        "provider_error" => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The provider service is unavailable.",
        ),
        "temporarily_unavailable" => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The provider service is unavailable.",
        ),
        "connector_overload" => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The connector service is currently overloaded.",
        ),
        "provider_timeout" => (StatusCode::GATEWAY_TIMEOUT, "The provider service timed out."),
        "connector_timeout" => (
            StatusCode::GATEWAY_TIMEOUT,
            "The connector service timed out.",
        ),
        _ => return None,
    };
    Some(entry)
}

impl std::ops::Deref for TlError {
    type Target = TlErrorBody;
    fn deref(&self) -> &TlErrorBody {
        &self.0
    }
}

impl std::ops::DerefMut for TlError {
    fn deref_mut(&mut self) -> &mut TlErrorBody {
        &mut self.0
    }
}

impl TlError {
    /// An error with an explicit status, code and description.
    pub fn new(status: StatusCode, error: &str, description: impl Into<String>) -> Self {
        Self(Box::new(TlErrorBody {
            status,
            error: error.to_owned(),
            description: description.into(),
            details: Map::new(),
            retry_after: None,
        }))
    }

    /// A Data API error by code, with TrueLayer's standard status and description.
    pub fn data(code: &str) -> Self {
        let (status, description) = data_error_defaults(code)
            .unwrap_or((StatusCode::INTERNAL_SERVER_ERROR, "Internal server error."));
        Self::new(status, code, description)
    }

    /// Adds `error_details.reason`.
    pub fn reason(self, reason: impl Into<String>) -> Self {
        self.detail("reason", reason.into())
    }

    /// Adds one `error_details` entry.
    pub fn detail(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.details.insert(key.to_owned(), value.into());
        self
    }

    /// Sets `Retry-After`.
    pub fn retry_after(mut self, seconds: Option<u64>) -> Self {
        self.retry_after = seconds;
        self
    }

    // ---- auth server (/connect/token and friends) ----

    /// 400 `invalid_grant`: a code or refresh token that is unknown, expired, used, revoked,
    /// issued to another client, or whose redirect_uri / PKCE verifier does not match.
    pub fn invalid_grant(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", "Invalid grant").reason(reason)
    }

    /// 400 `invalid_client`: unknown client id or wrong secret (TrueLayer docs, error codes).
    pub fn invalid_client(reason: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "The client credentials you have entered are incorrect. Please check and try again.",
        )
        .reason(reason)
    }

    /// 400 `invalid_request`: a malformed request (missing or unknown field, bad value).
    pub fn invalid_request(reason: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Invalid request",
        )
        .reason(reason)
    }

    /// 401 `unauthorized_client`: an auth link or request with a bad client or redirect URI.
    pub fn unauthorized_client(reason: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized_client",
            "The client credentials you have entered are incorrect. Please check and try again.",
        )
        .reason(reason)
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        json!({
            "error": self.error,
            "error_description": self.description,
            "error_details": Value::Object(self.details.clone()),
        })
    }
}

impl IntoResponse for TlError {
    fn into_response(self) -> Response {
        let body = self.body();
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Which spelling of the trace id field a problem body uses (the specs disagree: extend and
/// Signup+ say `trace_id`, verification says `traceId`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceField {
    /// `trace_id` (Data API extend, Signup+).
    Snake,
    /// `traceId` (verification).
    Camel,
}

/// An RFC 7807 problem body in the shape of the spec that owns the endpoint (boxed, like
/// [`TlError`]).
#[derive(Debug, Clone)]
pub struct Problem(Box<ProblemBody>);

impl std::ops::Deref for Problem {
    type Target = ProblemBody;
    fn deref(&self) -> &ProblemBody {
        &self.0
    }
}

impl std::ops::DerefMut for Problem {
    fn deref_mut(&mut self) -> &mut ProblemBody {
        &mut self.0
    }
}

/// The fields of a [`Problem`].
#[derive(Debug, Clone)]
pub struct ProblemBody {
    /// HTTP status.
    pub status: StatusCode,
    /// The `type` URI.
    pub type_uri: String,
    /// The `title`.
    pub title: String,
    /// The `detail`.
    pub detail: Option<String>,
    /// The `instance`.
    pub instance: Option<String>,
    /// Validation errors (`{"Field": ["message"]}` in TrueLayer's examples).
    pub errors: Option<Value>,
    /// Trace field spelling.
    pub trace_field: TraceField,
    /// `application/problem+json` or, for Signup+, `application/json`.
    pub content_type: &'static str,
    /// `Retry-After` seconds.
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A problem for the Data API's `/connections/extend`.
    pub fn extend(status: StatusCode, title: &str, detail: Option<&str>) -> Self {
        Self(Box::new(ProblemBody {
            status,
            type_uri: "https://docs.truelayer.com/#connection-api-errors".to_owned(),
            title: title.to_owned(),
            detail: detail.map(str::to_owned),
            instance: Some("/connections/extend".to_owned()),
            errors: None,
            trace_field: TraceField::Snake,
            content_type: "application/problem+json",
            retry_after: None,
        }))
    }

    /// A Signup+ problem (`type` = signup-errors#slug, `application/json` as the spec says).
    pub fn signup(status: StatusCode, slug: &str, title: &str, detail: Option<&str>) -> Self {
        Self(Box::new(ProblemBody {
            status,
            type_uri: format!("https://docs.truelayer.com/docs/signup-errors#{slug}"),
            title: title.to_owned(),
            detail: detail.map(str::to_owned),
            instance: None,
            errors: None,
            trace_field: TraceField::Snake,
            content_type: "application/json",
            retry_after: None,
        }))
    }

    /// A verification problem (`traceId`, `application/problem+json`).
    pub fn verification(status: StatusCode, title: &str, detail: Option<&str>) -> Self {
        Self(Box::new(ProblemBody {
            status,
            type_uri: "https://docs.truelayer.com/docs/error-codes".to_owned(),
            title: title.to_owned(),
            detail: detail.map(str::to_owned),
            instance: Some("/v1/verification".to_owned()),
            errors: None,
            trace_field: TraceField::Camel,
            content_type: "application/problem+json",
            retry_after: None,
        }))
    }

    /// Adds validation errors.
    pub fn with_errors(mut self, errors: Value) -> Self {
        self.errors = Some(errors);
        self
    }

    /// The JSON body with a given trace id.
    pub fn body(&self, trace_id: &str) -> Value {
        let mut body = Map::new();
        body.insert("type".into(), self.type_uri.clone().into());
        body.insert("title".into(), self.title.clone().into());
        body.insert("status".into(), self.status.as_u16().into());
        if let Some(detail) = &self.detail {
            body.insert("detail".into(), detail.clone().into());
        }
        if let Some(instance) = &self.instance {
            body.insert("instance".into(), instance.clone().into());
        }
        let trace_key = match self.trace_field {
            TraceField::Snake => "trace_id",
            TraceField::Camel => "traceId",
        };
        body.insert(trace_key.into(), trace_id.into());
        if let Some(errors) = &self.errors {
            body.insert("errors".into(), errors.clone());
        }
        Value::Object(body)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let trace_id = uuid::Uuid::new_v4().to_string();
        let body = self.body(&trace_id).to_string();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        if let Ok(value) = HeaderValue::from_str(&trace_id) {
            headers.insert("tl-trace-id", value);
        }
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Either kind of error, for handlers that can produce both.
#[derive(Debug)]
pub enum AnyError {
    /// Classic TrueLayer error.
    Tl(TlError),
    /// Problem body.
    Problem(Problem),
}

impl From<TlError> for AnyError {
    fn from(e: TlError) -> Self {
        Self::Tl(e)
    }
}

impl From<Problem> for AnyError {
    fn from(e: Problem) -> Self {
        Self::Problem(e)
    }
}

impl IntoResponse for AnyError {
    fn into_response(self) -> Response {
        match self {
            Self::Tl(e) => e.into_response(),
            Self::Problem(p) => p.into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_errors_carry_truelayers_status_and_text() {
        let cases = [
            (
                "provider_too_many_requests",
                429,
                "Provider rate limit exceeded.",
            ),
            (
                "endpoint_not_supported",
                501,
                "Feature not supported by the provider",
            ),
            ("account_not_found", 404, "account not found"),
            (
                "provider_error",
                503,
                "The provider service is unavailable.",
            ),
            ("connector_timeout", 504, "The connector service timed out."),
        ];
        for (code, status, text) in cases {
            let e = TlError::data(code);
            assert_eq!(e.status.as_u16(), status, "{code}");
            assert_eq!(e.body()["error_description"], text, "{code}");
            assert_eq!(e.body()["error_details"], json!({}), "{code}");
        }
    }

    #[test]
    fn problem_bodies_spell_the_trace_id_as_their_spec_does() {
        let signup = Problem::signup(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Unauthorized",
            None,
        );
        assert!(signup.body("t").get("trace_id").is_some());
        let verification = Problem::verification(StatusCode::UNAUTHORIZED, "Unauthorized", None);
        assert!(verification.body("t").get("traceId").is_some());
    }
}
