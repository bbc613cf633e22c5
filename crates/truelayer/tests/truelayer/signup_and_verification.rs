//! Signup+ (both answer shapes) and name verification.

use std::sync::Arc;
use std::time::Duration;

use linkscope_truelayer::{
    Client, Error, MemoryRecorder, Operation, Scope, SignupPlusAccounts, Timeouts,
    TransportErrorKind,
};
use serde_json::json;

use crate::support::{all_data_scopes, environment, quick_retries, Harness};

#[tokio::test]
async fn signup_plus_with_several_accounts_asks_to_choose_then_answers_the_identity() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let token = &linked.tokens.access_token;
    let first = h.client.signup_plus_accounts(token, None).await.unwrap();
    let SignupPlusAccounts::MultipleAccounts(multiple) = &first.data else {
        panic!("john has several current accounts: {}", first.raw)
    };
    assert_eq!(multiple.result, "multiple_accounts_linked");
    assert!(multiple.accounts.len() > 1);
    let chosen = multiple.accounts[0].account_id.clone();
    assert!(multiple.links.contains_key(&chosen));
    let second = h
        .client
        .signup_plus_accounts(token, Some(&chosen))
        .await
        .unwrap();
    let SignupPlusAccounts::Identity(identity) = &second.data else {
        panic!("with account_id the identity comes back: {}", second.raw)
    };
    assert!(identity.first_name.is_some() && identity.last_name.is_some());
    assert!(identity
        .address
        .as_ref()
        .and_then(|a| a.country())
        .is_some());
}

#[tokio::test]
async fn signup_plus_with_one_account_answers_the_identity_at_once() {
    let h = Harness::start().await;
    // Link everything once to learn which current account has a single holder.
    let probe = h.link("john", "doe", &all_data_scopes()).await;
    let SignupPlusAccounts::MultipleAccounts(multiple) = h
        .client
        .signup_plus_accounts(&probe.tokens.access_token, None)
        .await
        .unwrap()
        .data
    else {
        panic!("expected several accounts")
    };
    let only = vec![multiple.accounts[0].account_id.clone()];
    let linked = h
        .link_accounts("john", "doe", &all_data_scopes(), Some(&only))
        .await;
    let answer = h
        .client
        .signup_plus_accounts(&linked.tokens.access_token, None)
        .await
        .unwrap();
    assert!(
        matches!(answer.data, SignupPlusAccounts::Identity(_)),
        "one account linked: {}",
        answer.raw
    );
    assert!(
        answer.trace_ids.trace_id.is_some(),
        "Signup+ sends Tl-Trace-Id"
    );
}

#[tokio::test]
async fn signup_plus_without_its_scope_is_a_problem_with_a_slug_code() {
    let h = Harness::start().await;
    let linked = h
        .link(
            "john",
            "doe",
            &[Scope::INFO, Scope::ACCOUNTS, Scope::OFFLINE_ACCESS],
        )
        .await;
    let err = h
        .client
        .signup_plus_accounts(&linked.tokens.access_token, None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.code(), Some("missing-claims"), "{err}");
    assert!(err.explain().contains("signupplus"));
}

#[tokio::test]
async fn verification_matches_the_holder_and_rejects_another_name() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &[Scope::VERIFICATION]).await;
    let token = &linked.tokens.access_token;
    let holder = h.client.verify_name(token, "John Doe").await.unwrap();
    assert!(holder.data.verified, "{}", holder.raw);
    assert!(!holder.data.report.is_empty());
    let stranger = h
        .client
        .verify_name(token, "Zebedee Quackenbush")
        .await
        .unwrap();
    assert!(!stranger.data.verified, "{}", stranger.raw);
    assert!(stranger.data.match_score.unwrap_or(0.0) < holder.data.match_score.unwrap_or(100.0));
}

#[tokio::test]
async fn a_verification_answered_504_is_not_sent_again() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &[Scope::VERIFICATION]).await;
    h.inject_fault(json!({
        "path": "/verification/v1/verify", "status": 504, "error": "provider_timeout", "times": 1
    }))
    .await;
    let err = h
        .client
        .verify_name(&linked.tokens.access_token, "John Doe")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(504), "{err}");
    assert_eq!(
        h.journal_count("POST", "/verification/v1/verify").await,
        1,
        "a 504 may hide a check the bank ran: the POST is not idempotent, so it is sent once"
    );
}

#[tokio::test]
async fn a_verification_that_times_out_is_not_sent_again() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &[Scope::VERIFICATION]).await;
    let recorder = MemoryRecorder::new();
    let client = Client::builder(environment(&h.sandbox))
        .observer(Arc::new(recorder.clone()))
        .retry_policy(quick_retries())
        .timeouts(Timeouts {
            connect: Duration::from_secs(5),
            request: Duration::from_millis(300),
        })
        .build()
        .unwrap();
    h.inject_fault(json!({ "latency_ms": 2000 })).await;
    let err = client
        .verify_name(&linked.tokens.access_token, "John Doe")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Timeout,
                ..
            }
        ),
        "{err}"
    );
    let attempts = recorder
        .exchanges()
        .into_iter()
        .filter(|e| e.operation == Operation::VerifyName)
        .count();
    assert_eq!(
        attempts, 1,
        "a timed-out POST may have reached the bank: no retry"
    );
}
