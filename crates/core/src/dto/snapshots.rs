//! Snapshots and their diff: what a snapshot keeps (accounts and cards with their balances, and
//! the settled transactions of a date range), the list entry the UI shows, and what "Compare"
//! answers. Kept apart from the view DTOs on purpose: a stored snapshot is read back by later
//! builds, so its shape changes only with a migration, never with a view.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::TransactionSource;

/// `take_snapshot`'s input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TakeSnapshotInput {
    pub connection_id: String,
    /// A name for the list; empty or missing: "Snapshot of <date and time>".
    #[ts(optional)]
    #[serde(default)]
    pub label: Option<String>,
    /// `YYYY-MM-DD`, inclusive: the transactions' range.
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    pub to: String,
}

/// A stored snapshot as the list shows it (its rows are read only to compare).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotSummary {
    pub id: String,
    pub connection_id: String,
    pub label: String,
    /// RFC 3339.
    pub taken_at: String,
    /// The transactions' range, `YYYY-MM-DD`, inclusive.
    pub from: String,
    pub to: String,
    pub accounts: u32,
    pub cards: u32,
    pub transactions: u32,
}

/// An account or a card as a snapshot keeps it: what tells it apart and its balance. No
/// account number or sort code is kept; `number` is the card's partial number or the account's
/// number as the bank shows it, for the user to recognise it (masked in presenter mode).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotAccount {
    pub kind: TransactionSource,
    pub account_id: String,
    pub display_name: String,
    /// The account's type (`TRANSACTION`, `SAVINGS`) or the card's (`CREDIT`).
    pub account_type: String,
    pub currency: String,
    pub number: Option<String>,
    /// The current balance; `null` when it was not granted or could not be read.
    pub current: Option<f64>,
    pub available: Option<f64>,
}

/// A settled transaction as a snapshot keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotTransaction {
    pub kind: TransactionSource,
    /// The account's or the card's id.
    pub account_id: String,
    pub transaction_id: String,
    pub timestamp: String,
    pub description: String,
    pub merchant_name: Option<String>,
    pub amount: f64,
    pub currency: String,
    pub transaction_type: String,
    pub transaction_category: String,
}

/// `compare_snapshots`' input: a snapshot against a fresh read of the same range (`against`
/// missing) or against another snapshot of the same connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CompareSnapshotsInput {
    /// The older side ("before").
    pub base_id: String,
    /// The newer side ("after"); missing: read the connection now.
    #[ts(optional)]
    #[serde(default)]
    pub against_id: Option<String>,
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum CompareSide {
    /// A stored snapshot.
    Snapshot { snapshot: SnapshotSummary },
    /// What the bank answered just now, over the base snapshot's range (not stored).
    Fresh {
        #[serde(rename = "readAt")]
        read_at: String,
    },
}

/// A balance that moved between the two sides: its current or its available amount, or both.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BalanceChange {
    /// The newer side's account or card.
    pub account: SnapshotAccount,
    pub current: AmountChange,
    pub available: AmountChange,
}

/// One amount on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AmountChange {
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// `after - before` (rounded to the minor unit); `null` when one side has none.
    pub delta: Option<f64>,
}

/// A transaction present on both sides whose fields differ.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionChange {
    pub before: SnapshotTransaction,
    pub after: SnapshotTransaction,
    /// The fields that differ, camelCase (`amount`, `description`, …).
    pub fields: Vec<String>,
}

/// How many of each kind of difference there are (the lists below stop at
/// [`crate::snapshots::MAX_DIFF_ROWS`] each).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiffCounts {
    pub accounts_added: u32,
    pub accounts_removed: u32,
    pub balances_changed: u32,
    pub transactions_added: u32,
    pub transactions_removed: u32,
    pub transactions_changed: u32,
    /// Transactions on both sides with the same id and fields.
    pub transactions_unchanged: u32,
    /// Pairs whose id changed but whose normalised key (account, day, amount, currency,
    /// description) matched: counted as the same transaction, not as removed and added.
    pub transactions_rematched: u32,
}

/// What changed from `base` to `against`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotDiff {
    pub base: SnapshotSummary,
    pub against: CompareSide,
    /// The range compared (the base's), `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    /// True when nothing at all differs.
    pub identical: bool,
    pub counts: DiffCounts,
    /// Every account and card either side knows (the newer side's first), to name the rows.
    pub accounts: Vec<SnapshotAccount>,
    pub accounts_added: Vec<SnapshotAccount>,
    pub accounts_removed: Vec<SnapshotAccount>,
    pub balances_changed: Vec<BalanceChange>,
    pub transactions_added: Vec<SnapshotTransaction>,
    pub transactions_removed: Vec<SnapshotTransaction>,
    pub transactions_changed: Vec<TransactionChange>,
}
