//! Transaction DTOs: a fetch's input and summary, the rows, pages and queries over a finished
//! fetch, and `transactions://progress`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::ApiError;

/// Whose transactions: an account's or a card's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TransactionSource {
    Account,
    Card,
}

/// `fetch_transactions`' input. The UI picks `fetchId`, so it can follow progress and cancel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FetchTransactionsInput {
    pub fetch_id: String,
    pub connection_id: String,
    pub source: TransactionSource,
    /// The account's or the card's id.
    pub account_id: String,
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    pub to: String,
}

/// A transaction as the table shows it (the exact item TrueLayer sent is in
/// [`TransactionPage::raw`]).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub transaction_id: String,
    /// RFC 3339 when TrueLayer's timestamp could be read, else as sent.
    pub timestamp: String,
    pub description: String,
    pub merchant_name: Option<String>,
    pub amount: f64,
    pub currency: String,
    pub transaction_type: String,
    pub transaction_category: String,
    pub classification: Vec<String>,
    /// From TrueLayer when given, else derived by core (see the transactions module).
    pub running_balance: Option<f64>,
    pub pending: bool,
}

/// One point of the balance-over-time chart: the balance at the end of `date`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BalancePoint {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub balance: f64,
}

/// What a finished fetch holds; the rows themselves are read page by page with
/// `query_transactions`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionFetchSummary {
    pub fetch_id: String,
    /// Settled transactions (each once).
    pub total: u32,
    pub currency: String,
    /// How many windows of at most three months were fetched.
    pub windows: u32,
    /// Pending transactions, shown apart (not in `total`, not in the pages).
    pub pending: Vec<Transaction>,
    /// Why the pending transactions could not be read (the settled ones still were).
    pub pending_error: Option<ApiError>,
    /// The first and last day with a settled transaction (`YYYY-MM-DD`), if any.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// End-of-day balances, oldest first, at most one point per day and at most 400 points
    /// (longer spans keep the last day of each bucket).
    pub balance_series: Vec<BalancePoint>,
    pub trace_ids: Vec<String>,
    pub fetched_at: String,
}

/// How `query_transactions` sorts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TransactionSortField {
    Timestamp,
    Amount,
    Description,
}

/// A page request over a finished fetch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionQuery {
    pub fetch_id: String,
    pub offset: u32,
    /// At most 1000 (larger values are cut).
    pub limit: u32,
    /// Case-insensitive substring of the description or the merchant name.
    pub search: Option<String>,
    pub sort: TransactionSortField,
    pub descending: bool,
}

/// One page of rows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionPage {
    /// Rows matching the search (all pages).
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<Transaction>,
    /// The exact TrueLayer item of each row, in the same order.
    #[ts(type = "Array<unknown>")]
    pub raw: Vec<Value>,
}

/// Event `transactions://progress`: one per window that arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FetchProgressEvent {
    pub fetch_id: String,
    pub windows_done: u32,
    pub windows_total: u32,
    /// Transactions received so far.
    pub rows: u32,
}

/// `stream_transactions`' input: every account and card of a connection (or only one of them)
/// over a date range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionStreamInput {
    pub connection_id: String,
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    pub to: String,
    /// One account or card; `null` = every account, then every card.
    #[ts(optional)]
    #[serde(default)]
    pub only: Option<TransactionSourceRef>,
}

/// An account or a card of a connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionSourceRef {
    pub source: TransactionSource,
    pub account_id: String,
}

/// One window of one account's or card's transactions, as it arrived.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionBatch {
    pub source: TransactionSource,
    /// The account's or the card's id.
    pub account_id: String,
    /// The name the bank shows (empty when only one source was asked for).
    pub display_name: String,
    /// The window's first and last day (`YYYY-MM-DD`).
    pub from: String,
    pub to: String,
    /// Windows delivered so far, this one included, of all the sources.
    pub windows_done: u32,
    pub windows_total: u32,
    /// Settled transactions, in the provider's order, without the boundary-day repeats.
    pub rows: Vec<Transaction>,
}

/// What a finished stream delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionStreamSummary {
    /// Accounts and cards read.
    pub sources: u32,
    pub windows: u32,
    pub rows: u32,
    /// Boundary-day transactions two windows both returned, delivered once.
    pub duplicates_removed: u32,
    pub trace_ids: Vec<String>,
}
