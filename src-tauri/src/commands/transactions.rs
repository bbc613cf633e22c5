//! Transactions (core's `transactions` service): a long fetch with progress, then paged queries.

use linkscope_core::dto::{
    FetchTransactionsInput, TransactionFetchSummary, TransactionPage, TransactionQuery,
};
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::LinkscopeExt;

/// Progress arrives as `transactions://progress` events; `cancel_fetch` ends it early.
#[tauri::command]
pub async fn fetch_transactions<R: Runtime>(
    app: AppHandle<R>,
    input: FetchTransactionsInput,
) -> Result<TransactionFetchSummary> {
    Ok(app.linkscope().transactions().fetch(input).await?)
}

#[tauri::command]
pub async fn query_transactions<R: Runtime>(
    app: AppHandle<R>,
    query: TransactionQuery,
) -> Result<TransactionPage> {
    Ok(app.linkscope().transactions().query(query).await?)
}

#[tauri::command]
pub fn cancel_fetch<R: Runtime>(app: AppHandle<R>, fetch_id: String) -> Result<()> {
    Ok(app.linkscope().transactions().cancel(&fetch_id)?)
}
