//! Transactions (core's `transactions` service): a long fetch with progress (of one account or
//! card, or of all of them), then lean paged queries and one row's raw item.

use linkscope_core::dto::{
    FetchAllTransactionsInput, FetchTransactionsInput, TransactionFetchSummary, TransactionItem,
    TransactionPage, TransactionQuery,
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

/// Every account and card of the connection; its rows can be queried while it runs.
#[tauri::command]
pub async fn fetch_all_transactions<R: Runtime>(
    app: AppHandle<R>,
    input: FetchAllTransactionsInput,
) -> Result<TransactionFetchSummary> {
    Ok(app.linkscope().transactions().fetch_all(input).await?)
}

#[tauri::command]
pub async fn query_transactions<R: Runtime>(
    app: AppHandle<R>,
    query: TransactionQuery,
) -> Result<TransactionPage> {
    Ok(app.linkscope().transactions().query(query).await?)
}

#[tauri::command(async)]
pub fn get_transaction<R: Runtime>(
    app: AppHandle<R>,
    fetch_id: String,
    index: u32,
) -> Result<TransactionItem> {
    Ok(app.linkscope().transactions().item(&fetch_id, index)?)
}

#[tauri::command(async)]
pub fn cancel_fetch<R: Runtime>(app: AppHandle<R>, fetch_id: String) -> Result<()> {
    Ok(app.linkscope().transactions().cancel(&fetch_id)?)
}
