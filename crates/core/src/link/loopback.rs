//! The loopback listener on `127.0.0.1` (RFC 8252 §7.3) that receives the bank's redirect as
//! `GET /callback?code=…&state=…` or, for `response_mode=form_post`, as `POST /callback` with an
//! `application/x-www-form-urlencoded` body.
//!
//! It hands each well-formed callback (as a URL string; a form body becomes the query) to its
//! owner and waits briefly for the owner's [`Verdict`] to show the browser a matching page. It
//! stops only when the owner confirms the callback belonged to a pending link
//! ([`Verdict::Handled`]), on [`LoopbackListener::stop`], or when its lifetime ends: a stray
//! callback (a web page's `<img src=…/callback?code=x&state=y>`) gets an error page and the
//! listener keeps waiting. It never decides whether a `state` is valid: the link service does.
//!
//! Hostile traffic: only `Host: 127.0.0.1:<port>` or `localhost:<port>` is served (DNS
//! rebinding; anything else is 421); a body over 16 KB is refused before it is read; headers and
//! body each have a deadline, and so has the whole connection; on stop every open connection is
//! dropped with the Router and its sender, so a slow client cannot keep the listener alive.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::{mpsc, oneshot, watch};

use crate::context::listen::{serve, Deadlines};
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

/// The listener's deadlines.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// From accepting a connection to the end of the request's headers.
    pub headers: Duration,
    /// To read a form_post body once the headers are in.
    pub body: Duration,
    /// A whole connection, the wait for the verdict included.
    pub connection: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            headers: Duration::from_secs(10),
            body: Duration::from_secs(10),
            connection: REPLY_WAIT + Duration::from_secs(30),
        }
    }
}

/// What the owner says about a callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It belonged to a pending link (`Ok`: linked, `Err`: that link failed): the browser sees
    /// the message and the listener stops.
    Handled(std::result::Result<String, String>),
    /// It matched no pending link: the browser sees the message and the listener keeps waiting.
    Stray(String),
}

/// A callback received by the listener. Its URL carries the code: `Debug` shows its path only.
pub struct LoopbackCallback {
    /// The redirect as a URL (`http://127.0.0.1:<port>/callback?…`), ready for
    /// [`parse_callback`]; a form_post body is carried as its query.
    pub url: String,
    reply: Option<oneshot::Sender<Verdict>>,
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
    /// Tells the waiting browser how it ended, and the listener whether to stop.
    pub fn reply(mut self, verdict: Verdict) {
        if let Some(tx) = self.reply.take() {
            let _ = tx.send(verdict);
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
    /// The `Host` values served: `127.0.0.1:<port>`, `localhost:<port>`.
    hosts: [String; 2],
    limits: Limits,
    stop: watch::Sender<bool>,
}

/// Binds `127.0.0.1:port` (0 = any free port) and serves until a handled callback,
/// [`LoopbackListener::stop`], or `lifetime`, with the default [`Limits`].
pub async fn start(port: u16, lifetime: Duration) -> Result<LoopbackListener> {
    start_with(port, lifetime, Limits::default()).await
}

/// [`start`] with other deadlines.
pub async fn start_with(port: u16, lifetime: Duration, limits: Limits) -> Result<LoopbackListener> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .await
        .map_err(|e| {
            Error::Validation(format!(
                "cannot listen on 127.0.0.1:{port} for the loopback redirect ({e}); close what \
                 uses it or choose another port"
            ))
        })?;
    let port = listener.local_addr()?.port();
    let (stop, stopped) = watch::channel(false);
    let (app, rx) = router(port, stop.clone(), limits)?;
    tokio::spawn(serve(
        listener,
        app,
        Deadlines {
            headers: limits.headers,
            connection: limits.connection,
        },
        stopped,
        lifetime,
    ));
    Ok(LoopbackListener { port, rx, stop })
}

/// The listener's request handling for `port`, as [`start`] serves it: the Host check, the
/// routes, the form_post checks and the callback parser. Public so the same handling can be
/// driven in-process (the fuzz harness); each well-formed callback arrives on the receiver, and
/// `stop` turns true when a [`Verdict::Handled`] asks the listener to stop.
pub fn router(
    port: u16,
    stop: watch::Sender<bool>,
    limits: Limits,
) -> Result<(Router, mpsc::Receiver<LoopbackCallback>)> {
    let expected = ExpectedRedirect::new([loopback_redirect_uri(port)])?;
    let (tx, rx) = mpsc::channel(1);
    let shared = Arc::new(Shared {
        tx,
        expected,
        port,
        hosts: [format!("127.0.0.1:{port}"), format!("localhost:{port}")],
        limits,
        stop,
    });
    let app = Router::new()
        .route("/callback", get(on_get).post(on_post))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            only_own_host,
        ))
        .with_state(shared);
    Ok((app, rx))
}

/// DNS rebinding: a page on `evil.test` that resolves to 127.0.0.1 sends its own `Host`.
async fn only_own_host(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if !shared
        .hosts
        .iter()
        .any(|own| own.eq_ignore_ascii_case(host))
    {
        return page(
            StatusCode::MISDIRECTED_REQUEST,
            "Not a Linkscope redirect",
            "Linkscope answers only requests addressed to 127.0.0.1 or localhost.",
        );
    }
    next.run(request).await
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

    /// The next well-formed callback; `None` once the listener has stopped (a handled callback,
    /// cancel, lifetime) and its connections are gone.
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
    body: Body,
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
    let too_large = || {
        page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Not a Linkscope redirect",
            "Too large.",
        )
    };
    // Refused from its announced length, before a byte of it is read.
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_BODY as u64) {
        return too_large();
    }
    let body = match tokio::time::timeout(shared.limits.body, axum::body::to_bytes(body, MAX_BODY))
        .await
    {
        Ok(Ok(body)) => body,
        Ok(Err(_)) => return too_large(),
        Err(_) => {
            return page(
                StatusCode::REQUEST_TIMEOUT,
                "Not a Linkscope redirect",
                "The form did not arrive in time.",
            )
        }
    };
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
    let verdict = tokio::time::timeout(REPLY_WAIT, reply_rx).await;
    if let Ok(Ok(Verdict::Handled(_))) = &verdict {
        // The link this callback belonged to is over: stop (after this response).
        let _ = shared.stop.send(true);
    }
    match verdict {
        Ok(Ok(Verdict::Handled(Ok(message)))) => page(
            StatusCode::OK,
            "Done",
            &format!("{message} You can close this tab and return to Linkscope."),
        ),
        Ok(Ok(Verdict::Handled(Err(message)))) => page(
            StatusCode::OK,
            "Linking did not complete",
            &format!("{message} You can close this tab and return to Linkscope."),
        ),
        Ok(Ok(Verdict::Stray(message))) => page(
            StatusCode::BAD_REQUEST,
            "This redirect is not for Linkscope",
            &format!("{message} Linkscope is still waiting for its own link."),
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
        cb.reply(Verdict::Handled(Ok("Linked Mock.".into())));
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
            "it stops once its owner handled a callback"
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
        cb.reply(Verdict::Handled(Err("This link has expired.".into())));
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
    async fn an_error_redirect_is_handed_over_and_a_handled_one_ends_the_listener() {
        let mut listener = start(0, Duration::from_secs(30)).await.unwrap();
        let url = format!("{}?error=access_denied&state=s1", listener.redirect_uri());
        let browser = tokio::spawn(async move { client().get(url).send().await.unwrap() });
        let cb = listener.recv().await.unwrap();
        assert!(cb.url.contains("error=access_denied"));
        cb.reply(Verdict::Handled(Err("The user cancelled.".into())));
        let body = browser.await.unwrap().text().await.unwrap();
        assert!(body.contains("The user cancelled."), "{body}");
        assert!(listener.recv().await.is_none());
    }

    /// Sends raw bytes to the listener and returns what came back before it closed (or the
    /// deadline passed).
    async fn raw(port: u16, request: &[u8], deadline: Duration) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap();
        stream.write_all(request).await.unwrap();
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(deadline, stream.read_to_end(&mut answer)).await;
        String::from_utf8_lossy(&answer).into_owned()
    }

    #[tokio::test]
    async fn a_stray_callback_gets_an_error_page_and_the_listener_keeps_waiting() {
        let mut listener = start(0, Duration::from_secs(30)).await.unwrap();
        let stray = format!("{}?code=x&state=y", listener.redirect_uri());
        let page = tokio::spawn(async move { client().get(stray).send().await.unwrap() });
        let cb = listener.recv().await.unwrap();
        cb.reply(Verdict::Stray("No link is waiting for this state.".into()));
        let page = page.await.unwrap();
        assert_eq!(page.status(), 400);
        assert!(page.text().await.unwrap().contains("still waiting"));

        let real = format!("{}?code=abc&state=s1", listener.redirect_uri());
        let browser = tokio::spawn(async move { client().get(real).send().await.unwrap() });
        let cb = tokio::time::timeout(Duration::from_secs(5), listener.recv())
            .await
            .expect("a stray callback must not stop the listener")
            .expect("the listener still runs");
        assert!(cb.url.ends_with("code=abc&state=s1"));
        cb.reply(Verdict::Handled(Ok("Linked Mock.".into())));
        assert_eq!(browser.await.unwrap().status(), 200);
    }

    #[tokio::test]
    async fn a_request_for_another_host_is_misdirected_and_never_handed_over() {
        let mut listener = start(0, Duration::from_secs(30)).await.unwrap();
        let port = listener.port();
        for host in ["evil.test", &format!("evil.test:{port}"), "127.0.0.1:1", ""] {
            let answer = raw(
                port,
                format!("GET /callback?code=a&state=b HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
                Duration::from_secs(5),
            )
            .await;
            assert!(
                answer.starts_with("HTTP/1.1 421"),
                "Host {host:?}: {answer}"
            );
        }
        let own = tokio::spawn(async move {
            raw(
                port,
                format!("GET /callback?code=a&state=b HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n")
                    .as_bytes(),
                Duration::from_secs(5),
            )
            .await
        });
        let cb = listener.recv().await.unwrap();
        assert!(
            cb.url.contains("code=a"),
            "only the own host's callback arrives"
        );
        cb.reply(Verdict::Handled(Ok("Linked.".into())));
        assert!(own.await.unwrap().starts_with("HTTP/1.1 200"));
    }

    #[tokio::test]
    async fn a_body_over_16_kb_is_refused_before_it_is_read() {
        let listener = start(0, Duration::from_secs(30)).await.unwrap();
        let port = listener.port();
        // The headers announce 20,000 bytes and none follow: the answer must not wait for them.
        let answer = raw(
            port,
            format!(
                "POST /callback HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: \
                 application/x-www-form-urlencoded\r\nContent-Length: 20000\r\n\r\n"
            )
            .as_bytes(),
            Duration::from_secs(3),
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer:?}");
    }

    #[tokio::test]
    async fn a_form_body_that_does_not_arrive_in_time_is_refused() {
        let limits = Limits {
            body: Duration::from_millis(300),
            ..Limits::default()
        };
        let listener = start_with(0, Duration::from_secs(30), limits)
            .await
            .unwrap();
        let port = listener.port();
        let answer = raw(
            port,
            format!(
                "POST /callback HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: \
                 application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ncode=a"
            )
            .as_bytes(),
            Duration::from_secs(5),
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    }

    #[tokio::test]
    async fn a_slow_client_is_cut_off_and_cannot_keep_a_stopped_listener_alive() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let limits = Limits {
            headers: Duration::from_millis(300),
            ..Limits::default()
        };
        let listener = start_with(0, Duration::from_secs(60), limits)
            .await
            .unwrap();
        let port = listener.port();

        // Slowloris: the headers arrive a byte at a time and never end.
        let mut slow = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap();
        let dripping = async {
            for byte in b"GET /callback?code=a&state=b HTTP/1.1\r\nHost: 127.0.0.1" {
                if slow.write_all(&[*byte]).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(5), dripping).await;
        let mut rest = Vec::new();
        let closed =
            tokio::time::timeout(Duration::from_secs(2), slow.read_to_end(&mut rest)).await;
        assert!(
            closed.is_ok(),
            "the header deadline closes a slow client's connection"
        );

        // A client that connects and says nothing (well within the default 10 s header
        // deadline), then the listener is stopped: the connection is dropped with the Router and
        // its sender, so the owner learns within the stop grace.
        let mut listener = start(0, Duration::from_secs(60)).await.unwrap();
        let _silent = tokio::net::TcpStream::connect(("127.0.0.1", listener.port()))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        listener.stop();
        let ended = tokio::time::timeout(Duration::from_secs(5), listener.recv()).await;
        assert!(
            matches!(ended, Ok(None)),
            "a stopped listener's receiver ends even while a client holds a connection"
        );
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
