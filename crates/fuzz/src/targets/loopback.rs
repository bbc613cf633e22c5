//! Target `loopback`: raw HTTP requests to the loopback listener. Each is parsed with
//! `httparse` (the request-line and header parser hyper uses), then driven in-process through
//! the listener's own Router (`linkscope_core::link::loopback::router`: routing, the form_post checks,
//! the callback parser). Checks: only `/callback` ever hands a callback on, a 200 comes exactly
//! when one is handed on, and what is handed on is a redirect on the registered loopback URI
//! that the callback parser accepts with exactly one code and one state.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::Router;
use linkscope_core::link::callback::{parse_callback, ExpectedRedirect};
use linkscope_core::link::loopback::{self, Verdict};
use tokio::runtime::Runtime;
use tokio::sync::watch;
use tower::ServiceExt;

use super::{check_outcome, gen_callback_query, Outcome, Target};
use crate::corpus;
use crate::mutate::Mutator;

/// The listener's Router on a current-thread runtime, with a task that answers every callback
/// at once and keeps what it was handed.
#[derive(Debug)]
pub struct Loopback {
    runtime: Runtime,
    router: Router,
    handed: Arc<Mutex<Vec<String>>>,
    expected: ExpectedRedirect,
    _stop: watch::Receiver<bool>,
}

impl Loopback {
    /// A listener's handling for the default port, without a socket.
    pub fn new() -> Self {
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime,
            Err(e) => unreachable!("a current-thread runtime builds: {e}"),
        };
        let (stop, stop_rx) = watch::channel(false);
        let (router, mut callbacks) =
            match loopback::router(corpus::LOOPBACK_PORT, stop, loopback::Limits::default()) {
                Ok(parts) => parts,
                Err(e) => unreachable!("the loopback URI parses: {e}"),
            };
        let handed = Arc::new(Mutex::new(Vec::new()));
        let sink = handed.clone();
        runtime.spawn(async move {
            while let Some(callback) = callbacks.recv().await {
                if let Ok(mut urls) = sink.lock() {
                    urls.push(callback.url.clone());
                }
                callback.reply(Verdict::Handled(Ok("Linked.".into())));
            }
        });
        let expected = match ExpectedRedirect::new([corpus::loopback_uri()]) {
            Ok(expected) => expected,
            Err(e) => unreachable!("the loopback URI parses: {e}"),
        };
        Self {
            runtime,
            router,
            handed,
            expected,
            _stop: stop_rx,
        }
    }
}

impl Default for Loopback {
    fn default() -> Self {
        Self::new()
    }
}

/// A request as a browser (or a hostile page) might send it.
fn generate(m: &mut Mutator) -> Vec<u8> {
    let method = m.pick(&[
        "GET", "GET", "POST", "POST", "PUT", "HEAD", "get", "OPTIONS",
    ]);
    let query = gen_callback_query(m);
    let target = match m.below(10) {
        0 => "/callback".to_owned(),
        1 => "/".to_owned(),
        2 => "/favicon.ico".to_owned(),
        3 => format!("/callback/?{query}"),
        4 => format!("//callback?{query}"),
        5 => format!("http://127.0.0.1:3947/callback?{query}"),
        6 => format!("/%63allback?{query}"),
        7 => "*".to_owned(),
        _ => format!("/callback?{query}"),
    };
    let version = m.pick(&["HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9"]);
    let mut head = format!("{method} {target} {version}\r\n");
    let host = m.pick(&["127.0.0.1:3947", "localhost:3947", "evil.test", ""]);
    head.push_str(&format!("Host: {host}\r\n"));
    let content_type = m.pick(&[
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=UTF-8",
        "APPLICATION/X-WWW-FORM-URLENCODED",
        "application/json",
        "text/plain",
        "",
    ]);
    if !content_type.is_empty() {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    let body: Vec<u8> = match m.below(6) {
        0 => Vec::new(),
        1 => vec![b'a'; 16 * 1024 + m.below(3)],
        2 => vec![0xff, 0xfe, b'=', 0x80],
        _ => gen_callback_query(m).into_bytes(),
    };
    match m.below(6) {
        0 => {}
        1 => head.push_str(&format!("Content-Length: {}\r\n", body.len() + 3)),
        2 => head.push_str("Content-Length: abc\r\n"),
        _ => head.push_str(&format!("Content-Length: {}\r\n", body.len())),
    }
    head.push_str("\r\n");
    let mut request = head.into_bytes();
    request.extend_from_slice(&body);
    request
}

/// A parsed request, or `None` where hyper would answer 400 itself (or wait for more bytes).
fn to_http_request(input: &[u8]) -> Option<(http::Request<Body>, String)> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut parsed = httparse::Request::new(&mut headers);
    let httparse::Status::Complete(head_len) = parsed.parse(input).ok()? else {
        return None;
    };
    let mut builder = http::Request::builder()
        .method(parsed.method?)
        .uri(parsed.path?);
    let mut content_length = None;
    for header in parsed.headers.iter() {
        if header.name.eq_ignore_ascii_case("transfer-encoding") {
            // Chunked bodies are not modelled here; hyper decodes them before the Router.
            return None;
        }
        if header.name.eq_ignore_ascii_case("content-length") {
            let value = std::str::from_utf8(header.value)
                .ok()?
                .trim()
                .parse::<usize>()
                .ok()?;
            content_length = Some(value);
        }
        builder = builder.header(header.name, header.value);
    }
    let rest = input.get(head_len..).unwrap_or_default();
    let body = match content_length {
        None => Vec::new(),
        Some(n) if n <= rest.len() => rest[..n].to_vec(),
        // Fewer bytes than announced: hyper waits, then the connection ends.
        Some(_) => return None,
    };
    let request = builder.body(Body::from(body)).ok()?;
    let path = request.uri().path().to_owned();
    Some((request, path))
}

impl Target for Loopback {
    fn name(&self) -> &'static str {
        "loopback"
    }

    fn next_input(&mut self, m: &mut Mutator) -> Vec<u8> {
        match m.below(3) {
            0 => generate(m),
            1 => {
                let generated = generate(m);
                m.mutate_bytes(&generated, corpus::LOOPBACK_REQUESTS)
            }
            _ => {
                let seed = corpus::LOOPBACK_REQUESTS[m.below(corpus::LOOPBACK_REQUESTS.len())];
                m.mutate_bytes(seed.as_bytes(), corpus::LOOPBACK_REQUESTS)
            }
        }
    }

    fn check(&mut self, input: &[u8]) -> Outcome {
        let Some((request, path)) = to_http_request(input) else {
            return Outcome::Rejected;
        };
        if let Ok(mut urls) = self.handed.lock() {
            urls.clear();
        }
        let router = self.router.clone();
        let status = match self.runtime.block_on(router.oneshot(request)) {
            Ok(response) => response.status(),
            Err(e) => match e {},
        };
        let handed: Vec<String> = match self.handed.lock() {
            Ok(urls) => urls.clone(),
            Err(_) => return Outcome::Violation("the callback sink was poisoned".into()),
        };
        match handed.as_slice() {
            [] if status.is_success() => {
                Outcome::Violation(format!("answered {status} without handing a callback on"))
            }
            [] => Outcome::Rejected,
            [url] => {
                if path != "/callback" {
                    return Outcome::Violation(format!("handed on a request for {path:?}"));
                }
                if !status.is_success() {
                    return Outcome::Violation(format!("handed on, but answered {status}"));
                }
                let prefix = format!("{}?", corpus::loopback_uri());
                if !url.starts_with(&prefix) {
                    return Outcome::Violation(format!(
                        "handed on {url:?}, not a loopback redirect"
                    ));
                }
                match parse_callback(url, &self.expected) {
                    Err(e) => Outcome::Violation(format!("handed on what the parser refuses: {e}")),
                    Ok(outcome) => match check_outcome(url, &outcome) {
                        Ok(()) => Outcome::Accepted,
                        Err(why) => Outcome::Violation(why),
                    },
                }
            }
            more => Outcome::Violation(format!("one request handed on {} callbacks", more.len())),
        }
    }
}
