//! Async mode: 202 + task, Queued → Running → Succeeded/Failed with time, loopback webhooks,
//! and the batch endpoints.

use axum::routing::post;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::support::{Env, ALL_SCOPES};

/// A loopback server that hands every POSTed JSON body to the returned channel.
async fn webhook_receiver() -> (String, mpsc::UnboundedReceiver<Value>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/hook",
        post(move |axum::Json(body): axum::Json<Value>| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(body);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, rx)
}

#[tokio::test]
async fn an_async_call_moves_from_queued_through_running_to_succeeded() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let accepted = env
        .get(&tokens.access, "/data/v1/accounts?async=true")
        .await;
    assert_eq!(accepted.status, 202, "{}", accepted.text);
    assert_eq!(accepted.json["status"], "Queued");
    let task_id = accepted.json["task_id"].as_str().unwrap().to_owned();
    let results_uri = accepted.json["results_uri"].as_str().unwrap().to_owned();
    assert_eq!(results_uri, env.api(&format!("/data/v1/results/{task_id}")));
    let path = format!("/data/v1/results/{task_id}");
    assert_eq!(
        env.get(&tokens.access, &path).await.json["status"],
        "Queued"
    );
    env.advance(1).await;
    assert_eq!(
        env.get(&tokens.access, &path).await.json["status"],
        "Running"
    );
    env.advance(2).await;
    let done = env.get(&tokens.access, &path).await;
    assert_eq!(done.json["status"], "Succeeded");
    let sync = env.get(&tokens.access, "/data/v1/accounts").await;
    assert_eq!(
        done.json["results"].as_array().unwrap().len(),
        sync.json["results"].as_array().unwrap().len()
    );
}

#[tokio::test]
async fn an_error_users_async_call_ends_failed_with_the_error() {
    let env = Env::start().await;
    let tokens = env
        .connect("error.provider_error", "error", ALL_SCOPES)
        .await;
    let accepted = env.get(&tokens.access, "/data/v1/cards?async=true").await;
    assert_eq!(accepted.status, 202);
    env.advance(5).await;
    let path = format!(
        "/data/v1/results/{}",
        accepted.json["task_id"].as_str().unwrap()
    );
    let done = env.get(&tokens.access, &path).await;
    assert_eq!(done.json["status"], "Failed");
    assert_eq!(done.json["error"], "provider_error");
}

#[tokio::test]
async fn a_loopback_webhook_is_notified_without_the_results() {
    let env = Env::start().await;
    let (hook, mut received) = webhook_receiver().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let accepted = env
        .get(
            &tokens.access,
            &format!("/data/v1/accounts?async=true&webhook_uri={hook}"),
        )
        .await;
    assert_eq!(accepted.status, 202, "{}", accepted.text);
    env.advance(3).await;
    let body = tokio::time::timeout(std::time::Duration::from_secs(5), received.recv())
        .await
        .expect("the webhook arrives")
        .unwrap();
    assert_eq!(body["task_id"], accepted.json["task_id"]);
    assert_eq!(body["status"], "Succeeded");
    assert_eq!(body["results_uri"], accepted.json["results_uri"]);
    assert!(
        body.get("results").is_none(),
        "TrueLayer: the webhook does not carry the results"
    );
    assert!(body["request_uri"]
        .as_str()
        .unwrap()
        .contains("/data/v1/accounts?async=true"));
    let journal = env.get_url(&env.auth("/__sandbox/requests")).await;
    let deliveries: Vec<&Value> = journal.json["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["server"] == "webhook")
        .collect();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0]["status"], 200);
}

#[tokio::test]
async fn webhook_uris_must_be_loopback() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    for uri in [
        "https://example.com/hook",
        "ftp://127.0.0.1/x",
        "not-a-url",
        "http://10.0.0.1/hook",
    ] {
        let answer = env
            .get(
                &tokens.access,
                &format!("/data/v1/accounts?async=true&webhook_uri={uri}"),
            )
            .await;
        assert_eq!(
            (answer.status.as_u16(), answer.error()),
            (400, "validation_error"),
            "{uri}"
        );
    }
    for uri in ["http://localhost:9/x", "http://[::1]:9/x"] {
        let answer = env
            .get(
                &tokens.access,
                &format!("/data/v1/accounts?async=true&webhook_uri={uri}"),
            )
            .await;
        assert_eq!(answer.status, 202, "{uri}");
    }
}

#[tokio::test]
async fn another_connections_task_is_not_found() {
    let env = Env::start().await;
    let a = env.connect("john", "doe", ALL_SCOPES).await;
    let b = env.connect("john", "doe", ALL_SCOPES).await;
    let accepted = env.get(&a.access, "/data/v1/accounts?async=true").await;
    let path = format!(
        "/data/v1/results/{}",
        accepted.json["task_id"].as_str().unwrap()
    );
    let answer = env.get(&b.access, &path).await;
    assert_eq!((answer.status.as_u16(), answer.error()), (404, "not_found"));
    assert_eq!(
        env.get(&a.access, "/data/v1/results/nope").await.status,
        404
    );
}

#[tokio::test]
async fn a_batch_returns_transactions_pending_and_balances_as_a_task() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let accounts = env.account_ids(&tokens.access).await;
    let none = env.get(&tokens.access, "/data/v1/batch/results").await;
    assert_eq!(none.status, 404, "no batch yet");
    let accepted = env
        .http
        .post(env.api("/data/v1/batch/transactions"))
        .bearer_auth(&tokens.access)
        .json(&json!({"pending": true, "balance": true, "account_ids_whitelist": [accounts[0], accounts[1]]}))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 202);
    let accepted: Value = accepted.json().await.unwrap();
    let waiting = env.get(&tokens.access, "/data/v1/batch/results").await;
    assert_eq!(waiting.json["status"], "Queued");
    env.advance(3).await;
    let done = env.get(&tokens.access, "/data/v1/batch/results").await;
    assert_eq!(done.json["status"], "Succeeded", "{}", done.text);
    assert_eq!(done.json["task_id"], accepted["task_id"]);
    let items = done.json["results"]["accounts"].as_array().unwrap();
    assert_eq!(items.len(), 2, "only the whitelisted accounts");
    assert!(items[0]["balance"]["current"].is_number());
    assert!(items[0]["transactions"].as_array().unwrap().len() > 10);
    assert!(items[0]["pending_transactions"].is_array());
    assert_eq!(
        done.json["results"]["cards"].as_array().unwrap().len(),
        0,
        "cards are not whitelisted"
    );
}

#[tokio::test]
async fn malformed_batches_are_validation_errors() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    for body in [
        json!({"pending": "yes"}),
        json!({"from": "someday"}),
        json!({"colour": "red"}),
        json!({"account_ids_whitelist": "all"}),
        json!({"webhook_uri": "https://example.com"}),
        json!([]),
    ] {
        let answer = env
            .http
            .post(env.api("/data/v1/batch/transactions"))
            .bearer_auth(&tokens.access)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 400, "{body}");
    }
}
