//! Re-consent renews the same connection (id, label, request history), a re-consent at another
//! bank changes nothing until it is kept as a new connection, and `/me` is read on demand
//! (issue 12).

use linkscope_core::dto::{
    ConnectionStatus, ErrorCode, LinkRequest, RedirectKind, RequestFilter, RequestStatusFilter,
};
use linkscope_core::CoreEvent;

use crate::support::{advance_clock, authorize, link, request, start};

/// Every recorded exchange of a connection.
fn history(connection_id: &str) -> RequestFilter {
    RequestFilter {
        connection_id: Some(connection_id.to_owned()),
        status: RequestStatusFilter::All,
        endpoint: None,
        text: None,
        limit: 1000,
    }
}

/// A re-consent link for `connection_id`: its bank as provider_id, back by deep link.
fn reconsent(connection_id: &str, provider_id: &str) -> LinkRequest {
    LinkRequest {
        provider_id: Some(provider_id.into()),
        renews: Some(connection_id.into()),
        ..request(RedirectKind::DeepLink)
    }
}

#[tokio::test]
async fn a_reconsent_renews_the_same_connection_with_its_label_and_history() {
    let h = start().await;
    let connection = link(&h.core).await;
    h.core
        .connections()
        .rename(&connection.id, "Johns bank")
        .await
        .unwrap();
    h.core.accounts().list(&connection.id).await.unwrap();
    advance_clock(&h.core, 31 * 24 * 3600).await;
    let err = h
        .core
        .connections()
        .refresh(&connection.id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReauthRequired, "{err}");
    let history_before = h
        .core
        .requests()
        .list(history(&connection.id))
        .await
        .unwrap()
        .len();

    let preview = h
        .core
        .links()
        .start(reconsent(&connection.id, &connection.provider_id))
        .await
        .unwrap();
    assert_eq!(preview.renews.as_deref(), Some(connection.id.as_str()));
    let url = h.core.links().open(&preview.session_id).unwrap();
    let redirect = authorize(&h.core, &url, "john", "doe").await;
    let renewed = h
        .core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap();

    assert_eq!(renewed.id, connection.id, "the same connection");
    assert_eq!(renewed.label, "Johns bank", "with its label");
    assert_eq!(renewed.status, ConnectionStatus::Active);
    let all = h.core.connections().list().await.unwrap();
    assert_eq!(all.len(), 1, "no second connection: {all:#?}");
    let history_after = h
        .core
        .requests()
        .list(history(&connection.id))
        .await
        .unwrap()
        .len();
    assert!(
        history_after > history_before,
        "the old history stays and the re-consent's exchanges join it ({history_before} → {history_after})"
    );
    h.core
        .accounts()
        .list(&connection.id)
        .await
        .expect("data loads again with the new tokens");
}

#[tokio::test]
async fn a_reconsent_at_another_bank_changes_nothing_until_kept_as_a_new_connection() {
    let h = start().await;
    let connection = link(&h.core).await;
    let mut events = h.core.subscribe();
    let preview = h
        .core
        .links()
        .start(reconsent(&connection.id, "ob-monzo"))
        .await
        .unwrap();
    let url = h.core.links().open(&preview.session_id).unwrap();
    let redirect = authorize(&h.core, &url, "john", "doe").await;
    let err = h
        .core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::DifferentConnection, "{err}");
    assert!(err.to_string().contains("ob-monzo"), "{err}");
    let unchanged = h.core.connections().get(&connection.id).await.unwrap();
    assert_eq!(unchanged.provider_id, "mock");
    assert_eq!(h.core.connections().list().await.unwrap().len(), 1);

    let kept = h
        .core
        .links()
        .keep_as_new(&preview.session_id)
        .await
        .unwrap();
    assert_ne!(kept.id, connection.id);
    assert_eq!(kept.provider_id, "ob-monzo");
    assert_eq!(h.core.connections().list().await.unwrap().len(), 2);
    let completed = loop {
        if let CoreEvent::LinkCompleted(e) = events.recv().await.unwrap() {
            break e;
        }
    };
    assert_eq!(completed.session_id, preview.session_id);
    let twice = h.core.links().keep_as_new(&preview.session_id).await;
    assert_eq!(twice.unwrap_err().code(), ErrorCode::NotFound, "held once");
}

#[tokio::test]
async fn me_is_read_on_demand_with_the_client_id_and_consent_status() {
    let h = start().await;
    let connection = link(&h.core).await;
    let me = h.core.connections().read_me(&connection.id).await.unwrap();
    assert!(
        me.client_id.as_deref().is_some_and(|c| !c.is_empty()),
        "{me:?}"
    );
    assert_eq!(me.credentials_id, connection.credentials_id);
    assert_eq!(me.consent_status.as_deref(), Some("Authorised"));
    assert_eq!(me.provider_id.as_deref(), Some("mock"));
    assert!(!me.consent_end_is_fallback, "the sandbox gives an end date");
    assert_eq!(
        Some(me.consent_ends_at.clone()),
        me.consent_expires_at,
        "the clock uses /me's expiry"
    );
    let stored = h.core.connections().get(&connection.id).await.unwrap();
    assert_eq!(stored.consent_status.as_deref(), Some("Authorised"));
}
