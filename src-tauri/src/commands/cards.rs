//! Cards with their balances (core's `cards` service).

use linkscope_core::dto::{CardWithBalance, Fetched};
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::LinkscopeExt;

#[tauri::command]
pub async fn list_cards<R: Runtime>(
    app: AppHandle<R>,
    connection_id: String,
) -> Result<Fetched<Vec<CardWithBalance>>> {
    Ok(app.linkscope().cards().list(&connection_id).await?)
}
