//! Async mode (core's `async_mode` service): a connection's data calls through TrueLayer's
//! `async=true` with the loopback webhook, and each task's timeline.

use linkscope_core::dto::{AsyncModeInput, AsyncModeState, AsyncRun};
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::LinkscopeExt;

#[tauri::command]
pub async fn set_async_mode<R: Runtime>(
    app: AppHandle<R>,
    input: AsyncModeInput,
) -> Result<AsyncModeState> {
    Ok(app.linkscope().async_mode().set(input).await?)
}

#[tauri::command]
pub async fn get_async_mode<R: Runtime>(
    app: AppHandle<R>,
    connection_id: String,
) -> Result<AsyncModeState> {
    Ok(app.linkscope().async_mode().get(&connection_id)?)
}

#[tauri::command]
pub async fn list_async_runs<R: Runtime>(
    app: AppHandle<R>,
    connection_id: String,
) -> Result<Vec<AsyncRun>> {
    Ok(app.linkscope().async_mode().runs(&connection_id)?)
}
