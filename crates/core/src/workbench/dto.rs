//! The QA workbench's data-transfer objects (personas, sandbox controls, the coverage matrix,
//! scenario runs), mirrored in TypeScript by ts-rs like `crate::dto`. Same rules: camelCase
//! fields, snake_case enums, no secret (the mock users' passwords are public, documented values).

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use ts_rs::TS;

use linkscope_sandbox::workbench::{self as table, Outcome};

use crate::error::{Error, Result};

// ---------------------------------------------------------------- personas

/// `list_personas`: the mock users of an environment's sandbox, grouped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PersonaCatalog {
    /// True when "Link as this user" works here (the built-in sandbox or a standalone
    /// `linkscope-sandbox`); false for TrueLayer's sandbox (copy the login instead).
    pub automated: bool,
    pub groups: Vec<PersonaGroupInfo>,
}

/// One group of the persona list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PersonaGroupInfo {
    /// `happy_path`, `error_scenario`, `dense_history`, `eternal_consent`, `consent_reconfirmation`,
    /// `iban`, `numbered`.
    pub id: String,
    pub label: String,
    pub personas: Vec<PersonaInfo>,
}

/// One mock user and what it must produce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PersonaInfo {
    /// `john:doe`, `error.provider_error:error`, …
    pub key: String,
    pub username: String,
    /// The documented mock password (public).
    pub password: String,
    pub purpose: String,
    /// The sandbox's expected outcome of every check, in run order.
    pub expected: Vec<ExpectedCheck>,
}

/// What one check must produce for a persona.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpectedCheck {
    pub check: String,
    pub endpoint: String,
    pub outcome: OutcomeView,
}

/// An [`Outcome`] for display and comparison.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeView {
    /// `ok`, `error`, `answered` or `not_run`.
    pub kind: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The error code or the answer (`no_action_needed`).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// How it reads: `ok`, `503 provider_error`, `no_action_needed`, `not run`.
    pub text: String,
}

impl From<&Outcome> for OutcomeView {
    fn from(outcome: &Outcome) -> Self {
        let (kind, status, code) = match outcome {
            Outcome::Ok => ("ok", None, None),
            Outcome::Error { status, code } => ("error", Some(*status), Some(code.clone())),
            Outcome::Answered { result } => ("answered", None, Some(result.clone())),
            Outcome::NotRun => ("not_run", None, None),
        };
        OutcomeView {
            kind: kind.to_owned(),
            status,
            code,
            text: outcome.to_string(),
        }
    }
}

impl PersonaInfo {
    pub(crate) fn of(spec: &table::PersonaSpec) -> Self {
        PersonaInfo {
            key: spec.key(),
            username: spec.username(),
            password: spec.password(),
            purpose: spec.purpose.to_owned(),
            expected: table::Check::ALL
                .iter()
                .map(|c| ExpectedCheck {
                    check: c.id().to_owned(),
                    endpoint: c.endpoint().to_owned(),
                    outcome: OutcomeView::from(&spec.expected(*c)),
                })
                .collect(),
        }
    }
}

/// `link_as_persona`'s input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkAsPersonaInput {
    pub environment_id: String,
    /// A key from `list_personas`.
    pub persona_key: String,
    /// The permissions to ask for; empty = every scope the checks use.
    pub scopes: Vec<String>,
}

// ---------------------------------------------------------------- sandbox controls

/// The sandbox's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SandboxClock {
    /// The sandbox's now (RFC 3339).
    pub now: String,
    /// How far it is ahead of the real clock.
    #[ts(type = "number")]
    pub offset_seconds: i64,
}

impl SandboxClock {
    pub(crate) fn from_control(body: &Value) -> Result<Self> {
        let now = body.get("now").and_then(Value::as_str);
        let offset = body.get("offset_seconds").and_then(Value::as_i64);
        match (now, offset) {
            (Some(now), Some(offset_seconds)) => Ok(SandboxClock {
                now: now.to_owned(),
                offset_seconds,
            }),
            _ => Err(unexpected("clock", body)),
        }
    }
}

/// `add_sandbox_fault`'s input: the next `times` calls under `path` fail with `status` and
/// `error` (and `Retry-After` when given); or, with `latencyMs`, every call is slowed down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FaultInput {
    /// A path prefix (`/data/v1/accounts`); empty with `latencyMs` only.
    pub path: String,
    #[ts(optional)]
    pub status: Option<u16>,
    /// A documented error code; empty = TrueLayer's usual code for the status.
    #[ts(optional)]
    pub error: Option<String>,
    #[ts(optional, type = "number")]
    pub retry_after: Option<u64>,
    #[ts(optional, type = "number")]
    pub times: Option<u64>,
    #[ts(optional, type = "number")]
    pub latency_ms: Option<u64>,
}

impl FaultInput {
    /// The control's body; what is left out takes the sandbox's default.
    pub(crate) fn to_control(&self) -> Result<Value> {
        let mut body = Map::new();
        let path = self.path.trim();
        if !path.is_empty() {
            if !path.starts_with('/') {
                return Err(Error::Validation(format!(
                    "The fault's path must start with / (e.g. /data/v1/accounts), not \"{path}\"."
                )));
            }
            body.insert("path".into(), json!(path));
            if let Some(status) = self.status {
                body.insert("status".into(), json!(status));
            }
            if let Some(error) = self
                .error
                .as_deref()
                .map(str::trim)
                .filter(|e| !e.is_empty())
            {
                body.insert("error".into(), json!(error));
            }
            if let Some(seconds) = self.retry_after {
                body.insert("retry_after".into(), json!(seconds));
            }
            if let Some(times) = self.times {
                body.insert("times".into(), json!(times));
            }
        }
        if let Some(ms) = self.latency_ms {
            body.insert("latency_ms".into(), json!(ms));
        }
        if body.is_empty() {
            return Err(Error::Validation(
                "Give a path to fail, or a latency to add.".into(),
            ));
        }
        Ok(Value::Object(body))
    }
}

/// One armed fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ArmedFault {
    pub path: String,
    pub status: u16,
    pub error: String,
    pub error_description: String,
    #[ts(optional, type = "number")]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        alias = "retry_after"
    )]
    pub retry_after: Option<u64>,
    /// Calls left.
    #[ts(type = "number")]
    pub times: u64,
}

/// What is armed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SandboxFaults {
    pub faults: Vec<ArmedFault>,
    #[ts(type = "number")]
    pub latency_ms: u64,
}

impl SandboxFaults {
    pub(crate) fn from_control(body: &Value) -> Result<Self> {
        #[derive(Deserialize)]
        struct Wire {
            faults: Vec<WireFault>,
            latency_ms: u64,
        }
        #[derive(Deserialize)]
        struct WireFault {
            path: String,
            status: u16,
            error: String,
            error_description: String,
            retry_after: Option<u64>,
            times: u64,
        }
        let wire: Wire =
            serde_json::from_value(body.clone()).map_err(|_| unexpected("faults", body))?;
        Ok(SandboxFaults {
            faults: wire
                .faults
                .into_iter()
                .map(|f| ArmedFault {
                    path: f.path,
                    status: f.status,
                    error: f.error,
                    error_description: f.error_description,
                    retry_after: f.retry_after,
                    times: f.times,
                })
                .collect(),
            latency_ms: wire.latency_ms,
        })
    }
}

/// The sandbox's request journal (its own redacted record of what it received).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SandboxJournal {
    /// The entries as the sandbox gives them (id, time, server, method, path, status, …).
    #[ts(type = "Array<Record<string, unknown>>")]
    pub requests: Vec<Value>,
}

impl SandboxJournal {
    pub(crate) fn from_control(body: Value) -> Self {
        let requests = match body {
            Value::Object(mut o) => match o.remove("requests") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        SandboxJournal { requests }
    }
}

fn unexpected(what: &str, body: &Value) -> Error {
    Error::Internal(format!(
        "the sandbox's {what} control answered an unexpected body: {body}"
    ))
}

// ---------------------------------------------------------------- coverage matrix

/// How one cell of the coverage matrix came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CellStatus {
    /// Answered; `count` items.
    Supported,
    /// 501 `endpoint_not_supported`: this provider does not offer it.
    NotSupported,
    /// The connection lacks a scope it needs: not called.
    ScopeMissing,
    /// Failed otherwise.
    Error,
    /// Nothing to call it on (no accounts or cards listed).
    NotRun,
}

/// One call of the matrix: an endpoint, on one account or card for per-item endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CoverageCell {
    /// The account or card id, for per-item endpoints.
    #[ts(optional)]
    pub item_id: Option<String>,
    pub status: CellStatus,
    /// Items returned (1 for a single object).
    #[ts(optional)]
    pub count: Option<u32>,
    /// The answer for calls that answer a result (`multiple_accounts_linked`).
    #[ts(optional)]
    pub result: Option<String>,
    #[ts(optional)]
    pub http_status: Option<u16>,
    #[ts(optional)]
    pub error_code: Option<String>,
    #[ts(optional)]
    pub message: Option<String>,
    /// To find the exchange in the request inspector.
    #[ts(optional)]
    pub trace_id: Option<String>,
    #[ts(type = "number")]
    pub duration_ms: u64,
}

/// One endpoint's row: its cells and their summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CoverageRow {
    /// The check id (`card_balance`).
    pub check: String,
    pub endpoint: String,
    /// The scopes it needs.
    pub scopes: Vec<String>,
    /// The worst cell's status (error > not supported > scope missing > not run > supported).
    pub status: CellStatus,
    pub cells: Vec<CoverageCell>,
}

/// `run_coverage`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CoverageReport {
    pub connection_id: String,
    pub connection_label: String,
    pub provider_id: String,
    pub scopes: Vec<String>,
    pub started_at: String,
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub rows: Vec<CoverageRow>,
}

/// `coverage://progress`: one per finished call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CoverageProgressEvent {
    pub connection_id: String,
    pub done: u32,
    /// Grows once the lists are in (per-item calls are counted then).
    pub total: u32,
}

// ---------------------------------------------------------------- scenario runs

/// `start_scenario_run`'s input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioRunInput {
    pub environment_id: String,
    /// Persona keys to run; empty = the whole table.
    pub persona_keys: Vec<String>,
}

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Running,
    Passed,
    Failed,
    Cancelled,
}

impl RunStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Passed => "passed",
            RunStatus::Failed => "failed",
            RunStatus::Cancelled => "cancelled",
        }
    }
}

/// One check of one persona: expected vs actual.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaseResult {
    pub check: String,
    pub endpoint: String,
    pub expected: OutcomeView,
    pub actual: OutcomeView,
    pub passed: bool,
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub trace_ids: Vec<String>,
    /// What went wrong, in words, when it failed.
    #[ts(optional)]
    #[serde(default)]
    pub message: Option<String>,
}

/// One persona's part of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PersonaRun {
    pub persona_key: String,
    /// The connection's label ("John Doe · Mock"), once linked.
    pub label: String,
    pub passed: bool,
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub cases: Vec<CaseResult>,
    /// Why the persona could not be linked, if it could not.
    #[ts(optional)]
    #[serde(default)]
    pub link_error: Option<String>,
}

/// A scenario run: persisted, compared with the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioRun {
    pub id: String,
    pub environment_id: String,
    pub status: RunStatus,
    pub started_at: String,
    #[ts(optional)]
    pub finished_at: Option<String>,
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub app_version: String,
    /// The sandbox's data seed, when known (the built-in sandbox).
    #[ts(optional, type = "number")]
    pub sandbox_seed: Option<u64>,
    pub personas: Vec<PersonaRun>,
    pub total: u32,
    pub failures: u32,
    /// Cases whose pass/fail differs from the previous run of this environment.
    #[ts(optional)]
    #[serde(default)]
    pub changed_since_previous: Option<u32>,
    #[ts(optional)]
    #[serde(default)]
    pub previous_run_id: Option<String>,
}

/// `scenarios://progress`: one per finished persona.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioProgressEvent {
    pub run_id: String,
    pub done: u32,
    pub total: u32,
    /// The persona just finished.
    pub persona_key: String,
    pub status: RunStatus,
}

/// A run's export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Markdown,
    Json,
    Junit,
}
