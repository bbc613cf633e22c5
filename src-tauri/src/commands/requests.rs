//! The request inspector (core's `requests` service): every recorded exchange, redacted before
//! it was stored.

use linkscope_core::dto::{RequestDetail, RequestFilter, RequestSummary};
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::LinkscopeExt;

#[tauri::command]
pub async fn list_requests<R: Runtime>(
    app: AppHandle<R>,
    filter: RequestFilter,
) -> Result<Vec<RequestSummary>> {
    Ok(app.linkscope().requests().list(filter).await?)
}

#[tauri::command]
pub async fn get_request<R: Runtime>(app: AppHandle<R>, id: String) -> Result<RequestDetail> {
    Ok(app.linkscope().requests().get(&id).await?)
}
