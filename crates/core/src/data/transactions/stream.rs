//! The merged transaction stream: every account and card of a connection (or just one of them)
//! over a date range, fetched in windows of at most three months, [`WINDOW_CONCURRENCY`] windows
//! in flight across all sources, and handed to the caller one window at a time, in order (source
//! by source as listed, each source's windows oldest first, each window in the provider's order).
//! Memory stays flat whatever the range: only the windows in flight are held, and each batch is
//! dropped once the callback returns. Boundary-day repeats are dropped with the client's own rule
//! ([`tl::BoundaryDedup`]). The CLI's `transactions --all` reads it as batches of rows; the
//! desktop's "All accounts and cards" source reads its items ([`TransactionService::fetch_all`]
//! keeps them). Must not: keep rows (that is [`super::FetchedSet`]'s job) or hold a token.

use std::ops::ControlFlow;
use std::sync::OnceLock;

use futures::stream::{self, StreamExt};
use linkscope_truelayer as tl;

use super::set::row_of;
use super::{count, parse_day, TransactionService, WINDOW_CONCURRENCY};
use crate::connections::Caller;
use crate::context::push_trace;
use crate::dto::{
    TransactionBatch, TransactionSource, TransactionSourceInfo, TransactionSourceRef,
    TransactionStreamInput, TransactionStreamSummary,
};
use crate::error::{Error, Result};

/// One account or card to read.
pub(super) struct Source {
    kind: TransactionSource,
    id: String,
    display_name: String,
}

impl Source {
    pub(super) fn info(&self) -> TransactionSourceInfo {
        TransactionSourceInfo {
            source: self.kind,
            account_id: self.id.clone(),
            display_name: self.display_name.clone(),
            currency: String::new(),
        }
    }
}

/// One window of one source, as it arrived (boundary-day repeats dropped).
pub(super) struct Arrived {
    /// Index into the sources the stream listed.
    pub source: usize,
    pub window: tl::DateRange,
    /// Windows delivered so far, this one included, of all the sources.
    pub done: u32,
    pub total: u32,
    pub items: Vec<tl::Transaction>,
}

impl TransactionService {
    /// `stream_transactions`: calls `on_batch` once per window as it arrives (see the module
    /// docs). `on_batch` returning `Break` stops the stream; it then ends with
    /// [`Error::Cancelled`], as it does when the future is dropped. The first failing call fails
    /// the stream (the batches already delivered stay delivered).
    pub async fn stream(
        &self,
        input: TransactionStreamInput,
        mut on_batch: impl FnMut(TransactionBatch) -> ControlFlow<()> + Send,
    ) -> Result<TransactionStreamSummary> {
        let listed: OnceLock<Vec<TransactionSourceInfo>> = OnceLock::new();
        let (_, summary) = self
            .stream_items(
                &input.connection_id,
                &input.from,
                &input.to,
                input.only,
                |sources| {
                    // Set once, here, before the first window.
                    let _ = listed.set(sources.iter().map(Source::info).collect());
                },
                |arrived| {
                    let Some(source) = listed.get().and_then(|l| l.get(arrived.source)) else {
                        return ControlFlow::Break(());
                    };
                    on_batch(TransactionBatch {
                        source: source.source,
                        account_id: source.account_id.clone(),
                        display_name: source.display_name.clone(),
                        from: arrived.window.from().to_string(),
                        to: arrived.window.to().to_string(),
                        windows_done: arrived.done,
                        windows_total: arrived.total,
                        rows: arrived.items.iter().map(|t| row_of(t, false)).collect(),
                    })
                },
            )
            .await?;
        Ok(summary)
    }

    /// The stream itself: `on_sources` once with the sources it will read, then `on_window` per
    /// window in order. Returns the connection's caller (for any follow-up call) and the
    /// summary.
    pub(super) async fn stream_items(
        &self,
        connection_id: &str,
        from: &str,
        to: &str,
        only: Option<TransactionSourceRef>,
        on_sources: impl FnOnce(&[Source]) + Send,
        mut on_window: impl FnMut(Arrived) -> ControlFlow<()> + Send,
    ) -> Result<(Caller<'_>, TransactionStreamSummary)> {
        let from = parse_day("from", from)?;
        let to = parse_day("to", to)?;
        let range = tl::DateRange::new(from, to).map_err(|_| {
            Error::Validation(format!(
                "The start date ({from}) is after the end date ({to})."
            ))
        })?;
        let caller = self.inner.connections.caller(connection_id.trim()).await?;
        let mut trace_ids = Vec::new();
        let sources = match only {
            Some(only) if !only.account_id.trim().is_empty() => vec![Source {
                kind: only.source,
                id: only.account_id.trim().to_owned(),
                display_name: String::new(),
            }],
            Some(_) => return Err(Error::Validation("Choose an account or a card.".into())),
            None => list_sources(&caller, &mut trace_ids).await?,
        };
        on_sources(&sources);
        let windows: Vec<(usize, tl::DateRange)> = sources
            .iter()
            .enumerate()
            .flat_map(|(index, source)| {
                let request = tl::WindowedRequest::new(wire_source(source), range);
                request.windows().into_iter().map(move |w| (index, w))
            })
            .collect();
        let total = count(windows.len());

        let mut summary = TransactionStreamSummary {
            sources: count(sources.len()),
            windows: total,
            rows: 0,
            duplicates_removed: 0,
            trace_ids: Vec::new(),
        };
        {
            let caller = &caller;
            let sources = &sources;
            let mut answers = stream::iter(windows)
                .map(|(index, window)| async move {
                    let source = &sources[index];
                    let answer = caller
                        .call(|client, token| {
                            let id = source.id.as_str();
                            async move {
                                match source.kind {
                                    TransactionSource::Account => {
                                        client.account_transactions(&token, id, Some(window)).await
                                    }
                                    TransactionSource::Card => {
                                        client.card_transactions(&token, id, Some(window)).await
                                    }
                                }
                            }
                        })
                        .await?;
                    Ok::<_, Error>((index, window, answer))
                })
                .buffered(WINDOW_CONCURRENCY);

            let mut dedup = tl::BoundaryDedup::new();
            let mut current = usize::MAX;
            let mut done = 0u32;
            while let Some(answer) = answers.next().await {
                let (index, window, answer) = answer?;
                if index != current {
                    dedup = tl::BoundaryDedup::new();
                    current = index;
                }
                push_trace(&mut trace_ids, &answer.trace_ids);
                let (items, dropped) = dedup.window(window.from(), answer.data);
                done += 1;
                summary.rows += count(items.len());
                summary.duplicates_removed += count(dropped);
                let arrived = Arrived {
                    source: index,
                    window,
                    done,
                    total,
                    items,
                };
                if on_window(arrived).is_break() {
                    return Err(Error::Cancelled);
                }
            }
        }
        summary.trace_ids = trace_ids;
        Ok((caller, summary))
    }
}

fn wire_source(source: &Source) -> tl::TransactionSource {
    match source.kind {
        TransactionSource::Account => tl::TransactionSource::Account(source.id.clone()),
        TransactionSource::Card => tl::TransactionSource::Card(source.id.clone()),
    }
}

/// The connection's accounts, then its cards (each list only when its scope was granted).
async fn list_sources(caller: &Caller<'_>, trace_ids: &mut Vec<String>) -> Result<Vec<Source>> {
    let mut sources = Vec::new();
    if caller.has_scope("accounts") {
        let accounts = caller
            .call(|client, token| async move { client.accounts(&token).await })
            .await?;
        push_trace(trace_ids, &accounts.trace_ids);
        sources.extend(accounts.data.into_iter().map(|a| Source {
            kind: TransactionSource::Account,
            display_name: a.display_name.unwrap_or_default(),
            id: a.account_id,
        }));
    }
    if caller.has_scope("cards") {
        let cards = caller
            .call(|client, token| async move { client.cards(&token).await })
            .await?;
        push_trace(trace_ids, &cards.trace_ids);
        sources.extend(cards.data.into_iter().map(|c| Source {
            kind: TransactionSource::Card,
            display_name: c.display_name.unwrap_or_default(),
            id: c.account_id,
        }));
    }
    if sources.is_empty() {
        return Err(Error::Validation(
            "This connection has neither accounts nor cards to read transactions from.".into(),
        ));
    }
    Ok(sources)
}
