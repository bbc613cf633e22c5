//! Retries against injected faults: Retry-After honoured, bounded, never beyond the policy.

use std::time::Duration;

use linkscope_truelayer::{Operation, RetryPolicy};
use serde_json::json;

use crate::support::{all_data_scopes, Harness};

fn accounts_exchanges(h: &Harness) -> Vec<linkscope_truelayer::Exchange> {
    h.recorder
        .exchanges()
        .into_iter()
        .filter(|e| e.operation == Operation::Accounts)
        .collect()
}

#[tokio::test]
async fn an_injected_429_is_retried_after_its_retry_after() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    h.inject_fault(json!({
        "path": "/data/v1/accounts", "status": 429, "error": "provider_too_many_requests",
        "retry_after": 1, "times": 1
    }))
    .await;
    let accounts = h
        .client
        .accounts(&linked.tokens.access_token)
        .await
        .unwrap();
    assert!(!accounts.data.is_empty());
    let exchanges = accounts_exchanges(&h);
    assert_eq!(exchanges.len(), 2, "one 429, then the retry");
    assert_eq!(exchanges[0].status, Some(429));
    assert!(exchanges[0]
        .response_headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("retry-after") && v == "1"));
    assert_eq!((exchanges[1].status, exchanges[1].attempt), (Some(200), 2));
    let waited = exchanges[1].started_at - exchanges[0].started_at;
    assert!(
        waited >= chrono::Duration::milliseconds(990),
        "the retry waited for Retry-After (1 s), not the 10 ms backoff: {waited}"
    );
}

#[tokio::test]
async fn retries_stop_at_the_policy_bound_and_return_truelayers_error() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    h.inject_fault(json!({"path": "/data/v1/accounts", "status": 503, "error": "temporarily_unavailable", "times": 10})).await;
    let err = h
        .client
        .accounts(&linked.tokens.access_token)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("temporarily_unavailable"));
    assert_eq!(
        accounts_exchanges(&h).len(),
        4,
        "the first attempt and three retries"
    );
    assert!(err.explain().contains("try again"), "{}", err.explain());
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_is_returned_not_waited_for() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    h.inject_fault(
        json!({"path": "/data/v1/accounts", "status": 429, "retry_after": 3600, "times": 1}),
    )
    .await;
    let err = h
        .client
        .accounts(&linked.tokens.access_token)
        .await
        .unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.status, 429);
    assert_eq!(api.retry_after, Some(Duration::from_secs(3600)));
    assert_eq!(accounts_exchanges(&h).len(), 1);
}

#[tokio::test]
async fn with_retries_off_a_429_comes_straight_back() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    h.inject_fault(
        json!({"path": "/data/v1/accounts", "status": 429, "retry_after": 0, "times": 1}),
    )
    .await;
    let client = h.client_with_retry(RetryPolicy::none());
    let err = client
        .accounts(&linked.tokens.access_token)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
}

#[tokio::test]
async fn the_provider_error_user_fails_every_data_call_with_an_explained_provider_error() {
    let h = Harness::start().await;
    let linked = h
        .link("error.provider_error", "error", &all_data_scopes())
        .await;
    let err = h
        .client
        .accounts(&linked.tokens.access_token)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("provider_error"), "{err}");
    let api = err.api().unwrap();
    assert!(
        api.trace_ids.primary().is_some(),
        "trace id kept for support"
    );
    assert!(api.raw_body.contains("provider_error"));
    assert_eq!(
        err.explain(),
        linkscope_truelayer::explain("provider_error").unwrap()
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_after_bounded_retries() {
    // A port nothing listens on: bind one, note it, close it.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let env = linkscope_truelayer::Environment::new(
        &format!("http://{closed}"),
        &format!("http://{closed}"),
        linkscope_truelayer::ClientId::new("sandbox-linkscope-demo").unwrap(),
        linkscope_truelayer::ClientSecret::new("unused-secret"),
    )
    .unwrap();
    let recorder = linkscope_truelayer::MemoryRecorder::new();
    let client = linkscope_truelayer::Client::builder(env)
        .retry_policy(crate::support::quick_retries())
        .observer(std::sync::Arc::new(recorder.clone()))
        .build()
        .unwrap();
    let token = linkscope_truelayer::AccessToken::new("token-for-nobody");
    let err = client.accounts(&token).await.unwrap_err();
    assert!(
        matches!(
            err,
            linkscope_truelayer::Error::Transport {
                kind: linkscope_truelayer::TransportErrorKind::Connect,
                ..
            }
        ),
        "{err}"
    );
    let attempts = recorder.exchanges();
    assert_eq!(
        attempts.len(),
        4,
        "a refused connection never reached the server: retried up to the bound"
    );
    assert!(attempts
        .iter()
        .all(|e| e.status.is_none() && e.error.is_some()));
}
