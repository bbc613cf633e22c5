//! The one-shot loopback listener on `127.0.0.1` (RFC 8252 §7.3) that receives the bank's redirect
//! as `GET /callback?code=…&state=…` or, for `response_mode=form_post`, as
//! `POST /callback` with an `application/x-www-form-urlencoded` body.
//!
//! It hands each well-formed callback (as a URL string; a form body becomes the query) to its
//! owner, waits briefly for the owner's verdict to show the browser a matching page, and stops
//! after the first well-formed callback, on [`LoopbackListener::stop`], or when its lifetime ends.
//! Malformed callbacks get an error page and the listener keeps waiting; any other path is a 404.
//! It never decides whether a `state` is valid: the link service does.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::{mpsc, oneshot, watch};

pub use crate::context::loopback_redirect_uri;
use crate::error::{Error, Result};
use crate::link::callback::{parse_callback, ExpectedRedirect};

/// The default port (configurable): the registered loopback redirect is
/// `http://127.0.0.1:3947/callback`.
pub const DEFAULT_LOOPBACK_PORT: u16 = 3947;
/// How long the browser waits for Linkscope's verdict before it gets a neutral page.
pub const REPLY_WAIT: Duration = Duration::from_secs(60);
/// The largest form_post body accepted.
const MAX_BODY: usize = 16 * 1024;

/// A callback received by the listener. Its URL carries the code: `Debug` shows its path only.
pub struct LoopbackCallback {
    /// The redirect as a URL (`http://127.0.0.1:<port>/callback?…`), ready for
    /// [`parse_callback`]; a form_post body is carried as its query.
    pub url: String,
    reply: Option<oneshot::Sender<std::result::Result<String, String>>>,
}

impl std::fmt::Debug for LoopbackCallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = self.url.split(['?', '#']).next().unwrap_or_default();
        f.debug_struct("LoopbackCallback")
            .field("url", &format_args!("{path}?[REDACTED]"))
            .field("awaiting_reply", &self.reply.is_some())
            .finish()
    }
}

impl LoopbackCallback {
    /// Tells the waiting browser how it ended: `Ok(message)` or `Err(message)`.
    pub fn reply(mut self, outcome: std::result::Result<String, String>) {
        if let Some(tx) = self.reply.take() {
            let _ = tx.send(outcome);
        }
    }
}

/// A running listener. Dropping it stops it.
#[derive(Debug)]
pub struct LoopbackListener {
    port: u16,
    rx: mpsc::Receiver<LoopbackCallback>,
    stop: watch::Sender<bool>,
}

struct Shared {
    tx: mpsc::Sender<LoopbackCallback>,
    expected: ExpectedRedirect,
    port: u16,
    stop: watch::Sender<bool>,
}

/// Binds `127.0.0.1:port` (0 = any free port) and serves until the first well-formed callback,
/// [`LoopbackListener::stop`], or `lifetime`.
pub async fn start(port: u16, lifetime: Duration) -> Result<LoopbackListener> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .await
        .map_err(|e| {
            Error::Validation(format!(
                "cannot listen on 127.0.0.1:{port} for the loopback redirect ({e}); close what \
                 uses it or choose another port"
            ))
        })?;
    let port = listener.local_addr()?.port();
    let (stop, mut stopped) = watch::channel(false);
    let (app, rx) = router(port, stop.clone())?;
    tokio::spawn(async move {
        let shutdown = async move {
            let _ = tokio::time::timeout(lifetime, stopped.wait_for(|s| *s)).await;
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::warn!(error = %e, "loopback listener failed");
        }
        tracing::debug!(port, "loopback listener stopped");
    });
    Ok(LoopbackListener { port, rx, stop })
}

/// The listener's request handling for `port`, as [`start`] serves it: the routes, the form_post
/// checks and the callback parser. Public so the same handling can be driven in-process (the
/// fuzz harness); each well-formed callback arrives on the receiver, and `stop` turns true when
/// the handling asks the listener to stop.
pub fn router(
    port: u16,
    stop: watch::Sender<bool>,
) -> Result<(Router, mpsc::Receiver<LoopbackCallback>)> {
    let expected = ExpectedRedirect::new([loopback_redirect_uri(port)])?;
    let (tx, rx) = mpsc::channel(1);
    let shared = Arc::new(Shared {
        tx,
        expected,
        port,
        stop,
    });
    let app = Router::new()
        .route("/callback", get(on_get).post(on_post))
        .fallback(not_found)
        .with_state(shared);
    Ok((app, rx))
}

/// Stops a listener from elsewhere (the listener itself may have moved into a task).
#[derive(Debug, Clone)]
pub struct LoopbackStopper(watch::Sender<bool>);

impl LoopbackStopper {
    /// Stops the listener.
    pub fn stop(&self) {
        let _ = self.0.send(true);
    }
}

impl LoopbackListener {
    /// A handle that stops this listener.
    pub fn stopper(&self) -> LoopbackStopper {
        LoopbackStopper(self.stop.clone())
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Its redirect URI, `http://127.0.0.1:<port>/callback`.
    pub fn redirect_uri(&self) -> String {
        loopback_redirect_uri(self.port)
    }

    /// The next well-formed callback; `None` once the listener has stopped (cancel, lifetime).
    pub async fn recv(&mut self) -> Option<LoopbackCallback> {
        self.rx.recv().await
    }

    /// Stops listening (a waiting [`Self::recv`] then returns `None`).
    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }
}

impl Drop for LoopbackListener {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn on_get(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    handle(shared, query.unwrap_or_default()).await
}

async fn on_post(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        return page(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Not a Linkscope redirect",
            "The bank's form_post must be application/x-www-form-urlencoded.",
        );
    }
    if body.len() > MAX_BODY {
        return page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Not a Linkscope redirect",
            "Too large.",
        );
    }
    let Ok(body) = std::str::from_utf8(&body) else {
        return page(
            StatusCode::BAD_REQUEST,
            "Not a Linkscope redirect",
            "The form is not UTF-8.",
        );
    };
    let query = match query.filter(|q| !q.is_empty()) {
        Some(q) if !body.is_empty() => format!("{q}&{body}"),
        Some(q) => q,
        None => body.to_owned(),
    };
    handle(shared, query).await
}

async fn handle(shared: Arc<Shared>, query: String) -> Response {
    let url = format!("{}?{query}", loopback_redirect_uri(shared.port));
    let outcome = match parse_callback(&url, &shared.expected) {
        Ok(o) => o,
        Err(e) => {
            return page(
                StatusCode::BAD_REQUEST,
                "This is not a valid redirect",
                &format!("{e} Return to Linkscope and start a new link."),
            );
        }
    };
    // One-shot: the first well-formed callback ends the listener (after this response).
    let _ = shared.stop.send(true);
    let (reply_tx, reply_rx) = oneshot::channel();
    let refused = matches!(outcome, crate::link::callback::CallbackOutcome::Refused(_));
    if shared
        .tx
        .send(LoopbackCallback {
            url,
            reply: Some(reply_tx),
        })
        .await
        .is_err()
    {
        return page(
            StatusCode::GONE,
            "Linkscope stopped waiting",
            "Linkscope is no longer waiting for this link. Return to it and start a new link.",
        );
    }
    match tokio::time::timeout(REPLY_WAIT, reply_rx).await {
        Ok(Ok(Ok(message))) => page(
            StatusCode::OK,
            "Done",
            &format!("{message} You can close this tab and return to Linkscope."),
        ),
        Ok(Ok(Err(message))) => page(
            StatusCode::OK,
            "Linking did not complete",
            &format!("{message} You can close this tab and return to Linkscope."),
        ),
        _ if refused => page(
            StatusCode::OK,
            "Linking did not complete",
            "The bank or the user refused. You can close this tab and return to Linkscope.",
        ),
        _ => page(
            StatusCode::OK,
            "Received",
            "You can close this tab and return to Linkscope.",
        ),
    }
}

async fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Not found",
        "Linkscope only listens for /callback here.",
    )
}

fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Linkscope: \
         {title}</title><style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem \
         auto;padding:0 1rem;color:#1d2330}}h1{{font-size:1.4rem}}</style></head><body>\
         <h1>{title}</h1><p>{message}</p></body></html>",
        title = escape_html(title),
        message = escape_html(message),
    );
    let headers = [
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'",
        ),
    ];
    (status, headers, Html(html)).into_response()
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::callback::CallbackOutcome;

    fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    #[test]
    fn the_debug_output_of_a_callback_hides_its_code_and_state() {
        let cb = LoopbackCallback {
            url: "http://127.0.0.1:3947/callback?code=code-secret-1&state=state-secret-1".into(),
            reply: None,
        };
        let printed = format!("{cb:?}");
        assert!(!printed.contains("secret-1"), "leaked in {printed}");
        assert!(printed.contains("/callback"), "{printed}");
    }

    #[tokio::test]
    async fn a_get_callback_is_handed_over_and_the_browser_sees_the_verdict() {
        let mut listener = start(0, Duration::from_secs(30)).await.unwrap();
        let url = format!("{}?code=abc&state=s1", listener.redirect_uri());
        let browser = tokio::spawn(async move { client().get(url).send().await.unwrap() });
        let cb = listener.recv().await.unwrap();
        let expected = ExpectedRedirect::new([listener.redirect_uri()]).unwrap();
        let CallbackOutcome::Authorized(a) = parse_callback(&cb.url, &expected).unwrap() else {
            panic!("expected an authorized callback");
        };
        assert_eq!((a.code.secret(), a.state.as_str()), ("abc", "s1"));
        cb.reply(Ok("Linked Mock.".into()));
        let response = browser.await.unwrap();
        assert_eq!(response.status(), 200);
        let body = response.text().await.unwrap();
        assert!(body.contains("Linked Mock."), "{body}");
        assert!(
            body.contains("You can close this tab and return to Linkscope"),
            "{body}"
        );
        assert!(
            listener.recv().await.is_none(),
            "one-shot: it stops after a valid callback"
        );
    }

    #[tokio::test]
    async fn a_form_post_callback_becomes_the_same_query() {
        let mut listener = start(0, Duration::from_secs(30)).await.unwrap();
        let url = listener.redirect_uri();
        let browser = tokio::spawn(async move {
            client()
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("code=abc&state=s%2B1")
                .send()
                .await
                .unwrap()
        });
        let cb = listener.recv().await.unwrap();
        assert!(
            cb.url.ends_with("/callback?code=abc&state=s%2B1"),
            "{}",
            cb.url
        );
        cb.reply(Err("This link has expired.".into()));
        let body = browser.await.unwrap().text().await.unwrap();
        assert!(body.contains("did not complete") && body.contains("This link has expired."));
    }

    #[tokio::test]
    async fn a_malformed_callback_gets_an_error_page_and_the_listener_keeps_waiting() {
        let mut listener = start(0, Duration::from_secs(30)).await.unwrap();
        let base = listener.redirect_uri();
        let bad = client()
            .get(format!("{base}?state=s1"))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 400);
        let dup = client()
            .get(format!("{base}?code=a&code=b&state=s1"))
            .send()
            .await
            .unwrap();
        assert_eq!(dup.status(), 400);

        let good = format!("{base}?code=abc&state=s1");
        let browser = tokio::spawn(async move { client().get(good).send().await.unwrap() });
        let cb = listener.recv().await.unwrap();
        drop(cb); // no verdict: the browser gets the neutral page
        assert_eq!(browser.await.unwrap().status(), 200);
    }

    #[test]
    fn page_text_is_escaped() {
        assert_eq!(
            escape_html("<b a=\"x\">&'"),
            "&lt;b a=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[tokio::test]
    async fn other_paths_are_not_found_and_wrong_content_types_are_refused() {
        let listener = start(0, Duration::from_secs(30)).await.unwrap();
        let root = format!("http://127.0.0.1:{}/", listener.port());
        assert_eq!(client().get(&root).send().await.unwrap().status(), 404);
        assert_eq!(
            client()
                .get(format!("{root}callback/x?code=a&state=b"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        let json = client()
            .post(listener.redirect_uri())
            .header("content-type", "application/json")
            .body("{\"code\":\"a\",\"state\":\"b\"}")
            .send()
            .await
            .unwrap();
        assert_eq!(json.status(), 415);
    }

    #[tokio::test]
    async fn an_error_redirect_is_handed_over_and_ends_the_listener() {
        let mut listener = start(0, Duration::from_secs(30)).await.unwrap();
        let url = format!("{}?error=access_denied&state=s1", listener.redirect_uri());
        let browser = tokio::spawn(async move { client().get(url).send().await.unwrap() });
        let cb = listener.recv().await.unwrap();
        assert!(cb.url.contains("error=access_denied"));
        drop(cb);
        let body = browser.await.unwrap().text().await.unwrap();
        assert!(body.contains("refused"), "{body}");
        assert!(listener.recv().await.is_none());
    }

    #[tokio::test]
    async fn stopping_or_timing_out_ends_the_listener_and_frees_the_port() {
        let mut listener = start(0, Duration::from_secs(30)).await.unwrap();
        let port = listener.port();
        listener.stop();
        assert!(listener.recv().await.is_none());
        drop(listener);
        // The port can be bound again once the listener is gone.
        let again = start(port, Duration::from_millis(50)).await.unwrap();
        let mut again = again;
        assert!(again.recv().await.is_none(), "the lifetime ends it");
    }

    #[tokio::test]
    async fn a_busy_port_is_a_clear_error() {
        let first = start(0, Duration::from_secs(30)).await.unwrap();
        let err = start(first.port(), Duration::from_secs(1))
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("cannot listen on 127.0.0.1"),
            "{err}"
        );
    }
}
