//! Saved connections (core's `connections` service): list, detail (decoded token claims, never
//! the token), the token's signature check, rename, refresh now.

use linkscope_core::dto::{AccessTokenInspection, Connection, ConnectionDetail, MeView};
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
pub async fn inspect_access_token<R: Runtime>(
    app: AppHandle<R>,
    id: String,
) -> Result<Option<AccessTokenInspection>> {
    Ok(app.linkscope().connections().inspect_token(&id).await?)
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

/// `GET /me` read again (and stored), for the overview.
#[tauri::command]
pub async fn read_me<R: Runtime>(app: AppHandle<R>, id: String) -> Result<MeView> {
    Ok(app.linkscope().connections().read_me(&id).await?)
}
