//! What changed between two readings of a connection ([`diff`]): accounts and cards added or
//! removed, balances that moved, transactions added, removed or changed. Pure: no I/O, no clock.
//!
//! Matching. Accounts and cards are matched by kind and id. Transactions are matched in two
//! passes, each within one account or card:
//! 1. by `transaction_id` (a side that repeats an id pairs its repeats in order);
//! 2. what is left, by a normalised key: the day of the timestamp, the amount in minor units,
//!    the currency and the description lower-cased with only letters and digits kept. This is
//!    for providers whose ids are not stable between reads (or are empty): a transaction whose
//!    id changed but whose key matches is counted as `rematched`, not as one removed and one
//!    added. Two genuinely different transactions with the same key on the same day are paired
//!    in order, which can only hide a change of id, never a row.
//!
//! A matched pair is `changed` when any of its compared fields differ (timestamp, description,
//! merchant name, amount, currency, type, category). Running balances are not compared: one
//! earlier transaction added moves every later running balance, and that is one change, not
//! hundreds. Amounts and balances are compared in minor units (hundredths), so a float's last
//! digit is never a difference.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::{Deserialize, Serialize};

use crate::dto::{
    AmountChange, BalanceChange, DiffCounts, SnapshotAccount, SnapshotTransaction,
    TransactionChange, TransactionSource,
};

/// One reading of a connection: what a snapshot stores, and what a fresh read produces.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub accounts: Vec<SnapshotAccount>,
    pub transactions: Vec<SnapshotTransaction>,
}

/// Every difference from `before` to `after`, in full (the caller caps the lists).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub counts: DiffCounts,
    pub accounts_added: Vec<SnapshotAccount>,
    pub accounts_removed: Vec<SnapshotAccount>,
    pub balances_changed: Vec<BalanceChange>,
    /// Newest first, as are the two lists below.
    pub transactions_added: Vec<SnapshotTransaction>,
    pub transactions_removed: Vec<SnapshotTransaction>,
    pub transactions_changed: Vec<TransactionChange>,
}

impl Changes {
    /// True when nothing differs (a rematched id is not a difference).
    pub fn is_empty(&self) -> bool {
        let c = &self.counts;
        c.accounts_added == 0
            && c.accounts_removed == 0
            && c.balances_changed == 0
            && c.transactions_added == 0
            && c.transactions_removed == 0
            && c.transactions_changed == 0
    }
}

/// Compares two readings (see the module docs for how rows are matched).
pub fn diff(before: &Reading, after: &Reading) -> Changes {
    let mut changes = Changes::default();
    diff_accounts(before, after, &mut changes);
    diff_transactions(before, after, &mut changes);
    let c = &mut changes.counts;
    c.accounts_added = count(changes.accounts_added.len());
    c.accounts_removed = count(changes.accounts_removed.len());
    c.balances_changed = count(changes.balances_changed.len());
    c.transactions_added = count(changes.transactions_added.len());
    c.transactions_removed = count(changes.transactions_removed.len());
    c.transactions_changed = count(changes.transactions_changed.len());
    changes
}

fn diff_accounts(before: &Reading, after: &Reading, changes: &mut Changes) {
    let key = |a: &SnapshotAccount| (a.kind, a.account_id.clone());
    let old: HashMap<_, &SnapshotAccount> = before.accounts.iter().map(|a| (key(a), a)).collect();
    let new: HashSet<_> = after.accounts.iter().map(key).collect();
    for account in &after.accounts {
        match old.get(&key(account)) {
            None => changes.accounts_added.push(account.clone()),
            Some(was) => {
                let moved = minor_opt(was.current) != minor_opt(account.current)
                    || minor_opt(was.available) != minor_opt(account.available);
                if moved {
                    changes.balances_changed.push(BalanceChange {
                        account: account.clone(),
                        current: amount_change(was.current, account.current),
                        available: amount_change(was.available, account.available),
                    });
                }
            }
        }
    }
    changes.accounts_removed = before
        .accounts
        .iter()
        .filter(|a| !new.contains(&key(a)))
        .cloned()
        .collect();
}

type IdKey<'a> = (TransactionSource, &'a str, &'a str);
type ContentKey<'a> = (TransactionSource, &'a str, String, i64, String, String);

fn diff_transactions(before: &Reading, after: &Reading, changes: &mut Changes) {
    let (old, new) = (&before.transactions, &after.transactions);

    // Pass 1: by id.
    let mut by_id: HashMap<IdKey<'_>, VecDeque<usize>> = HashMap::new();
    for (j, t) in new.iter().enumerate() {
        if let Some(k) = id_key(t) {
            by_id.entry(k).or_default().push_back(j);
        }
    }
    let mut taken = vec![false; new.len()];
    let mut unmatched_old = Vec::new();
    for (i, t) in old.iter().enumerate() {
        let found = id_key(t).and_then(|k| by_id.get_mut(&k).and_then(VecDeque::pop_front));
        match found {
            Some(j) => {
                taken[j] = true;
                let fields = changed_fields(t, &new[j]);
                if fields.is_empty() {
                    changes.counts.transactions_unchanged += 1;
                } else {
                    changes.transactions_changed.push(TransactionChange {
                        before: t.clone(),
                        after: new[j].clone(),
                        fields,
                    });
                }
            }
            None => unmatched_old.push(i),
        }
    }

    // Pass 2: what is left, by the normalised key.
    let mut by_content: HashMap<ContentKey<'_>, VecDeque<usize>> = HashMap::new();
    for (j, t) in new.iter().enumerate().filter(|(j, _)| !taken[*j]) {
        by_content.entry(content_key(t)).or_default().push_back(j);
    }
    for i in unmatched_old {
        let t = &old[i];
        match by_content
            .get_mut(&content_key(t))
            .and_then(VecDeque::pop_front)
        {
            Some(j) => {
                taken[j] = true;
                changes.counts.transactions_rematched += 1;
            }
            None => changes.transactions_removed.push(t.clone()),
        }
    }
    changes.transactions_added = new
        .iter()
        .zip(&taken)
        .filter(|(_, taken)| !**taken)
        .map(|(t, _)| t.clone())
        .collect();

    let newest_first = |a: &SnapshotTransaction, b: &SnapshotTransaction| {
        b.timestamp
            .cmp(&a.timestamp)
            .then_with(|| a.transaction_id.cmp(&b.transaction_id))
    };
    changes.transactions_added.sort_by(newest_first);
    changes.transactions_removed.sort_by(newest_first);
    changes
        .transactions_changed
        .sort_by(|a, b| newest_first(&a.after, &b.after));
}

fn id_key(t: &SnapshotTransaction) -> Option<IdKey<'_>> {
    let id = t.transaction_id.trim();
    (!id.is_empty()).then_some((t.kind, t.account_id.as_str(), id))
}

fn content_key(t: &SnapshotTransaction) -> ContentKey<'_> {
    (
        t.kind,
        t.account_id.as_str(),
        t.timestamp.chars().take(10).collect(),
        minor(t.amount),
        t.currency.trim().to_uppercase(),
        normalised(&t.description),
    )
}

/// Lower-cased, letters and digits only, one space between words.
fn normalised(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn changed_fields(a: &SnapshotTransaction, b: &SnapshotTransaction) -> Vec<String> {
    let checks = [
        ("timestamp", a.timestamp != b.timestamp),
        ("description", a.description != b.description),
        ("merchantName", a.merchant_name != b.merchant_name),
        ("amount", minor(a.amount) != minor(b.amount)),
        ("currency", a.currency != b.currency),
        ("transactionType", a.transaction_type != b.transaction_type),
        (
            "transactionCategory",
            a.transaction_category != b.transaction_category,
        ),
    ];
    checks
        .iter()
        .filter(|(_, differs)| *differs)
        .map(|(name, _)| (*name).to_owned())
        .collect()
}

fn amount_change(before: Option<f64>, after: Option<f64>) -> AmountChange {
    AmountChange {
        before,
        after,
        delta: before
            .zip(after)
            .map(|(b, a)| from_minor(minor(a) - minor(b))),
    }
}

fn minor(amount: f64) -> i64 {
    (amount * 100.0).round() as i64
}

fn minor_opt(amount: Option<f64>) -> Option<i64> {
    amount.map(minor)
}

fn from_minor(minor: i64) -> f64 {
    minor as f64 / 100.0
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str, current: Option<f64>) -> SnapshotAccount {
        SnapshotAccount {
            kind: TransactionSource::Account,
            account_id: id.into(),
            display_name: format!("Account {id}"),
            account_type: "TRANSACTION".into(),
            currency: "GBP".into(),
            number: Some("12345678".into()),
            current,
            available: current,
        }
    }

    fn tx(id: &str, day: &str, amount: f64, description: &str) -> SnapshotTransaction {
        SnapshotTransaction {
            kind: TransactionSource::Account,
            account_id: "a1".into(),
            transaction_id: id.into(),
            timestamp: format!("{day}T10:00:00+00:00"),
            description: description.into(),
            merchant_name: None,
            amount,
            currency: "GBP".into(),
            transaction_type: "DEBIT".into(),
            transaction_category: "PURCHASE".into(),
        }
    }

    fn reading(accounts: Vec<SnapshotAccount>, transactions: Vec<SnapshotTransaction>) -> Reading {
        Reading {
            accounts,
            transactions,
        }
    }

    #[test]
    fn two_equal_readings_have_no_changes() {
        let r = reading(
            vec![account("a1", Some(10.0))],
            vec![tx("t1", "2024-01-01", -5.0, "Coffee")],
        );
        let changes = diff(&r, &r.clone());
        assert!(changes.is_empty(), "{changes:?}");
        assert_eq!(changes.counts.transactions_unchanged, 1);
    }

    #[test]
    fn accounts_added_and_removed_are_told_apart_by_kind_and_id() {
        let mut card = account("a1", None);
        card.kind = TransactionSource::Card;
        let before = reading(
            vec![account("a1", Some(1.0)), account("gone", None)],
            vec![],
        );
        let after = reading(vec![account("a1", Some(1.0)), card.clone()], vec![]);
        let changes = diff(&before, &after);
        assert_eq!(
            changes.accounts_added,
            vec![card],
            "a card with an account's id is new"
        );
        assert_eq!(changes.accounts_removed, vec![account("gone", None)]);
        assert!(changes.balances_changed.is_empty());
    }

    #[test]
    fn a_moved_balance_reports_its_delta_in_minor_units() {
        let before = reading(vec![account("a1", Some(100.10))], vec![]);
        let after = reading(vec![account("a1", Some(75.05))], vec![]);
        let changes = diff(&before, &after);
        assert_eq!(changes.balances_changed.len(), 1);
        let moved = &changes.balances_changed[0];
        assert_eq!(
            (moved.current.before, moved.current.after),
            (Some(100.10), Some(75.05))
        );
        assert_eq!(moved.current.delta, Some(-25.05));
        assert_eq!(moved.available.delta, Some(-25.05));
    }

    #[test]
    fn a_balance_that_differs_only_past_the_minor_unit_has_not_moved() {
        let before = reading(vec![account("a1", Some(0.1 + 0.2))], vec![]);
        let after = reading(vec![account("a1", Some(0.3))], vec![]);
        assert!(diff(&before, &after).is_empty());
    }

    #[test]
    fn an_available_balance_that_moved_alone_is_a_change_with_its_own_delta() {
        let before = reading(vec![account("a1", Some(50.0))], vec![]);
        let mut pending = account("a1", Some(50.0));
        pending.available = Some(42.5);
        let moved = &diff(&before, &reading(vec![pending], vec![])).balances_changed[0];
        assert_eq!(moved.current.delta, Some(0.0), "the booked balance stayed");
        assert_eq!(moved.available.delta, Some(-7.5));
    }

    #[test]
    fn a_balance_that_appears_is_a_change_without_a_delta() {
        let before = reading(vec![account("a1", None)], vec![]);
        let after = reading(vec![account("a1", Some(3.0))], vec![]);
        let moved = &diff(&before, &after).balances_changed[0];
        assert_eq!(
            (
                moved.current.before,
                moved.current.after,
                moved.current.delta
            ),
            (None, Some(3.0), None)
        );
    }

    #[test]
    fn transactions_are_matched_by_id_and_new_ones_are_added_newest_first() {
        let before = reading(vec![], vec![tx("t1", "2024-01-01", -1.0, "A")]);
        let after = reading(
            vec![],
            vec![
                tx("t2", "2024-01-02", -2.0, "B"),
                tx("t1", "2024-01-01", -1.0, "A"),
                tx("t3", "2024-01-03", -3.0, "C"),
            ],
        );
        let changes = diff(&before, &after);
        let added: Vec<_> = changes
            .transactions_added
            .iter()
            .map(|t| t.transaction_id.as_str())
            .collect();
        assert_eq!(added, ["t3", "t2"]);
        assert!(changes.transactions_removed.is_empty());
        assert_eq!(changes.counts.transactions_added, 2);
        assert_eq!(changes.counts.transactions_unchanged, 1);
    }

    #[test]
    fn a_transaction_gone_from_the_newer_reading_is_removed() {
        let before = reading(
            vec![],
            vec![
                tx("t1", "2024-01-01", -1.0, "A"),
                tx("t2", "2024-01-02", -2.0, "B"),
            ],
        );
        let after = reading(vec![], vec![tx("t1", "2024-01-01", -1.0, "A")]);
        let changes = diff(&before, &after);
        assert_eq!(changes.transactions_removed.len(), 1);
        assert_eq!(changes.transactions_removed[0].transaction_id, "t2");
    }

    #[test]
    fn the_same_id_with_other_fields_is_changed_and_names_the_fields() {
        let before = reading(vec![], vec![tx("t1", "2024-01-01", -1.0, "Shop")]);
        let mut edited = tx("t1", "2024-01-01", -1.5, "Shop Ltd");
        edited.merchant_name = Some("Shop".into());
        let after = reading(vec![], vec![edited.clone()]);
        let changes = diff(&before, &after);
        assert_eq!(changes.transactions_changed.len(), 1);
        let change = &changes.transactions_changed[0];
        assert_eq!(change.fields, ["description", "merchantName", "amount"]);
        assert_eq!(change.after, edited);
        assert!(changes.transactions_added.is_empty() && changes.transactions_removed.is_empty());
    }

    #[test]
    fn an_unstable_id_falls_back_to_the_normalised_key_and_is_not_a_difference() {
        let before = reading(
            vec![],
            vec![tx("run1-a", "2024-01-01", -4.2, "TESCO  Stores 123")],
        );
        let mut after_tx = tx("run2-b", "2024-01-01", -4.2, "Tesco stores-123");
        after_tx.timestamp = "2024-01-01T18:30:00+00:00".into();
        let after = reading(vec![], vec![after_tx]);
        let changes = diff(&before, &after);
        assert!(changes.is_empty(), "{changes:?}");
        assert_eq!(changes.counts.transactions_rematched, 1);
    }

    #[test]
    fn transactions_without_an_id_are_matched_by_their_normalised_key() {
        let before = reading(
            vec![],
            vec![
                tx("", "2024-01-01", -1.0, "A"),
                tx("", "2024-01-01", -1.0, "A"),
            ],
        );
        let after = reading(
            vec![],
            vec![
                tx("", "2024-01-01", -1.0, "A"),
                tx("", "2024-01-01", -1.0, "A"),
                tx("", "2024-01-01", -1.0, "A"),
            ],
        );
        let changes = diff(&before, &after);
        assert_eq!(changes.counts.transactions_rematched, 2);
        assert_eq!(
            changes.transactions_added.len(),
            1,
            "the third repeat is new"
        );
    }

    #[test]
    fn an_id_repeated_within_a_reading_pairs_its_repeats_in_order() {
        let before = reading(vec![], vec![tx("dup", "2024-01-01", -1.0, "A")]);
        let after = reading(
            vec![],
            vec![
                tx("dup", "2024-01-01", -1.0, "A"),
                tx("dup", "2024-01-02", -9.0, "B"),
            ],
        );
        let changes = diff(&before, &after);
        assert_eq!(changes.counts.transactions_unchanged, 1);
        assert_eq!(changes.transactions_added.len(), 1);
        assert_eq!(changes.transactions_added[0].amount, -9.0);
    }

    #[test]
    fn the_same_id_on_another_account_is_another_transaction() {
        let before = reading(vec![], vec![tx("t1", "2024-01-01", -1.0, "A")]);
        let mut elsewhere = tx("t1", "2024-01-01", -1.0, "A");
        elsewhere.account_id = "a2".into();
        let changes = diff(&before, &reading(vec![], vec![elsewhere]));
        assert_eq!(changes.transactions_added.len(), 1);
        assert_eq!(changes.transactions_removed.len(), 1);
    }
}
