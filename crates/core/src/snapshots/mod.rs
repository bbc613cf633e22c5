//! Snapshots of a connection and what changed since: "Take snapshot" reads the connection's
//! accounts and cards with their balances and the settled transactions of a date range, through
//! the same services the views use, and stores them ([`crate::storage::store::SnapshotRow`]);
//! "Compare" diffs a snapshot against a fresh read of its range, or against another snapshot of
//! the same connection ([`diff`]). Support's "what changed since yesterday", QA's regression
//! check.
//!
//! Transactions are read with [`TransactionService::stream`] (every account and card, window by
//! window), never with `fetch`, so a snapshot does not push the transactions view's kept sets
//! out of its cache. Pending transactions are left out: they have no stable identity and move
//! into the settled list as they book. Must not: store a secret (rows are TrueLayer's data only)
//! or change anything when its input is refused.

pub mod diff;

use std::ops::ControlFlow;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::connections::ConnectionService;
use crate::context::Shared;
use crate::data::accounts::AccountService;
use crate::data::cards::CardService;
use crate::data::transactions::TransactionService;
use crate::dto::{
    CompareSide, CompareSnapshotsInput, SnapshotAccount, SnapshotDiff, SnapshotSummary,
    SnapshotTransaction, TakeSnapshotInput, TransactionSource, TransactionStreamInput,
};
use crate::error::{Error, Result};
use crate::storage::store::SnapshotRow;
use diff::Reading;

/// Each list of a diff stops at this many rows (the counts are always whole).
pub const MAX_DIFF_ROWS: usize = 1000;
/// The longest label kept.
pub const MAX_LABEL_CHARS: usize = 100;

/// The snapshot service. Clone freely.
#[derive(Debug, Clone)]
pub struct SnapshotService {
    shared: Arc<Shared>,
    connections: ConnectionService,
    accounts: AccountService,
    cards: CardService,
    transactions: TransactionService,
}

impl SnapshotService {
    pub(crate) fn new(
        shared: Arc<Shared>,
        connections: ConnectionService,
        accounts: AccountService,
        cards: CardService,
        transactions: TransactionService,
    ) -> Self {
        Self {
            shared,
            connections,
            accounts,
            cards,
            transactions,
        }
    }

    /// `take_snapshot`: reads the connection now and stores what it read. The input is checked
    /// before anything is read.
    pub async fn take(&self, input: TakeSnapshotInput) -> Result<SnapshotSummary> {
        let (from, to) = range(&input.from, &input.to)?;
        let label = input.label.as_deref().map(str::trim).unwrap_or_default();
        if label.chars().count() > MAX_LABEL_CHARS {
            return Err(Error::Validation(format!(
                "A snapshot's name can be at most {MAX_LABEL_CHARS} characters."
            )));
        }
        let connection_id = input.connection_id.trim();
        let reading = self.read(connection_id, from, to).await?;
        let taken_at = crate::now_rfc3339();
        let label = if label.is_empty() {
            format!(
                "Snapshot of {}",
                taken_at.replace('T', " ").replace('Z', " UTC")
            )
        } else {
            label.to_owned()
        };
        let kinds = |kind| reading.accounts.iter().filter(|a| a.kind == kind).count();
        let row = SnapshotRow {
            id: uuid::Uuid::new_v4().to_string(),
            connection_id: connection_id.to_owned(),
            label,
            taken_at,
            from_day: from.to_string(),
            to_day: to.to_string(),
            accounts: count(kinds(TransactionSource::Account)),
            cards: count(kinds(TransactionSource::Card)),
            transactions: count(reading.transactions.len()),
            body: serde_json::to_string(&reading).map_err(Error::internal)?,
        };
        self.shared.store.insert_snapshot(&row)?;
        Ok(summary(&row))
    }

    /// `list_snapshots`: a connection's snapshots, newest first.
    pub fn list(&self, connection_id: &str) -> Result<Vec<SnapshotSummary>> {
        let connection_id = connection_id.trim();
        self.connections.row(connection_id)?;
        let rows = self.shared.store.list_snapshots(connection_id)?;
        Ok(rows.iter().map(summary).collect())
    }

    /// `delete_snapshot`.
    pub fn delete(&self, id: &str) -> Result<()> {
        if self.shared.store.delete_snapshot(id.trim())? {
            Ok(())
        } else {
            Err(not_found(id))
        }
    }

    /// `compare_snapshots`: what changed from `base` to `against` (another snapshot of the same
    /// connection), or to what the bank answers now over the base's range.
    pub async fn compare(&self, input: CompareSnapshotsInput) -> Result<SnapshotDiff> {
        let base = self.stored(&input.base_id)?;
        let before: Reading = parse_body(&base)?;
        let (against, after) = match input.against_id.as_deref().map(str::trim) {
            Some(id) if id == base.id => {
                return Err(Error::Validation(
                    "Choose two different snapshots to compare.".into(),
                ))
            }
            Some(id) => {
                let other = self.stored(id)?;
                if other.connection_id != base.connection_id {
                    return Err(Error::Validation(
                        "These snapshots are of two different connections: compare snapshots \
                         of one connection."
                            .into(),
                    ));
                }
                let after = parse_body(&other)?;
                let side = CompareSide::Snapshot {
                    snapshot: summary(&other),
                };
                (side, after)
            }
            None => {
                let (from, to) = range(&base.from_day, &base.to_day)?;
                let after = self.read(&base.connection_id, from, to).await?;
                let side = CompareSide::Fresh {
                    read_at: crate::now_rfc3339(),
                };
                (side, after)
            }
        };
        let mut changes = diff::diff(&before, &after);
        let mut accounts = after.accounts;
        accounts.extend(changes.accounts_removed.iter().cloned());
        let identical = changes.is_empty();
        changes.accounts_added.truncate(MAX_DIFF_ROWS);
        changes.accounts_removed.truncate(MAX_DIFF_ROWS);
        changes.balances_changed.truncate(MAX_DIFF_ROWS);
        changes.transactions_added.truncate(MAX_DIFF_ROWS);
        changes.transactions_removed.truncate(MAX_DIFF_ROWS);
        changes.transactions_changed.truncate(MAX_DIFF_ROWS);
        Ok(SnapshotDiff {
            base: summary(&base),
            against,
            from: base.from_day,
            to: base.to_day,
            identical,
            counts: changes.counts,
            accounts,
            accounts_added: changes.accounts_added,
            accounts_removed: changes.accounts_removed,
            balances_changed: changes.balances_changed,
            transactions_added: changes.transactions_added,
            transactions_removed: changes.transactions_removed,
            transactions_changed: changes.transactions_changed,
        })
    }

    fn stored(&self, id: &str) -> Result<SnapshotRow> {
        self.shared
            .store
            .snapshot(id.trim())?
            .ok_or_else(|| not_found(id))
    }

    /// The connection now: accounts and cards (each when its scope was granted) with their
    /// balances, and the settled transactions of `from..=to` of every one of them.
    async fn read(&self, connection_id: &str, from: NaiveDate, to: NaiveDate) -> Result<Reading> {
        let connection = self.connections.get(connection_id).await?;
        let has = |scope: &str| connection.scopes.iter().any(|s| s == scope);
        let mut reading = Reading::default();
        if has("accounts") {
            let accounts = self.accounts.list(connection_id).await?;
            reading
                .accounts
                .extend(accounts.data.into_iter().map(|a| SnapshotAccount {
                    kind: TransactionSource::Account,
                    account_id: a.account.account_id,
                    display_name: a.account.display_name,
                    account_type: a.account.account_type,
                    currency: a.account.currency,
                    number: a.account.number,
                    current: a.balance.as_ref().map(|b| b.current),
                    available: a.balance.and_then(|b| b.available),
                }));
        }
        if has("cards") {
            let cards = self.cards.list(connection_id).await?;
            reading
                .accounts
                .extend(cards.data.into_iter().map(|c| SnapshotAccount {
                    kind: TransactionSource::Card,
                    account_id: c.card.account_id,
                    display_name: c.card.display_name,
                    account_type: c.card.card_type.unwrap_or_default(),
                    currency: c.card.currency,
                    number: c.card.partial_card_number,
                    current: c.balance.as_ref().map(|b| b.current),
                    available: c.balance.and_then(|b| b.available),
                }));
        }
        if has("transactions") && !reading.accounts.is_empty() {
            let input = TransactionStreamInput {
                connection_id: connection_id.to_owned(),
                from: from.to_string(),
                to: to.to_string(),
                only: None,
            };
            let rows = &mut reading.transactions;
            self.transactions
                .stream(input, |batch| {
                    rows.extend(batch.rows.into_iter().map(|t| SnapshotTransaction {
                        kind: batch.source,
                        account_id: batch.account_id.clone(),
                        transaction_id: t.transaction_id,
                        timestamp: t.timestamp,
                        description: t.description,
                        merchant_name: t.merchant_name,
                        amount: t.amount,
                        currency: t.currency,
                        transaction_type: t.transaction_type,
                        transaction_category: t.transaction_category,
                    }));
                    ControlFlow::Continue(())
                })
                .await?;
        }
        Ok(reading)
    }
}

/// A snapshot's transaction range: two days, `YYYY-MM-DD`, the first not after the second.
fn range(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate)> {
    let day = |what: &str, value: &str| {
        NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
            Error::Validation(format!(
                "The snapshot's {what} date must be YYYY-MM-DD, got \"{}\".",
                value.chars().take(40).collect::<String>()
            ))
        })
    };
    let (from, to) = (day("start", from)?, day("end", to)?);
    if from > to {
        return Err(Error::Validation(format!(
            "The snapshot's range is empty: its start ({from}) is after its end ({to})."
        )));
    }
    Ok((from, to))
}

fn parse_body(row: &SnapshotRow) -> Result<Reading> {
    serde_json::from_str(&row.body).map_err(|e| {
        Error::Internal(format!(
            "the stored snapshot {} could not be read: {e}",
            row.id
        ))
    })
}

fn summary(row: &SnapshotRow) -> SnapshotSummary {
    SnapshotSummary {
        id: row.id.clone(),
        connection_id: row.connection_id.clone(),
        label: row.label.clone(),
        taken_at: row.taken_at.clone(),
        from: row.from_day.clone(),
        to: row.to_day.clone(),
        accounts: row.accounts,
        cards: row.cards,
        transactions: row.transactions,
    }
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        what: "snapshot",
        id: id.trim().chars().take(80).collect(),
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
