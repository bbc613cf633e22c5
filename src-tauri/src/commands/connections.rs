//! Saved connections and their lifecycle: list, detail (decoded token claims, never the token),
//! rename, refresh now, extend, revoke, forget.

use linkscope_core::dto::{Connection, ConnectionDetail, ExtendOutcome, RedirectKind};
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::LinkscopeExt;

#[tauri::command]
pub async fn list_connections<R: Runtime>(app: AppHandle<R>) -> Result<Vec<Connection>> {
    Ok(app.linkscope().connections().list().await?)
}

#[tauri::command]
pub async fn get_connection<R: Runtime>(app: AppHandle<R>, id: String) -> Result<ConnectionDetail> {
    Ok(app.linkscope().connections().get_detail(&id).await?)
}

#[tauri::command]
pub async fn rename_connection<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    label: String,
) -> Result<Connection> {
    Ok(app.linkscope().connections().rename(&id, &label).await?)
}

#[tauri::command]
pub async fn refresh_connection<R: Runtime>(app: AppHandle<R>, id: String) -> Result<Connection> {
    Ok(app.linkscope().connections().refresh(&id).await?)
}

/// When the bank needs the user again, the redirect comes back by deep link like a new link.
#[tauri::command]
pub async fn extend_connection<R: Runtime>(app: AppHandle<R>, id: String) -> Result<ExtendOutcome> {
    let lifecycle = app.linkscope().lifecycle();
    Ok(lifecycle.extend(&id, RedirectKind::DeepLink).await?)
}

#[tauri::command]
pub async fn revoke_connection<R: Runtime>(app: AppHandle<R>, id: String) -> Result<Connection> {
    Ok(app.linkscope().lifecycle().revoke(&id).await?)
}

#[tauri::command]
pub async fn forget_connection<R: Runtime>(app: AppHandle<R>, id: String) -> Result<()> {
    Ok(app.linkscope().lifecycle().forget(&id).await?)
}

/// The live interlock: extend and revoke in a live environment only once the user unlocks them.
#[tauri::command]
pub fn set_live_unlocked<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
    unlocked: bool,
) -> Result<()> {
    let lifecycle = app.linkscope().lifecycle();
    Ok(lifecycle.set_live_unlocked(&environment_id, unlocked)?)
}
