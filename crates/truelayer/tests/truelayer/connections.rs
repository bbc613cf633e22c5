//! `/connections/extend` with both mock users, and `DELETE /api/delete`.

use linkscope_truelayer::{ExtendOutcome, ExtendRequest, ExtendUser};

use crate::support::{all_data_scopes, Harness};

fn user() -> ExtendUser {
    ExtendUser {
        id: "qa-user-1".into(),
        name: Some("John Doe".into()),
        email: Some("john@example.com".into()),
        phone: None,
    }
}

#[tokio::test]
async fn extending_john_eternal_needs_no_action_and_returns_working_tokens() {
    let h = Harness::start().await;
    let linked = h.link("john", "eternal", &all_data_scopes()).await;
    let refresh = linked.tokens.refresh_token.as_ref().unwrap();
    let outcome = h
        .client
        .extend_connection(ExtendRequest::new(refresh, h.redirect_uri(), user()))
        .await
        .unwrap();
    assert_eq!(outcome.action_needed(), "no_action_needed");
    let ExtendOutcome::NoActionNeeded(tokens) = outcome else {
        unreachable!()
    };
    assert!(tokens.expires_in.is_some());
    h.client.accounts(&tokens.access_token).await.unwrap();
}

#[tokio::test]
async fn extending_john_doe_needs_authentication_with_a_link_and_pending_secrets() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let refresh = linked.tokens.refresh_token.as_ref().unwrap();
    let outcome = h
        .client
        .extend_connection(ExtendRequest::new(refresh, h.redirect_uri(), user()))
        .await
        .unwrap();
    assert_eq!(outcome.action_needed(), "authentication_needed");
    let ExtendOutcome::AuthenticationNeeded {
        user_input_link,
        pending,
    } = outcome
    else {
        unreachable!()
    };
    assert!(
        user_input_link.as_str().starts_with(h.sandbox.auth_url()),
        "the sandbox sends the user to its own dialog: {user_input_link}"
    );
    assert_eq!(pending.redirect_uri, h.redirect_uri());
    assert_eq!(pending.pkce_verifier.challenge().as_str().len(), 43);
    let sent = h
        .recorder
        .exchanges()
        .into_iter()
        .find(|e| e.operation == linkscope_truelayer::Operation::ExtendConnection)
        .unwrap();
    let body: serde_json::Value =
        serde_json::from_str(sent.request_body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body["state"],
        linkscope_truelayer::REDACTED,
        "the recorded request keeps no state"
    );
    let redirect = h.authorize(&user_input_link, "john", "doe", None).await;
    let (_, state) = crate::support::code_and_state(&redirect);
    assert!(
        pending.state.matches(&state),
        "the pending state is the one sent: the sandbox's redirect brings it back"
    );
}

#[tokio::test]
async fn extend_with_an_unknown_refresh_token_is_a_problem_json_error() {
    let h = Harness::start().await;
    let bogus = linkscope_truelayer::RefreshToken::new("bogus-refresh-token");
    let err = h
        .client
        .extend_connection(ExtendRequest::new(&bogus, h.redirect_uri(), user()))
        .await
        .unwrap_err();
    let api = err.api().expect("TrueLayer's error");
    assert_eq!(api.status, 401, "{api}");
    assert!(
        api.description.is_some(),
        "problem+json detail is kept: {api}"
    );
}

#[tokio::test]
async fn a_deleted_connection_no_longer_reads_data() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let token = &linked.tokens.access_token;
    h.client.accounts(token).await.unwrap();
    h.client.delete_connection(token).await.unwrap();
    let err = h.client.accounts(token).await.unwrap_err();
    assert!(matches!(err.status(), Some(401 | 403)), "{err}");
    let refresh = h
        .client
        .refresh(linked.tokens.refresh_token.as_ref().unwrap())
        .await;
    assert!(refresh.is_err(), "a revoked connection cannot be refreshed");
}
