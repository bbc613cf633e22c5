//! Snapshots of a connection and their comparison (core's `snapshots` service).

use linkscope_core::dto::{
    CompareSnapshotsInput, SnapshotDiff, SnapshotSummary, TakeSnapshotInput,
};
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::LinkscopeExt;

#[tauri::command]
pub async fn take_snapshot<R: Runtime>(
    app: AppHandle<R>,
    input: TakeSnapshotInput,
) -> Result<SnapshotSummary> {
    Ok(app.linkscope().snapshots().take(input).await?)
}

#[tauri::command(async)]
pub fn list_snapshots<R: Runtime>(
    app: AppHandle<R>,
    connection_id: String,
) -> Result<Vec<SnapshotSummary>> {
    Ok(app.linkscope().snapshots().list(&connection_id)?)
}

#[tauri::command(async)]
pub fn delete_snapshot<R: Runtime>(app: AppHandle<R>, snapshot_id: String) -> Result<()> {
    Ok(app.linkscope().snapshots().delete(&snapshot_id)?)
}

#[tauri::command]
pub async fn compare_snapshots<R: Runtime>(
    app: AppHandle<R>,
    input: CompareSnapshotsInput,
) -> Result<SnapshotDiff> {
    Ok(app.linkscope().snapshots().compare(input).await?)
}
