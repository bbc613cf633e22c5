//! Refresh, client_credentials, expiry and the token errors, against the sandbox's token endpoint.

use linkscope_truelayer::{Client, ClientSecret, Environment, RefreshToken, Scope};

use crate::support::{all_data_scopes, environment, Harness};

#[tokio::test]
async fn a_refresh_gives_a_new_access_token_that_works() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let refresh = linked.tokens.refresh_token.as_ref().unwrap();
    let refreshed = h.client.refresh(refresh).await.unwrap();
    assert_ne!(
        refreshed.access_token.secret(),
        linked.tokens.access_token.secret(),
        "TrueLayer: access tokens change on every refresh"
    );
    assert!(refreshed.expires_at().is_some());
    h.client.accounts(&refreshed.access_token).await.unwrap();
}

#[tokio::test]
async fn an_expired_access_token_is_invalid_token_and_a_refresh_recovers() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    h.advance_clock(3601).await;
    let err = h
        .client
        .accounts(&linked.tokens.access_token)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
    assert_eq!(err.code(), Some("invalid_token"), "{err}");
    let refreshed = h
        .client
        .refresh(linked.tokens.refresh_token.as_ref().unwrap())
        .await
        .unwrap();
    h.client.accounts(&refreshed.access_token).await.unwrap();
}

#[tokio::test]
async fn an_unknown_refresh_token_is_refused_without_retrying() {
    let h = Harness::start().await;
    let err = h
        .client
        .refresh(&RefreshToken::new("not-a-refresh-token"))
        .await
        .unwrap_err();
    let api = err.api().expect("TrueLayer's error");
    assert!(matches!(api.status, 400 | 401), "{api}");
    assert!(api.code.is_some(), "{api}");
    assert_eq!(h.recorder.exchanges().len(), 1, "a 4xx is never retried");
}

#[tokio::test]
async fn after_the_consent_ends_a_refresh_is_invalid_grant() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    h.advance_clock(91 * 24 * 3600).await;
    let err = h
        .client
        .refresh(linked.tokens.refresh_token.as_ref().unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("invalid_grant"), "{err}");
}

#[tokio::test]
async fn client_credentials_give_a_token_without_refresh_token() {
    let h = Harness::start().await;
    let tokens = h
        .client
        .client_credentials(&[Scope::SIGNUP_PLUS])
        .await
        .unwrap();
    assert!(tokens.refresh_token.is_none());
    assert!(!tokens.access_token.secret().is_empty());
}

#[tokio::test]
async fn a_wrong_client_secret_is_invalid_client_with_advice() {
    let h = Harness::start().await;
    let right = environment(&h.sandbox);
    let wrong = Environment::new(
        right.auth_url().as_str(),
        right.api_url().as_str(),
        right.client_id().clone(),
        ClientSecret::new("wrong-secret"),
    )
    .unwrap();
    let client = Client::new(wrong).unwrap();
    let err = client
        .client_credentials(&[Scope::SIGNUP_PLUS])
        .await
        .unwrap_err();
    let api = err.api().expect("TrueLayer's error");
    assert!(matches!(api.status, 400 | 401), "{api}");
    assert!(
        matches!(
            api.code.as_deref(),
            Some("invalid_client" | "unauthorized_client")
        ),
        "{api}"
    );
    assert!(
        err.explain().contains("credentials") || err.explain().contains("client"),
        "{}",
        err.explain()
    );
}

#[tokio::test]
async fn the_sandbox_issues_rs256_tokens_that_verify_against_its_jwks_and_a_tampered_one_does_not()
{
    use linkscope_truelayer::{inspect_jwt, SignatureCheck};
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let jwks = h.client.token_jwks().await.unwrap();
    let token = linked.tokens.access_token.secret();
    let inspection = inspect_jwt(token, Some(&jwks)).unwrap();
    assert_eq!(
        inspection.header["alg"], "RS256",
        "TrueLayer signs with RS256"
    );
    let kid = inspection.header["kid"].as_str().unwrap().to_owned();
    assert_eq!(inspection.signature, SignatureCheck::Verified { kid });
    assert_eq!(inspection.claims["aud"], "data_api");

    // The same token with one claim changed: header and signature kept, claims re-encoded.
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims = inspection.claims.clone();
    claims.insert("sub".into(), "someone-else".into());
    let forged_claims = base64_url(&serde_json::to_vec(&claims).unwrap());
    let forged = format!("{}.{forged_claims}.{}", parts[0], parts[2]);
    let forged = inspect_jwt(&forged, Some(&jwks)).unwrap();
    match forged.signature {
        SignatureCheck::NotVerified { reason } => {
            assert!(reason.contains("does not match"), "{reason}")
        }
        other => panic!("a forged token must not verify: {other:?}"),
    }
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
