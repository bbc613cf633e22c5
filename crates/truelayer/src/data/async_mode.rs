//! Async mode of the Data API: start any read with `async=true` (and an optional `webhook_uri`),
//! get `202 {results_uri, status, task_id}`, then poll `results_uri` with a bounded backoff until
//! `Succeeded` or `Failed` (TrueLayer statuses: Queued, Running, Succeeded, Failed). The webhook
//! only notifies; results are always fetched from `results_uri` (TrueLayer). A client
//! [`Client::in_async_mode`] does all of that for every read that has an async mode, telling an
//! [`AsyncObserver`] each step.
//!
//! Must not: send the access token to a `results_uri` outside the environment's API host.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use url::Url;

use super::{ApiResponse, DataRequest, Envelope};
use crate::client::Client;
use crate::error::{AsyncFailure, Error, Result, TraceIds};
use crate::http::{Body, Call, Reply, Retry};
use crate::operation::Operation;
use crate::secret::AccessToken;

use super::models::Extra;

/// The status of an async task.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum AsyncStatus {
    /// Waiting to start.
    Queued,
    /// In progress.
    Running,
    /// Done; results are at `results_uri`.
    Succeeded,
    /// Done, failed.
    Failed,
    /// A status TrueLayer does not document (treated as still in progress).
    Other(String),
}

impl AsyncStatus {
    /// Whether the task has finished (succeeded or failed).
    pub fn is_terminal(&self) -> bool {
        matches!(self, AsyncStatus::Succeeded | AsyncStatus::Failed)
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            AsyncStatus::Queued => "Queued",
            AsyncStatus::Running => "Running",
            AsyncStatus::Succeeded => "Succeeded",
            AsyncStatus::Failed => "Failed",
            AsyncStatus::Other(s) => s,
        }
    }
}

impl From<String> for AsyncStatus {
    fn from(s: String) -> Self {
        match s.as_str() {
            "Queued" => AsyncStatus::Queued,
            "Running" => AsyncStatus::Running,
            "Succeeded" => AsyncStatus::Succeeded,
            "Failed" => AsyncStatus::Failed,
            _ => AsyncStatus::Other(s),
        }
    }
}

impl From<AsyncStatus> for String {
    fn from(s: AsyncStatus) -> Self {
        s.as_str().to_owned()
    }
}

impl fmt::Display for AsyncStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `202` answer of an async start (`AsyncResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AsyncTask {
    /// Where to poll (on the API host).
    pub results_uri: String,
    /// Usually `Queued`.
    pub status: AsyncStatus,
    /// The task's id.
    pub task_id: String,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// How long to keep polling `results_uri`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollOptions {
    /// The wait before the first poll; doubled after each poll.
    pub initial_interval: Duration,
    /// The longest wait between polls.
    pub max_interval: Duration,
    /// Give up (with [`Error::AsyncTimedOut`]) after this many polls.
    pub max_polls: u32,
}

impl Default for PollOptions {
    fn default() -> Self {
        Self {
            initial_interval: Duration::from_millis(200),
            max_interval: Duration::from_secs(5),
            max_polls: 60,
        }
    }
}

/// What [`Client::in_async_mode`] needs: where the webhook goes, how to poll, who watches.
#[derive(Debug, Clone)]
pub struct AsyncMode {
    /// The `webhook_uri` sent with every start (none: polling only).
    pub webhook_uri: Option<Url>,
    /// How long to poll.
    pub poll: PollOptions,
    /// Sees each task's steps.
    pub observer: Arc<dyn AsyncObserver>,
}

/// Watches the tasks a client in async mode runs (the UI's timeline).
pub trait AsyncObserver: Send + Sync + fmt::Debug {
    /// A read (`request`, sent to `url` without the async parameters) was accepted as `task`
    /// (the 202 answer).
    fn started(&self, request: &DataRequest, url: &Url, task: &AsyncTask, trace_ids: &TraceIds);
    /// A poll of `results_uri` saw `status` (the last one: `Succeeded`, results fetched).
    fn polled(&self, task_id: &str, status: &AsyncStatus, trace_ids: &TraceIds);
    /// The task failed or could not be followed to its end.
    fn failed(&self, task_id: &str, error: &Error);
}

/// One poll's outcome.
#[derive(Debug, Clone, PartialEq)]
pub enum AsyncPoll<B> {
    /// Still `Queued`/`Running` (or an undocumented non-final status).
    Pending(AsyncStatus),
    /// `Succeeded`, with the results body.
    Done(ApiResponse<B>),
}

#[derive(Deserialize)]
struct StatusProbe {
    #[serde(default)]
    status: Option<AsyncStatus>,
    #[serde(default)]
    results: Option<serde_json::Value>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

impl Client {
    /// Starts `request` in async mode (`?async=true[&webhook_uri=…]`). `/me` and `/info` have
    /// no async mode: they are refused here without sending anything.
    pub async fn start_async(
        &self,
        token: &AccessToken,
        request: &DataRequest,
        webhook_uri: Option<&Url>,
    ) -> Result<ApiResponse<AsyncTask>> {
        if !request.supports_async() {
            return Err(Error::invalid(
                "async request",
                format!("{} has no async mode", request.operation()),
            ));
        }
        let mut extra = vec![("async", "true")];
        if let Some(uri) = webhook_uri {
            extra.push(("webhook_uri", uri.as_str()));
        }
        let reply = self.data_get_now(token, request, &extra).await?;
        let task: AsyncTask = reply.json()?;
        ApiResponse::from_reply(&reply, task)
    }

    /// Polls `task.results_uri` once; `B` is the whole results body (see [`Client::wait_async`]
    /// for the usual `{results: [...]}` shape).
    pub async fn poll_async_body<B: DeserializeOwned>(
        &self,
        token: &AccessToken,
        task: &AsyncTask,
    ) -> Result<AsyncPoll<B>> {
        match self.poll_once(token, task).await? {
            (AsyncStatus::Succeeded, reply) => {
                let body: B = reply.json()?;
                Ok(AsyncPoll::Done(ApiResponse::from_reply(&reply, body)?))
            }
            (pending, _) => Ok(AsyncPoll::Pending(pending)),
        }
    }

    /// One poll: the status and the reply (`Failed` is an error).
    async fn poll_once(
        &self,
        token: &AccessToken,
        task: &AsyncTask,
    ) -> Result<(AsyncStatus, Reply)> {
        let url = Url::parse(&task.results_uri)
            .map_err(|e| Error::invalid("results_uri", e.to_string()))?;
        if !self.environment().is_api_url(&url) {
            return Err(Error::invalid(
                "results_uri",
                format!("{url} is not on this environment's API host, so the access token is not sent there"),
            ));
        }
        let reply = self
            .http()
            .send(Call {
                operation: Operation::AsyncResults,
                method: Method::GET,
                url,
                bearer: Some(token),
                body: Body::Empty,
                retry: Retry::Idempotent,
                secrets: Vec::new(),
            })
            .await?
            .ensure_success()?;
        let probe: StatusProbe = reply.json()?;
        let status = match probe.status {
            Some(status) => status,
            None if probe.results.is_some() => AsyncStatus::Succeeded,
            None => {
                return Err(reply.decode_error("neither status nor results in the results body"))
            }
        };
        if status == AsyncStatus::Failed {
            return Err(failed(task, &reply, probe.error, probe.error_description));
        }
        Ok((status, reply))
    }

    /// [`Client::data_get`] in async mode: start, tell the observer, poll with `mode.poll`'s
    /// backoff until the end; the reply is the results body of the last poll.
    pub(crate) async fn data_get_async(
        &self,
        token: &AccessToken,
        request: &DataRequest,
        mode: &AsyncMode,
    ) -> Result<Reply> {
        let mut extra = vec![("async", "true")];
        if let Some(uri) = &mode.webhook_uri {
            extra.push(("webhook_uri", uri.as_str()));
        }
        let started = self.data_get_now(token, request, &extra).await?;
        let task: AsyncTask = started.json()?;
        let url = request.url(self, &[]);
        mode.observer
            .started(request, &url, &task, &started.trace_ids);
        let result = self.follow(token, &task, mode).await;
        if let Err(e) = &result {
            mode.observer.failed(&task.task_id, e);
        }
        result
    }

    async fn follow(
        &self,
        token: &AccessToken,
        task: &AsyncTask,
        mode: &AsyncMode,
    ) -> Result<Reply> {
        let mut interval = mode.poll.initial_interval;
        let mut last = task.status.clone();
        for _ in 0..mode.poll.max_polls {
            tokio::time::sleep(interval).await;
            interval = (interval * 2).min(mode.poll.max_interval);
            let (status, reply) = self.poll_once(token, task).await?;
            mode.observer
                .polled(&task.task_id, &status, &reply.trace_ids);
            if status == AsyncStatus::Succeeded {
                return Ok(reply);
            }
            last = status;
        }
        Err(Error::AsyncTimedOut {
            task_id: task.task_id.clone(),
            last_status: last.to_string(),
            attempts: mode.poll.max_polls,
        })
    }

    /// Polls until the task finishes, with the bounded backoff of `options`, calling
    /// `on_status` with each status seen. Returns the whole results body as `B`.
    pub async fn wait_async_body<B: DeserializeOwned>(
        &self,
        token: &AccessToken,
        task: &AsyncTask,
        options: PollOptions,
        mut on_status: impl FnMut(&AsyncStatus) + Send,
    ) -> Result<ApiResponse<B>> {
        let mut interval = options.initial_interval;
        let mut last = task.status.clone();
        for _ in 0..options.max_polls {
            tokio::time::sleep(interval).await;
            interval = (interval * 2).min(options.max_interval);
            match self.poll_async_body::<B>(token, task).await? {
                AsyncPoll::Done(response) => {
                    on_status(&AsyncStatus::Succeeded);
                    return Ok(response);
                }
                AsyncPoll::Pending(status) => {
                    on_status(&status);
                    last = status;
                }
            }
        }
        Err(Error::AsyncTimedOut {
            task_id: task.task_id.clone(),
            last_status: last.to_string(),
            attempts: options.max_polls,
        })
    }

    /// [`Client::wait_async_body`] for the Data API envelope: the `results` items as `T`.
    pub async fn wait_async<T: DeserializeOwned>(
        &self,
        token: &AccessToken,
        task: &AsyncTask,
        options: PollOptions,
        on_status: impl FnMut(&AsyncStatus) + Send,
    ) -> Result<ApiResponse<Vec<T>>> {
        let response: ApiResponse<Envelope<T>> = self
            .wait_async_body(token, task, options, on_status)
            .await?;
        Ok(response.map(|envelope| envelope.results))
    }

    /// Starts `request` in async mode and waits for its results; `on_status` sees the initial
    /// status and every polled one (the UI's Queued → Running → Succeeded timeline).
    pub async fn run_async<T: DeserializeOwned>(
        &self,
        token: &AccessToken,
        request: &DataRequest,
        webhook_uri: Option<&Url>,
        options: PollOptions,
        mut on_status: impl FnMut(&AsyncStatus) + Send,
    ) -> Result<ApiResponse<Vec<T>>> {
        let started = self.start_async(token, request, webhook_uri).await?;
        on_status(&started.data.status);
        self.wait_async(token, &started.data, options, on_status)
            .await
    }
}

fn failed(
    task: &AsyncTask,
    reply: &Reply,
    error: Option<String>,
    description: Option<String>,
) -> Error {
    Error::AsyncFailed(Box::new(AsyncFailure {
        task_id: task.task_id.clone(),
        error,
        description,
        trace_ids: reply.trace_ids.clone(),
        raw_body: reply.redacted_body(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::tests_support::reply;

    #[test]
    fn the_documented_202_answer_is_read() {
        let r = reply(
            202,
            r#"{"results_uri":"https://api.truelayer.com/data/v1/results/18a77ae5-a30b-4955-b840-301daddd180a","status":"Queued","task_id":"18a77ae5-a30b-4955-b840-301daddd180a"}"#,
        );
        let task: AsyncTask = r.json().unwrap();
        assert_eq!(task.status, AsyncStatus::Queued);
        assert!(!task.status.is_terminal());
        assert_eq!(task.task_id, "18a77ae5-a30b-4955-b840-301daddd180a");
    }

    #[test]
    fn undocumented_statuses_are_kept_and_not_final() {
        let s: AsyncStatus = serde_json::from_str(r#""Paused""#).unwrap();
        assert_eq!(s, AsyncStatus::Other("Paused".into()));
        assert!(!s.is_terminal());
        assert_eq!(
            serde_json::to_string(&AsyncStatus::Succeeded).unwrap(),
            r#""Succeeded""#
        );
    }
}
