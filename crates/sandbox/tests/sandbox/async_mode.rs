//! Async mode: 202 + task, Queued → Running → Succeeded/Failed with time, loopback webhooks,
//! and the batch endpoints.

use axum::routing::post;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::support::{Env, ALL_SCOPES};

/// One delivery as the receiver saw it.
#[derive(Debug)]
struct Delivery {
    path: String,
    headers: axum::http::HeaderMap,
    raw: Vec<u8>,
    body: Value,
}

/// A loopback server that answers the first `failures` deliveries with 500, then 200, and hands
/// every POST (path, headers, body) to the returned channel.
async fn webhook_receiver_failing(failures: usize) -> (String, mpsc::UnboundedReceiver<Delivery>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let app = axum::Router::new().route(
        "/hook",
        post(
            move |uri: axum::http::Uri, headers: axum::http::HeaderMap, raw: axum::body::Bytes| {
                let tx = tx.clone();
                let n = seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                async move {
                    let body = serde_json::from_slice(&raw).unwrap_or(Value::Null);
                    let _ = tx.send(Delivery {
                        path: uri.path().to_owned(),
                        headers,
                        raw: raw.to_vec(),
                        body,
                    });
                    if n < failures {
                        axum::http::StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        axum::http::StatusCode::OK
                    }
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, rx)
}

async fn webhook_receiver() -> (String, mpsc::UnboundedReceiver<Delivery>) {
    webhook_receiver_failing(0).await
}

async fn next(received: &mut mpsc::UnboundedReceiver<Delivery>) -> Delivery {
    tokio::time::timeout(std::time::Duration::from_secs(10), received.recv())
        .await
        .expect("a delivery arrives")
        .unwrap()
}

/// Starts an async accounts call with `hook` as its webhook and moves the clock past its end.
async fn async_accounts_with(env: &Env, access: &str, hook: &str) -> Value {
    let accepted = env
        .get(
            access,
            &format!("/data/v1/accounts?async=true&webhook_uri={hook}"),
        )
        .await;
    assert_eq!(accepted.status, 202, "{}", accepted.text);
    env.advance(3).await;
    accepted.json
}

/// Checks a delivery's `Tl-Signature` with TrueLayer's library against the JWKS its `jku` names.
async fn verify(env: &Env, delivery: &Delivery) -> Result<(), truelayer_signing::Error> {
    let signature = delivery.headers["tl-signature"].to_str().unwrap();
    let header = truelayer_signing::extract_jws_header(signature).unwrap();
    let jku = header.jku.as_deref().unwrap().to_owned();
    assert_eq!(
        jku,
        env.api("/webhooks/jwks"),
        "the jku is on the sandbox's own host"
    );
    let jwks = env
        .http
        .get(&jku)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let headers: Vec<(&str, &[u8])> = delivery
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_bytes()))
        .collect();
    truelayer_signing::verify_with_jwks(&jwks)
        .method(truelayer_signing::Method::Post)
        .path(&delivery.path)
        .require_header("X-Tl-Webhook-Timestamp")
        .headers(headers)
        .body(&delivery.raw)
        .build_verifier()
        .verify(signature)
}

fn webhook_entries(journal: &Value) -> Vec<Value> {
    journal["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["server"] == "webhook")
        .cloned()
        .collect()
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
    let body = next(&mut received).await.body;
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
    let deliveries = webhook_entries(&journal.json);
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0]["status"], 200);
    assert_eq!(deliveries[0]["attempt"], 1);
}

#[tokio::test]
async fn a_webhook_is_signed_with_a_key_its_jku_publishes() {
    let env = Env::start().await;
    let (hook, mut received) = webhook_receiver().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    async_accounts_with(&env, &tokens.access, &hook).await;
    let delivery = next(&mut received).await;
    verify(&env, &delivery)
        .await
        .expect("truelayer-signing verifies the delivery against the sandbox's JWKS");
    let jwks = env.get_url(&env.api("/webhooks/jwks")).await.json;
    assert_eq!(jwks["keys"][0]["crv"], "P-521");
    assert_eq!(jwks["keys"][0]["alg"], "ES512");
    assert!(delivery.headers.contains_key("x-tl-webhook-timestamp"));
}

#[tokio::test]
async fn a_failed_delivery_is_retried_with_backoff_and_each_attempt_is_journaled() {
    let env = Env::start().await;
    let (hook, mut received) = webhook_receiver_failing(2).await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    async_accounts_with(&env, &tokens.access, &hook).await;
    let attempts = [
        next(&mut received).await,
        next(&mut received).await,
        next(&mut received).await,
    ];
    assert_eq!(
        attempts[0].raw, attempts[2].raw,
        "a retry sends the same body"
    );
    verify(&env, &attempts[2])
        .await
        .expect("the retry is signed too");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(received.try_recv().is_err(), "no attempt after a 200");
    let journal = env.get_url(&env.auth("/__sandbox/requests")).await;
    let statuses: Vec<(Value, Value)> = webhook_entries(&journal.json)
        .iter()
        .map(|e| (e["attempt"].clone(), e["status"].clone()))
        .collect();
    assert_eq!(
        statuses,
        [
            (json!(1), json!(500)),
            (json!(2), json!(500)),
            (json!(3), json!(200))
        ]
    );
}

#[tokio::test]
async fn a_delivery_that_always_fails_stops_after_the_last_attempt() {
    let env = Env::start().await;
    let (hook, mut received) = webhook_receiver_failing(usize::MAX).await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    async_accounts_with(&env, &tokens.access, &hook).await;
    for _ in 0..linkscope_sandbox::webhooks::MAX_ATTEMPTS {
        next(&mut received).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert!(received.try_recv().is_err(), "bounded: no fifth attempt");
}

#[tokio::test]
async fn a_tampered_delivery_fails_verification_and_the_flag_is_spent() {
    let env = Env::start().await;
    let (hook, mut received) = webhook_receiver().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let armed = env
        .post_json(
            &env.auth("/__sandbox/webhooks"),
            &json!({"tamper_next": true}),
        )
        .await;
    assert_eq!(armed.json["tamper_next"], true, "{}", armed.text);
    async_accounts_with(&env, &tokens.access, &hook).await;
    let tampered = next(&mut received).await;
    assert_eq!(
        tampered.body["status"], "Failed",
        "the body says what was not signed"
    );
    assert!(
        verify(&env, &tampered).await.is_err(),
        "the signature no longer matches"
    );
    async_accounts_with(&env, &tokens.access, &hook).await;
    let honest = next(&mut received).await;
    verify(&env, &honest)
        .await
        .expect("only the next delivery is tampered with");
    let refused = env
        .post_json(
            &env.auth("/__sandbox/webhooks"),
            &json!({"tamper_next": "yes"}),
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    assert_eq!(
        env.get_url(&env.auth("/__sandbox/webhooks")).await.json["tamper_next"],
        false,
        "a refused control changes nothing"
    );
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
