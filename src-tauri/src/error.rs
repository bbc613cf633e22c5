//! The one place where errors become `{ code, message }` for the UI.

use serde::Serialize;

/// What a command rejects with. `code` is from a closed list the UI branches on.
#[derive(Debug, Serialize)]
pub struct IpcError {
    pub code: &'static str,
    pub message: String,
}

pub type Result<T> = std::result::Result<T, IpcError>;
