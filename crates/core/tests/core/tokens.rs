//! Token lifecycle against the sandbox: single-flight refresh after a 401, proactive refresh,
//! and `invalid_grant` → `reauth_required`.

use std::time::Duration;

use linkscope_core::dto::{ConnectionStatus, ErrorCode};
use serde_json::json;

use crate::support::{
    advance_clock, arm_fault, clear_sandbox_requests, count, link, sandbox_requests, start,
    start_with,
};

#[tokio::test]
async fn ten_concurrent_calls_after_expiry_cause_exactly_one_refresh() {
    let h = start().await;
    let connection = link(&h.core).await;
    clear_sandbox_requests(&h.core).await;
    // The sandbox now considers the access token expired; Core's clock does not know yet.
    advance_clock(&h.core, 2 * 3600).await;

    let calls = (0..10).map(|_| h.core.accounts().list(&connection.id));
    let results = futures::future::join_all(calls).await;
    for r in &results {
        assert!(
            r.is_ok(),
            "every call succeeds after the refresh: {:?}",
            r.as_ref().err()
        );
    }
    let requests = sandbox_requests(&h.core).await;
    assert_eq!(
        count(&requests, "/connect/token", None),
        1,
        "single-flight: one refresh"
    );
    assert!(
        count(&requests, "/data/v1/accounts", Some(401)) >= 1,
        "the refresh was caused by 401 invalid_token"
    );
    let after = h.core.connections().get(&connection.id).await.unwrap();
    assert!(
        after.last_refresh_at.is_some(),
        "the refresh is recorded on the connection"
    );
}

#[tokio::test]
async fn a_token_inside_the_refresh_margin_is_refreshed_before_the_call() {
    // A margin longer than the token's life: every lease finds the token expiring.
    let h = start_with(|c| c.refresh_margin = Duration::from_secs(2 * 3600)).await;
    let connection = link(&h.core).await;
    clear_sandbox_requests(&h.core).await;
    h.core.accounts().list(&connection.id).await.unwrap();
    let requests = sandbox_requests(&h.core).await;
    let token = requests.iter().position(|r| r["path"] == "/connect/token");
    let accounts = requests
        .iter()
        .position(|r| r["path"] == "/data/v1/accounts");
    assert!(
        token.is_some() && token < accounts,
        "refresh first, then the call: {requests:#?}"
    );
    assert_eq!(
        count(&requests, "/data/v1/accounts", Some(401)),
        0,
        "no 401 was needed"
    );
}

#[tokio::test]
async fn an_invalid_grant_on_refresh_marks_the_connection_reauth_required() {
    let h = start().await;
    let connection = link(&h.core).await;
    let mut events = h.core.subscribe();
    arm_fault(
        &h.core,
        json!({"path": "/connect/token", "status": 400, "error": "invalid_grant", "times": 1}),
    )
    .await;
    let err = h
        .core
        .connections()
        .refresh(&connection.id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReauthRequired, "{err}");
    let after = h.core.connections().get(&connection.id).await.unwrap();
    assert_eq!(after.status, ConnectionStatus::ReauthRequired);
    let err = h.core.accounts().list(&connection.id).await.unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::ReauthRequired,
        "data calls stop until re-consent"
    );
    let updated = loop {
        if let linkscope_core::CoreEvent::ConnectionUpdated(e) = events.recv().await.unwrap() {
            break e;
        }
    };
    assert_eq!(updated.connection.status, ConnectionStatus::ReauthRequired);
}

#[tokio::test]
async fn an_expired_consent_is_explained_as_such() {
    let h = start().await;
    let connection = link(&h.core).await;
    advance_clock(&h.core, 91 * 24 * 3600).await;
    let err = h.core.accounts().list(&connection.id).await.unwrap_err();
    // The access token expired too, so Core refreshes first: the sandbox refuses the refresh
    // token of an expired consent with invalid_grant.
    assert!(
        matches!(
            err.code(),
            ErrorCode::ReauthRequired | ErrorCode::ConsentExpired
        ),
        "{err}"
    );
}
