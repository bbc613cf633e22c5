//! The link flow through the deep-link and paste paths, and every way a redirect is refused.

use std::time::Duration;

use linkscope_core::dto::{ConnectionStatus, ErrorCode, RedirectKind, Severity};
use linkscope_core::secrets::SecretStore;
use linkscope_core::{CoreEvent, Error};

use crate::support::{self, authorize, link, start, start_link, start_with};

/// Only the built-in environment's secrets (client secret, signing key and its id) may be in
/// the store.
fn only_the_client_secret(keys: &[String]) -> bool {
    keys.iter().all(|k| k.starts_with("env/builtin/"))
}

#[tokio::test]
async fn an_error_redirect_that_names_no_link_is_refused_as_unknown_and_ends_nothing() {
    let h = start().await;
    let _pending = start_link(&h.core, RedirectKind::DeepLink).await;
    // A web page can open this: without a state it belongs to no link Linkscope started, so its
    // words must not be shown as the bank's, and the real link keeps waiting.
    let err = h
        .core
        .links()
        .complete_authorization(
            "linkscope-dev://callback?error=access_denied&error_description=Your%20bank%20says%20call%20us",
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnknownState), "{err:?}");
    assert!(
        !err.to_string().contains("call us"),
        "the page's words are not shown: {err}"
    );
    assert_eq!(
        h.core.links().pending_count(),
        1,
        "the waiting link was not ended"
    );
    assert!(h.core.connections().list().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_link_through_the_sandbox_saves_a_connection_and_lists_its_accounts() {
    let h = start().await;
    let mut events = h.core.subscribe();
    let preview = start_link(&h.core, RedirectKind::DeepLink).await;
    assert_eq!(preview.redirect_uri, "linkscope-dev://callback");
    assert!(
        preview
            .findings
            .iter()
            .all(|f| f.severity != Severity::Error),
        "the default link must lint clean: {:?}",
        preview.findings
    );
    let url = h.core.links().open(&preview.session_id).unwrap();
    assert_eq!(url, preview.url);
    let redirect = authorize(&h.core, &url, "john", "doe").await;
    assert!(
        redirect.starts_with("linkscope-dev://callback?"),
        "{redirect}"
    );

    let connection = h
        .core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap();
    assert_eq!(connection.provider_id, "mock");
    assert_eq!(connection.status, ConnectionStatus::Active);
    assert!(
        connection.credentials_id.is_some(),
        "credentials_id comes from /me"
    );
    assert!(
        connection.has_refresh_token,
        "offline_access yields a refresh token"
    );
    assert!(
        connection.saved,
        "the (injected) keychain works, so the connection is saved"
    );
    assert!(connection.access_token_expires_at.is_some());
    assert_eq!(connection.environment_name, "Built-in sandbox");
    assert!(connection.scopes.iter().any(|s| s == "accounts"));

    let listed = h.core.connections().list().await.unwrap();
    assert_eq!(listed, vec![connection.clone()]);
    let mut keys = h.secrets.keys();
    keys.sort();
    assert_eq!(
        keys,
        [
            "conn/".to_owned() + &connection.id + "/access_token",
            "conn/".to_owned() + &connection.id + "/refresh_token",
            "env/builtin/client_secret".to_owned(),
            "env/builtin/signing_key".to_owned(),
            "env/builtin/signing_key_id".to_owned(),
        ]
    );

    let accounts = h.core.accounts().list(&connection.id).await.unwrap();
    assert!(!accounts.data.is_empty(), "the mock bank has accounts");
    for a in &accounts.data {
        assert!(
            a.balance.is_some(),
            "every account has a balance: {:?}",
            a.balance_error
        );
        assert!(!a.account.display_name.is_empty());
    }
    assert!(
        accounts.raw.get("/data/v1/accounts").is_some(),
        "raw bodies are kept by endpoint"
    );
    assert!(
        !accounts.trace_ids.is_empty(),
        "the sandbox sends correlation ids"
    );

    let mut names = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let CoreEvent::LinkCompleted(e) = &event {
            assert_eq!(e.session_id, preview.session_id);
        }
        names.push(event.name());
    }
    assert!(
        names.contains(&"link://waiting") && names.contains(&"link://completed"),
        "{names:?}"
    );
}

#[tokio::test]
async fn pasted_code_and_state_alone_complete_the_link() {
    let h = start().await;
    let preview = start_link(&h.core, RedirectKind::Console).await;
    assert_eq!(
        preview.redirect_uri,
        "https://console.truelayer.com/redirect-page"
    );
    // The demo client does not register the console page: the linter says so…
    assert!(preview
        .findings
        .iter()
        .any(|f| f.code == "redirect_uri_not_registered"));
    // …so paste a deep-link redirect's parameters instead, as a user copying them would.
    let preview = start_link(&h.core, RedirectKind::DeepLink).await;
    let redirect = authorize(&h.core, &preview.url, "john", "doe").await;
    let query = redirect.split_once('?').unwrap().1.to_owned();
    let connection = h
        .core
        .links()
        .complete_authorization(&format!("  {query}\n"))
        .await
        .unwrap();
    assert_eq!(connection.provider_id, "mock");
}

#[tokio::test]
async fn an_unknown_state_is_refused_and_nothing_is_stored() {
    let h = start().await;
    let mut events = h.core.subscribe();
    let _pending = start_link(&h.core, RedirectKind::DeepLink).await;
    let err = h
        .core
        .links()
        .complete_authorization("linkscope-dev://callback?code=forged&state=not-ours")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnknownState), "{err:?}");
    assert_eq!(err.code(), ErrorCode::UnknownState);
    assert!(h.core.connections().list().await.unwrap().is_empty());
    assert!(
        only_the_client_secret(&h.secrets.keys()),
        "{:?}",
        h.secrets.keys()
    );
    assert_eq!(
        h.core.links().pending_count(),
        1,
        "a forged redirect does not end a real link"
    );
    match events.try_recv().unwrap() {
        CoreEvent::LinkFailed(e) => {
            assert_eq!(
                e.session_id, "",
                "a redirect that matches no session names none"
            );
            assert_eq!(e.error.code, ErrorCode::UnknownState);
        }
        other => panic!("expected link://failed, got {other:?}"),
    }
}

#[tokio::test]
async fn a_reused_state_is_refused_the_second_time() {
    let h = start().await;
    let preview = start_link(&h.core, RedirectKind::DeepLink).await;
    let redirect = authorize(&h.core, &preview.url, "john", "doe").await;
    h.core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap();
    let err = h
        .core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::LinkAlreadyUsed,
        "refused as already used, not as unknown: {err}"
    );
    assert_eq!(
        h.core.connections().list().await.unwrap().len(),
        1,
        "still exactly one"
    );
}

#[tokio::test]
async fn an_expired_link_is_refused_and_nothing_is_stored() {
    let h = start_with(|c| c.link_ttl = Duration::from_millis(300)).await;
    let preview = start_link(&h.core, RedirectKind::DeepLink).await;
    let redirect = authorize(&h.core, &preview.url, "john", "doe").await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(matches!(
        h.core.links().open(&preview.session_id),
        Err(Error::LinkExpired)
    ));
    let err = h
        .core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::LinkExpired, "{err}");
    assert!(h.core.connections().list().await.unwrap().is_empty());
    assert!(only_the_client_secret(&h.secrets.keys()));
}

#[tokio::test]
async fn a_refused_login_is_shown_as_the_users_refusal_and_ends_the_link() {
    let h = start().await;
    let preview = start_link(&h.core, RedirectKind::DeepLink).await;
    let redirect = authorize(&h.core, &preview.url, "john", "wrong-password").await;
    assert!(redirect.contains("error=access_denied"), "{redirect}");
    let err = h
        .core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AccessDeniedByUser, "{err}");
    assert!(err.to_string().contains("Nothing was saved"));
    assert_eq!(
        h.core.links().pending_count(),
        0,
        "the refusal ended its link"
    );
    assert!(h.core.connections().list().await.unwrap().is_empty());
    assert!(only_the_client_secret(&h.secrets.keys()));
}

#[tokio::test]
async fn malformed_redirects_are_refused_without_touching_the_pending_link() {
    let h = start().await;
    let preview = start_link(&h.core, RedirectKind::DeepLink).await;
    let redirect = authorize(&h.core, &preview.url, "john", "doe").await;
    let query = redirect.split_once('?').unwrap().1;
    for bad in [
        format!("linkscope://callback?{query}"), // the release scheme in a dev build
        format!("evil://callback?{query}"),
        format!("linkscope-dev://elsewhere?{query}"),
        format!("{redirect}&state=again"),
        "linkscope-dev://callback?state=x".to_owned(),
        String::new(),
    ] {
        let err = h
            .core
            .links()
            .complete_authorization(&bad)
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidCallback, "{bad}: {err}");
    }
    assert_eq!(h.core.links().pending_count(), 1);
    h.core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_redirect_on_another_uri_than_its_link_is_refused() {
    let h = start().await;
    let preview = start_link(&h.core, RedirectKind::Loopback).await;
    let redirect = authorize(&h.core, &preview.url, "john", "doe").await;
    let query = redirect.split_once('?').unwrap().1;
    let err = h
        .core
        .links()
        .complete_authorization(&format!("linkscope-dev://callback?{query}"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidCallback, "{err}");
    assert!(h.core.connections().list().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_cancelled_link_cannot_complete() {
    let h = start().await;
    let preview = start_link(&h.core, RedirectKind::DeepLink).await;
    let redirect = authorize(&h.core, &preview.url, "john", "doe").await;
    h.core.links().cancel(&preview.session_id).await.unwrap();
    let err = h
        .core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownState);
}

#[tokio::test]
async fn the_built_in_environment_is_seeded_active_with_its_secret() {
    let h = start().await;
    let envs = h.core.environments().list().await.unwrap();
    assert_eq!(envs.len(), 1);
    let builtin = &envs[0];
    assert!(builtin.active && builtin.has_client_secret && builtin.is_sandbox && !builtin.is_live);
    assert_eq!(builtin.auth_url, support::auth_url(&h.core));
    let stored = h
        .secrets
        .get(&linkscope_core::secrets::SecretKey::client_secret(
            "builtin",
        ))
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.expose(),
        h.core.sandbox().unwrap().demo_client().client_secret
    );
    let providers = h
        .core
        .environments()
        .providers("builtin", false)
        .await
        .unwrap();
    assert_eq!(
        providers.providers[0].provider_id, "mock",
        "Mock is pinned first in sandboxes"
    );
    let again = h
        .core
        .environments()
        .providers("builtin", false)
        .await
        .unwrap();
    assert_eq!(
        again.fetched_at, providers.fetched_at,
        "the second call is served from the cache"
    );
}

#[tokio::test]
async fn a_connection_detail_carries_claims_but_never_the_token() {
    let h = start().await;
    let connection = link(&h.core).await;
    let detail = h
        .core
        .connections()
        .get_detail(&connection.id)
        .await
        .unwrap();
    assert!(
        detail.token_claims.contains_key("exp"),
        "{:?}",
        detail.token_claims
    );
    let token = h
        .secrets
        .get(&linkscope_core::secrets::SecretKey::access_token(
            &connection.id,
        ))
        .unwrap()
        .unwrap();
    let json = serde_json::to_string(&detail).unwrap();
    assert!(
        !json.contains(token.expose()),
        "the DTO must not carry the token"
    );
    let renamed = h
        .core
        .connections()
        .rename(&connection.id, "  Household  ")
        .await
        .unwrap();
    assert_eq!(renamed.label, "Household");
    assert!(h
        .core
        .connections()
        .rename(&connection.id, " ")
        .await
        .is_err());
}
