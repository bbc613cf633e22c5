//! Link attempts and their auth-journey trails (core's `tracking` service, Client Tracking API).

use linkscope_core::dto::{AuthTrail, LinkAttempt};
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::LinkscopeExt;

#[tauri::command]
pub async fn list_link_attempts<R: Runtime>(
    app: AppHandle<R>,
    environment_id: Option<String>,
) -> Result<Vec<LinkAttempt>> {
    Ok(app
        .linkscope()
        .tracking()
        .attempts(environment_id.as_deref())?)
}

#[tauri::command]
pub async fn get_auth_trail<R: Runtime>(
    app: AppHandle<R>,
    attempt_id: String,
) -> Result<AuthTrail> {
    Ok(app.linkscope().tracking().trail(&attempt_id).await?)
}
