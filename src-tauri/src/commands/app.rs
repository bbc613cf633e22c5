//! Commands about the app itself.

use linkscope_core::dto::AppInfo;
use tauri::{AppHandle, Runtime};

use crate::LinkscopeExt;

#[tauri::command]
pub fn get_app_info<R: Runtime>(app: AppHandle<R>) -> AppInfo {
    app.linkscope().app_info()
}
