//! The redirect URI helper: what to allow-list in TrueLayer Console for each way a redirect can
//! come back to this build, and the self-test that sends a probe down each way.

use serde::Serialize;
use ts_rs::TS;

use super::{EnvironmentKind, RedirectKind};

/// `get_redirect_guide`: per environment, what to allow-list for each capture path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RedirectGuide {
    pub environment_id: String,
    pub environment_name: String,
    pub environment_kind: EnvironmentKind,
    pub client_id: String,
    /// Where this environment's allow-list lives, in one sentence.
    pub where_to_register: String,
    pub paths: Vec<RedirectPathGuide>,
}

/// One capture path and the exact redirect URI it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RedirectPathGuide {
    /// `deep_link`, `loopback` or `console`.
    pub kind: RedirectKind,
    /// Exactly what to allow-list (TrueLayer compares byte for byte).
    pub uri: String,
    /// Whether this environment's redirect URIs (as Linkscope knows them) list it.
    pub registered: bool,
    /// What this path is for and what to know before registering it.
    pub note: String,
    /// Whether the self-test sends a probe down this path.
    pub self_tested: bool,
}

/// Where a probe of the self-test is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProbeStatus {
    /// Sent; the test still waits for it.
    Waiting,
    /// It came back into this running app.
    Arrived,
    /// It did not come back within the test's time.
    NotArrived,
    /// The system could not even open it (or the loopback listener could not start).
    NotOpened,
}

/// One probe: a harmless redirect URL (`code=linkscope-self-test`, a random `state`) sent down
/// one capture path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RedirectProbe {
    pub kind: RedirectKind,
    /// The URL opened (no secret: its code is a fixed word, its state a nonce).
    pub url: String,
    pub status: ProbeStatus,
    /// How long after the start it arrived, in milliseconds.
    pub arrived_after_ms: Option<u32>,
    /// Why it was not opened, when it was not.
    pub detail: Option<String>,
    /// What to do next when it did not arrive.
    pub next_step: Option<String>,
}

/// `start_redirect_self_test` / `get_redirect_self_test`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RedirectSelfTest {
    pub test_id: String,
    /// How long each probe is waited for.
    pub timeout_seconds: u32,
    /// True once every probe arrived or ran out of time.
    pub finished: bool,
    pub probes: Vec<RedirectProbe>,
}
