//! Async mode's shared state ([`AsyncRuns`]): which connections' data calls go async, each
//! task's timeline (Queued → Running → Succeeded/Failed with times, webhook arrivals, the results
//! fetch), and the loopback webhook listener those calls name as `webhook_uri`.
//!
//! The listener binds `127.0.0.1` on a free port the first time a connection goes async and
//! serves one path, `/webhooks/<random>`, for `POST` of a JSON body up to [`MAX_BODY`] bytes read
//! within [`BODY_DEADLINE`]. Anything else gets a plain refusal and changes nothing: another
//! `Host` (DNS rebinding) 421, another path 404, another method 405, a web page (an `Origin` or
//! `Sec-Fetch-*` header) 403, another content type 415, a bigger or slower body 413/408, a
//! body that is not a notification 400, a task or verification this app did not start 404. A
//! delivery for a known task (or account holder verification v3, when the listener is the
//! environment's Console webhook URI) is verified (`tl::Client::verify_webhook`: `Tl-Signature` against the JWKS at
//! its `jku`, on the environment's own hosts only), added to the task's timeline, recorded in
//! the request log, and answered 200 when valid, 401 with the reason when not (so the sender
//! may retry). Must not: trust an unverified webhook for anything but display, or fetch results
//! because of one (the poller does that).

use std::collections::{HashSet, VecDeque};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use linkscope_truelayer as tl;
use serde_json::Value;
use tokio::sync::{broadcast, mpsc, watch, OnceCell};

use super::events::CoreEvent;
use super::listen::{serve, Deadlines};
use super::lock;
use super::recorder::{RecorderMsg, CURRENT_CONNECTION};
use crate::dto::{AsyncRun, AsyncRunEvent, AsyncStep, WebhookArrival, WebhookSignature};
use crate::error::{Error, Result};
use crate::storage::store::RequestRecord;

/// The largest webhook body accepted (TrueLayer's notification is well under 1 KB).
pub const MAX_BODY: usize = 64 * 1024;
/// How long a webhook's body may take to arrive once its headers are in.
pub const BODY_DEADLINE: Duration = Duration::from_secs(5);
/// How many task timelines are kept (oldest dropped first).
const CAPACITY: usize = 500;
/// How the poller follows a task (the built-in sandbox ends one in 3 s).
const POLL: tl::PollOptions = tl::PollOptions {
    initial_interval: Duration::from_millis(250),
    max_interval: Duration::from_secs(1),
    max_polls: 300,
};

/// See the module docs. Cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct AsyncRuns {
    state: Arc<RunsState>,
}

#[derive(Debug)]
struct RunsState {
    inner: Mutex<Inner>,
    listener: OnceCell<Listener>,
    events: broadcast::Sender<CoreEvent>,
    recorder: mpsc::UnboundedSender<RecorderMsg>,
}

#[derive(Debug, Default)]
struct Inner {
    enabled: HashSet<String>,
    runs: VecDeque<Run>,
    /// Environments whose Console webhook URI is this app's listener (v3 verifications).
    console: HashSet<String>,
    verifications: VecDeque<Verification>,
}

/// A v3 verification whose webhook is expected.
#[derive(Debug)]
struct Verification {
    id: String,
    environment_id: String,
    client: tl::Client,
    webhooks: Vec<WebhookArrival>,
}

/// What a webhook is about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// An async data task (`task_id`).
    Task(String),
    /// An account holder verification v3 (`account_holder_verification_id`).
    Verification(String),
}

impl Target {
    fn of(body: &Value) -> Option<Target> {
        let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
        text("task_id")
            .map(Target::Task)
            .or_else(|| text("account_holder_verification_id").map(Target::Verification))
    }
}

/// Who a webhook's subject belongs to: the client to verify with, for the request log.
#[derive(Debug)]
struct Sender {
    client: tl::Client,
    connection_id: Option<String>,
    environment_id: String,
}

#[derive(Debug)]
struct Run {
    dto: AsyncRun,
    client: tl::Client,
    environment_id: String,
}

/// The running webhook listener (it stops when core is dropped).
#[derive(Debug)]
struct Listener {
    uri: url::Url,
    _stop: watch::Sender<bool>,
}

impl AsyncRuns {
    pub(super) fn new(
        events: broadcast::Sender<CoreEvent>,
        recorder: mpsc::UnboundedSender<RecorderMsg>,
    ) -> Self {
        Self {
            state: Arc::new(RunsState {
                inner: Mutex::new(Inner::default()),
                listener: OnceCell::new(),
                events,
                recorder,
            }),
        }
    }

    /// Turns async mode on or off for a connection; on starts the webhook listener if needed.
    pub async fn set_enabled(&self, connection_id: &str, enabled: bool) -> Result<()> {
        if enabled {
            self.listener().await?;
            lock(&self.state.inner)
                .enabled
                .insert(connection_id.to_owned());
        } else {
            lock(&self.state.inner).enabled.remove(connection_id);
        }
        Ok(())
    }

    /// Whether a connection's data calls go async.
    pub fn is_enabled(&self, connection_id: &str) -> bool {
        lock(&self.state.inner).enabled.contains(connection_id)
    }

    /// The webhook URI, once the listener runs.
    pub fn webhook_uri(&self) -> Option<String> {
        self.state.listener.get().map(|l| l.uri.to_string())
    }

    /// The connection's task timelines, newest first.
    pub fn runs(&self, connection_id: &str) -> Vec<AsyncRun> {
        lock(&self.state.inner)
            .runs
            .iter()
            .rev()
            .filter(|r| r.dto.connection_id == connection_id)
            .map(|r| r.dto.clone())
            .collect()
    }

    /// `client` for a call of `connection_id` made for `environment_id`: in async mode when the
    /// connection is, watched by this registry.
    pub fn client_for(
        &self,
        connection_id: &str,
        environment_id: &str,
        client: &tl::Client,
    ) -> tl::Client {
        let Some(listener) = self
            .state
            .listener
            .get()
            .filter(|_| self.is_enabled(connection_id))
        else {
            return client.clone();
        };
        client.in_async_mode(tl::AsyncMode {
            webhook_uri: Some(listener.uri.clone()),
            poll: POLL,
            observer: Arc::new(Observer {
                runs: self.clone(),
                connection_id: connection_id.to_owned(),
                environment_id: environment_id.to_owned(),
                client: client.clone(),
            }),
        })
    }

    async fn listener(&self) -> Result<&Listener> {
        self.state
            .listener
            .get_or_try_init(|| start_listener(self.clone()))
            .await
    }

    /// The webhook URI, starting the listener if it is not running yet.
    pub async fn listener_uri(&self) -> Result<String> {
        Ok(self.listener().await?.uri.to_string())
    }

    /// Records that `environment_id`'s Console webhook URI is this app's listener (its v3
    /// verifications are then notified there).
    pub fn set_console_webhook(&self, environment_id: &str) {
        lock(&self.state.inner)
            .console
            .insert(environment_id.to_owned());
    }

    /// Whether `environment_id`'s verifications notify this app's listener.
    pub fn console_webhook(&self, environment_id: &str) -> bool {
        lock(&self.state.inner).console.contains(environment_id)
    }

    /// Expects the webhook of verification `id`, to be checked with `client`.
    pub fn expect_verification(&self, id: &str, environment_id: &str, client: &tl::Client) {
        let mut inner = lock(&self.state.inner);
        if inner.verifications.len() >= CAPACITY {
            inner.verifications.pop_front();
        }
        inner.verifications.push_back(Verification {
            id: id.to_owned(),
            environment_id: environment_id.to_owned(),
            client: client.clone(),
            webhooks: Vec::new(),
        });
    }

    /// The webhooks that arrived for verification `id`.
    pub fn verification_webhooks(&self, id: &str) -> Vec<WebhookArrival> {
        lock(&self.state.inner)
            .verifications
            .iter()
            .find(|v| v.id == id)
            .map(|v| v.webhooks.clone())
            .unwrap_or_default()
    }

    fn sender_of(&self, target: &Target) -> Option<Sender> {
        let inner = lock(&self.state.inner);
        match target {
            Target::Task(id) => inner
                .runs
                .iter()
                .find(|r| &r.dto.task_id == id)
                .map(|r| Sender {
                    client: r.client.clone(),
                    connection_id: Some(r.dto.connection_id.clone()),
                    environment_id: r.environment_id.clone(),
                }),
            Target::Verification(id) => {
                inner
                    .verifications
                    .iter()
                    .find(|v| &v.id == id)
                    .map(|v| Sender {
                        client: v.client.clone(),
                        connection_id: None,
                        environment_id: v.environment_id.clone(),
                    })
            }
        }
    }

    /// Changes the webhook arrivals of `target` (a task's are its timeline's: the UI is told).
    fn arrivals(&self, target: &Target, change: impl FnOnce(&mut Vec<WebhookArrival>)) {
        match target {
            Target::Task(id) => self.update(id, |run| change(&mut run.webhooks)),
            Target::Verification(id) => {
                let mut inner = lock(&self.state.inner);
                if let Some(v) = inner.verifications.iter_mut().find(|v| &v.id == id) {
                    change(&mut v.webhooks);
                }
            }
        }
    }

    /// Changes one task's timeline and tells the UI.
    fn update(&self, task_id: &str, change: impl FnOnce(&mut AsyncRun)) {
        let updated = {
            let mut inner = lock(&self.state.inner);
            inner
                .runs
                .iter_mut()
                .find(|r| r.dto.task_id == task_id)
                .map(|run| {
                    change(&mut run.dto);
                    run.dto.clone()
                })
        };
        if let Some(run) = updated {
            let _ = self
                .state
                .events
                .send(CoreEvent::AsyncRun(AsyncRunEvent { run }));
        }
    }
}

/// Adds `status` to `steps` unless it is the status already last seen.
fn push_step(steps: &mut Vec<AsyncStep>, status: &str) {
    if steps.last().is_none_or(|s| s.status != status) {
        steps.push(AsyncStep {
            status: status.to_owned(),
            at: crate::now_rfc3339(),
        });
    }
}

/// What the TrueLayer client tells about the tasks of one call.
#[derive(Debug)]
struct Observer {
    runs: AsyncRuns,
    connection_id: String,
    environment_id: String,
    client: tl::Client,
}

impl tl::AsyncObserver for Observer {
    fn started(
        &self,
        request: &tl::DataRequest,
        url: &url::Url,
        task: &tl::AsyncTask,
        _trace_ids: &tl::TraceIds,
    ) {
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let mut steps = Vec::new();
        push_step(&mut steps, task.status.as_str());
        let dto = AsyncRun {
            task_id: task.task_id.clone(),
            connection_id: self.connection_id.clone(),
            operation: request.operation().as_str().to_owned(),
            path,
            results_uri: task.results_uri.clone(),
            steps,
            webhooks: Vec::new(),
            results_fetched_at: None,
            results_trace_id: None,
            error: None,
        };
        {
            let mut inner = lock(&self.runs.state.inner);
            if inner.runs.len() >= CAPACITY {
                inner.runs.pop_front();
            }
            inner.runs.push_back(Run {
                dto: dto.clone(),
                client: self.client.clone(),
                environment_id: self.environment_id.clone(),
            });
        }
        let _ = self
            .runs
            .state
            .events
            .send(CoreEvent::AsyncRun(AsyncRunEvent { run: dto }));
    }

    fn polled(&self, task_id: &str, status: &tl::AsyncStatus, trace_ids: &tl::TraceIds) {
        self.runs.update(task_id, |run| {
            push_step(&mut run.steps, status.as_str());
            if *status == tl::AsyncStatus::Succeeded {
                run.results_fetched_at = Some(crate::now_rfc3339());
                run.results_trace_id = trace_ids.primary().map(str::to_owned);
            }
        });
    }

    fn failed(&self, task_id: &str, error: &tl::Error) {
        let failed = matches!(error, tl::Error::AsyncFailed(_));
        self.runs.update(task_id, |run| {
            if failed {
                push_step(&mut run.steps, "Failed");
            }
            run.error = Some(error.to_string());
        });
    }
}

async fn start_listener(runs: AsyncRuns) -> Result<Listener> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .map_err(|e| {
            Error::Validation(format!(
                "cannot listen on 127.0.0.1 for async webhooks ({e})"
            ))
        })?;
    let port = listener.local_addr()?.port();
    let path = format!(
        "/webhooks/{}",
        uuid::Uuid::new_v4()
            .simple()
            .to_string()
            .get(..16)
            .unwrap_or("hook")
    );
    let uri = url::Url::parse(&format!("http://127.0.0.1:{port}{path}"))
        .map_err(|e| Error::internal(format!("webhook URI: {e}")))?;
    let (stop, stopped) = watch::channel(false);
    let app = router(runs, port, path);
    tokio::spawn(serve(
        listener,
        app,
        Deadlines {
            headers: Duration::from_secs(10),
            connection: Duration::from_secs(30),
        },
        stopped,
        Duration::from_secs(u64::from(u32::MAX)),
    ));
    Ok(Listener { uri, _stop: stop })
}

#[derive(Debug)]
struct Endpoint {
    /// Weak, so the listener (which holds the Router) stops when core is dropped.
    runs: std::sync::Weak<RunsState>,
    path: String,
    hosts: [String; 2],
}

fn router(runs: AsyncRuns, port: u16, path: String) -> Router {
    let endpoint = Arc::new(Endpoint {
        runs: Arc::downgrade(&runs.state),
        path,
        hosts: [format!("127.0.0.1:{port}"), format!("localhost:{port}")],
    });
    Router::new().fallback(receive).with_state(endpoint)
}

fn refuse(status: StatusCode, why: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("Linkscope's webhook listener refused this request: {why}\n"),
    )
        .into_response()
}

/// Every request: the checks of the module docs, in that order, then the delivery.
async fn receive(State(endpoint): State<Arc<Endpoint>>, request: Request) -> Response {
    let started = Instant::now();
    let (request, body) = request.into_parts();
    let header_of = |name: &str| {
        request
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let host = header_of("host");
    if !endpoint.hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "it answers only requests addressed to 127.0.0.1 or localhost.",
        );
    }
    if request.uri.path() != endpoint.path {
        return refuse(StatusCode::NOT_FOUND, "there is nothing at this path.");
    }
    if request.method != Method::POST {
        return refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "webhooks are delivered with POST only.",
        );
    }
    let from_browser = request
        .headers
        .keys()
        .any(|k| k == header::ORIGIN || k.as_str().starts_with("sec-fetch-"));
    if from_browser {
        return refuse(
            StatusCode::FORBIDDEN,
            "web pages may not call it; only TrueLayer's webhook deliveries are accepted.",
        );
    }
    let content_type = header_of("content-type");
    if !content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
    {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "a webhook's body must be application/json.",
        );
    }
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let path = request.uri.path().to_owned();
    drop(request);
    let body = match read_body(body).await {
        Ok(body) => body,
        Err(refusal) => return refusal,
    };
    let Some(target) = serde_json::from_slice::<Value>(&body)
        .ok()
        .as_ref()
        .and_then(Target::of)
    else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "the body is not a notification of a task (task_id) or of a verification \
             (account_holder_verification_id).",
        );
    };
    let Some(runs) = endpoint.runs.upgrade().map(|state| AsyncRuns { state }) else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "Linkscope is shutting down.",
        );
    };
    let Some(known) = runs.sender_of(&target) else {
        return refuse(
            StatusCode::NOT_FOUND,
            "this app started no task or verification with that id.",
        );
    };
    let delivery = tl::WebhookDelivery {
        path: &path,
        headers: &headers,
        body: &body,
    };
    let checked = deliver(&runs, &known.client, &target, delivery);
    let response = match &known.connection_id {
        Some(id) => CURRENT_CONNECTION.scope(id.clone(), checked).await,
        None => checked.await,
    };
    record(
        &runs,
        &known,
        &endpoint.path,
        delivery,
        &response,
        started.elapsed(),
    );
    response.into_response()
}

/// The answer to a delivery, kept for the request log.
struct Answer {
    status: StatusCode,
    text: String,
}

impl IntoResponse for &Answer {
    fn into_response(self) -> Response {
        (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            self.text.clone(),
        )
            .into_response()
    }
}

async fn read_body(body: Body) -> std::result::Result<Vec<u8>, Response> {
    match tokio::time::timeout(BODY_DEADLINE, axum::body::to_bytes(body, MAX_BODY)).await {
        Ok(Ok(bytes)) => Ok(bytes.to_vec()),
        Ok(Err(_)) => Err(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the body is larger than a webhook's 64 KiB.",
        )),
        Err(_) => Err(refuse(
            StatusCode::REQUEST_TIMEOUT,
            "the body did not arrive in time.",
        )),
    }
}

/// Adds the arrival (being checked), verifies it, and answers by the verdict.
async fn deliver(
    runs: &AsyncRuns,
    client: &tl::Client,
    target: &Target,
    d: tl::WebhookDelivery<'_>,
) -> Answer {
    let body = serde_json::from_slice(d.body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(d.body).into_owned()));
    let mut index = 0;
    runs.arrivals(target, |arrivals| {
        index = arrivals.len();
        arrivals.push(WebhookArrival {
            received_at: crate::now_rfc3339(),
            headers: d.headers.to_vec(),
            body,
            signature: WebhookSignature::Checking,
        });
    });
    let check = client.verify_webhook(d).await;
    let (signature, answer) = match check {
        tl::WebhookCheck::Valid { kid, jku } => (
            WebhookSignature::Valid { kid, jku },
            Answer {
                status: StatusCode::OK,
                text: "ok\n".to_owned(),
            },
        ),
        tl::WebhookCheck::Invalid { reason } => (
            WebhookSignature::Invalid {
                reason: reason.clone(),
            },
            Answer {
                status: StatusCode::UNAUTHORIZED,
                text: format!("signature invalid: {reason}\n"),
            },
        ),
    };
    runs.arrivals(target, |arrivals| {
        if let Some(arrival) = arrivals.get_mut(index) {
            arrival.signature = signature;
        }
    });
    answer
}

/// The delivery as an exchange in the request log (inbound: the request is the webhook's).
fn record(
    runs: &AsyncRuns,
    sender: &Sender,
    path: &str,
    d: tl::WebhookDelivery<'_>,
    answer: &Answer,
    took: Duration,
) {
    let headers = |h: &[(String, String)]| serde_json::to_string(h).unwrap_or_else(|_| "[]".into());
    let url = runs.webhook_uri().unwrap_or_else(|| path.to_owned());
    let record = RequestRecord {
        at: crate::now_rfc3339(),
        connection_id: sender.connection_id.clone(),
        environment_id: Some(sender.environment_id.clone()),
        method: "POST".to_owned(),
        url,
        endpoint: path.to_owned(),
        status: Some(answer.status.as_u16()),
        duration_ms: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
        trace_id: None,
        correlation_id: None,
        request_headers: headers(d.headers),
        request_body: Some(String::from_utf8_lossy(d.body).into_owned()),
        response_headers: headers(&[("content-type".to_owned(), "text/plain".to_owned())]),
        response_body: Some(answer.text.clone()),
        error: (!answer.status.is_success()).then(|| answer.text.trim().to_owned()),
    };
    let _ = runs
        .state
        .recorder
        .send(RecorderMsg::Record(Box::new(record)));
}
