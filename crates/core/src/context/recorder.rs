//! The request recorder: every exchange the TrueLayer clients report (already redacted by the
//! client's hook) becomes a request-log row, tagged with the connection it was made for
//! ([`CURRENT_CONNECTION`]), written by a thread of its own, in batches, so a call never waits on
//! SQLite.

use std::sync::Arc;

use linkscope_truelayer as tl;
use tokio::sync::{mpsc, oneshot};

use crate::storage::store::{RequestRecord, Store};

tokio::task_local! {
    /// The connection a TrueLayer call is made for, so the recording hook can tag the exchange.
    pub(crate) static CURRENT_CONNECTION: String;
}

pub(super) enum RecorderMsg {
    Record(Box<RequestRecord>),
    Flush(oneshot::Sender<()>),
}

/// The most exchanges written in one transaction.
const MAX_BATCH: usize = 64;

/// Starts the thread that appends recorded exchanges to the request log: what has queued up
/// since its last write goes in one transaction. A thread of its own, not a runtime task: a
/// write syncs to disk (`synchronous = FULL`), and a transactions page took 10 to 22 ms alone,
/// which held one of the runtime's workers (of two, on a 2-core machine) while the windows of a
/// fetch were waiting to be read.
pub(super) fn spawn(store: Arc<Store>) -> mpsc::UnboundedSender<RecorderMsg> {
    let (recorder, mut rx) = mpsc::unbounded_channel::<RecorderMsg>();
    let started = std::thread::Builder::new()
        .name("request-log".into())
        .spawn(move || {
            while let Some(first) = rx.blocking_recv() {
                let (mut batch, mut flushed) = (Vec::new(), Vec::new());
                let mut next = Some(first);
                while let Some(msg) = next {
                    match msg {
                        RecorderMsg::Record(record) => batch.push(*record),
                        RecorderMsg::Flush(done) => flushed.push(done),
                    }
                    next = if batch.len() < MAX_BATCH {
                        rx.try_recv().ok()
                    } else {
                        None
                    };
                }
                if let Err(e) = store.append_requests(&batch) {
                    tracing::warn!(error = %e, exchanges = batch.len(), "could not record exchanges");
                }
                // Everything sent before each flush is written now.
                for done in flushed {
                    let _ = done.send(());
                }
            }
        });
    if let Err(e) = started {
        tracing::error!(error = %e, "the request log could not start: exchanges are not recorded");
    }
    recorder
}

pub(super) fn record_of(exchange: &tl::Exchange, environment_id: &str) -> RequestRecord {
    let endpoint = url::Url::parse(&exchange.url)
        .map(|u| u.path().to_owned())
        .unwrap_or_default();
    let headers = |h: &[(String, String)]| serde_json::to_string(h).unwrap_or_else(|_| "[]".into());
    RequestRecord {
        at: exchange
            .started_at
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        connection_id: CURRENT_CONNECTION.try_with(Clone::clone).ok(),
        environment_id: Some(environment_id.to_owned()),
        method: exchange.method.clone(),
        url: exchange.url.clone(),
        endpoint,
        status: exchange.status,
        duration_ms: u64::try_from(exchange.duration.as_millis()).unwrap_or(u64::MAX),
        trace_id: exchange.trace_ids.primary().map(str::to_owned),
        correlation_id: exchange.trace_ids.correlation_id.clone(),
        request_headers: headers(&exchange.request_headers),
        request_body: exchange.request_body.clone(),
        response_headers: headers(&exchange.response_headers),
        response_body: exchange.response_body.clone(),
        error: exchange.error.clone(),
    }
}
