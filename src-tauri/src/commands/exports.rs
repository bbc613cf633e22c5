//! Exports (core's `exports` service): a finished fetch as CSV or JSON, recorded exchanges as
//! HAR, a connection's support bundle; each is saved where the user chooses.

use std::path::PathBuf;

use linkscope_core::dto::{ExportFormat, HarSelection};
use linkscope_core::export::ExportFile;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::error::Result;
use crate::LinkscopeExt;

/// Saves a finished fetch as CSV or JSON; `None` when the user cancels the save dialog.
#[tauri::command]
pub async fn export_transactions<R: Runtime>(
    app: AppHandle<R>,
    fetch_id: String,
    format: ExportFormat,
) -> Result<Option<String>> {
    let file = app.linkscope().exports().transactions(&fetch_id, format)?;
    save(&app, file).await
}

/// Saves the selected exchanges as a HAR 1.2 file (redacted as the inspector shows them).
#[tauri::command]
pub async fn export_har<R: Runtime>(
    app: AppHandle<R>,
    selection: HarSelection,
) -> Result<Option<String>> {
    let file = app.linkscope().exports().har(&selection).await?;
    save(&app, file).await
}

/// Saves the connection's support bundle (Markdown, redacted).
#[tauri::command]
pub async fn export_support_bundle<R: Runtime>(
    app: AppHandle<R>,
    connection_id: String,
) -> Result<Option<String>> {
    let file = app
        .linkscope()
        .exports()
        .support_bundle(&connection_id)
        .await?;
    save(&app, file).await
}

/// Asks where to save (`LINKSCOPE_EXPORT_DIR`, if set, skips the dialog: the tests' override,
/// like `LINKSCOPE_DATA_DIR`) and writes the file there.
pub(crate) async fn save<R: Runtime>(
    app: &AppHandle<R>,
    file: ExportFile,
) -> Result<Option<String>> {
    let path = match std::env::var_os("LINKSCOPE_EXPORT_DIR") {
        Some(dir) => Some(PathBuf::from(dir).join(&file.file_name)),
        None => {
            let (tx, rx) = tokio::sync::oneshot::channel();
            app.dialog()
                .file()
                .set_file_name(&file.file_name)
                .save_file(move |chosen| {
                    let _ = tx.send(chosen.and_then(|p| p.into_path().ok()));
                });
            rx.await.ok().flatten()
        }
    };
    let Some(path) = path else { return Ok(None) };
    file.save(&path)?;
    Ok(Some(path.display().to_string()))
}
