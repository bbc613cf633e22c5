//! A saved connection's lifecycle (core's `lifecycle` service): extend, revoke, forget, and the
//! live interlock that guards extend and revoke in a live environment.

use linkscope_core::dto::{Connection, ExtendOutcome, RedirectKind};
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::LinkscopeExt;

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
#[tauri::command(async)]
pub fn set_live_unlocked<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
    unlocked: bool,
) -> Result<()> {
    let lifecycle = app.linkscope().lifecycle();
    Ok(lifecycle.set_live_unlocked(&environment_id, unlocked)?)
}
