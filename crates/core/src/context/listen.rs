//! Serving a loopback listener (the redirect's, the webhooks'): hyper with a deadline for the
//! request's headers and one for the whole connection, a bound on open connections, and a stop
//! that gives open connections a short grace and then drops them, so a slow or hostile client
//! cannot keep a listener alive. What a listener answers is its own module's business.

use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// The most connections open at once (a browser or a webhook sender needs one or two).
const MAX_CONNECTIONS: usize = 32;
/// How long the connections still open at stop may finish their answer (the browser that
/// brought the callback is waiting for its page) before they are dropped.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// A listener's connection deadlines.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadlines {
    /// From accepting a connection to the end of the request's headers.
    pub headers: Duration,
    /// A whole connection.
    pub connection: Duration,
}

/// Accepts connections until stopped or out of time, each served by hyper with the header
/// deadline and bounded by the connection deadline. On the way out the open connections get
/// [`STOP_GRACE`] to finish, then are dropped, and with them every clone of the Router.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: Deadlines,
    mut stopped: watch::Receiver<bool>,
    lifetime: Duration,
) {
    let mut connections = JoinSet::new();
    let end = tokio::time::sleep(lifetime);
    tokio::pin!(end);
    loop {
        tokio::select! {
            _ = &mut end => break,
            _ = stopped.wait_for(|s| *s) => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                if connections.len() >= MAX_CONNECTIONS {
                    continue;
                }
                let service = TowerToHyperService::new(app.clone());
                connections.spawn(async move {
                    let connection = hyper::server::conn::http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(limits.headers)
                        .keep_alive(false)
                        .serve_connection(TokioIo::new(stream), service);
                    let _ = tokio::time::timeout(limits.connection, connection).await;
                });
            }
        }
    }
    drop(listener);
    drop(app);
    let _ = tokio::time::timeout(STOP_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    connections.shutdown().await;
    tracing::debug!("listener stopped");
}
