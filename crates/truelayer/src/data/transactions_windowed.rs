//! Transactions over a long range: split into windows of at most three months (TrueLayer: fetch
//! long histories in 3–6-month pages; banks may refuse more than 90 days at once), fetch them
//! concurrently with a bound, merge them in the provider's own order, report progress after
//! each window, stop on a [`CancelToken`] or when the future is dropped.
//!
//! Windows share their boundary day (`[Jan 1, Mar 31]`, `[Mar 31, Jun 29]`, …) so the result
//! is complete whether the API reads `to` as the whole day or as its first instant;
//! transactions that come back in both windows are dropped from the later one by their stable
//! id (normalised id, else provider id, else transaction_id). Must not: reorder within a window.

use std::collections::HashSet;

use chrono::{Days, Months, NaiveDate};
use futures::stream::{self, StreamExt};
use serde::Serialize;

use super::models::Transaction;
use super::{parse_results, DataRequest, DateRange};
use crate::cancel::CancelToken;
use crate::client::Client;
use crate::error::{Error, Result, TraceIds};
use crate::secret::AccessToken;

/// Whose transactions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TransactionSource {
    /// An account's (`/accounts/{id}/transactions`).
    Account(String),
    /// A card's (`/cards/{id}/transactions`).
    Card(String),
}

impl TransactionSource {
    fn request(&self, range: DateRange) -> DataRequest {
        match self {
            TransactionSource::Account(id) => {
                DataRequest::AccountTransactions(id.clone(), Some(range))
            }
            TransactionSource::Card(id) => DataRequest::CardTransactions(id.clone(), Some(range)),
        }
    }
}

/// A windowed fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowedRequest {
    /// Whose transactions.
    pub source: TransactionSource,
    /// The whole range.
    pub range: DateRange,
    /// Months per window, 1 to 3 (default 3).
    pub window_months: u32,
    /// Windows fetched at once, at least 1 (default 4).
    pub concurrency: usize,
    /// Keep each window's raw body for the raw-JSON view (default true).
    pub keep_raw: bool,
}

impl WindowedRequest {
    /// Three-month windows, four at a time, raw bodies kept.
    pub fn new(source: TransactionSource, range: DateRange) -> Self {
        Self {
            source,
            range,
            window_months: 3,
            concurrency: 4,
            keep_raw: true,
        }
    }

    /// The windows this request is split into, oldest first.
    pub fn windows(&self) -> Vec<DateRange> {
        split(self.range, self.window_months.clamp(1, 3))
    }
}

/// Progress after a window has arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowProgress {
    /// Windows done.
    pub completed: usize,
    /// Windows in all.
    pub total: usize,
    /// Transactions received so far (before boundary duplicates are dropped).
    pub transactions: usize,
    /// The window that just arrived.
    pub window: DateRange,
}

/// One window's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowPage {
    /// The dates asked for.
    pub range: DateRange,
    /// Transactions in the answer.
    pub count: usize,
    /// Trace ids of the answer.
    pub trace_ids: TraceIds,
    /// The body as received, when `keep_raw`.
    pub raw: Option<String>,
}

/// The merged result.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowedTransactions {
    /// Every transaction once, in the provider's order (newest first if it sends them so).
    pub transactions: Vec<Transaction>,
    /// Each window's answer, oldest window first.
    pub windows: Vec<WindowPage>,
    /// Whether the provider lists newest first (detected from the data).
    pub newest_first: bool,
    /// How many boundary-day transactions came back in two windows and were kept once.
    pub duplicates_removed: usize,
}

impl Client {
    /// Fetches `request.range` in windows (see the module docs). `progress` is called after each
    /// window arrives; `cancel` (or dropping the future) stops every request in flight and
    /// returns [`Error::Cancelled`]. The first failing window fails the whole fetch.
    pub async fn transactions_windowed(
        &self,
        token: &AccessToken,
        request: &WindowedRequest,
        cancel: Option<&CancelToken>,
        mut progress: impl FnMut(WindowProgress) + Send,
    ) -> Result<WindowedTransactions> {
        let windows = request.windows();
        let total = windows.len();
        let concurrency = request.concurrency.max(1);
        let work = async {
            let mut pages: Vec<Option<(WindowPage, Vec<Transaction>)>> = vec![None; total];
            let mut received = 0usize;
            let mut fetches = stream::iter(windows.iter().copied().enumerate())
                .map(|(index, window)| async move {
                    let reply = self
                        .data_get(token, &request.source.request(window), &[])
                        .await?;
                    let items: Vec<Transaction> = parse_results(&reply)?;
                    let raw = if request.keep_raw {
                        Some(reply.text()?.to_owned())
                    } else {
                        None
                    };
                    let page = WindowPage {
                        range: window,
                        count: items.len(),
                        trace_ids: reply.trace_ids.clone(),
                        raw,
                    };
                    Ok::<_, Error>((index, page, items))
                })
                .buffer_unordered(concurrency);
            let mut completed = 0usize;
            while let Some(result) = fetches.next().await {
                let (index, page, items) = result?;
                completed += 1;
                received += items.len();
                progress(WindowProgress {
                    completed,
                    total,
                    transactions: received,
                    window: page.range,
                });
                if let Some(slot) = pages.get_mut(index) {
                    *slot = Some((page, items));
                }
            }
            let pages: Vec<(WindowPage, Vec<Transaction>)> = pages.into_iter().flatten().collect();
            Ok(merge(pages))
        };
        match cancel {
            None => work.await,
            Some(token) => {
                if token.is_cancelled() {
                    return Err(Error::Cancelled);
                }
                tokio::select! {
                    biased;
                    () = token.cancelled() => Err(Error::Cancelled),
                    result = work => result,
                }
            }
        }
    }
}

/// Splits `range` into windows of at most `months` months that share their boundary day.
fn split(range: DateRange, months: u32) -> Vec<DateRange> {
    let mut windows = Vec::new();
    let mut start = range.from();
    loop {
        let end = start
            .checked_add_months(Months::new(months))
            .and_then(|d| d.checked_sub_days(Days::new(1)))
            .map_or(range.to(), |d| d.min(range.to()));
        windows.push(DateRange::new(start, end).unwrap_or_else(|_| single_day(end)));
        if end >= range.to() {
            return windows;
        }
        start = end;
    }
}

fn single_day(day: NaiveDate) -> DateRange {
    DateRange { from: day, to: day }
}

/// Drops, window by window (oldest first), the transactions a window repeats from the one before
/// it on their shared boundary day (matched by [`Transaction::stable_id`]). The one rule for
/// both the merged fetch and a streamed one (which keeps only the previous window's ids).
#[derive(Debug, Default, Clone)]
pub struct BoundaryDedup {
    previous_ids: HashSet<String>,
}

impl BoundaryDedup {
    /// A filter for the first window of a source.
    pub fn new() -> Self {
        Self::default()
    }

    /// The window starting on `boundary`, without the repeats; returns how many were dropped.
    pub fn window(
        &mut self,
        boundary: NaiveDate,
        items: Vec<Transaction>,
    ) -> (Vec<Transaction>, usize) {
        let before = items.len();
        let previous = &self.previous_ids;
        let items: Vec<Transaction> = items
            .into_iter()
            .filter(|t| {
                let on_boundary = t.timestamp.date().is_none_or(|d| d == boundary);
                !(on_boundary && previous.contains(t.stable_id()))
            })
            .collect();
        self.previous_ids = items.iter().map(|t| t.stable_id().to_owned()).collect();
        let dropped = before - items.len();
        (items, dropped)
    }
}

/// Merges windows (oldest first) into one list in the provider's order, dropping transactions
/// a window repeats from the one before it on their shared day.
fn merge(pages: Vec<(WindowPage, Vec<Transaction>)>) -> WindowedTransactions {
    let newest_first = pages
        .iter()
        .find_map(|(_, items)| direction(items))
        .unwrap_or(false);
    let mut duplicates_removed = 0;
    let mut kept: Vec<Vec<Transaction>> = Vec::with_capacity(pages.len());
    let mut windows = Vec::with_capacity(pages.len());
    let mut dedup = BoundaryDedup::new();
    for (page, items) in pages {
        let (items, dropped) = dedup.window(page.range.from(), items);
        duplicates_removed += dropped;
        windows.push(page);
        kept.push(items);
    }
    if newest_first {
        kept.reverse();
    }
    WindowedTransactions {
        transactions: kept.into_iter().flatten().collect(),
        windows,
        newest_first,
        duplicates_removed,
    }
}

/// `Some(true)` if the list runs newest first, `Some(false)` oldest first, `None` if it cannot
/// tell (fewer than two distinct readable timestamps).
fn direction(items: &[Transaction]) -> Option<bool> {
    let times: Vec<_> = items.iter().filter_map(|t| t.timestamp.to_utc()).collect();
    let first = times.first()?;
    let last = times.last()?;
    (first != last).then(|| first > last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn t(id: &str, ts: &str) -> Transaction {
        serde_json::from_value(serde_json::json!({
            "transaction_id": id, "timestamp": ts, "amount": 1.0
        }))
        .unwrap()
    }

    fn page(from: &str, to: &str) -> WindowPage {
        WindowPage {
            range: DateRange::new(d(from), d(to)).unwrap(),
            count: 0,
            trace_ids: TraceIds::default(),
            raw: None,
        }
    }

    #[test]
    fn five_years_split_into_windows_of_at_most_three_months_sharing_boundaries() {
        let range = DateRange::new(d("2020-01-01"), d("2024-12-31")).unwrap();
        let windows = split(range, 3);
        assert_eq!(windows.first().unwrap().from(), d("2020-01-01"));
        assert_eq!(windows.first().unwrap().to(), d("2020-03-31"));
        assert_eq!(windows.last().unwrap().to(), d("2024-12-31"));
        for pair in windows.windows(2) {
            assert_eq!(pair[0].to(), pair[1].from(), "adjacent windows share a day");
        }
        for w in &windows {
            assert!(
                w.to() < w.from().checked_add_months(Months::new(3)).unwrap(),
                "{w:?} is longer than 3 months"
            );
        }
        assert_eq!(windows.len(), 21);
    }

    #[test]
    fn a_short_range_is_one_window_and_a_single_day_works() {
        assert_eq!(
            split(DateRange::new(d("2024-01-10"), d("2024-02-10")).unwrap(), 3).len(),
            1
        );
        assert_eq!(
            split(DateRange::new(d("2024-01-10"), d("2024-01-10")).unwrap(), 1).len(),
            1
        );
    }

    #[test]
    fn boundary_duplicates_are_kept_once_and_newest_first_order_is_preserved() {
        let pages = vec![
            (
                page("2024-01-01", "2024-03-31"),
                vec![
                    t("c", "2024-03-31T10:00:00"),
                    t("b", "2024-02-01T10:00:00"),
                    t("a", "2024-01-01T10:00:00"),
                ],
            ),
            (
                page("2024-03-31", "2024-06-29"),
                vec![t("d", "2024-05-01T10:00:00"), t("c", "2024-03-31T10:00:00")],
            ),
        ];
        let merged = merge(pages);
        assert!(merged.newest_first);
        assert_eq!(merged.duplicates_removed, 1);
        let ids: Vec<&str> = merged
            .transactions
            .iter()
            .map(|t| t.transaction_id.as_str())
            .collect();
        assert_eq!(ids, ["d", "c", "b", "a"]);
    }

    #[test]
    fn oldest_first_order_is_preserved_and_same_id_on_other_days_is_kept() {
        let pages = vec![
            (
                page("2024-01-01", "2024-03-31"),
                vec![t("a", "2024-01-01T10:00:00"), t("x", "2024-03-31T10:00:00")],
            ),
            (
                page("2024-03-31", "2024-06-29"),
                vec![
                    t("x", "2024-03-31T10:00:00"),
                    t("x2", "2024-04-02T10:00:00"),
                    t("a", "2024-05-01T10:00:00"),
                ],
            ),
        ];
        let merged = merge(pages);
        assert!(!merged.newest_first);
        let ids: Vec<&str> = merged
            .transactions
            .iter()
            .map(|t| t.transaction_id.as_str())
            .collect();
        assert_eq!(
            ids,
            ["a", "x", "x2", "a"],
            "only the boundary-day repeat is dropped"
        );
    }
}
