//! Environments (core's `environments` service): where to link, their providers, and the scope
//! catalog.

use linkscope_core::dto::{Environment, EnvironmentInput, ProviderList, ScopeInfo};
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::LinkscopeExt;

#[tauri::command]
pub async fn list_environments<R: Runtime>(app: AppHandle<R>) -> Result<Vec<Environment>> {
    Ok(app.linkscope().environments().list().await?)
}

#[tauri::command]
pub async fn save_environment<R: Runtime>(
    app: AppHandle<R>,
    input: EnvironmentInput,
) -> Result<Environment> {
    Ok(app.linkscope().environments().save(input).await?)
}

#[tauri::command]
pub async fn select_environment<R: Runtime>(app: AppHandle<R>, id: String) -> Result<Environment> {
    Ok(app.linkscope().environments().select(&id).await?)
}

#[tauri::command]
pub async fn list_providers<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
    refresh: bool,
) -> Result<ProviderList> {
    let environments = app.linkscope().environments();
    Ok(environments.providers(&environment_id, refresh).await?)
}

#[tauri::command(async)]
pub fn get_scope_catalog<R: Runtime>(app: AppHandle<R>) -> Vec<ScopeInfo> {
    app.linkscope().environments().scope_catalog()
}
