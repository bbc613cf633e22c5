//! The coverage matrix: one click calls every endpoint a connection's scopes allow (the lists
//! first, then every account's and card's endpoints, [`CONCURRENCY`] at a time) and classifies
//! each answer: supported with a count, not supported by the provider (501
//! `endpoint_not_supported`), scope missing (not called), error (code, trace id). Calls go through
//! [`ConnectionService::call`], so they refresh like any other and land in the inspector.

use std::time::Instant;

use futures::stream::{self, StreamExt};
use linkscope_sandbox::workbench::{Check, Parent};
use linkscope_truelayer as tl;

use super::dto::{CellStatus, CoverageCell, CoverageProgressEvent, CoverageReport, CoverageRow};
use crate::connections::ConnectionService;
use crate::context::{CoreEvent, Shared};
use crate::dto::Connection;
use crate::error::{Error, Result};

/// Calls in flight at once (the Data API rate-limits per connection).
pub const CONCURRENCY: usize = 4;

/// What one successful call gave.
struct Probe {
    count: u32,
    result: Option<String>,
    ids: Vec<String>,
    trace_id: Option<String>,
}

impl Probe {
    fn list<T>(r: &tl::ApiResponse<Vec<T>>) -> Self {
        Probe {
            count: u32::try_from(r.data.len()).unwrap_or(u32::MAX),
            result: None,
            ids: Vec::new(),
            trace_id: r.trace_ids.primary().map(str::to_owned),
        }
    }

    fn one<T>(r: &tl::ApiResponse<T>) -> Self {
        Probe {
            count: 1,
            result: None,
            ids: Vec::new(),
            trace_id: r.trace_ids.primary().map(str::to_owned),
        }
    }

    fn with_ids(mut self, ids: Vec<String>) -> Self {
        self.ids = ids;
        self
    }
}

/// One finished call: its cell and, for the lists, the ids it found.
struct Called {
    check: Check,
    cell: CoverageCell,
    ids: Vec<String>,
}

/// Whether the connection holds every scope the check needs.
pub(crate) fn allowed(connection: &Connection, check: Check) -> bool {
    check
        .scopes()
        .iter()
        .all(|s| connection.scopes.iter().any(|have| have == s.as_str()))
}

/// Runs the matrix for one connection.
pub(crate) struct CoverageRunner<'a> {
    pub shared: &'a Shared,
    pub connections: &'a ConnectionService,
}

impl CoverageRunner<'_> {
    /// `run_coverage`: every [`Check::DATA`] endpoint, with `coverage://progress` per call.
    pub async fn run(&self, connection_id: &str) -> Result<CoverageReport> {
        let connection = self.connections.get(connection_id).await?;
        let started_at = crate::now_rfc3339();
        let started = Instant::now();
        let progress = Progress::new(self.shared, connection_id);

        let top: Vec<Check> = Check::DATA
            .into_iter()
            .filter(|c| c.parent().is_none() && allowed(&connection, *c))
            .collect();
        progress.add(top.len());
        let mut called: Vec<Called> = stream::iter(top)
            .map(|check| self.call(connection_id, check, None, &progress))
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;

        let ids_of = |check: Check| -> Vec<String> {
            called
                .iter()
                .find(|c| c.check == check)
                .map(|c| c.ids.clone())
                .unwrap_or_default()
        };
        let accounts = ids_of(Check::Accounts);
        let cards = ids_of(Check::Cards);
        let per_item: Vec<(Check, String)> = Check::DATA
            .into_iter()
            .filter(|c| allowed(&connection, *c))
            .flat_map(|check| {
                let items = match check.parent() {
                    Some(Parent::Account) => accounts.clone(),
                    Some(Parent::Card) => cards.clone(),
                    None => Vec::new(),
                };
                items.into_iter().map(move |id| (check, id))
            })
            .collect();
        progress.add(per_item.len());
        let progress = &progress;
        let more: Vec<Called> =
            stream::iter(per_item)
                .map(|(check, id)| async move {
                    self.call(connection_id, check, Some(id), progress).await
                })
                .buffer_unordered(CONCURRENCY)
                .collect()
                .await;
        called.extend(more);

        let rows = Check::DATA
            .into_iter()
            .map(|check| row(&connection, check, &called))
            .collect();
        Ok(CoverageReport {
            connection_id: connection.id.clone(),
            connection_label: connection.label.clone(),
            provider_id: connection.provider_id.clone(),
            scopes: connection.scopes.clone(),
            started_at,
            duration_ms: millis(started),
            rows,
        })
    }

    async fn call(
        &self,
        connection_id: &str,
        check: Check,
        item: Option<String>,
        progress: &Progress<'_>,
    ) -> Called {
        let started = Instant::now();
        let outcome = self
            .probe(connection_id, check, item.as_deref().unwrap_or_default())
            .await;
        progress.tick();
        let duration_ms = millis(started);
        let (cell, ids) = match outcome {
            Ok(p) => (
                CoverageCell {
                    item_id: item,
                    status: CellStatus::Supported,
                    count: Some(p.count),
                    result: p.result,
                    http_status: Some(200),
                    error_code: None,
                    message: None,
                    trace_id: p.trace_id,
                    duration_ms,
                },
                p.ids,
            ),
            Err(e) => (error_cell(&e, item, duration_ms), Vec::new()),
        };
        Called { check, cell, ids }
    }

    async fn probe(&self, id: &str, check: Check, item: &str) -> Result<Probe> {
        let c = self.connections;
        let item = item.to_owned();
        match check {
            Check::Me => {
                c.call(id, |cl, t| async move {
                    cl.me(&t).await.map(|r| Probe::one(&r))
                })
                .await
            }
            Check::Info => {
                c.call(id, |cl, t| async move {
                    cl.info(&t).await.map(|r| Probe::list(&r))
                })
                .await
            }
            Check::Accounts => {
                c.call(id, |cl, t| async move {
                    let r = cl.accounts(&t).await?;
                    let ids = r.data.iter().map(|a| a.account_id.clone()).collect();
                    Ok(Probe::list(&r).with_ids(ids))
                })
                .await
            }
            Check::Cards => {
                c.call(id, |cl, t| async move {
                    let r = cl.cards(&t).await?;
                    let ids = r.data.iter().map(|a| a.account_id.clone()).collect();
                    Ok(Probe::list(&r).with_ids(ids))
                })
                .await
            }
            Check::SignupPlus => {
                c.call(id, |cl, t| async move {
                    let r = cl.signup_plus_accounts(&t, None).await?;
                    let result = match &r.data {
                        tl::SignupPlusAccounts::Identity(_) => "identity",
                        tl::SignupPlusAccounts::MultipleAccounts(_) => "multiple_accounts_linked",
                    };
                    let mut probe = Probe::one(&r);
                    probe.result = Some(result.to_owned());
                    Ok(probe)
                })
                .await
            }
            Check::Balance => {
                c.call(id, |cl, t| {
                    let item = item.clone();
                    async move { cl.account_balance(&t, &item).await.map(|r| Probe::one(&r)) }
                })
                .await
            }
            Check::Transactions => {
                c.call(id, |cl, t| {
                    let item = item.clone();
                    async move {
                        let r = cl.account_transactions(&t, &item, None).await?;
                        Ok(Probe::list(&r))
                    }
                })
                .await
            }
            Check::PendingTransactions => {
                c.call(id, |cl, t| {
                    let item = item.clone();
                    async move {
                        let r = cl.account_pending_transactions(&t, &item, None).await?;
                        Ok(Probe::list(&r))
                    }
                })
                .await
            }
            Check::StandingOrders => {
                c.call(id, |cl, t| {
                    let item = item.clone();
                    async move { cl.standing_orders(&t, &item).await.map(|r| Probe::list(&r)) }
                })
                .await
            }
            Check::DirectDebits => {
                c.call(id, |cl, t| {
                    let item = item.clone();
                    async move { cl.direct_debits(&t, &item).await.map(|r| Probe::list(&r)) }
                })
                .await
            }
            Check::CardBalance => {
                c.call(id, |cl, t| {
                    let item = item.clone();
                    async move { cl.card_balance(&t, &item).await.map(|r| Probe::one(&r)) }
                })
                .await
            }
            Check::CardTransactions => {
                c.call(id, |cl, t| {
                    let item = item.clone();
                    async move {
                        let r = cl.card_transactions(&t, &item, None).await?;
                        Ok(Probe::list(&r))
                    }
                })
                .await
            }
            Check::CardPendingTransactions => {
                c.call(id, |cl, t| {
                    let item = item.clone();
                    async move {
                        let r = cl.card_pending_transactions(&t, &item, None).await?;
                        Ok(Probe::list(&r))
                    }
                })
                .await
            }
            Check::Refresh | Check::Extend | Check::Revoke => Err(Error::Internal(format!(
                "{check} is a lifecycle check, not part of the coverage matrix"
            ))),
        }
    }
}

/// The cell of a failed call: not supported for 501 `endpoint_not_supported`, else error.
fn error_cell(e: &Error, item: Option<String>, duration_ms: u64) -> CoverageCell {
    let api = e.to_api_error();
    let detail = api.detail.unwrap_or_default();
    let not_supported =
        detail.status == Some(501) || detail.tl_error.as_deref() == Some("endpoint_not_supported");
    CoverageCell {
        item_id: item,
        status: if not_supported {
            CellStatus::NotSupported
        } else {
            CellStatus::Error
        },
        count: None,
        result: None,
        http_status: detail.status,
        error_code: detail.tl_error,
        message: Some(api.message),
        trace_id: detail.trace_id,
        duration_ms,
    }
}

/// A check's row: scope missing when not allowed; not run when it needed a list that gave
/// nothing; else its cells.
fn row(connection: &Connection, check: Check, called: &[Called]) -> CoverageRow {
    let scopes = check
        .scopes()
        .iter()
        .map(|s| s.as_str().to_owned())
        .collect();
    let mut cells: Vec<CoverageCell> = called
        .iter()
        .filter(|c| c.check == check)
        .map(|c| c.cell.clone())
        .collect();
    cells.sort_by(|a, b| a.item_id.cmp(&b.item_id));
    let blank = |status| CoverageCell {
        item_id: None,
        status,
        count: None,
        result: None,
        http_status: None,
        error_code: None,
        message: None,
        trace_id: None,
        duration_ms: 0,
    };
    if !allowed(connection, check) {
        cells = vec![blank(CellStatus::ScopeMissing)];
    } else if cells.is_empty() {
        cells = vec![blank(CellStatus::NotRun)];
    }
    let status = cells
        .iter()
        .map(|c| c.status)
        .max_by_key(|s| severity(*s))
        .unwrap_or(CellStatus::NotRun);
    CoverageRow {
        check: check.id().to_owned(),
        endpoint: check.endpoint().to_owned(),
        scopes,
        status,
        cells,
    }
}

fn severity(status: CellStatus) -> u8 {
    match status {
        CellStatus::Supported => 0,
        CellStatus::NotRun => 1,
        CellStatus::ScopeMissing => 2,
        CellStatus::NotSupported => 3,
        CellStatus::Error => 4,
    }
}

fn millis(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Counts calls and publishes `coverage://progress`.
struct Progress<'a> {
    shared: &'a Shared,
    connection_id: &'a str,
    done: std::sync::atomic::AtomicU32,
    total: std::sync::atomic::AtomicU32,
}

impl<'a> Progress<'a> {
    fn new(shared: &'a Shared, connection_id: &'a str) -> Self {
        Self {
            shared,
            connection_id,
            done: 0.into(),
            total: 0.into(),
        }
    }

    fn add(&self, calls: usize) {
        let calls = u32::try_from(calls).unwrap_or(u32::MAX);
        self.total
            .fetch_add(calls, std::sync::atomic::Ordering::Relaxed);
    }

    fn tick(&self) {
        use std::sync::atomic::Ordering::Relaxed;
        let done = self.done.fetch_add(1, Relaxed) + 1;
        self.shared
            .emit(CoreEvent::CoverageProgress(CoverageProgressEvent {
                connection_id: self.connection_id.to_owned(),
                done,
                total: self.total.load(Relaxed),
            }));
    }
}

/// The matrix as Markdown (for a ticket or a release note).
pub fn to_markdown(report: &CoverageReport) -> String {
    let mut out = format!(
        "# Coverage: {}\n\nProvider `{}` · scopes `{}` · {} · {} ms\n\n| Endpoint | Status | Detail |\n|---|---|---|\n",
        report.connection_label,
        report.provider_id,
        report.scopes.join(" "),
        report.started_at,
        report.duration_ms
    );
    for row in &report.rows {
        let detail: Vec<String> = row.cells.iter().map(cell_text).collect();
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            row.endpoint,
            status_text(row.status),
            detail.join("; ")
        ));
    }
    out
}

/// How a status reads in exports and the grid.
pub fn status_text(status: CellStatus) -> &'static str {
    match status {
        CellStatus::Supported => "supported",
        CellStatus::NotSupported => "not supported",
        CellStatus::ScopeMissing => "scope missing",
        CellStatus::Error => "error",
        CellStatus::NotRun => "not run",
    }
}

fn cell_text(cell: &CoverageCell) -> String {
    let on = cell
        .item_id
        .as_deref()
        .map(|id| format!("{id}: "))
        .unwrap_or_default();
    let what = match cell.status {
        CellStatus::Supported => match (&cell.result, cell.count) {
            (Some(result), _) => result.clone(),
            (None, Some(n)) => format!("{n} item(s)"),
            (None, None) => "ok".to_owned(),
        },
        CellStatus::Error | CellStatus::NotSupported => format!(
            "{} {} (trace {})",
            cell.http_status.map(|s| s.to_string()).unwrap_or_default(),
            cell.error_code.as_deref().unwrap_or("no code"),
            cell.trace_id.as_deref().unwrap_or("none")
        ),
        other => status_text(other).to_owned(),
    };
    format!("{on}{what}")
}
