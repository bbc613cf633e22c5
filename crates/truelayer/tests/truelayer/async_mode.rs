//! Async mode: `async=true` → 202 with a task → Queued → Running → Succeeded at `results_uri`,
//! driven by the sandbox clock.

use std::time::Duration;

use linkscope_truelayer::{Account, AsyncPoll, AsyncStatus, DataRequest, Error, PollOptions};
use serde_json::Value;
use url::Url;

use crate::support::{all_data_scopes, Harness};

#[tokio::test]
async fn an_async_read_goes_queued_running_succeeded_and_returns_the_same_data() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let token = &linked.tokens.access_token;
    let started = h
        .client
        .start_async(token, &DataRequest::Accounts, None)
        .await
        .unwrap();
    assert_eq!(started.status, 202);
    let task = started.data;
    assert_eq!(task.status, AsyncStatus::Queued);
    assert!(
        task.results_uri.starts_with(h.sandbox.api_url()),
        "{}",
        task.results_uri
    );

    let first = h
        .client
        .poll_async_body::<Value>(token, &task)
        .await
        .unwrap();
    assert_eq!(first, AsyncPoll::Pending(AsyncStatus::Queued));
    h.advance_clock(2).await;
    let second = h
        .client
        .poll_async_body::<Value>(token, &task)
        .await
        .unwrap();
    assert_eq!(second, AsyncPoll::Pending(AsyncStatus::Running));
    h.advance_clock(2).await;

    let mut seen = Vec::new();
    let done = h
        .client
        .wait_async::<Account>(token, &task, PollOptions::default(), |s| {
            seen.push(s.clone())
        })
        .await
        .unwrap();
    assert_eq!(seen, [AsyncStatus::Succeeded]);
    let sync = h.client.accounts(token).await.unwrap();
    let ids = |accounts: &[Account]| {
        accounts
            .iter()
            .map(|a| a.account_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&done.data),
        ids(&sync.data),
        "async results are the call's usual results"
    );
}

#[tokio::test]
async fn run_async_reports_the_whole_timeline_with_a_webhook_uri() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let token = &linked.tokens.access_token;
    let webhook = Url::parse("http://127.0.0.1:9/webhook").unwrap();
    let mut seen = Vec::new();
    let options = PollOptions {
        initial_interval: Duration::from_millis(250),
        max_interval: Duration::from_millis(500),
        max_polls: 40,
    };
    let result = h
        .client
        .run_async::<Value>(token, &DataRequest::Cards, Some(&webhook), options, |s| {
            seen.push(s.clone())
        })
        .await
        .unwrap();
    assert!(!result.data.is_empty());
    assert_eq!(seen.first(), Some(&AsyncStatus::Queued));
    assert_eq!(seen.last(), Some(&AsyncStatus::Succeeded));
    let start = h
        .recorder
        .exchanges()
        .into_iter()
        .find(|e| e.status == Some(202))
        .unwrap();
    assert!(
        start.url.contains("async=true") && start.url.contains("webhook_uri="),
        "{}",
        start.url
    );
}

#[tokio::test]
async fn a_failing_async_task_is_async_failed_with_truelayers_code() {
    let h = Harness::start().await;
    let linked = h
        .link("error.provider_error", "error", &all_data_scopes())
        .await;
    let token = &linked.tokens.access_token;
    let task = h
        .client
        .start_async(token, &DataRequest::Accounts, None)
        .await
        .unwrap()
        .data;
    h.advance_clock(5).await;
    let err = h
        .client
        .wait_async::<Value>(token, &task, PollOptions::default(), |_| {})
        .await
        .unwrap_err();
    let Error::AsyncFailed(failure) = &err else {
        panic!("expected AsyncFailed, got {err}")
    };
    assert_eq!(failure.task_id, task.task_id);
    assert_eq!(err.code(), Some("provider_error"), "{err}");
}

#[tokio::test]
async fn me_and_info_have_no_async_mode_and_nothing_is_sent() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let before = h.recorder.exchanges().len();
    for request in [DataRequest::Me, DataRequest::Info] {
        let err = h
            .client
            .start_async(&linked.tokens.access_token, &request, None)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    }
    assert_eq!(h.recorder.exchanges().len(), before);
}

#[tokio::test]
async fn a_results_uri_on_another_host_never_gets_the_token() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let token = &linked.tokens.access_token;
    let mut task = h
        .client
        .start_async(token, &DataRequest::Accounts, None)
        .await
        .unwrap()
        .data;
    task.results_uri = "http://127.0.0.2:1/data/v1/results/x".into();
    let before = h.recorder.exchanges().len();
    let err = h
        .client
        .poll_async_body::<Value>(token, &task)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    assert_eq!(h.recorder.exchanges().len(), before, "nothing was sent");
}

/// Records what a client in async mode reports.
#[derive(Debug, Default)]
struct Seen(std::sync::Mutex<Vec<String>>);

impl linkscope_truelayer::AsyncObserver for Seen {
    fn started(
        &self,
        request: &DataRequest,
        url: &Url,
        task: &linkscope_truelayer::AsyncTask,
        _: &linkscope_truelayer::TraceIds,
    ) {
        self.0.lock().unwrap().push(format!(
            "started {} {} {}",
            request.operation().as_str(),
            url.path(),
            task.status
        ));
    }
    fn polled(&self, _: &str, status: &AsyncStatus, _: &linkscope_truelayer::TraceIds) {
        self.0.lock().unwrap().push(format!("polled {status}"));
    }
    fn failed(&self, _: &str, error: &Error) {
        self.0.lock().unwrap().push(format!("failed {error}"));
    }
}

fn quick() -> PollOptions {
    PollOptions {
        initial_interval: Duration::from_millis(250),
        max_interval: Duration::from_millis(500),
        max_polls: 40,
    }
}

#[tokio::test]
async fn a_client_in_async_mode_answers_every_read_from_its_results_and_tells_the_observer() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let token = &linked.tokens.access_token;
    let sync = h.client.accounts(token).await.unwrap();
    let seen = std::sync::Arc::new(Seen::default());
    let client = h.client.in_async_mode(linkscope_truelayer::AsyncMode {
        webhook_uri: None,
        poll: quick(),
        observer: seen.clone(),
    });
    let accounts = client.accounts(token).await.unwrap();
    assert_eq!(accounts.data.len(), sync.data.len(), "the same data, async");
    let me = client.me(token).await.unwrap();
    assert!(me.data.client_id.is_some());
    let events = seen.0.lock().unwrap().clone();
    assert_eq!(
        events.first().map(String::as_str),
        Some("started accounts /data/v1/accounts Queued")
    );
    assert_eq!(events.last().map(String::as_str), Some("polled Succeeded"));
    assert_eq!(
        events.iter().filter(|e| e.starts_with("started")).count(),
        1,
        "/me has no async mode, so it went synchronously: {events:?}"
    );
}

#[tokio::test]
async fn a_failed_task_in_async_mode_is_the_calls_error_and_the_observer_hears_of_it() {
    let h = Harness::start().await;
    let linked = h
        .link("error.provider_error", "error", &all_data_scopes())
        .await;
    let seen = std::sync::Arc::new(Seen::default());
    let client = h.client.in_async_mode(linkscope_truelayer::AsyncMode {
        webhook_uri: None,
        poll: quick(),
        observer: seen.clone(),
    });
    let failed = client.cards(&linked.tokens.access_token).await.unwrap_err();
    assert!(matches!(failed, Error::AsyncFailed(_)), "{failed:?}");
    let events = seen.0.lock().unwrap().clone();
    assert!(
        events.last().is_some_and(|e| e.starts_with("failed")),
        "{events:?}"
    );
}
