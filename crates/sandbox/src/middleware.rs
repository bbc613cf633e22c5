//! The layer every sandbox request passes through: the access rules of `guard` (Host on every
//! route; token and JSON bodies on the controls), the request journal, injected latency and
//! faults, TrueLayer's response headers (`X-TL-Correlation-Id`, security headers) and the body
//! size limit. Control paths (`/__sandbox/…`) skip latency, faults and the journal; refused
//! requests reach no handler and are not journaled.

use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::errors::TlError;
use crate::guard;
use crate::journal::{self, Entry};
use crate::state::{lock, SandboxState};

/// The largest request body accepted (1 MiB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Which of the servers a request reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// The auth server (`auth.truelayer.com`).
    Auth,
    /// The API server (`api.truelayer.com`).
    Api,
    /// The client-tracking server (`client-tracking.truelayer.com`).
    Tracking,
}

impl Server {
    fn name(self) -> &'static str {
        match self {
            Server::Auth => "auth",
            Server::Api => "api",
            Server::Tracking => "tracking",
        }
    }
}

/// The layer's state: the sandbox and which server this is.
pub type LayerState = (SandboxState, Server);

/// See the module docs.
pub async fn sandbox_layer(
    State((state, server)): State<LayerState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let hosts = match server {
        Server::Auth => &state.auth_hosts,
        Server::Api => &state.api_hosts,
        Server::Tracking => &state.tracking_hosts,
    };
    let mut allowed = hosts.check(request.headers(), request.uri());
    let control = path.starts_with("/__sandbox");
    if control {
        allowed = allowed.and_then(|()| {
            guard::check_control(
                &state.control_token_hash,
                request.method(),
                request.headers(),
            )
        });
    }
    if let Err(refusal) = allowed {
        let mut response = refusal.into_response();
        add_security_headers(&mut response, server);
        return response;
    }
    if control {
        let mut response = next.run(request).await;
        add_security_headers(&mut response, server);
        return response;
    }
    let started = Instant::now();
    let time = state.now();
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return TlError::invalid_request(format!(
                "the request body is larger than {MAX_BODY_BYTES} bytes"
            ))
            .into_response()
        }
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut entry = Entry {
        id: 0,
        time: time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        server: server.name(),
        method: parts.method.to_string(),
        path: path.clone(),
        query: parts.uri.query().map(journal::redact_query),
        headers: journal::redact_headers(&parts.headers),
        body: journal::redact_body(&bytes, content_type.as_deref()),
        status: 0,
        duration_ms: 0,
        correlation_id: None,
        fault: false,
        attempt: None,
    };

    let (latency, fault) = {
        let mut faults = lock(&state.faults);
        (faults.latency_ms(), faults.take(&path))
    };
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let mut response = match fault {
        Some(fault) => {
            entry.fault = true;
            fault.response(&path)
        }
        None => {
            let request = Request::from_parts(parts, Body::from(Bytes::clone(&bytes)));
            next.run(request).await
        }
    };

    if server == Server::Api {
        let correlation_id = uuid::Uuid::new_v4().to_string();
        if let Ok(value) = HeaderValue::from_str(&correlation_id) {
            response.headers_mut().insert("x-tl-correlation-id", value);
        }
        entry.correlation_id = Some(correlation_id);
        let headers = response.headers_mut();
        if headers.get(header::CONTENT_TYPE) == Some(&HeaderValue::from_static("application/json"))
        {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
        }
    }
    add_security_headers(&mut response, server);
    entry.status = response.status().as_u16();
    entry.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    lock(&state.requests).push(entry);
    response
}

fn add_security_headers(response: &mut Response, server: Server) {
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; frame-ancestors 'none'",
        ));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("deny"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if server == Server::Api || !headers.contains_key(header::CACHE_CONTROL) {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
}
