//! The merged transaction stream: every account and card of a connection (or just one of them)
//! over a date range, fetched in windows of at most three months, [`WINDOW_CONCURRENCY`] windows
//! in flight across all sources, and handed to the caller one window at a time, in order (source
//! by source as listed, each source's windows oldest first, each window in the provider's order).
//! Memory stays flat whatever the range: only the windows in flight are held, and each batch is
//! dropped once the callback returns. Boundary-day repeats are dropped with the client's own rule
//! ([`tl::BoundaryDedup`]). The CLI's `transactions --all` and the desktop's "All accounts and
//! cards" view read it. Must not: keep rows (that is [`super::FetchedSet`]'s job) or hold a token.

use std::ops::ControlFlow;

use futures::stream::{self, StreamExt};
use linkscope_truelayer as tl;

use super::set::row_of;
use super::{count, parse_day, TransactionService, WINDOW_CONCURRENCY};
use crate::connections::Caller;
use crate::context::push_trace;
use crate::dto::{
    TransactionBatch, TransactionSource, TransactionStreamInput, TransactionStreamSummary,
};
use crate::error::{Error, Result};

/// One account or card to read.
struct Source {
    kind: TransactionSource,
    id: String,
    display_name: String,
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
        let from = parse_day("from", &input.from)?;
        let to = parse_day("to", &input.to)?;
        let range = tl::DateRange::new(from, to).map_err(|_| {
            Error::Validation(format!(
                "The start date ({from}) is after the end date ({to})."
            ))
        })?;
        let caller = self
            .inner
            .connections
            .caller(input.connection_id.trim())
            .await?;
        let mut trace_ids = Vec::new();
        let sources = match input.only {
            Some(only) if !only.account_id.trim().is_empty() => vec![Source {
                kind: only.source,
                id: only.account_id.trim().to_owned(),
                display_name: String::new(),
            }],
            Some(_) => return Err(Error::Validation("Choose an account or a card.".into())),
            None => list_sources(&caller, &mut trace_ids).await?,
        };
        let windows: Vec<(usize, tl::DateRange)> = sources
            .iter()
            .enumerate()
            .flat_map(|(index, source)| {
                let request = tl::WindowedRequest::new(wire_source(source), range);
                request.windows().into_iter().map(move |w| (index, w))
            })
            .collect();
        let total = count(windows.len());

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

        let mut summary = TransactionStreamSummary {
            sources: count(sources.len()),
            windows: total,
            rows: 0,
            duplicates_removed: 0,
            trace_ids: Vec::new(),
        };
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
            let source = &sources[index];
            let batch = TransactionBatch {
                source: source.kind,
                account_id: source.id.clone(),
                display_name: source.display_name.clone(),
                from: window.from().to_string(),
                to: window.to().to_string(),
                windows_done: done,
                windows_total: total,
                rows: items.iter().map(|t| row_of(t, false)).collect(),
            };
            if on_batch(batch).is_break() {
                return Err(Error::Cancelled);
            }
        }
        summary.trace_ids = trace_ids;
        Ok(summary)
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
