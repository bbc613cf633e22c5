//! The in-memory query engine over one finished fetch (one account or card, or every account
//! and card of a connection): the rows oldest first (the provider's order inside a timestamp,
//! then the sources' order), each with its source, raw item and search key, their texts kept
//! once each (descriptions, merchants, categories repeat: the dense user's 96,598 rows held as
//! full [`Transaction`]s took ~1.9 KB each with their raw items, see `npm run bench`); running balances
//! per source; pages searched (description or merchant, case-insensitive) and sorted (date,
//! amount, description) on precomputed orders, with the last search's matches cached so
//! scrolling reads only its page. Pages go out lean ([`TransactionColumns`]). [`Arrivals`] is
//! the same over a fetch still running: the rows so far, searched, in arrival order.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use linkscope_truelayer as tl;
use serde_json::Value;

use super::balances::{
    balance_series, daily_balances, fill_running_balances, total_series, MAX_SERIES_POINTS,
};
use super::count;
use super::texts::{Packed, Texts};
use crate::context::lock;
use crate::dto::{
    ApiError, SourceSeries, Transaction, TransactionColumns, TransactionFetchSummary,
    TransactionItem, TransactionPage, TransactionQuery, TransactionSortField, TransactionSource,
    TransactionSourceInfo,
};

/// The largest page `query_transactions` returns.
pub const MAX_PAGE: u32 = 1000;

/// What a finished fetch was.
#[derive(Debug, Clone)]
pub(crate) struct SetMeta {
    pub fetch_id: String,
    pub connection_id: String,
    /// The one account or card fetched; `None` for every account and card of the connection.
    pub only: Option<(TransactionSource, String)>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub windows: usize,
    pub trace_ids: Vec<String>,
    pub pending_error: Option<ApiError>,
    pub fetched_at: String,
}

/// A cached view: (search, sort) and the matching rows in ascending order.
type View = (String, TransactionSortField, Arc<Vec<u32>>);

/// A row on its way into a set: (time key, source, row, raw item, day).
type Merged = (i64, u16, Transaction, Box<str>, Option<NaiveDate>);

/// One account's or card's part of a fetch, as the bank sent it.
#[derive(Debug)]
pub(crate) struct Part {
    pub info: TransactionSourceInfo,
    pub booked: Vec<tl::Transaction>,
    pub newest_first: bool,
    /// The balance after its last row, when no row carries one (see the balances module).
    pub closing_balance: Option<f64>,
}

/// A finished fetch: the rows oldest first, each with its source, raw item and search key.
#[derive(Debug)]
pub(crate) struct FetchedSet {
    pub meta: SetMeta,
    pub summary: TransactionFetchSummary,
    /// Read them with [`Self::transaction`] and [`Self::transactions`].
    rows: Vec<Row>,
    /// The rows' texts, each once; a [`Row`] holds their numbers.
    strings: Vec<Box<str>>,
    /// Each row's index into `summary.sources`.
    pub row_source: Vec<u16>,
    /// Each row's id and timestamp (see [`Row`]).
    ids: Texts,
    times: Texts,
    /// Each row's item as TrueLayer sent it (re-serialized; unknown fields kept).
    pub raw: Packed,
    pub pending: Vec<Transaction>,
    pub pending_raw: Vec<Box<str>>,
    /// Ascending orders per sort field, built on first use.
    orders: Mutex<HashMap<TransactionSortField, Arc<Vec<u32>>>>,
    /// The last view: (search, sort) → the matching rows in ascending order.
    last_view: Mutex<Option<View>>,
}

impl FetchedSet {
    /// Builds a set from each source's merged windows (in the provider's order) and the pending
    /// items (of a single source).
    pub(crate) fn build(meta: SetMeta, parts: Vec<Part>, pending: Vec<tl::Transaction>) -> Self {
        let several = parts.len() > 1;
        let mut sources = Vec::with_capacity(parts.len());
        let mut dailies = Vec::with_capacity(parts.len());
        let mut merged: Vec<Merged> = Vec::new();
        for (index, part) in parts.into_iter().enumerate() {
            let source = u16::try_from(index).unwrap_or(u16::MAX);
            let mut booked = part.booked;
            if part.newest_first {
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
            let balances = fill_running_balances(&amounts, &given, part.closing_balance);
            let start = merged.len();
            for ((key, t), balance) in keyed.into_iter().zip(balances) {
                let mut row = row_of(&t, false);
                row.running_balance = balance;
                merged.push((key, source, row, raw_of(&t), day_of(&t)));
            }
            let own = merged.get(start..).unwrap_or_default();
            let mut info = part.info;
            if info.currency.is_empty() {
                info.currency = own
                    .iter()
                    .map(|(_, _, r, _, _)| r.currency.as_str())
                    .find(|c| !c.is_empty())
                    .unwrap_or_default()
                    .to_owned();
            }
            if several {
                let days: Vec<Option<NaiveDate>> = own.iter().map(|e| e.4).collect();
                let rows: Vec<Transaction> = own.iter().map(|e| e.2.clone()).collect();
                dailies.push(daily_balances(&days, &rows));
            }
            sources.push(info);
        }
        // Several sources: one timeline, the sources' order inside one timestamp.
        if several {
            merged.sort_by_key(|e| e.0);
        }

        let n = merged.len();
        let mut rows = Vec::with_capacity(n);
        let mut raw = Packed::default();
        let mut row_source = Vec::with_capacity(n);
        let mut days: Vec<Option<NaiveDate>> = Vec::with_capacity(n);
        for (_, source, row, item, day) in merged {
            raw.push(&item);
            row_source.push(source);
            days.push(day);
            rows.push(row);
        }
        let pending_rows: Vec<Transaction> = pending.iter().map(|t| row_of(t, true)).collect();
        let pending_raw = pending.iter().map(raw_of).collect();
        drop(pending);

        let (series, source_series) = if several {
            let each = dailies
                .iter()
                .enumerate()
                .map(|(i, daily)| SourceSeries {
                    source: u16::try_from(i).unwrap_or(u16::MAX),
                    points: total_series(std::slice::from_ref(daily), MAX_SERIES_POINTS),
                })
                .collect();
            (total_series(&dailies, MAX_SERIES_POINTS), each)
        } else {
            (balance_series(&days, &rows, MAX_SERIES_POINTS), Vec::new())
        };
        let first_date = days.iter().flatten().min().map(NaiveDate::to_string);
        let last_date = days.iter().flatten().max().map(NaiveDate::to_string);
        let mut currencies = sources
            .iter()
            .map(|s| s.currency.as_str())
            .chain(pending_rows.iter().map(|r| r.currency.as_str()))
            .filter(|c| !c.is_empty());
        let first_currency = currencies.next().unwrap_or_default();
        // Several currencies have no one total to show a currency for.
        let currency = if currencies.all(|c| c == first_currency) {
            first_currency.to_owned()
        } else {
            String::new()
        };
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
            sources,
            source_series,
            trace_ids: meta.trace_ids.clone(),
            fetched_at: meta.fetched_at.clone(),
        };
        let (mut strings, mut ids, mut times) =
            (Interner::default(), Texts::default(), Texts::default());
        let rows = rows
            .into_iter()
            .map(|t| {
                ids.push(&t.transaction_id);
                times.push(&t.timestamp);
                Row::of(&t, &mut strings)
            })
            .collect();
        raw.seal();
        for texts in [&mut ids, &mut times] {
            texts.shrink();
        }
        Self {
            meta,
            summary,
            rows,
            strings: strings.strings,
            ids,
            times,
            row_source,
            raw,
            pending: pending_rows,
            pending_raw,
            // The default view (by date) is ready before the first page is asked for.
            orders: Mutex::new(HashMap::from([(
                TransactionSortField::Timestamp,
                Arc::new((0..count(n)).collect::<Vec<u32>>()),
            )])),
            last_view: Mutex::new(None),
        }
    }

    /// `get_transaction`: the row at `index` (its place in the fetch) with its raw item.
    pub(crate) fn item(&self, index: u32) -> Option<TransactionItem> {
        let i = usize::try_from(index).ok()?;
        let source = self
            .summary
            .sources
            .get(usize::from(*self.row_source.get(i)?))?;
        Some(TransactionItem {
            transaction: self.transaction(i)?,
            source: source.clone(),
            raw: serde_json::from_str(&self.raw.get(i)?).unwrap_or(Value::Null),
        })
    }

    /// One page of the view `query` asks for.
    pub(crate) fn page(&self, query: &TransactionQuery) -> TransactionPage {
        let view = self.view(&normalized(query), query.sort);
        let total = view.len();
        let (offset, end) = bounds(query, total);
        let mut rows = TransactionColumns::default();
        for position in offset..end {
            let at = if query.descending {
                total - 1 - position
            } else {
                position
            };
            let Some(index) = view.get(at).copied() else {
                continue;
            };
            let i = usize::try_from(index).unwrap_or(usize::MAX);
            if let (Some(row), Some(source)) = (self.rows.get(i), self.row_source.get(i)) {
                self.push_row(&mut rows, index, row, *source);
            }
        }
        TransactionPage {
            total: count(total),
            offset: count(offset),
            sources: self.summary.sources.clone(),
            rows,
            partial: false,
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
            // Each distinct key is searched once, then the rows are picked by their key.
            let hits: Vec<bool> = self.strings.iter().map(|s| s.contains(search)).collect();
            Arc::new(
                order
                    .iter()
                    .copied()
                    .filter(|i| {
                        usize::try_from(*i)
                            .ok()
                            .and_then(|i| self.rows.get(i))
                            .is_some_and(|r| hits.get(at(r.search_key)).copied().unwrap_or(false))
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
                // Lower-cased once per distinct text, not once per row.
                let lower: Vec<String> = self.strings.iter().map(|s| s.to_lowercase()).collect();
                let key = |i: &u32| row(i).and_then(|r| lower.get(at(r.description)));
                order.sort_by(|a, b| key(a).cmp(&key(b)).then(a.cmp(b)));
            }
        }
        let order = Arc::new(order);
        lock(&self.orders).insert(sort, order.clone());
        order
    }
}

impl FetchedSet {
    /// The text a row holds the number of.
    fn text(&self, id: u32) -> &str {
        self.strings.get(at(id)).map_or("", |s| s)
    }

    /// The settled row at `i` (its place in the fetch), whole.
    pub(crate) fn transaction(&self, i: usize) -> Option<Transaction> {
        let r = self.rows.get(i)?;
        Some(Transaction {
            transaction_id: self.ids.get(i)?.to_owned(),
            timestamp: self.times.get(i)?.to_owned(),
            description: self.text(r.description).to_owned(),
            merchant_name: r.merchant_name.map(|m| self.text(m).to_owned()),
            amount: r.amount,
            currency: self.text(r.currency).to_owned(),
            transaction_type: self.text(r.transaction_type).to_owned(),
            transaction_category: self.text(r.transaction_category).to_owned(),
            classification: match self.text(r.classification) {
                "" => Vec::new(),
                levels => levels.split(LEVELS).map(str::to_owned).collect(),
            },
            running_balance: r.running_balance,
            pending: false,
        })
    }

    /// Every settled row, oldest first, whole.
    pub(crate) fn transactions(&self) -> impl Iterator<Item = Transaction> + '_ {
        (0..self.rows.len()).filter_map(|i| self.transaction(i))
    }

    /// How many settled rows the fetch holds.
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    fn push_row(&self, columns: &mut TransactionColumns, index: u32, row: &Row, source: u16) {
        columns.index.push(index);
        columns
            .timestamp
            .push(self.times.get(at(index)).unwrap_or_default().to_owned());
        columns
            .description
            .push(self.text(row.description).to_owned());
        columns
            .merchant_name
            .push(row.merchant_name.map(|m| self.text(m).to_owned()));
        columns.amount.push(row.amount);
        columns.running_balance.push(row.running_balance);
        columns
            .transaction_category
            .push(self.text(row.transaction_category).to_owned());
        columns.source.push(source);
    }
}

/// Joins a row's classification levels in [`Interner`] (no level holds it).
const LEVELS: char = '\u{1f}';

/// One settled row of a [`FetchedSet`], its texts as numbers into [`FetchedSet::strings`]; its
/// id, timestamp and raw item (unique to it) are in the set's [`Texts`] and [`Packed`], at the
/// row's place.
#[derive(Debug)]
struct Row {
    amount: f64,
    running_balance: Option<f64>,
    description: u32,
    merchant_name: Option<u32>,
    currency: u32,
    transaction_type: u32,
    transaction_category: u32,
    /// The levels joined by [`LEVELS`].
    classification: u32,
    /// `description \n merchant`, lower-cased.
    search_key: u32,
}

impl Row {
    fn of(t: &Transaction, strings: &mut Interner) -> Self {
        Self {
            search_key: strings.id(&search_key(t)),
            description: strings.id(&t.description),
            merchant_name: t.merchant_name.as_deref().map(|m| strings.id(m)),
            currency: strings.id(&t.currency),
            transaction_type: strings.id(&t.transaction_type),
            transaction_category: strings.id(&t.transaction_category),
            classification: strings.id(&t.classification.join(&LEVELS.to_string())),
            amount: t.amount,
            running_balance: t.running_balance,
        }
    }
}

/// Builds [`FetchedSet::strings`]: each distinct text once, numbered in order of first use.
#[derive(Debug, Default)]
struct Interner {
    strings: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
}

impl Interner {
    fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.index.get(text) {
            return id;
        }
        let id = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.strings.push(text.into());
        self.index.insert(text.into(), id);
        id
    }
}

/// A row's or text's number as an index.
fn at(id: u32) -> usize {
    usize::try_from(id).unwrap_or(usize::MAX)
}

/// A fetch still running: its rows so far in arrival order, each source's items kept for the
/// finished set.
#[derive(Debug)]
pub(crate) struct Arrivals {
    parts: Vec<Part>,
    rows: Vec<Transaction>,
    row_source: Vec<u16>,
    search_keys: Vec<Box<str>>,
}

impl Arrivals {
    pub(crate) fn new(sources: Vec<TransactionSourceInfo>) -> Self {
        Self {
            parts: sources
                .into_iter()
                .map(|info| Part {
                    info,
                    booked: Vec::new(),
                    newest_first: false,
                    closing_balance: None,
                })
                .collect(),
            rows: Vec::new(),
            row_source: Vec::new(),
            search_keys: Vec::new(),
        }
    }

    /// One window of `source` (an index into the sources given to [`Self::new`]).
    pub(crate) fn push(&mut self, source: usize, items: Vec<tl::Transaction>) {
        let Some(part) = self.parts.get_mut(source) else {
            return;
        };
        let index = u16::try_from(source).unwrap_or(u16::MAX);
        for t in &items {
            let row = row_of(t, false);
            if part.info.currency.is_empty() {
                part.info.currency.clone_from(&row.currency);
            }
            self.search_keys.push(search_key(&row));
            self.row_source.push(index);
            self.rows.push(row);
        }
        part.booked.extend(items);
    }

    /// The rows so far that match the search, in arrival order (the sort waits for the end).
    pub(crate) fn page(&self, query: &TransactionQuery) -> TransactionPage {
        let search = normalized(query);
        let matching: Vec<usize> = if search.is_empty() {
            (0..self.rows.len()).collect()
        } else {
            (0..self.rows.len())
                .filter(|i| {
                    self.search_keys
                        .get(*i)
                        .is_some_and(|k| k.contains(&search))
                })
                .collect()
        };
        let (offset, end) = bounds(query, matching.len());
        let mut rows = TransactionColumns::default();
        for &i in matching.get(offset..end).unwrap_or_default() {
            if let (Some(row), Some(source)) = (self.rows.get(i), self.row_source.get(i)) {
                push_row(&mut rows, count(i), row, *source);
            }
        }
        TransactionPage {
            total: count(matching.len()),
            offset: count(offset),
            sources: self.parts.iter().map(|p| p.info.clone()).collect(),
            rows,
            partial: true,
        }
    }

    /// Each source's items, moved out for [`FetchedSet::build`]; the rows stay readable until
    /// the finished set takes over.
    pub(crate) fn take_parts(&mut self) -> Vec<Part> {
        self.parts
            .iter_mut()
            .map(|p| Part {
                info: p.info.clone(),
                booked: std::mem::take(&mut p.booked),
                newest_first: p.newest_first,
                closing_balance: p.closing_balance,
            })
            .collect()
    }
}

/// The search of a query, trimmed and lower-cased.
fn normalized(query: &TransactionQuery) -> String {
    query
        .search
        .as_deref()
        .map(|s| s.trim().to_lowercase())
        .unwrap_or_default()
}

/// The page's first and past-the-end positions in a view of `total` rows.
fn bounds(query: &TransactionQuery, total: usize) -> (usize, usize) {
    let offset = usize::try_from(query.offset)
        .unwrap_or(usize::MAX)
        .min(total);
    let limit = usize::try_from(query.limit.min(MAX_PAGE)).unwrap_or(0);
    (offset, offset.saturating_add(limit).min(total))
}

/// A running fetch's row into a page (a finished set's rows go through [`FetchedSet::push_row`]).
fn push_row(columns: &mut TransactionColumns, index: u32, row: &Transaction, source: u16) {
    columns.index.push(index);
    columns.timestamp.push(row.timestamp.clone());
    columns.description.push(row.description.clone());
    columns.merchant_name.push(row.merchant_name.clone());
    columns.amount.push(row.amount);
    columns.running_balance.push(row.running_balance);
    columns
        .transaction_category
        .push(row.transaction_category.clone());
    columns.source.push(source);
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
            only: Some((TransactionSource::Account, "a".into())),
            from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
            windows: 4,
            trace_ids: vec![],
            pending_error: None,
            fetched_at: "2025-01-01T00:00:00Z".into(),
        }
    }

    fn part(account_id: &str, booked: Vec<tl::Transaction>, newest_first: bool) -> Part {
        Part {
            info: TransactionSourceInfo {
                source: TransactionSource::Account,
                account_id: account_id.into(),
                display_name: String::new(),
                currency: String::new(),
            },
            booked,
            newest_first,
            closing_balance: None,
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
        let set = FetchedSet::build(meta("f"), vec![part("a", newest_first, true)], vec![]);
        let ids: Vec<_> = set.transactions().map(|t| t.transaction_id).collect();
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
    fn a_row_reads_back_whole_though_its_texts_are_kept_once() {
        let mut items: Vec<tl::Transaction> = (0..6)
            .map(|i| tx(i, "2024-05-01", -1.0 - i as f64, "TESCO STORES", Some(50.0)))
            .collect();
        items[1].transaction_classification = vec!["Shopping".into(), "Groceries".into()];
        items[2].transaction_classification = vec!["Bills".into()];
        let expected: Vec<Transaction> = items.iter().map(|t| row_of(t, false)).collect();
        let set = FetchedSet::build(meta("f"), vec![part("a", items, false)], vec![]);
        assert_eq!(set.len(), 6);
        assert_eq!(set.transactions().collect::<Vec<_>>(), expected);
        assert!(
            set.strings.len() < 12,
            "six rows sharing their texts keep each once: {:?}",
            set.strings
        );
        let item = set.item(1).unwrap();
        assert_eq!(item.transaction.classification, ["Shopping", "Groceries"]);
        assert_eq!(item.transaction.merchant_name, None);
        assert_eq!(
            set.item(3).unwrap().transaction.merchant_name.as_deref(),
            Some("Corner Shop")
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
        let set = FetchedSet::build(meta("f"), vec![part("a", items, false)], vec![]);

        let page = set.page(&query(
            Some("tesco"),
            TransactionSortField::Timestamp,
            false,
        ));
        assert_eq!(
            page.total, 15,
            "search is case-insensitive over descriptions"
        );
        assert!(page.rows.description.iter().all(|d| d == "TESCO STORES"));
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
            by_amount.rows.amount[0], 19.0,
            "largest amount first when descending"
        );
        assert_eq!(by_amount.rows.amount[29], -10.0);

        let by_description = set.page(&query(None, TransactionSortField::Description, false));
        assert_eq!(by_description.rows.description[0], "Rent payment");
        assert_eq!(
            by_description.rows.index[0], 1,
            "ties stay oldest first (t1 is the second row)"
        );

        let mut second = query(None, TransactionSortField::Timestamp, true);
        second.offset = 10;
        second.limit = 5;
        let page = set.page(&second);
        assert_eq!(page.total, 30);
        assert_eq!(page.offset, 10);
        assert_eq!(
            page.rows.index,
            [19, 18, 17, 16, 15],
            "newest first, from the 11th"
        );
        assert_eq!(
            page.rows.timestamp.len(),
            5,
            "every column has a value per row"
        );
        let item = set.item(page.rows.index[0]).unwrap();
        assert_eq!(item.transaction.transaction_id, "t19");
        assert_eq!(
            item.raw["odd_field"], 19,
            "the raw item keeps unknown fields"
        );

        let mut beyond = query(None, TransactionSortField::Timestamp, false);
        beyond.offset = 500;
        assert!(
            set.page(&beyond).rows.index.is_empty(),
            "a page past the end is empty"
        );
        assert!(set.item(30).is_none(), "no row past the end");
    }

    #[test]
    fn several_sources_merge_into_one_timeline_with_running_balances_and_series_of_their_own() {
        let first = vec![
            tx(1, "2024-01-01", -1.0, "A1", None),
            tx(2, "2024-01-03", -2.0, "A2", Some(97.0)),
        ];
        let second = vec![
            tx(4, "2024-01-02", 5.0, "B1", Some(10.0)),
            tx(5, "2024-01-03", 1.0, "B2", None),
        ];
        let mut meta = meta("f");
        meta.only = None;
        let set = FetchedSet::build(
            meta,
            vec![part("a", first, false), part("b", second, false)],
            vec![],
        );
        let page = set.page(&query(None, TransactionSortField::Timestamp, false));
        assert_eq!(
            page.rows.description,
            ["A1", "B1", "A2", "B2"],
            "one timeline; inside a day the sources keep their order"
        );
        assert_eq!(page.rows.source, [0, 1, 0, 1]);
        assert_eq!(
            page.rows.running_balance,
            [Some(99.0), Some(10.0), Some(97.0), Some(11.0)],
            "each source's balance runs on its own rows only"
        );
        assert_eq!(page.sources.len(), 2);
        assert_eq!(page.sources[1].account_id, "b");
        assert_eq!(page.sources[1].currency, "GBP", "read from its rows");
        assert_eq!(set.summary.source_series.len(), 2);
        let total: Vec<f64> = set
            .summary
            .balance_series
            .iter()
            .map(|p| p.balance)
            .collect();
        assert_eq!(
            total,
            [99.0, 109.0, 108.0],
            "the total sums the day-end balances"
        );
        assert_eq!(set.summary.currency, "GBP");
    }

    #[test]
    fn a_running_fetch_pages_its_rows_in_arrival_order_and_searches_them() {
        let info = |id: &str| TransactionSourceInfo {
            source: TransactionSource::Account,
            account_id: id.into(),
            display_name: id.to_uppercase(),
            currency: String::new(),
        };
        let mut arrivals = Arrivals::new(vec![info("a"), info("b")]);
        arrivals.push(1, vec![tx(1, "2024-02-01", 1.0, "TESCO", None)]);
        arrivals.push(0, vec![tx(2, "2024-01-01", 2.0, "Rent", None)]);
        arrivals.push(7, vec![tx(3, "2024-01-01", 2.0, "nowhere", None)]);
        let all = arrivals.page(&query(None, TransactionSortField::Amount, true));
        assert!(all.partial);
        assert_eq!(all.total, 2, "a window of an unknown source is dropped");
        assert_eq!(all.rows.description, ["TESCO", "Rent"], "as they arrived");
        assert_eq!(all.rows.source, [1, 0]);
        let found = arrivals.page(&query(
            Some(" tesco "),
            TransactionSortField::Timestamp,
            false,
        ));
        assert_eq!(found.total, 1);
        let parts = arrivals.take_parts();
        assert_eq!(
            parts[1].booked.len(),
            1,
            "the items are kept for the finished set"
        );
        assert_eq!(
            arrivals
                .page(&query(None, TransactionSortField::Timestamp, false))
                .total,
            2,
            "and the rows stay readable until the set takes over"
        );
    }
}
