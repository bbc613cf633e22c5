//! Commands answered by core itself rather than one of its services: what the app is, and
//! presenter mode.

use linkscope_core::dto::AppInfo;
use tauri::{AppHandle, Runtime};

use crate::LinkscopeExt;

#[tauri::command(async)]
pub fn get_app_info<R: Runtime>(app: AppHandle<R>) -> AppInfo {
    app.linkscope().app_info()
}

#[tauri::command(async)]
pub fn set_presenter_mode<R: Runtime>(app: AppHandle<R>, on: bool) {
    app.linkscope().set_presenter_mode(on);
}
