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

/// What a finished fetch (of one account or card, or of all of them) holds; the rows themselves
/// are read page by page with `query_transactions`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionFetchSummary {
    pub fetch_id: String,
    /// Settled transactions (each once).
    pub total: u32,
    pub currency: String,
    /// How many windows of at most three months were fetched.
    pub windows: u32,
    /// Pending transactions, shown apart (not in `total`, not in the pages); a fetch of every
    /// account and card reads none.
    pub pending: Vec<Transaction>,
    /// Why the pending transactions could not be read (the settled ones still were).
    pub pending_error: Option<ApiError>,
    /// The first and last day with a settled transaction (`YYYY-MM-DD`), if any.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// End-of-day balances, oldest first, at most one point per day and at most 400 points
    /// (longer spans keep the last day of each bucket).
    /// With several accounts and cards, the sum of their balances at the end of each day.
    pub balance_series: Vec<BalancePoint>,
    /// The accounts and cards fetched (one for a fetch of one account or card).
    pub sources: Vec<TransactionSourceInfo>,
    /// With several accounts and cards, each one's own balance over time (else empty).
    pub source_series: Vec<SourceSeries>,
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

/// One page of rows, lean: each column once, as an array with a value per row (row `i` is
/// `index[i]`, `timestamp[i]`, …), and no raw item (read one with `get_transaction`). A page of
/// 1,000 dense rows is 86 KB, against 843 KB as a JSON object per row with its raw item.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionPage {
    /// Rows matching the search (all pages).
    pub total: u32,
    pub offset: u32,
    /// The accounts and cards of the fetch; `rows.source[i]` is an index into it.
    pub sources: Vec<TransactionSourceInfo>,
    pub rows: TransactionColumns,
    /// The fetch is still running: these are the rows so far, in the order they arrived
    /// (searched, not yet sorted). Pages are sorted once it has finished.
    pub partial: bool,
}

/// A page's rows as columns, every column as long as `index`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionColumns {
    /// The row's place in the whole fetch (stable whatever the search and sort): what
    /// `get_transaction` takes.
    pub index: Vec<u32>,
    /// RFC 3339 when TrueLayer's timestamp could be read, else as sent.
    pub timestamp: Vec<String>,
    pub description: Vec<String>,
    pub merchant_name: Vec<Option<String>>,
    pub amount: Vec<f64>,
    pub running_balance: Vec<Option<f64>>,
    pub transaction_category: Vec<String>,
    /// Index into [`TransactionPage::sources`].
    pub source: Vec<u16>,
}

/// An account or a card whose rows a fetch holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionSourceInfo {
    pub source: TransactionSource,
    pub account_id: String,
    /// The name the bank shows (empty for a fetch of one account or card).
    pub display_name: String,
    /// The currency of its rows (empty when it has none).
    pub currency: String,
}

/// `get_transaction`: one row of a finished fetch and the exact item TrueLayer sent for it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionItem {
    pub transaction: Transaction,
    pub source: TransactionSourceInfo,
    #[ts(type = "unknown")]
    pub raw: Value,
}

/// `fetch_all_transactions`' input: every account and card of a connection over a date range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FetchAllTransactionsInput {
    pub fetch_id: String,
    pub connection_id: String,
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    pub to: String,
}

/// One account's or card's balance over time, in a fetch of every account and card.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SourceSeries {
    /// Index into [`TransactionFetchSummary::sources`].
    pub source: u16,
    pub points: Vec<BalancePoint>,
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
