//! Why a command failed, and its exit code (documented in `--help` and the README):
//! 0 ok · 1 usage or bad input · 2 TrueLayer refused · 3 network/transport · 4 a scenario
//! failed · 5 keychain or storage · 6 a snapshot comparison found differences. A failure prints as one line (`linkscope: …`, with
//! TrueLayer's error code when there is one) and then core's explanation, the words the app
//! shows; never a debug dump.

use std::process::ExitCode;

use linkscope_core::dto::{ApiError, ErrorCode};
use linkscope_core::Error;

/// A failed command.
#[derive(Debug)]
pub enum Failure {
    /// Core refused or failed; the code follows from the error.
    Core(Error),
    /// A failure core reported as an event (`link://failed`): its code and words.
    Reported(Box<ApiError>),
    /// Bad flags or input found by the CLI itself.
    Usage(String),
    /// The secret store or a file could not be used.
    Storage(String),
    /// The scenario run finished with failures (the report is already written).
    ScenariosFailed { failures: u32, total: u32 },
    /// `snapshot compare` found differences (the diff is already printed).
    Differences(String),
    /// Stdout was closed by the reader (`| head`): stop quietly.
    ClosedOutput,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

/// The exit codes.
pub mod code {
    pub const USAGE: u8 = 1;
    pub const TRUELAYER: u8 = 2;
    pub const NETWORK: u8 = 3;
    pub const SCENARIO: u8 = 4;
    pub const STORAGE: u8 = 5;
    pub const DIFFERENCES: u8 = 6;
}

impl Failure {
    /// The process's exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            Failure::Core(e) => core_code(e),
            Failure::Reported(summary) => summary_code(summary.code),
            Failure::Usage(_) => code::USAGE,
            Failure::Storage(_) => code::STORAGE,
            Failure::ScenariosFailed { .. } => code::SCENARIO,
            Failure::Differences(_) => code::DIFFERENCES,
            Failure::ClosedOutput => return ExitCode::SUCCESS,
        })
    }

    /// What stderr says: the headline, then the explanation (if any).
    pub fn lines(&self) -> (String, Option<String>) {
        match self {
            Failure::Core(e) => core_lines(e),
            Failure::Reported(summary) => (code_name(&summary.code), Some(summary.message.clone())),
            Failure::Usage(m) => (m.clone(), Some("See `linkscope --help`.".into())),
            Failure::Storage(m) => (
                format!("storage: {m}"),
                Some(
                    "Check the data dir and the keychain (or LINKSCOPE_SECRET_STORE=file:PATH)."
                        .into(),
                ),
            ),
            Failure::ScenariosFailed { failures, total } => (
                format!("scenarios failed: {failures} of {total} checks did not match"),
                Some("The report lists each check's expected and actual outcome.".into()),
            ),
            Failure::Differences(what) => (
                format!("the snapshot comparison found differences: {what}"),
                Some("Exit 6 is this regression check's \"something changed\".".into()),
            ),
            Failure::ClosedOutput => (String::new(), None),
        }
    }

    /// Prints the failure on stderr.
    pub fn report(&self) {
        let (headline, explanation) = self.lines();
        if headline.is_empty() {
            return;
        }
        eprintln!("linkscope: {headline}");
        if let Some(explanation) = explanation {
            eprintln!("  {explanation}");
        }
    }
}

fn core_code(e: &Error) -> u8 {
    match e {
        Error::Refused { .. }
        | Error::TokenExchange { .. }
        | Error::ReauthRequired { .. }
        | Error::ConsentExpired { .. }
        | Error::TrueLayer { .. } => code::TRUELAYER,
        Error::Network(_) => code::NETWORK,
        Error::Store(_) | Error::Io(_) => code::STORAGE,
        _ => code::USAGE,
    }
}

fn summary_code(code: ErrorCode) -> u8 {
    match code {
        ErrorCode::AccessDeniedByUser
        | ErrorCode::TokenExchangeFailed
        | ErrorCode::ReauthRequired
        | ErrorCode::ConsentExpired
        | ErrorCode::Truelayer => code::TRUELAYER,
        ErrorCode::Network => code::NETWORK,
        _ => code::USAGE,
    }
}

/// `TrueLayer refused: provider_error (HTTP 503, trace …)` + core's words; other errors: core's
/// code + its words.
fn core_lines(e: &Error) -> (String, Option<String>) {
    let api = e.to_api_error();
    let message = api.message.clone();
    if core_code(e) == code::TRUELAYER {
        let detail = api.detail.unwrap_or_default();
        let tl_error = detail
            .tl_error
            .clone()
            .unwrap_or_else(|| code_name(&api.code));
        let mut facts = Vec::new();
        if let Some(status) = detail.status {
            facts.push(format!("HTTP {status}"));
        }
        if let Some(trace) = &detail.trace_id {
            facts.push(format!("trace id {trace}"));
        }
        let facts = if facts.is_empty() {
            String::new()
        } else {
            format!(" ({})", facts.join(", "))
        };
        return (
            format!("TrueLayer refused: {tl_error}{facts}"),
            Some(message),
        );
    }
    (code_name(&api.code), Some(message))
}

/// The contract's snake_case code (`not_found`, `network`, …).
fn code_name(code: &ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "error".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_failure_has_its_documented_exit_code() {
        let cases = [
            (Failure::Usage("x".into()), code::USAGE),
            (Failure::Core(Error::Validation("x".into())), code::USAGE),
            (Failure::Core(Error::Network("x".into())), code::NETWORK),
            (Failure::Storage("x".into()), code::STORAGE),
            (
                Failure::ScenariosFailed {
                    failures: 1,
                    total: 2,
                },
                code::SCENARIO,
            ),
            (Failure::Differences("1 added".into()), code::DIFFERENCES),
        ];
        for (failure, expected) in cases {
            assert_eq!(failure.exit_code(), ExitCode::from(expected), "{failure:?}");
        }
    }
}
