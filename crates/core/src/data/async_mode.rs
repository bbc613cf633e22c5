//! Async mode as a service: turning it on or off for a connection (every data call of that
//! connection, in every view, the coverage matrix and the command line, then goes through
//! TrueLayer's `async=true` with the loopback webhook), and reading each task's timeline. The
//! state, the listener and the timelines live in `context::async_runs`, below the services, so
//! the connection call path can consult them.

use std::sync::Arc;

use crate::context::Shared;
use crate::dto::{AsyncModeInput, AsyncModeState, AsyncRun};
use crate::error::Result;

/// `set_async_mode`, `get_async_mode`, `list_async_runs`.
#[derive(Debug, Clone)]
pub struct AsyncService {
    shared: Arc<Shared>,
}

impl AsyncService {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// `set_async_mode`: on starts the webhook listener (127.0.0.1, a free port) if it is not
    /// running yet. An unknown connection is refused and nothing changes.
    pub async fn set(&self, input: AsyncModeInput) -> Result<AsyncModeState> {
        let id = self.known(&input.connection_id)?;
        self.shared
            .async_runs
            .set_enabled(&id, input.enabled)
            .await?;
        self.get(&id)
    }

    /// `get_async_mode`.
    pub fn get(&self, connection_id: &str) -> Result<AsyncModeState> {
        let id = self.known(connection_id)?;
        Ok(AsyncModeState {
            enabled: self.shared.async_runs.is_enabled(&id),
            webhook_uri: self.shared.async_runs.webhook_uri(),
            connection_id: id,
        })
    }

    /// `list_async_runs`: the connection's async tasks, newest first (this session's).
    pub fn runs(&self, connection_id: &str) -> Result<Vec<AsyncRun>> {
        let id = self.known(connection_id)?;
        Ok(self.shared.async_runs.runs(&id))
    }

    fn known(&self, connection_id: &str) -> Result<String> {
        let id = connection_id.trim();
        self.shared
            .store
            .connection(id)?
            .map(|row| row.id)
            .ok_or_else(|| crate::error::Error::NotFound {
                what: "connection",
                id: id.to_owned(),
            })
    }
}
