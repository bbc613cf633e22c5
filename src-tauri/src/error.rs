//! The one place where core's errors become the `{ code, message, detail? }` the UI receives.

use linkscope_core::dto::ApiError;
use serde::Serialize;

/// What a command rejects with: core's error in the IPC contract's shape.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct IpcError(Box<ApiError>);

impl From<linkscope_core::Error> for IpcError {
    fn from(err: linkscope_core::Error) -> Self {
        Self(Box::new(err.to_api_error()))
    }
}

pub type Result<T> = std::result::Result<T, IpcError>;
