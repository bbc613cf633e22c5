//! The request recorder: every exchange the TrueLayer clients report (already redacted by the
//! client's hook) becomes a request-log row, tagged with the connection it was made for
//! ([`CURRENT_CONNECTION`]), written by one background task so a call never waits on SQLite.

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

/// Starts the task that appends recorded exchanges to the request log.
pub(super) fn spawn(store: Arc<Store>) -> mpsc::UnboundedSender<RecorderMsg> {
    let (recorder, mut rx) = mpsc::unbounded_channel::<RecorderMsg>();
    tokio::spawn(async move {
        while let Some(msg) = rx.recv().await {
            match msg {
                RecorderMsg::Record(record) => {
                    if let Err(e) = store.append_request(&record) {
                        tracing::warn!(error = %e, "could not record an exchange");
                    }
                }
                RecorderMsg::Flush(done) => {
                    let _ = done.send(());
                }
            }
        }
    });
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
