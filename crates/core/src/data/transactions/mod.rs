//! Transactions of an account or a card over a date range: fetched with the client's windowed
//! fetch (windows of at most three months, [`WINDOW_CONCURRENCY`] at a time, progress as
//! `transactions://progress` events, cancellable by fetch id), pending transactions fetched
//! alongside and kept apart, then held in memory per fetch id ([`set`]) and read page by page.
//!
//! This file owns the orchestration: input checks, the running fetches and their cancel tokens,
//! the calls, and the finished sets. At most [`MAX_KEPT_FETCHES`] finished fetches are kept (the
//! oldest is dropped): the dense user's 96,598 rows in the All view add ~111 MiB to the app and
//! its webview together (`npm run bench`, raw items packed). No secret is held here: rows are
//! TrueLayer's data only. [`stream`] is the other way to read them: every account and card of a
//! connection, window by window, in constant memory; [`Self::fetch_all`] keeps such a stream as
//! one set, and its rows can be paged while it is still running.

mod balances;
mod set;
mod stream;
mod texts;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use linkscope_truelayer as tl;

use crate::connections::{Caller, ConnectionService};
use crate::context::{lock, push_trace, push_trace_id, CoreEvent, Shared};
use crate::dto::{
    FetchAllTransactionsInput, FetchProgressEvent, FetchTransactionsInput, TransactionFetchSummary,
    TransactionItem, TransactionPage, TransactionQuery, TransactionSource, TransactionSourceInfo,
};
use crate::error::{Error, Result};

pub use balances::MAX_SERIES_POINTS;
pub use set::MAX_PAGE;
use set::{Arrivals, Part};
pub(crate) use set::{FetchedSet, SetMeta};
use stream::Source;

/// Windows fetched at once.
pub const WINDOW_CONCURRENCY: usize = 4;
/// Finished fetches kept in memory (the oldest is dropped first).
pub const MAX_KEPT_FETCHES: usize = 4;
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
    /// A fetch of every account and card: its rows so far (readable while it runs).
    arrivals: Option<Arc<Mutex<Arrivals>>>,
}

/// After a fetch: its windows' bodies and items were freed, give their pages back to the system,
/// on the blocking pool (it walks every arena) and without holding the answer back.
fn give_back_memory() {
    drop(tokio::task::spawn_blocking(
        crate::context::memory::release_free_memory,
    ));
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
        let fetch_id = checked_fetch_id(&input.fetch_id)?;
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
        // The connection is read once for every call of the fetch (windows, pending, balance).
        let caller = self.inner.connections.caller(connection_id).await?;
        let booked = caller.call(|client, token| {
            let (request, progress) = (&request, progress.clone());
            async move {
                client
                    .transactions_windowed(&token, request, None, move |p| progress(p))
                    .await
            }
        });
        let id = account_id.as_str();
        let pending = caller.call(|client, token| async move {
            // Pending transactions describe the last few days: asked without a range (the
            // API's default window), so a long historical range cannot make them fail.
            match input.source {
                TransactionSource::Account => {
                    client.account_pending_transactions(&token, id, None).await
                }
                TransactionSource::Card => client.card_pending_transactions(&token, id, None).await,
            }
        });
        // Cancelling drops both calls here, with every request they have in flight: this is the
        // one place a fetch in flight is cancelled.
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
            current_balance(&caller, input.source, id, &mut trace_ids).await
        } else {
            None
        };

        let meta = SetMeta {
            fetch_id: fetch_id.clone(),
            connection_id: connection_id.to_owned(),
            only: Some((input.source, account_id.clone())),
            from,
            to,
            windows: booked.windows.len(),
            trace_ids,
            pending_error,
            fetched_at: crate::now_rfc3339(),
        };
        let part = Part {
            info: TransactionSourceInfo {
                source: input.source,
                account_id: account_id.clone(),
                display_name: String::new(),
                currency: String::new(),
            },
            booked: booked.transactions,
            newest_first: booked.newest_first,
            closing_balance: closing,
        };
        let kept = self.keep(meta, vec![part], pending, &cancel).await;
        give_back_memory();
        kept
    }

    /// `fetch_all_transactions`: every account and card of the connection over the range, as
    /// one set under `fetch_id` (the [`stream`], kept): a progress event per window, the rows so
    /// far readable with [`Self::query`] while it runs, then searched and sorted as a whole.
    /// Pending transactions are not read (they are per account: fetch one account for them).
    pub async fn fetch_all(
        &self,
        input: FetchAllTransactionsInput,
    ) -> Result<TransactionFetchSummary> {
        let fetch_id = checked_fetch_id(&input.fetch_id)?;
        let from = parse_day("from", &input.from)?;
        let to = parse_day("to", &input.to)?;
        let cancel = self.register(&fetch_id)?;
        let _guard = RunningGuard {
            inner: &self.inner,
            fetch_id: fetch_id.clone(),
        };
        let connection_id = input.connection_id.trim().to_owned();
        let arrivals: Mutex<Option<Arc<Mutex<Arrivals>>>> = Mutex::new(None);
        let shared = self.inner.shared.clone();
        let (mut rows_seen, progress_id) = (0u32, fetch_id.clone());
        let stream = self.stream_items(
            &connection_id,
            &input.from,
            &input.to,
            None,
            |sources| {
                let all = Arc::new(Mutex::new(Arrivals::new(
                    sources.iter().map(Source::info).collect(),
                )));
                *lock(&arrivals) = Some(all.clone());
                if let Some(r) = lock(&self.inner.running).get_mut(&fetch_id) {
                    r.arrivals = Some(all);
                }
            },
            |window| {
                rows_seen += count(window.items.len());
                if let Some(all) = lock(&arrivals).as_ref() {
                    lock(all).push(window.source, window.items);
                }
                shared.emit(CoreEvent::TransactionsProgress(FetchProgressEvent {
                    fetch_id: progress_id.clone(),
                    windows_done: window.done,
                    windows_total: window.total,
                    rows: rows_seen,
                }));
                std::ops::ControlFlow::Continue(())
            },
        );
        let (caller, summary) = tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(Error::Cancelled),
            streamed = stream => streamed?,
        };
        let Some(all) = lock(&arrivals).take() else {
            return Err(Error::internal(
                "the stream ended before it listed its sources",
            ));
        };
        let mut parts = lock(&all).take_parts();
        let mut trace_ids = summary.trace_ids;
        // Sources whose bank sends no running balance are walked back from today's balance
        // (read for all of them at once).
        if to >= Utc::now().date_naive() {
            let walked_back = parts.iter().enumerate().filter(|(_, p)| {
                !p.booked.is_empty() && p.booked.iter().all(|t| t.running_balance.is_none())
            });
            let caller = &caller;
            let closings = futures::future::join_all(walked_back.map(|(i, p)| async move {
                let mut ids = Vec::new();
                let balance =
                    current_balance(caller, p.info.source, &p.info.account_id, &mut ids).await;
                (i, balance, ids)
            }))
            .await;
            for (i, balance, ids) in closings {
                for id in &ids {
                    push_trace_id(&mut trace_ids, id);
                }
                if let Some(part) = parts.get_mut(i) {
                    part.closing_balance = balance;
                }
            }
        }
        let meta = SetMeta {
            fetch_id,
            connection_id,
            only: None,
            from,
            to,
            windows: usize::try_from(summary.windows).unwrap_or(usize::MAX),
            trace_ids,
            pending_error: None,
            fetched_at: crate::now_rfc3339(),
        };
        let kept = self.keep(meta, parts, Vec::new(), &cancel).await;
        // The rows read while it ran go before the allocator is asked to give memory back.
        drop(all);
        drop(_guard);
        give_back_memory();
        kept
    }

    /// Builds the finished set off the async threads and keeps it (the oldest beyond
    /// [`MAX_KEPT_FETCHES`] is dropped).
    async fn keep(
        &self,
        meta: SetMeta,
        parts: Vec<Part>,
        pending: Vec<tl::Transaction>,
        cancel: &tl::CancelToken,
    ) -> Result<TransactionFetchSummary> {
        let fetch_id = meta.fetch_id.clone();
        let set = tokio::task::spawn_blocking(move || FetchedSet::build(meta, parts, pending))
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
                arrivals: None,
            },
        );
        Ok(())
    }

    /// `query_transactions`: one page of a finished fetch, searched and sorted; of a fetch of
    /// every account and card still running, the rows so far (see [`TransactionPage::partial`]).
    pub async fn query(&self, query: TransactionQuery) -> Result<TransactionPage> {
        let running = lock(&self.inner.running)
            .get(query.fetch_id.trim())
            .and_then(|r| r.arrivals.clone());
        if let Some(arrivals) = running {
            return tokio::task::spawn_blocking(move || lock(&arrivals).page(&query))
                .await
                .map_err(Error::internal);
        }
        let set = self.set(&query.fetch_id)?;
        tokio::task::spawn_blocking(move || set.page(&query))
            .await
            .map_err(Error::internal)
    }

    /// `get_transaction`: one row of a finished fetch, by its place in the fetch
    /// ([`crate::dto::TransactionColumns::index`]), with the exact item TrueLayer sent.
    pub fn item(&self, fetch_id: &str, index: u32) -> Result<TransactionItem> {
        self.set(fetch_id)?
            .item(index)
            .ok_or_else(|| Error::NotFound {
                what: "transaction",
                id: format!("{fetch_id} #{index}"),
            })
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
                arrivals: None,
            },
        );
        Ok(cancel)
    }
}

/// The current (booked) balance of the account or card, if it can be read.
async fn current_balance(
    caller: &Caller<'_>,
    source: TransactionSource,
    id: &str,
    trace_ids: &mut Vec<String>,
) -> Option<f64> {
    if !caller.has_scope("balance") {
        return None;
    }
    let (current, ids) = match source {
        TransactionSource::Account => caller
            .call(|client, token| async move {
                client
                    .account_balance(&token, id)
                    .await
                    .map(|a| (a.data.current, a.trace_ids))
            })
            .await
            .ok()?,
        TransactionSource::Card => caller
            .call(|client, token| async move {
                client
                    .card_balance(&token, id)
                    .await
                    .map(|a| (a.data.current, a.trace_ids))
            })
            .await
            .ok()?,
    };
    push_trace(trace_ids, &ids);
    Some(current)
}

fn checked_fetch_id(fetch_id: &str) -> Result<String> {
    let fetch_id = fetch_id.trim();
    if fetch_id.is_empty() || fetch_id.len() > 200 {
        return Err(Error::Validation(
            "A fetch needs an id of 1 to 200 characters.".into(),
        ));
    }
    Ok(fetch_id.to_owned())
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
