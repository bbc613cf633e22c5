//! The in-memory query engine over one finished fetch: the rows oldest first (the provider's
//! order inside a timestamp), each with its raw item and a search key; pages searched
//! (description or merchant, case-insensitive) and sorted (date, amount, description) on
//! precomputed orders, with the last search's matches cached so scrolling reads only its page.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use linkscope_truelayer as tl;
use serde_json::Value;

use super::balances::{balance_series, fill_running_balances, MAX_SERIES_POINTS};
use super::count;
use crate::context::lock;
use crate::dto::{
    ApiError, Transaction, TransactionFetchSummary, TransactionPage, TransactionQuery,
    TransactionSortField, TransactionSource,
};

/// The largest page `query_transactions` returns.
pub const MAX_PAGE: u32 = 1000;

/// What a finished fetch was.
#[derive(Debug, Clone)]
pub(crate) struct SetMeta {
    pub fetch_id: String,
    pub connection_id: String,
    pub source: TransactionSource,
    pub account_id: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub windows: usize,
    pub trace_ids: Vec<String>,
    pub pending_error: Option<ApiError>,
    pub fetched_at: String,
}

/// A cached view: (search, sort) and the matching rows in ascending order.
type View = (String, TransactionSortField, Arc<Vec<u32>>);

/// A finished fetch: the rows oldest first, each with its raw item and search key.
#[derive(Debug)]
pub(crate) struct FetchedSet {
    pub meta: SetMeta,
    pub summary: TransactionFetchSummary,
    pub rows: Vec<Transaction>,
    /// Each row's item as TrueLayer sent it (re-serialized; unknown fields kept).
    pub raw: Vec<Box<str>>,
    pub pending: Vec<Transaction>,
    pub pending_raw: Vec<Box<str>>,
    /// `description \n merchant`, lower-cased.
    search_keys: Vec<Box<str>>,
    /// Ascending orders per sort field, built on first use.
    orders: Mutex<HashMap<TransactionSortField, Arc<Vec<u32>>>>,
    /// The last view: (search, sort) → the matching rows in ascending order.
    last_view: Mutex<Option<View>>,
}

impl FetchedSet {
    /// Builds a set from the merged windows (in the provider's order) and the pending items.
    pub(crate) fn build(
        meta: SetMeta,
        booked: Vec<tl::Transaction>,
        newest_first: bool,
        pending: Vec<tl::Transaction>,
        closing_balance: Option<f64>,
    ) -> Self {
        let mut booked = booked;
        if newest_first {
            booked.reverse();
        }
        // Oldest first; a stable sort keeps the provider's order inside one timestamp.
        let mut keyed: Vec<(i64, tl::Transaction)> =
            booked.into_iter().map(|t| (time_key(&t), t)).collect();
        keyed.sort_by_key(|(k, _)| *k);

        let amounts: Vec<f64> = keyed.iter().map(|(_, t)| t.amount).collect();
        let given: Vec<Option<f64>> = keyed
            .iter()
            .map(|(_, t)| t.running_balance.as_ref().map(|m| m.amount))
            .collect();
        let balances = fill_running_balances(&amounts, &given, closing_balance);

        let mut rows = Vec::with_capacity(keyed.len());
        let mut raw = Vec::with_capacity(keyed.len());
        let mut search_keys = Vec::with_capacity(keyed.len());
        let mut days: Vec<Option<NaiveDate>> = Vec::with_capacity(keyed.len());
        for ((_, t), balance) in keyed.into_iter().zip(balances) {
            let mut row = row_of(&t, false);
            row.running_balance = balance;
            search_keys.push(search_key(&row));
            raw.push(raw_of(&t));
            days.push(day_of(&t));
            rows.push(row);
        }
        let n = rows.len();
        let pending_rows: Vec<Transaction> = pending.iter().map(|t| row_of(t, true)).collect();
        let pending_raw = pending.iter().map(raw_of).collect();
        drop(pending);

        let series = balance_series(&days, &rows, MAX_SERIES_POINTS);
        let first_date = days.iter().flatten().next().map(NaiveDate::to_string);
        let last_date = days.iter().flatten().last().map(NaiveDate::to_string);
        let currency = rows
            .iter()
            .chain(pending_rows.iter())
            .map(|r| r.currency.clone())
            .find(|c| !c.is_empty())
            .unwrap_or_default();
        let summary = TransactionFetchSummary {
            fetch_id: meta.fetch_id.clone(),
            total: count(rows.len()),
            currency,
            windows: count(meta.windows),
            pending: pending_rows.clone(),
            pending_error: meta.pending_error.clone(),
            first_date,
            last_date,
            balance_series: series,
            trace_ids: meta.trace_ids.clone(),
            fetched_at: meta.fetched_at.clone(),
        };
        Self {
            meta,
            summary,
            rows,
            raw,
            pending: pending_rows,
            pending_raw,
            search_keys,
            // The default view (by date) is ready before the first page is asked for.
            orders: Mutex::new(HashMap::from([(
                TransactionSortField::Timestamp,
                Arc::new((0..count(n)).collect::<Vec<u32>>()),
            )])),
            last_view: Mutex::new(None),
        }
    }

    /// One page of the view `query` asks for.
    pub(crate) fn page(&self, query: &TransactionQuery) -> TransactionPage {
        let search = query
            .search
            .as_deref()
            .map(|s| s.trim().to_lowercase())
            .unwrap_or_default();
        let view = self.view(&search, query.sort);
        let total = view.len();
        let offset = usize::try_from(query.offset)
            .unwrap_or(usize::MAX)
            .min(total);
        let limit = usize::try_from(query.limit.min(MAX_PAGE)).unwrap_or(0);
        let end = offset.saturating_add(limit).min(total);
        let mut rows = Vec::with_capacity(end - offset);
        let mut raw = Vec::with_capacity(end - offset);
        for position in offset..end {
            let at = if query.descending {
                total - 1 - position
            } else {
                position
            };
            let Some(index) = view.get(at).and_then(|i| usize::try_from(*i).ok()) else {
                continue;
            };
            if let (Some(row), Some(item)) = (self.rows.get(index), self.raw.get(index)) {
                rows.push(row.clone());
                raw.push(serde_json::from_str(item).unwrap_or(Value::Null));
            }
        }
        TransactionPage {
            total: count(total),
            offset: count(offset),
            rows,
            raw,
        }
    }

    /// The rows matching `search` (lower-cased), in ascending `sort` order; cached.
    fn view(&self, search: &str, sort: TransactionSortField) -> Arc<Vec<u32>> {
        if let Some((s, f, view)) = lock(&self.last_view).as_ref() {
            if s == search && *f == sort {
                return view.clone();
            }
        }
        let order = self.order(sort);
        let view = if search.is_empty() {
            order
        } else {
            Arc::new(
                order
                    .iter()
                    .copied()
                    .filter(|i| {
                        usize::try_from(*i)
                            .ok()
                            .and_then(|i| self.search_keys.get(i))
                            .is_some_and(|k| k.contains(search))
                    })
                    .collect(),
            )
        };
        *lock(&self.last_view) = Some((search.to_owned(), sort, view.clone()));
        view
    }

    /// The ascending order of every row for a sort field (ties: oldest first).
    fn order(&self, sort: TransactionSortField) -> Arc<Vec<u32>> {
        if let Some(order) = lock(&self.orders).get(&sort) {
            return order.clone();
        }
        let n = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
        let mut order: Vec<u32> = (0..n).collect();
        let row = |i: &u32| usize::try_from(*i).ok().and_then(|i| self.rows.get(i));
        match sort {
            TransactionSortField::Timestamp => {}
            TransactionSortField::Amount => order.sort_by(|a, b| {
                let (x, y) = (
                    row(a).map_or(0.0, |r| r.amount),
                    row(b).map_or(0.0, |r| r.amount),
                );
                x.total_cmp(&y).then(a.cmp(b))
            }),
            TransactionSortField::Description => {
                let keys: Vec<String> = self
                    .rows
                    .iter()
                    .map(|r| r.description.to_lowercase())
                    .collect();
                let key = |i: &u32| usize::try_from(*i).ok().and_then(|i| keys.get(i));
                order.sort_by(|a, b| key(a).cmp(&key(b)).then(a.cmp(b)));
            }
        }
        let order = Arc::new(order);
        lock(&self.orders).insert(sort, order.clone());
        order
    }
}

/// Milliseconds since the epoch, or `i64::MIN` for an unreadable timestamp (sorted first).
fn time_key(t: &tl::Transaction) -> i64 {
    t.timestamp
        .to_utc()
        .map_or(i64::MIN, |d| d.timestamp_millis())
}

fn day_of(t: &tl::Transaction) -> Option<NaiveDate> {
    t.timestamp
        .to_utc()
        .map(|d| d.date_naive())
        .or_else(|| t.timestamp.date())
}

pub(super) fn row_of(t: &tl::Transaction, pending: bool) -> Transaction {
    Transaction {
        transaction_id: t.transaction_id.clone(),
        timestamp: t.timestamp.to_utc().map_or_else(
            || t.timestamp.as_str().to_owned(),
            |d| d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        ),
        description: t.description.clone().unwrap_or_default(),
        merchant_name: t.merchant_name.clone(),
        amount: t.amount,
        currency: t.currency.clone().unwrap_or_default(),
        transaction_type: t.transaction_type.clone().unwrap_or_default(),
        transaction_category: t.transaction_category.clone().unwrap_or_default(),
        classification: t.transaction_classification.clone(),
        running_balance: t.running_balance.as_ref().map(|m| m.amount),
        pending,
    }
}

fn raw_of(t: &tl::Transaction) -> Box<str> {
    serde_json::to_string(t)
        .unwrap_or_else(|_| "null".to_owned())
        .into_boxed_str()
}

fn search_key(row: &Transaction) -> Box<str> {
    let mut key = row.description.to_lowercase();
    if let Some(m) = &row.merchant_name {
        key.push('\n');
        key.push_str(&m.to_lowercase());
    }
    key.into_boxed_str()
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::dto::BalancePoint;

    fn tx(
        id: usize,
        day: &str,
        amount: f64,
        description: &str,
        balance: Option<f64>,
    ) -> tl::Transaction {
        let mut value = serde_json::json!({
            "transaction_id": format!("t{id}"),
            "timestamp": format!("{day}T12:00:00Z"),
            "description": description,
            "amount": amount,
            "currency": "GBP",
            "transaction_type": if amount < 0.0 { "DEBIT" } else { "CREDIT" },
            "transaction_category": "PURCHASE",
            "transaction_classification": [],
            "meta": {"provider_transaction_category": "DEB"},
            "odd_field": id,
        });
        if let Some(b) = balance {
            value["running_balance"] = serde_json::json!({"amount": b, "currency": "GBP"});
        }
        if id.is_multiple_of(3) {
            value["merchant_name"] = Value::from("Corner Shop");
        }
        serde_json::from_value(value).unwrap()
    }

    fn meta(fetch_id: &str) -> SetMeta {
        SetMeta {
            fetch_id: fetch_id.into(),
            connection_id: "c".into(),
            source: TransactionSource::Account,
            account_id: "a".into(),
            from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
            windows: 4,
            trace_ids: vec![],
            pending_error: None,
            fetched_at: "2025-01-01T00:00:00Z".into(),
        }
    }

    fn query(
        search: Option<&str>,
        sort: TransactionSortField,
        descending: bool,
    ) -> TransactionQuery {
        TransactionQuery {
            fetch_id: "f".into(),
            offset: 0,
            limit: 1000,
            search: search.map(str::to_owned),
            sort,
            descending,
        }
    }

    #[test]
    fn rows_are_kept_oldest_first_whatever_order_the_bank_sends() {
        let newest_first = vec![
            tx(3, "2024-03-01", -3.0, "C", Some(94.0)),
            tx(2, "2024-02-01", -2.0, "B", Some(97.0)),
            tx(1, "2024-01-01", -1.0, "A", Some(99.0)),
        ];
        let set = FetchedSet::build(meta("f"), newest_first, true, vec![], None);
        let ids: Vec<_> = set.rows.iter().map(|r| r.transaction_id.as_str()).collect();
        assert_eq!(ids, ["t1", "t2", "t3"]);
        assert_eq!(set.summary.first_date.as_deref(), Some("2024-01-01"));
        assert_eq!(set.summary.last_date.as_deref(), Some("2024-03-01"));
        assert_eq!(set.summary.currency, "GBP");
        assert_eq!(
            set.summary.balance_series,
            vec![
                BalancePoint {
                    date: "2024-01-01".into(),
                    balance: 99.0
                },
                BalancePoint {
                    date: "2024-02-01".into(),
                    balance: 97.0
                },
                BalancePoint {
                    date: "2024-03-01".into(),
                    balance: 94.0
                },
            ]
        );
    }

    #[test]
    fn search_sort_and_paging_read_the_right_rows() {
        let items: Vec<_> = (0..30)
            .map(|i| {
                let description = if i % 2 == 0 {
                    "TESCO STORES"
                } else {
                    "Rent payment"
                };
                tx(
                    i,
                    &format!("2024-01-{:02}", i + 1),
                    f64::from(i as u32) - 10.0,
                    description,
                    None,
                )
            })
            .collect();
        let set = FetchedSet::build(meta("f"), items, false, vec![], None);

        let page = set.page(&query(
            Some("tesco"),
            TransactionSortField::Timestamp,
            false,
        ));
        assert_eq!(
            page.total, 15,
            "search is case-insensitive over descriptions"
        );
        assert!(page.rows.iter().all(|r| r.description == "TESCO STORES"));
        let merchant = set.page(&query(
            Some("corner shop"),
            TransactionSortField::Timestamp,
            false,
        ));
        assert_eq!(
            merchant.total, 10,
            "and over merchant names (every third row has one)"
        );

        let by_amount = set.page(&query(None, TransactionSortField::Amount, true));
        assert_eq!(
            by_amount.rows[0].amount, 19.0,
            "largest amount first when descending"
        );
        assert_eq!(by_amount.rows[29].amount, -10.0);

        let by_description = set.page(&query(None, TransactionSortField::Description, false));
        assert_eq!(by_description.rows[0].description, "Rent payment");
        assert_eq!(
            by_description.rows[0].transaction_id, "t1",
            "ties stay oldest first"
        );

        let mut second = query(None, TransactionSortField::Timestamp, true);
        second.offset = 10;
        second.limit = 5;
        let page = set.page(&second);
        assert_eq!(page.total, 30);
        assert_eq!(page.offset, 10);
        let ids: Vec<_> = page
            .rows
            .iter()
            .map(|r| r.transaction_id.as_str())
            .collect();
        assert_eq!(
            ids,
            ["t19", "t18", "t17", "t16", "t15"],
            "newest first, from the 11th"
        );
        assert_eq!(page.raw.len(), 5, "one raw item per row");
        assert_eq!(
            page.raw[0]["odd_field"], 19,
            "the raw item keeps unknown fields"
        );

        let mut beyond = query(None, TransactionSortField::Timestamp, false);
        beyond.offset = 500;
        assert!(
            set.page(&beyond).rows.is_empty(),
            "a page past the end is empty"
        );
    }
}
