//! Extend (both outcomes, the user-input one completed through the sandbox's real dialog and
//! the normal redirect path), revoke and forget.

use linkscope_core::dto::{ConnectionStatus, ErrorCode, ExtendAction, ExtendOutcome, RedirectKind};
use linkscope_core::secrets::SecretKey;
use linkscope_core::CoreEvent;

use crate::support::{
    advance_clock, complete_user_input, count, link, link_as, sandbox_requests, start, stored,
};

const SCOPES: [&str; 5] = [
    "info",
    "accounts",
    "balance",
    "transactions",
    "offline_access",
];

#[tokio::test]
async fn extending_john_eternal_renews_the_tokens_and_the_consent_at_once() {
    let h = start().await;
    let linked = link_as(&h.core, &SCOPES, "john", "eternal").await;
    let id = linked.connection.id.clone();
    let old_expiry = linked.connection.consent_expires_at.clone().unwrap();
    advance_clock(&h.core, 20 * 24 * 3600).await;
    // Read the token only now: the clock move makes the next call refresh it first.
    h.core.accounts().list(&id).await.unwrap();
    let before = stored(&h.secrets, &SecretKey::access_token(&id)).unwrap();

    let outcome = h
        .core
        .lifecycle()
        .extend(&id, RedirectKind::DeepLink)
        .await
        .unwrap();
    let ExtendOutcome::Renewed { connection } = outcome else {
        panic!("john/eternal needs no action: {outcome:?}");
    };
    assert_eq!(connection.id, id, "the same connection");
    assert_eq!(connection.status, ConnectionStatus::Active);
    let after = stored(&h.secrets, &SecretKey::access_token(&id)).unwrap();
    assert_ne!(before, after, "a new access token was stored");
    let new_expiry = connection.consent_expires_at.clone().unwrap();
    assert!(
        new_expiry > old_expiry,
        "the consent now ends 90 days after the extension: {old_expiry} → {new_expiry}"
    );
    h.core
        .accounts()
        .list(&id)
        .await
        .expect("the renewed token reads data");
}

#[tokio::test]
async fn extending_john_doe_sends_the_user_to_the_bank_and_the_redirect_renews_the_same_connection()
{
    let h = start().await;
    let connection = link(&h.core).await;
    let id = connection.id.clone();
    let old_access = stored(&h.secrets, &SecretKey::access_token(&id)).unwrap();
    let old_refresh = stored(&h.secrets, &SecretKey::refresh_token(&id)).unwrap();
    let mut events = h.core.subscribe();

    let outcome = h
        .core
        .lifecycle()
        .extend(&id, RedirectKind::DeepLink)
        .await
        .unwrap();
    let ExtendOutcome::UserInputNeeded { action, preview } = outcome else {
        panic!("john/doe must log in again: {outcome:?}");
    };
    assert_eq!(action, ExtendAction::AuthenticationNeeded);
    assert_eq!(preview.redirect_uri, "linkscope-dev://callback");
    let url = h.core.links().open(&preview.session_id).unwrap();
    assert_eq!(
        url, preview.url,
        "open_link opens TrueLayer's user_input_link"
    );

    let redirect = complete_user_input(&h.core, &url, "john", "doe").await;
    assert!(
        redirect.starts_with("linkscope-dev://callback?"),
        "{redirect}"
    );
    let renewed = h
        .core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap();
    assert_eq!(renewed.id, id, "the redirect renewed this connection");
    assert_eq!(
        h.core.connections().list().await.unwrap().len(),
        1,
        "no new connection was created"
    );
    let new_access = stored(&h.secrets, &SecretKey::access_token(&id)).unwrap();
    let new_refresh = stored(&h.secrets, &SecretKey::refresh_token(&id)).unwrap();
    assert_ne!(old_access, new_access);
    assert_ne!(
        old_refresh, new_refresh,
        "a re-authentication starts a new grant"
    );
    h.core
        .accounts()
        .list(&id)
        .await
        .expect("the renewed connection reads data");

    let completed = loop {
        match events.try_recv() {
            Ok(CoreEvent::LinkCompleted(e)) => break e,
            Ok(_) => continue,
            Err(e) => panic!("no link://completed event: {e:?}"),
        }
    };
    assert_eq!(completed.session_id, preview.session_id);
    assert_eq!(completed.connection.id, id);
}

#[tokio::test]
async fn a_revoked_connection_is_marked_and_refuses_every_later_call() {
    let h = start().await;
    let connection = link(&h.core).await;
    let id = connection.id.clone();

    let revoked = h.core.lifecycle().revoke(&id).await.unwrap();
    assert_eq!(revoked.status, ConnectionStatus::Revoked);
    let requests = sandbox_requests(&h.core).await;
    assert_eq!(
        count(&requests, "/api/delete", Some(200)),
        1,
        "TrueLayer was told"
    );
    assert!(
        stored(&h.secrets, &SecretKey::access_token(&id)).is_none()
            && stored(&h.secrets, &SecretKey::refresh_token(&id)).is_none(),
        "the dead tokens are deleted"
    );
    for err in [
        h.core.accounts().list(&id).await.unwrap_err(),
        h.core.cards().list(&id).await.unwrap_err(),
        h.core.data().identity(&id).await.unwrap_err(),
        h.core.connections().refresh(&id).await.unwrap_err(),
        h.core
            .lifecycle()
            .extend(&id, RedirectKind::DeepLink)
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.code(), ErrorCode::Validation, "{err}");
        assert!(err.to_string().contains("revoked"), "{err}");
    }
    let listed = h.core.connections().get(&id).await.unwrap();
    assert_eq!(listed.status, ConnectionStatus::Revoked, "it stays revoked");
}

#[tokio::test]
async fn forgetting_a_connection_deletes_its_tokens_and_row_but_keeps_the_request_log() {
    let h = start().await;
    let connection = link(&h.core).await;
    let id = connection.id.clone();
    h.core.accounts().list(&id).await.unwrap();
    h.core.flush_request_log().await;

    h.core.lifecycle().forget(&id).await.unwrap();
    assert!(h.core.connections().list().await.unwrap().is_empty());
    assert_eq!(
        h.secrets.keys(),
        [
            "env/builtin/client_secret",
            "env/builtin/signing_key",
            "env/builtin/signing_key_id"
        ],
        "only the environment's secrets are left"
    );
    let err = h.core.accounts().list(&id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    let log = h
        .core
        .store()
        .list_requests(&linkscope_core::store::RequestFilter {
            connection_id: Some(id.clone()),
            ..Default::default()
        })
        .unwrap();
    assert!(!log.is_empty(), "the (redacted) exchanges stay inspectable");
    let err = h.core.lifecycle().forget(&id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "forgetting twice says so");
}

#[tokio::test]
async fn extend_and_revoke_are_refused_in_a_live_environment_until_unlocked() {
    use linkscope_core::dto::{ConnectionStatus, EnvironmentInput, EnvironmentKind, RedirectKind};
    use linkscope_core::store::ConnectionRow;

    let h = crate::support::start().await;
    let live = h
        .core
        .environments()
        .save(EnvironmentInput {
            id: None,
            name: "Live".into(),
            kind: EnvironmentKind::TruelayerLive,
            auth_url: String::new(),
            api_url: String::new(),
            client_id: "linkscope-live-1".into(),
            client_secret: Some(linkscope_truelayer::ClientSecret::new("not-a-real-secret")),
            redirect_uris: vec!["linkscope-dev://callback".into()],
            marked_live: false,
            sandbox_control_token: None,
            confirm_secrets_reset: false,
        })
        .await
        .unwrap();
    // A live connection as a link would leave it. No network is needed: the guard acts before
    // any request is made.
    h.core
        .store()
        .upsert_connection(&ConnectionRow {
            id: "live-1".into(),
            environment_id: live.id.clone(),
            label: "Live".into(),
            provider_id: "ob-monzo".into(),
            provider_name: "Monzo".into(),
            provider_logo_url: None,
            scopes: vec!["accounts".into(), "offline_access".into()],
            credentials_id: None,
            consent_status: None,
            consent_created_at: "2026-11-01T00:00:00Z".into(),
            consent_expires_at: None,
            access_token_expires_at: None,
            has_refresh_token: true,
            status: ConnectionStatus::Active,
            saved: true,
            created_at: "2026-11-01T00:00:00Z".into(),
            last_refresh_at: None,
        })
        .unwrap();
    let lifecycle = h.core.lifecycle();

    let revoke = lifecycle.revoke("live-1").await.unwrap_err().to_string();
    assert!(revoke.contains("live environment"), "{revoke}");
    let extend = lifecycle
        .extend("live-1", RedirectKind::DeepLink)
        .await
        .unwrap_err()
        .to_string();
    assert!(extend.contains("live environment"), "{extend}");

    lifecycle.set_live_unlocked(&live.id, true).unwrap();
    let unlocked = lifecycle.revoke("live-1").await.unwrap_err().to_string();
    assert!(
        !unlocked.contains("live environment"),
        "once unlocked the guard lets the call go on (it fails here for want of a token): {unlocked}"
    );

    lifecycle.set_live_unlocked(&live.id, false).unwrap();
    let relocked = lifecycle.revoke("live-1").await.unwrap_err().to_string();
    assert!(relocked.contains("live environment"), "{relocked}");
}

#[tokio::test]
async fn the_interlock_follows_what_is_live_and_core_reports_the_lock() {
    use linkscope_core::dto::{ConnectionStatus, EnvironmentInput, EnvironmentKind};
    use linkscope_core::store::ConnectionRow;

    let h = crate::support::start().await;
    // Live by its hosts (a custom environment in front of TrueLayer live), and marked live.
    let cases = [
        (
            "by host",
            "https://auth.truelayer.com",
            "https://api.truelayer.com",
            false,
        ),
        (
            "marked",
            "https://auth.example.com",
            "https://api.example.com",
            true,
        ),
    ];
    for (case, auth_url, api_url, marked_live) in cases {
        let env = h
            .core
            .environments()
            .save(EnvironmentInput {
                id: None,
                name: format!("Live {case}"),
                kind: EnvironmentKind::Custom,
                auth_url: auth_url.into(),
                api_url: api_url.into(),
                client_id: "linkscope-live-1".into(),
                client_secret: Some(linkscope_truelayer::ClientSecret::new("not-a-real-secret")),
                redirect_uris: vec!["linkscope-dev://callback".into()],
                marked_live,
                sandbox_control_token: None,
                confirm_secrets_reset: false,
            })
            .await
            .unwrap();
        assert!(env.is_live && !env.live_unlocked, "{case}: {env:?}");
        assert_eq!(env.marked_live, marked_live);
        let id = format!("conn-{case}").replace(' ', "-");
        h.core
            .store()
            .upsert_connection(&ConnectionRow {
                id: id.clone(),
                environment_id: env.id.clone(),
                label: format!("Live {case}"),
                provider_id: "ob-monzo".into(),
                provider_name: "Monzo".into(),
                provider_logo_url: None,
                scopes: vec!["accounts".into(), "offline_access".into()],
                credentials_id: None,
                consent_status: None,
                consent_created_at: "2026-11-01T00:00:00Z".into(),
                consent_expires_at: None,
                access_token_expires_at: None,
                has_refresh_token: true,
                status: ConnectionStatus::Active,
                saved: true,
                created_at: "2026-11-01T00:00:00Z".into(),
                last_refresh_at: None,
            })
            .unwrap();
        let lifecycle = h.core.lifecycle();
        let locked = lifecycle.revoke(&id).await.unwrap_err().to_string();
        assert!(locked.contains("live environment"), "{case}: {locked}");

        lifecycle.set_live_unlocked(&env.id, true).unwrap();
        let reported = h.core.environments().get(&env.id).await.unwrap();
        assert!(
            reported.live_unlocked,
            "{case}: the environment says it is unlocked, for every connection of it"
        );
        let unlocked = lifecycle.revoke(&id).await.unwrap_err().to_string();
        assert!(!unlocked.contains("live environment"), "{case}: {unlocked}");
    }
}
