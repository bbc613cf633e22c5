//! Transactions of an account or a card over a date range: fetched with the client's windowed
//! fetch (windows of at most three months, [`WINDOW_CONCURRENCY`] at a time, progress as
//! `transactions://progress` events, cancellable by fetch id), pending transactions fetched
//! alongside and kept apart, then held in memory per fetch id and read page by page.
//!
//! Rules: the rows are kept oldest first (the provider's order inside a timestamp); the running
//! balance is TrueLayer's `running_balance` when sent, else derived from the nearest row that has
//! one, else (no row has one and the range reaches today) from the current balance walked
//! backwards, else absent. Searching (description or merchant, case-insensitive) and sorting
//! (date, amount, description) work on precomputed keys; the last search's matches are cached, so
//! scrolling through a view reads only its page. At most [`MAX_KEPT_FETCHES`] finished fetches
//! are kept (the oldest is dropped): a 100 000-row fetch takes about 60 MB. No secret is held
//! here: rows are TrueLayer's data only.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use linkscope_truelayer as tl;
use serde_json::Value;

use crate::connections::ConnectionService;
use crate::context::{lock, push_trace, push_trace_id, CoreEvent, Shared};
use crate::dto::{
    ApiError, BalancePoint, FetchProgressEvent, FetchTransactionsInput, Transaction,
    TransactionFetchSummary, TransactionPage, TransactionQuery, TransactionSortField,
    TransactionSource,
};
use crate::error::{Error, Result};

/// Windows fetched at once.
pub const WINDOW_CONCURRENCY: usize = 4;
/// Finished fetches kept in memory (the oldest is dropped first).
pub const MAX_KEPT_FETCHES: usize = 4;
/// The largest page `query_transactions` returns.
pub const MAX_PAGE: u32 = 1000;
/// The most points of the balance-over-time series.
pub const MAX_SERIES_POINTS: usize = 400;
/// How long a cancel that arrived before its fetch is remembered.
const EARLY_CANCEL_TTL: Duration = Duration::from_secs(60);

/// The transactions service. Clone freely.
#[derive(Debug, Clone)]
pub struct TransactionService {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    shared: Arc<Shared>,
    connections: ConnectionService,
    /// Fetches in flight (and cancels that arrived before their fetch started).
    running: Mutex<HashMap<String, Running>>,
    /// Finished fetches, oldest first.
    done: Mutex<VecDeque<Arc<FetchedSet>>>,
}

#[derive(Debug)]
struct Running {
    cancel: tl::CancelToken,
    started: bool,
    since: Instant,
}

/// Removes a fetch from the running map when it ends, however it ends.
struct RunningGuard<'a> {
    inner: &'a Inner,
    fetch_id: String,
}

impl Drop for RunningGuard<'_> {
    fn drop(&mut self) {
        lock(&self.inner.running).remove(&self.fetch_id);
    }
}

impl TransactionService {
    pub(crate) fn new(shared: Arc<Shared>, connections: ConnectionService) -> Self {
        Self {
            inner: Arc::new(Inner {
                shared,
                connections,
                running: Mutex::new(HashMap::new()),
                done: Mutex::new(VecDeque::new()),
            }),
        }
    }

    /// `fetch_transactions`: fetches the range in windows (progress events as windows arrive),
    /// keeps the result under `fetch_id` and returns its summary. [`Self::cancel`] makes it
    /// fail with [`Error::Cancelled`] (nothing is kept then).
    pub async fn fetch(&self, input: FetchTransactionsInput) -> Result<TransactionFetchSummary> {
        let fetch_id = input.fetch_id.trim().to_owned();
        if fetch_id.is_empty() || fetch_id.len() > 200 {
            return Err(Error::Validation(
                "A fetch needs an id of 1 to 200 characters.".into(),
            ));
        }
        let account_id = input.account_id.trim().to_owned();
        if account_id.is_empty() {
            return Err(Error::Validation("Choose an account or a card.".into()));
        }
        let from = parse_day("from", &input.from)?;
        let to = parse_day("to", &input.to)?;
        let range = tl::DateRange::new(from, to).map_err(|_| {
            Error::Validation(format!(
                "The start date ({from}) is after the end date ({to})."
            ))
        })?;
        let cancel = self.register(&fetch_id)?;
        let _guard = RunningGuard {
            inner: &self.inner,
            fetch_id: fetch_id.clone(),
        };

        let connection_id = input.connection_id.as_str();
        let source = match input.source {
            TransactionSource::Account => tl::TransactionSource::Account(account_id.clone()),
            TransactionSource::Card => tl::TransactionSource::Card(account_id.clone()),
        };
        let mut request = tl::WindowedRequest::new(source, range);
        request.concurrency = WINDOW_CONCURRENCY;
        request.keep_raw = false;

        let shared = self.inner.shared.clone();
        let progress_id = fetch_id.clone();
        let progress = Arc::new(move |p: tl::WindowProgress| {
            shared.emit(CoreEvent::TransactionsProgress(FetchProgressEvent {
                fetch_id: progress_id.clone(),
                windows_done: count(p.completed),
                windows_total: count(p.total),
                rows: count(p.transactions),
            }));
        });
        let connections = &self.inner.connections;
        let booked = connections.call(connection_id, |client, token| {
            let (request, cancel, progress) = (&request, &cancel, progress.clone());
            async move {
                client
                    .transactions_windowed(&token, request, Some(cancel), move |p| progress(p))
                    .await
            }
        });
        let id = account_id.as_str();
        let pending = connections.call(connection_id, |client, token| async move {
            // Pending transactions describe the last few days: asked without a range (the
            // API's default window), so a long historical range cannot make them fail.
            match input.source {
                TransactionSource::Account => {
                    client.account_pending_transactions(&token, id, None).await
                }
                TransactionSource::Card => client.card_pending_transactions(&token, id, None).await,
            }
        });
        let both = async { tokio::join!(booked, pending) };
        let (booked, pending) = tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(Error::Cancelled),
            both = both => both,
        };
        let booked = booked?;

        let mut trace_ids = Vec::new();
        for window in &booked.windows {
            push_trace(&mut trace_ids, &window.trace_ids);
        }
        let (pending, pending_error) = match pending {
            Ok(answer) => {
                push_trace(&mut trace_ids, &answer.trace_ids);
                (answer.data, None)
            }
            Err(Error::Cancelled) => return Err(Error::Cancelled),
            Err(e) => {
                if let Some(t) = e.detail().and_then(|d| d.trace_id.as_deref()) {
                    push_trace_id(&mut trace_ids, t);
                }
                (Vec::new(), Some(e.to_api_error()))
            }
        };

        // Without any running balance from the bank, a range that reaches today can be walked
        // back from the current balance.
        let today = Utc::now().date_naive();
        let needs_closing = to >= today
            && !booked.transactions.is_empty()
            && booked
                .transactions
                .iter()
                .all(|t| t.running_balance.is_none());
        let closing = if needs_closing {
            self.current_balance(connection_id, input.source, id, &mut trace_ids)
                .await
        } else {
            None
        };

        let meta = SetMeta {
            fetch_id: fetch_id.clone(),
            connection_id: connection_id.to_owned(),
            source: input.source,
            account_id: account_id.clone(),
            from,
            to,
            windows: booked.windows.len(),
            trace_ids,
            pending_error,
            fetched_at: crate::now_rfc3339(),
        };
        let newest_first = booked.newest_first;
        let set = tokio::task::spawn_blocking(move || {
            FetchedSet::build(meta, booked.transactions, newest_first, pending, closing)
        })
        .await
        .map_err(Error::internal)?;
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let set = Arc::new(set);
        let summary = set.summary.clone();
        let mut done = lock(&self.inner.done);
        done.retain(|s| s.meta.fetch_id != fetch_id);
        done.push_back(set);
        while done.len() > MAX_KEPT_FETCHES {
            done.pop_front();
        }
        Ok(summary)
    }

    /// `cancel_fetch`: stops a fetch in flight (it resolves with `cancelled`). Cancelling a
    /// finished or unknown fetch is fine; a cancel that arrives just before its fetch starts
    /// still cancels it.
    pub fn cancel(&self, fetch_id: &str) -> Result<()> {
        let fetch_id = fetch_id.trim();
        let mut running = lock(&self.inner.running);
        if let Some(r) = running.get(fetch_id) {
            r.cancel.cancel();
            return Ok(());
        }
        if lock(&self.inner.done)
            .iter()
            .any(|s| s.meta.fetch_id == fetch_id)
        {
            return Ok(());
        }
        running.retain(|_, r| r.started || r.since.elapsed() < EARLY_CANCEL_TTL);
        let cancel = tl::CancelToken::new();
        cancel.cancel();
        running.insert(
            fetch_id.to_owned(),
            Running {
                cancel,
                started: false,
                since: Instant::now(),
            },
        );
        Ok(())
    }

    /// `query_transactions`: one page of a finished fetch, searched and sorted.
    pub async fn query(&self, query: TransactionQuery) -> Result<TransactionPage> {
        let set = self.set(&query.fetch_id)?;
        tokio::task::spawn_blocking(move || set.page(&query))
            .await
            .map_err(Error::internal)
    }

    /// A finished fetch.
    pub(crate) fn set(&self, fetch_id: &str) -> Result<Arc<FetchedSet>> {
        lock(&self.inner.done)
            .iter()
            .find(|s| s.meta.fetch_id == fetch_id.trim())
            .cloned()
            .ok_or_else(|| Error::NotFound {
                what: "transaction fetch",
                id: fetch_id.to_owned(),
            })
    }

    /// Cancels and drops everything fetched for a connection (it is being forgotten).
    pub(crate) fn drop_connection(&self, connection_id: &str) {
        lock(&self.inner.done).retain(|s| s.meta.connection_id != connection_id);
    }

    /// Registers a fetch as running; refuses an id already running, honours an early cancel.
    fn register(&self, fetch_id: &str) -> Result<tl::CancelToken> {
        let mut running = lock(&self.inner.running);
        if let Some(r) = running.get(fetch_id) {
            if r.started {
                return Err(Error::Validation(format!(
                    "A fetch with the id {fetch_id} is already running."
                )));
            }
            if r.cancel.is_cancelled() {
                running.remove(fetch_id);
                return Err(Error::Cancelled);
            }
        }
        let cancel = tl::CancelToken::new();
        running.insert(
            fetch_id.to_owned(),
            Running {
                cancel: cancel.clone(),
                started: true,
                since: Instant::now(),
            },
        );
        Ok(cancel)
    }

    /// The current (booked) balance of the account or card, if it can be read.
    async fn current_balance(
        &self,
        connection_id: &str,
        source: TransactionSource,
        id: &str,
        trace_ids: &mut Vec<String>,
    ) -> Option<f64> {
        let connections = &self.inner.connections;
        let granted = connections
            .get(connection_id)
            .await
            .ok()?
            .scopes
            .iter()
            .any(|s| s == "balance");
        if !granted {
            return None;
        }
        let answer = match source {
            TransactionSource::Account => connections
                .call(connection_id, |client, token| async move {
                    client
                        .account_balance(&token, id)
                        .await
                        .map(|a| (a.data.current, a.trace_ids))
                })
                .await
                .ok()?,
            TransactionSource::Card => connections
                .call(connection_id, |client, token| async move {
                    client
                        .card_balance(&token, id)
                        .await
                        .map(|a| (a.data.current, a.trace_ids))
                })
                .await
                .ok()?,
        };
        push_trace(trace_ids, &answer.1);
        Some(answer.0)
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn parse_day(what: &str, value: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        Error::Validation(format!(
            "The {what} date must be YYYY-MM-DD, got \"{}\".",
            value.chars().take(40).collect::<String>()
        ))
    })
}

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

fn row_of(t: &tl::Transaction, pending: bool) -> Transaction {
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

/// Rounds away float noise from sums of amounts (money has at most 4 decimals here).
fn tidy(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Running balances, oldest first: the given ones, gaps filled from the nearest known one
/// (forwards: add the amount; backwards: subtract the later row's amount); with none given,
/// walked back from `closing` (the balance after the last row) if known.
pub(crate) fn fill_running_balances(
    amounts: &[f64],
    given: &[Option<f64>],
    closing: Option<f64>,
) -> Vec<Option<f64>> {
    let n = amounts.len().min(given.len());
    let mut out: Vec<Option<f64>> = given.iter().take(n).copied().collect();
    if n == 0 {
        return out;
    }
    if out.iter().all(Option::is_none) {
        if let (Some(closing), Some(last)) = (closing, out.last_mut()) {
            *last = Some(closing);
        }
    }
    for i in 1..n {
        if out[i].is_none() {
            out[i] = out[i - 1].map(|b| tidy(b + amounts[i]));
        }
    }
    for i in (0..n - 1).rev() {
        if out[i].is_none() {
            out[i] = out[i + 1].map(|b| tidy(b - amounts[i + 1]));
        }
    }
    out
}

/// End-of-day balances, oldest first; beyond `max_points` days, the last day of each bucket
/// (the final day always kept).
fn balance_series(
    days: &[Option<NaiveDate>],
    rows: &[Transaction],
    max_points: usize,
) -> Vec<BalancePoint> {
    let mut daily: Vec<(NaiveDate, f64)> = Vec::new();
    for (day, row) in days.iter().zip(rows) {
        let (Some(day), Some(balance)) = (day, row.running_balance) else {
            continue;
        };
        match daily.last_mut() {
            Some((last, b)) if last == day => *b = balance,
            _ => daily.push((*day, balance)),
        }
    }
    let max_points = max_points.max(1);
    let kept: Vec<(NaiveDate, f64)> = if daily.len() <= max_points {
        daily
    } else {
        let bucket = daily.len().div_ceil(max_points);
        let mut kept: Vec<(NaiveDate, f64)> = daily
            .chunks(bucket)
            .filter_map(|c| c.last().copied())
            .collect();
        if let (Some(last), Some(final_day)) = (kept.last_mut(), daily.last()) {
            *last = *final_day;
        }
        kept
    };
    kept.into_iter()
        .map(|(date, balance)| BalancePoint {
            date: date.to_string(),
            balance,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn running_balances_are_filled_from_the_nearest_known_one_or_the_closing_balance() {
        type Case = (
            &'static str,
            Vec<f64>,
            Vec<Option<f64>>,
            Option<f64>,
            Vec<Option<f64>>,
        );
        let cases: Vec<Case> = vec![
            (
                "all given: kept",
                vec![-1.0, -2.0],
                vec![Some(9.0), Some(7.0)],
                Some(100.0),
                vec![Some(9.0), Some(7.0)],
            ),
            (
                "gaps: forwards and backwards from the known row",
                vec![5.0, -1.5, 2.25, -0.1],
                vec![None, Some(10.0), None, None],
                None,
                vec![Some(11.5), Some(10.0), Some(12.25), Some(12.15)],
            ),
            (
                "none given: walked back from the closing balance",
                vec![10.0, -3.0, 0.1, 0.2],
                vec![None, None, None, None],
                Some(50.0),
                vec![Some(52.7), Some(49.7), Some(49.8), Some(50.0)],
            ),
            (
                "none given, no closing balance: none",
                vec![1.0],
                vec![None],
                None,
                vec![None],
            ),
            ("empty", vec![], vec![], Some(1.0), vec![]),
        ];
        for (name, amounts, given, closing, expected) in cases {
            assert_eq!(
                fill_running_balances(&amounts, &given, closing),
                expected,
                "{name}"
            );
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

    #[test]
    fn a_long_series_is_cut_to_the_point_limit_and_keeps_the_last_day() {
        let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let days: Vec<Option<NaiveDate>> = (0..1000)
            .map(|i| start.checked_add_days(chrono::Days::new(i)))
            .collect();
        let rows: Vec<Transaction> = (0..1000)
            .map(|i| Transaction {
                transaction_id: format!("t{i}"),
                timestamp: String::new(),
                description: String::new(),
                merchant_name: None,
                amount: 1.0,
                currency: "GBP".into(),
                transaction_type: String::new(),
                transaction_category: String::new(),
                classification: vec![],
                running_balance: Some(f64::from(i)),
                pending: false,
            })
            .collect();
        let series = balance_series(&days, &rows, 400);
        assert!(series.len() <= 400, "{}", series.len());
        assert_eq!(series.last().unwrap().balance, 999.0);
        assert!(
            series.windows(2).all(|w| w[0].date < w[1].date),
            "oldest first"
        );
    }

    /// Not a timed test: prints how long a page takes at 100 000 rows (run with
    /// `cargo test -p linkscope-core --release -- --ignored --nocapture measure`).
    #[test]
    #[ignore = "a measurement, not a test"]
    fn measure_query_time_at_100k_rows() {
        let words = [
            "TESCO STORES",
            "AMAZON",
            "Rent",
            "EDF ENERGY",
            "TFL TRAVEL",
            "PRET A MANGER",
        ];
        let start = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
        let items: Vec<_> = (0..100_000usize)
            .map(|i| {
                let day = start
                    .checked_add_days(chrono::Days::new((i / 50) as u64))
                    .unwrap();
                let description = format!("{} {}", words[i % words.len()], i % 997);
                tx(
                    i,
                    &day.to_string(),
                    -((i % 5000) as f64) / 100.0,
                    &description,
                    None,
                )
            })
            .collect();
        let built = Instant::now();
        let set = FetchedSet::build(meta("f"), items, false, vec![], Some(1000.0));
        eprintln!("build 100k: {:?}", built.elapsed());
        for (name, q) in [
            (
                "first page, date desc",
                query(None, TransactionSortField::Timestamp, true),
            ),
            (
                "first page, date desc again",
                query(None, TransactionSortField::Timestamp, true),
            ),
            (
                "first page, amount (first sort)",
                query(None, TransactionSortField::Amount, true),
            ),
            (
                "first page, description (first sort)",
                query(None, TransactionSortField::Description, false),
            ),
            (
                "search 'tesco' by date",
                query(Some("tesco"), TransactionSortField::Timestamp, true),
            ),
            (
                "search 'tesco' again (cached)",
                query(Some("tesco"), TransactionSortField::Timestamp, true),
            ),
        ] {
            let mut q = q;
            q.limit = 100;
            let t = Instant::now();
            let page = set.page(&q);
            eprintln!("{name}: {:?} ({} rows match)", t.elapsed(), page.total);
        }
        let mut last = query(None, TransactionSortField::Timestamp, true);
        last.offset = 99_900;
        last.limit = 100;
        let t = Instant::now();
        let page = set.page(&last);
        eprintln!("last page: {:?} ({} rows)", t.elapsed(), page.rows.len());
    }
}
