//! The recording hook never sees a secret: a whole session (link, every kind of call, refresh,
//! extend with new tokens, client credentials, an error, revocation) is recorded, then every
//! recorded byte is searched for every secret that was in play.

use linkscope_truelayer::{
    AuthorizationCode, DataRequest, ExtendOutcome, ExtendRequest, ExtendUser, PkceVerifier,
    PollOptions, ProvidersQuery, Scope, REDACTED,
};
use serde_json::Value;

use crate::support::{all_data_scopes, Harness};

/// A secret as it may appear in a URL or form body.
fn encodings(secret: &str) -> Vec<String> {
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    vec![secret.to_owned(), form.clone(), form.replace('+', "%20")]
}

#[tokio::test]
async fn no_recorded_exchange_contains_any_secret() {
    let h = Harness::start().await;
    let mut secrets: Vec<(&str, String)> = vec![(
        "client secret",
        h.client.environment().client_secret().secret().to_owned(),
    )];

    // john/eternal: extend answers with fresh tokens, so new secrets arrive in a response body.
    let linked = h.link("john", "eternal", &all_data_scopes()).await;
    secrets.push(("code", linked.code.clone()));
    secrets.push(("verifier", linked.verifier.clone()));
    secrets.push((
        "access token",
        linked.tokens.access_token.secret().to_owned(),
    ));
    let refresh = linked.tokens.refresh_token.as_ref().unwrap();
    secrets.push(("refresh token", refresh.secret().to_owned()));
    let token = &linked.tokens.access_token;

    // Data calls of every kind, async mode, Signup+, verification, providers.
    let accounts = h.client.accounts(token).await.unwrap().data;
    h.client
        .account_balance(token, &accounts[0].account_id)
        .await
        .unwrap();
    h.client
        .account_transactions(token, &accounts[0].account_id, None)
        .await
        .unwrap();
    h.client.cards(token).await.unwrap();
    h.client.me(token).await.unwrap();
    h.client.info(token).await.unwrap();
    h.client
        .providers(&ProvidersQuery::default())
        .await
        .unwrap();
    let _ = h.client.signup_plus_accounts(token, None).await;
    let _ = h.client.verify_name(token, "John Doe").await;
    let task = h
        .client
        .start_async(token, &DataRequest::Accounts, None)
        .await
        .unwrap()
        .data;
    h.advance_clock(5).await;
    let _ = h
        .client
        .wait_async::<Value>(token, &task, PollOptions::default(), |_| {})
        .await;

    // A refresh, a client-credentials token, an extend that returns new tokens.
    let refreshed = h.client.refresh(refresh).await.unwrap();
    secrets.push((
        "refreshed access token",
        refreshed.access_token.secret().to_owned(),
    ));
    if let Some(r) = &refreshed.refresh_token {
        secrets.push(("refreshed refresh token", r.secret().to_owned()));
    }
    let cc = h
        .client
        .client_credentials(&[Scope::SIGNUP_PLUS])
        .await
        .unwrap();
    secrets.push((
        "client credentials token",
        cc.access_token.secret().to_owned(),
    ));
    let user = ExtendUser {
        id: "u1".into(),
        name: Some("John Doe".into()),
        email: Some("john@example.com".into()),
        phone: None,
    };
    let ExtendOutcome::NoActionNeeded(extended) = h
        .client
        .extend_connection(ExtendRequest::new(
            refreshed.refresh_token.as_ref().unwrap_or(refresh),
            h.redirect_uri(),
            user,
        ))
        .await
        .unwrap()
    else {
        panic!("john/eternal needs no action")
    };
    secrets.push((
        "extended access token",
        extended.access_token.secret().to_owned(),
    ));
    if let Some(r) = &extended.refresh_token {
        secrets.push(("extended refresh token", r.secret().to_owned()));
    }

    // An error answer: the used code sent again.
    let err = h
        .client
        .exchange_code(
            AuthorizationCode::new(linked.code.clone()),
            PkceVerifier::new(linked.verifier.clone()),
            &h.redirect_uri(),
        )
        .await
        .unwrap_err();
    let error_body = err.api().map(|e| e.raw_body.clone()).unwrap_or_default();

    h.client
        .delete_connection(&extended.access_token)
        .await
        .unwrap();

    let exchanges = h.recorder.exchanges();
    assert!(
        exchanges.len() >= 17,
        "the whole session was recorded: {}",
        exchanges.len()
    );
    let recorded =
        serde_json::to_string(&exchanges).unwrap() + &format!("{exchanges:?}") + &error_body;
    for (what, secret) in &secrets {
        assert!(secret.len() >= 16, "{what} is a realistic secret");
        for form in encodings(secret) {
            assert!(
                !recorded.contains(&form),
                "the {what} leaked into a recording"
            );
        }
    }

    // Redaction happened where the secrets were (not just nothing recorded).
    let token_calls: Vec<_> = exchanges
        .iter()
        .filter(|e| e.url.ends_with("/connect/token"))
        .collect();
    assert!(token_calls.len() >= 4);
    for call in &token_calls {
        let body = call.request_body.as_deref().unwrap();
        assert!(body.contains("client_secret=%5BREDACTED%5D"), "{body}");
        if call.status == Some(200) {
            let response: Value =
                serde_json::from_str(call.response_body.as_deref().unwrap()).unwrap();
            assert_eq!(response["access_token"], REDACTED);
        }
    }
    let bearer_calls = exchanges
        .iter()
        .flat_map(|e| &e.request_headers)
        .filter(|(k, _)| k == "authorization")
        .collect::<Vec<_>>();
    assert!(!bearer_calls.is_empty());
    assert!(bearer_calls
        .iter()
        .all(|(_, v)| v == &format!("Bearer {REDACTED}")));
    assert!(
        exchanges.iter().any(|e| !e.trace_ids.is_empty()),
        "trace ids are recorded"
    );
}
