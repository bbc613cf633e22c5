//! Accounts with their balances (core's `accounts` service).

use linkscope_core::dto::{AccountWithBalance, Fetched};
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::LinkscopeExt;

#[tauri::command]
pub async fn list_accounts<R: Runtime>(
    app: AppHandle<R>,
    connection_id: String,
) -> Result<Fetched<Vec<AccountWithBalance>>> {
    Ok(app.linkscope().accounts().list(&connection_id).await?)
}
