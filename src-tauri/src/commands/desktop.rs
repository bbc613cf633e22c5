//! Commands of the desktop itself rather than a core service: the log file (revealed in the file
//! manager, and the webview's own errors written into it) and OS notifications. What to notify
//! about and when is the UI's pure decision (`ui/src/lib/notifications.ts`); this only shows it.

use linkscope_core::Error;
use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;
use tauri_plugin_opener::OpenerExt;

use crate::error::Result;
use crate::logging;

/// Opens the folder holding `linkscope.log` with the file selected.
#[tauri::command(async)]
pub fn reveal_log<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    let file =
        logging::file(&app).ok_or_else(|| Error::Internal("this system has no log dir".into()))?;
    app.opener()
        .reveal_item_in_dir(&file)
        .map_err(|err| Error::Internal(format!("cannot reveal {}: {err}", file.display())).into())
}

/// Writes an error the webview's console saw into the app's log (target `webview`).
#[tauri::command(async)]
pub fn log_webview_error(message: String) {
    tracing::error!(target: "webview", "{message}");
}

/// Shows an OS notification; the log line is what tests and support read (Xvfb shows none).
#[tauri::command(async)]
pub fn notify_user<R: Runtime>(app: AppHandle<R>, title: String, body: String) {
    tracing::info!("notification requested: {title}: {body}");
    if let Err(err) = app
        .notification()
        .builder()
        .title(&title)
        .body(&body)
        .show()
    {
        tracing::warn!("the notification could not be shown: {err}");
    }
}
