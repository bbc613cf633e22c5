//! The full link: build → lint → headless authorize in the sandbox's dialog → state check →
//! code exchange; and the code's single use.

use linkscope_truelayer::{AuthorizationCode, PkceVerifier, Scope};

use crate::support::{all_data_scopes, code_and_state, Harness};

#[tokio::test]
async fn a_full_link_yields_tokens_that_read_data() {
    let h = Harness::start().await;
    let link = h
        .client
        .auth_link(h.redirect_uri())
        .scopes(all_data_scopes())
        .providers(["uk-cs-mock", "uk-ob-all", "uk-oauth-all"])
        .build();
    let findings = link.lint(h.client.environment());
    assert!(
        findings.is_empty(),
        "a link built for the sandbox's demo client is clean: {findings:?}"
    );
    let (url, pending) = link.into_parts();
    let redirect = h.authorize(&url, "john", "doe", None).await;
    assert!(
        redirect.as_str().starts_with(crate::support::REDIRECT),
        "{redirect}"
    );
    let (code, state) = code_and_state(&redirect);
    assert!(pending.state.matches(&state));
    let tokens = h.exchange(code, pending).await.unwrap();
    assert_eq!(tokens.token_type, "Bearer");
    assert!(tokens.refresh_token.is_some(), "offline_access was granted");
    let expires_in = tokens.expires_in.unwrap().as_secs();
    assert!(expires_in > 0 && expires_in <= 3600, "{expires_in}");
    let me = h.client.me(&tokens.access_token).await.unwrap();
    assert!(me.data.credentials_id.is_some());
    assert!(!h
        .client
        .accounts(&tokens.access_token)
        .await
        .unwrap()
        .data
        .is_empty());
}

#[tokio::test]
async fn a_code_used_twice_fails_with_invalid_grant_and_a_plain_explanation() {
    let h = Harness::start().await;
    let (url, pending) = h
        .client
        .auth_link(h.redirect_uri())
        .scopes([Scope::INFO, Scope::OFFLINE_ACCESS])
        .providers(["uk-cs-mock"])
        .build()
        .into_parts();
    let redirect = h.authorize(&url, "john", "doe", None).await;
    let (code, _) = code_and_state(&redirect);
    let verifier = pending.pkce_verifier.secret().to_owned();
    h.exchange(code.clone(), pending).await.unwrap();
    let err = h
        .client
        .exchange_code(
            AuthorizationCode::new(code),
            PkceVerifier::new(verifier),
            &h.redirect_uri(),
        )
        .await
        .unwrap_err();
    let api = err.api().expect("TrueLayer's own error");
    assert_eq!(api.status, 400);
    assert_eq!(api.code.as_deref(), Some("invalid_grant"));
    assert!(
        err.explain().contains("start the link again"),
        "{}",
        err.explain()
    );
    let attempts = h
        .recorder
        .exchanges()
        .iter()
        .filter(|e| e.operation == linkscope_truelayer::Operation::ExchangeCode)
        .count();
    assert_eq!(
        attempts, 2,
        "each exchange is sent exactly once, never retried"
    );
}

#[tokio::test]
async fn a_code_older_than_five_minutes_is_refused() {
    let h = Harness::start().await;
    let (url, pending) = h
        .client
        .auth_link(h.redirect_uri())
        .scopes([Scope::INFO, Scope::OFFLINE_ACCESS])
        .providers(["uk-cs-mock"])
        .build()
        .into_parts();
    let redirect = h.authorize(&url, "john", "doe", None).await;
    let (code, _) = code_and_state(&redirect);
    h.advance_clock(301).await;
    let err = h.exchange(code, pending).await.unwrap_err();
    assert_eq!(err.code(), Some("invalid_grant"), "{err}");
}

#[tokio::test]
async fn a_wrong_verifier_is_refused() {
    let h = Harness::start().await;
    let (url, pending) = h
        .client
        .auth_link(h.redirect_uri())
        .scopes([Scope::INFO, Scope::OFFLINE_ACCESS])
        .providers(["uk-cs-mock"])
        .build()
        .into_parts();
    let redirect = h.authorize(&url, "john", "doe", None).await;
    let (code, _) = code_and_state(&redirect);
    let (other_verifier, _) = PkceVerifier::new_random_s256();
    let err = h
        .client
        .exchange_code(
            AuthorizationCode::new(code),
            other_verifier,
            &pending.redirect_uri,
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
}
