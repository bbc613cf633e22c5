//! Commands about the app itself.

use serde::Serialize;
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::LinkscopeExt;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    version: String,
    build: &'static str,
    deep_link_scheme: String,
}

#[tauri::command]
pub fn get_app_info<R: Runtime>(app: AppHandle<R>) -> Result<AppInfo> {
    Ok(AppInfo {
        version: app.package_info().version.to_string(),
        build: if cfg!(debug_assertions) { "dev" } else { "release" },
        deep_link_scheme: app.linkscope().scheme.clone(),
    })
}
