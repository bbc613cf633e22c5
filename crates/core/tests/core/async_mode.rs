//! Async mode end to end against the built-in sandbox: a connection switched to async makes its
//! data calls with `async=true` and the loopback webhook, follows each task to its end, shows
//! the timeline with the webhook verified by its signature (or not, when the sandbox tampers
//! with it), records the delivery in the inspector, and never sends `/me` or `/info` async. The
//! webhook listener refuses everything but a webhook and changes nothing when it does.

use std::time::Duration;

use linkscope_core::dto::{
    AsyncModeInput, AsyncRun, RequestFilter, RequestStatusFilter, TransactionSource,
    WebhookSignature,
};
use linkscope_core::Core;
use serde_json::json;

use crate::data_views::{days_ago, input};
use crate::support::{http, link, start};

async fn async_on(core: &Core, connection_id: &str) -> String {
    let state = core
        .async_mode()
        .set(AsyncModeInput {
            connection_id: connection_id.into(),
            enabled: true,
        })
        .await
        .unwrap();
    assert!(state.enabled);
    state
        .webhook_uri
        .expect("the listener runs once async is on")
}

/// Waits until every task of the connection has a settled webhook check (the delivery comes
/// with the task's end, the check right after).
async fn settled_runs(core: &Core, connection_id: &str, at_least: usize) -> Vec<AsyncRun> {
    for _ in 0..200 {
        let runs = core.async_mode().runs(connection_id).unwrap();
        let settled = runs.len() >= at_least
            && runs.iter().all(|r| {
                r.webhooks
                    .last()
                    .is_some_and(|w| w.signature != WebhookSignature::Checking)
            });
        if settled {
            return runs;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the webhooks never settled: {:?}",
        core.async_mode().runs(connection_id).unwrap()
    );
}

fn statuses(run: &AsyncRun) -> Vec<&str> {
    run.steps.iter().map(|s| s.status.as_str()).collect()
}

#[tokio::test]
async fn an_async_accounts_and_transactions_fetch_shows_each_timeline_with_a_verified_webhook() {
    let h = start().await;
    let connection = link(&h.core).await;
    let id = connection.id.as_str();
    let sync = h.core.accounts().list(id).await.unwrap();
    assert!(
        h.core.async_mode().runs(id).unwrap().is_empty(),
        "off by default"
    );

    async_on(&h.core, id).await;
    let accounts = h.core.accounts().list(id).await.unwrap();
    assert_eq!(
        accounts.data.len(),
        sync.data.len(),
        "the async answer is the same data"
    );
    let account_id = accounts.data[0].account.account_id.clone();
    let summary = h
        .core
        .transactions()
        .fetch(input(
            "f1",
            id,
            TransactionSource::Account,
            &account_id,
            days_ago(30),
        ))
        .await
        .unwrap();
    assert!(summary.total > 0, "{summary:?}");

    let runs = settled_runs(&h.core, id, 3).await;
    for operation in ["accounts", "account_balance", "account_transactions"] {
        let run = runs
            .iter()
            .find(|r| r.operation == operation)
            .unwrap_or_else(|| panic!("no async {operation} task in {runs:?}"));
        assert_eq!(statuses(run).first(), Some(&"Queued"), "{run:?}");
        assert_eq!(statuses(run).last(), Some(&"Succeeded"), "{run:?}");
        assert!(
            run.results_fetched_at.is_some(),
            "results come from results_uri"
        );
        let webhook = run.webhooks.last().unwrap();
        assert!(
            matches!(&webhook.signature, WebhookSignature::Valid { jku, .. } if jku.ends_with("/webhooks/jwks")),
            "{:?}",
            webhook.signature
        );
        assert_eq!(webhook.body["task_id"], run.task_id.as_str());
        assert!(webhook
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("tl-signature")));
    }
    h.core.flush_request_log().await;
    let in_inspector = h
        .core
        .requests()
        .list(RequestFilter {
            connection_id: Some(id.into()),
            status: RequestStatusFilter::All,
            endpoint: None,
            text: Some(runs[0].task_id.clone()),
            limit: 100,
        })
        .await
        .unwrap();
    let methods: Vec<(&str, Option<u16>)> = in_inspector
        .iter()
        .map(|r| (r.method.as_str(), r.status))
        .collect();
    assert!(
        methods.contains(&("POST", Some(200))),
        "the webhook's arrival is an exchange linked by its task id: {methods:?}"
    );
    assert!(
        in_inspector
            .iter()
            .any(|r| r.url.contains("/data/v1/results/")),
        "so are the polls of results_uri: {methods:?}"
    );
}

#[tokio::test]
async fn a_tampered_webhook_is_shown_invalid_with_the_reason() {
    let h = start().await;
    let connection = link(&h.core).await;
    let id = connection.id.as_str();
    let accounts = h.core.accounts().list(id).await.unwrap();
    let account_id = accounts.data[0].account.account_id.clone();
    async_on(&h.core, id).await;
    assert!(h
        .core
        .workbench()
        .controls()
        .tamper_next_webhook("builtin")
        .await
        .unwrap());
    h.core
        .data()
        .standing_orders(id, &account_id)
        .await
        .unwrap();
    let runs = settled_runs(&h.core, id, 1).await;
    let first = runs[0].webhooks.first().unwrap();
    let WebhookSignature::Invalid { reason } = &first.signature else {
        panic!("a tampered body must not verify: {:?}", first.signature);
    };
    assert!(reason.contains("does not match"), "{reason}");
}

#[tokio::test]
async fn me_and_info_never_go_async() {
    let h = start().await;
    let connection = link(&h.core).await;
    let id = connection.id.as_str();
    async_on(&h.core, id).await;
    h.core.data().identity(id).await.unwrap();
    h.core.connections().read_me(id).await.unwrap();
    assert!(
        h.core.async_mode().runs(id).unwrap().is_empty(),
        "TrueLayer: /me and /info have no async mode"
    );
}

#[tokio::test]
async fn turning_async_off_makes_calls_synchronous_again_and_unknown_connections_are_refused() {
    let h = start().await;
    let connection = link(&h.core).await;
    let id = connection.id.as_str();
    async_on(&h.core, id).await;
    h.core
        .async_mode()
        .set(AsyncModeInput {
            connection_id: id.into(),
            enabled: false,
        })
        .await
        .unwrap();
    h.core.accounts().list(id).await.unwrap();
    assert!(h.core.async_mode().runs(id).unwrap().is_empty());
    let unknown = h
        .core
        .async_mode()
        .set(AsyncModeInput {
            connection_id: "nope".into(),
            enabled: true,
        })
        .await;
    assert!(unknown.is_err(), "an unknown connection is refused");
    assert!(!h.core.async_mode().get(id).unwrap().enabled);
}

#[tokio::test]
async fn the_webhook_listener_refuses_anything_but_a_webhook_and_changes_nothing() {
    let h = start().await;
    let connection = link(&h.core).await;
    let id = connection.id.as_str();
    let uri = async_on(&h.core, id).await;
    let parsed = url::Url::parse(&uri).unwrap();
    let base = format!("http://127.0.0.1:{}", parsed.port().unwrap());
    let big = "x".repeat(70 * 1024);
    let notice = json!({"task_id": "not-ours", "status": "Succeeded"}).to_string();
    let cases: Vec<(reqwest::RequestBuilder, u16, &str)> = vec![
        (http().get(&uri), 405, "a GET"),
        (
            http().post(format!("{base}/")).body(notice.clone()),
            404,
            "another path",
        ),
        (
            http()
                .post(format!("{base}/webhooks/guess"))
                .body(notice.clone()),
            404,
            "a guessed path",
        ),
        (
            http()
                .post(&uri)
                .header("origin", "https://evil.test")
                .header("content-type", "application/json")
                .body(notice.clone()),
            403,
            "a web page",
        ),
        (
            http()
                .post(&uri)
                .header("content-type", "text/plain")
                .body(notice.clone()),
            415,
            "a form or text body (what a page may send without asking)",
        ),
        (
            http()
                .post(&uri)
                .header("content-type", "application/json")
                .body(big),
            413,
            "a body over 64 KiB",
        ),
        (
            http()
                .post(&uri)
                .header("content-type", "application/json")
                .body("{not json"),
            400,
            "not a notification",
        ),
        (
            http()
                .post(&uri)
                .header("content-type", "application/json")
                .body(notice.clone()),
            404,
            "a task this app did not start",
        ),
        (
            http()
                .post(&uri)
                .header("host", "evil.test")
                .header("content-type", "application/json")
                .body(notice),
            421,
            "another Host (DNS rebinding)",
        ),
    ];
    for (request, status, what) in cases {
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status().as_u16(), status, "{what}");
        let text = answer.text().await.unwrap();
        assert!(
            text.contains("refused"),
            "{what}: a clear refusal, got {text:?}"
        );
    }
    assert!(
        h.core.async_mode().runs(id).unwrap().is_empty(),
        "nothing was added to any timeline"
    );
}
