//! The Client Tracking API against the sandbox's tracking listener: a tracked link's events come
//! back typed and in order, an unopened link has none, and only a `tracking` token is answered.

use linkscope_truelayer::{Error, Scope, TrackedEventName};

use crate::support::{code_and_state, Harness};

#[tokio::test]
async fn a_tracked_links_events_come_back_typed_and_in_order() {
    let h = Harness::start().await;
    let link = h
        .client
        .auth_link(h.redirect_uri())
        .scopes([Scope::ACCOUNTS])
        .providers(["uk-cs-mock"])
        .tracking_id("client-test-1")
        .build();
    let (url, pending) = link.into_parts();
    let redirect = h.authorize(&url, "john", "doe", None).await;
    let (code, _) = code_and_state(&redirect);
    h.exchange(code, pending).await.unwrap();
    let token = h
        .client
        .client_credentials(&[Scope::TRACKING])
        .await
        .unwrap()
        .access_token;

    let events = h
        .client
        .tracked_events(&token, "client-test-1")
        .await
        .unwrap()
        .data;
    let names: Vec<TrackedEventName> = events.iter().map(|e| e.name).collect();
    assert_eq!(
        names,
        [
            TrackedEventName::DialogStarted,
            TrackedEventName::ConsentGranted,
            TrackedEventName::ProviderSelected,
            TrackedEventName::ProviderAuthStarted,
            TrackedEventName::ProviderAuthorized,
            TrackedEventName::CodeExchanged,
        ]
    );
    assert!(
        events[4].credentials_id.is_some(),
        "the login names the connection"
    );
    assert_eq!(events[2].provider_id.as_deref(), Some("mock"));

    let none = h
        .client
        .tracked_events(&token, "never-opened")
        .await
        .unwrap();
    assert!(
        none.data.is_empty(),
        "nothing recorded is an empty trail, not an error"
    );
    assert_eq!(none.status, 404);
}

#[tokio::test]
async fn a_token_without_the_tracking_scope_is_refused_with_401() {
    let h = Harness::start().await;
    let token = h
        .client
        .client_credentials(&[Scope::VERIFICATION])
        .await
        .unwrap()
        .access_token;
    let err = h.client.tracked_events(&token, "x").await.unwrap_err();
    let Error::Api(api) = err else {
        panic!("expected TrueLayer's refusal, got {err:?}")
    };
    assert_eq!(api.status, 401);
}
