//! [`CoreEvent`]: what core tells the UI without being asked. The shell forwards each one as a
//! Tauri event named [`CoreEvent::name`]; core itself knows nothing of Tauri.

use serde::Serialize;

use crate::dto::{
    AsyncRunEvent, ConnectionUpdatedEvent, FetchProgressEvent, LinkCompletedEvent, LinkFailedEvent,
    LinkWaitingEvent,
};
use crate::workbench::dto::{CoverageProgressEvent, ScenarioProgressEvent};

/// An event for the UI. The shell emits `event.name()` with `event` as the payload (it
/// serializes as the inner DTO).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum CoreEvent {
    /// `link://waiting`
    LinkWaiting(LinkWaitingEvent),
    /// `link://completed`
    LinkCompleted(LinkCompletedEvent),
    /// `link://failed` (`sessionId` is empty when the redirect matched no session)
    LinkFailed(LinkFailedEvent),
    /// `connection://updated`
    ConnectionUpdated(ConnectionUpdatedEvent),
    /// `transactions://progress` (one per window of a transaction fetch)
    TransactionsProgress(FetchProgressEvent),
    /// `coverage://progress` (one per call of a coverage matrix)
    CoverageProgress(CoverageProgressEvent),
    /// `scenarios://progress` (one per persona of a scenario run, and one at its end)
    ScenarioProgress(ScenarioProgressEvent),
    /// `async://updated` (an async task's timeline changed)
    AsyncRun(AsyncRunEvent),
}

impl CoreEvent {
    /// The Tauri event name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::LinkWaiting(_) => "link://waiting",
            Self::LinkCompleted(_) => "link://completed",
            Self::LinkFailed(_) => "link://failed",
            Self::ConnectionUpdated(_) => "connection://updated",
            Self::TransactionsProgress(_) => "transactions://progress",
            Self::CoverageProgress(_) => "coverage://progress",
            Self::ScenarioProgress(_) => "scenarios://progress",
            Self::AsyncRun(_) => "async://updated",
        }
    }
}
