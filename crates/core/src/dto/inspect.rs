//! Request-inspector and export DTOs: the list filter, a recorded exchange (summary and detail,
//! recorded after redaction) and the export formats.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// Which exchanges `list_requests` keeps: all, answered below 400, or 400+ / no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatusFilter {
    All,
    Success,
    Failure,
}

/// `list_requests`' filter (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestFilter {
    pub connection_id: Option<String>,
    pub status: RequestStatusFilter,
    /// Substring of the endpoint path.
    pub endpoint: Option<String>,
    /// Substring of the URL, trace id, bodies or error.
    pub text: Option<String>,
    /// At most 1000 (larger values are cut).
    pub limit: u32,
}

/// One recorded exchange in the inspector's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestSummary {
    /// Pass it to `get_request`.
    pub id: String,
    pub connection_id: Option<String>,
    pub started_at: String,
    pub method: String,
    pub url: String,
    pub endpoint: String,
    /// `null` when no answer came.
    pub status: Option<u16>,
    pub duration_ms: u32,
    /// `Tl-Trace-Id` (else the correlation id).
    pub trace_id: Option<String>,
    pub correlation_id: Option<String>,
    /// Why it failed: the transport error, else TrueLayer's error code or problem title.
    pub error: Option<String>,
}

/// One exchange in full (recorded after redaction: no secret is in it).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestDetail {
    pub summary: RequestSummary,
    pub request_headers: Vec<(String, String)>,
    /// JSON when the body is JSON, a form as an object, else the text; `null` when empty.
    #[ts(type = "unknown")]
    pub request_body: Value,
    pub response_headers: Vec<(String, String)>,
    #[ts(type = "unknown")]
    pub response_body: Value,
    /// The request as a curl command, with `$ACCESS_TOKEN`, `$CLIENT_SECRET`,
    /// `$REFRESH_TOKEN`, `$CODE`, `$CODE_VERIFIER` where secrets were.
    pub curl: String,
}

/// The format of a transactions export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Json,
}

/// Which recorded exchanges a HAR export holds: the ones listed (`ids`, e.g. the inspector's
/// rows or the user's selection), else every exchange of `connection_id` (or of all connections)
/// between `since` and `until` (RFC 3339, inclusive).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HarSelection {
    #[serde(default)]
    pub ids: Vec<String>,
    pub connection_id: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
}
