//! The auth-link builder through core: every parameter reaches the link, the preview follows
//! edits without a new state, the linter's `provider_id ∈ providers` finding is reachable, and
//! the causes of a refused code are told apart (issue 12).

use linkscope_core::dto::{
    ConnectionStatus, ErrorCause, ErrorCode, LinkRequest, RedirectKind, ResponseMode,
};

use crate::support::{advance_clock, authorize, request, start, start_link};

fn query(url: &str) -> Vec<(String, String)> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn param(url: &str, name: &str) -> Option<String> {
    query(url)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[tokio::test]
async fn every_builder_parameter_reaches_the_link_and_the_state_is_shown() {
    let h = start().await;
    let preview = h
        .core
        .links()
        .start(LinkRequest {
            providers: vec!["uk-cs-mock".into(), "uk-ob-all de-xs2a-all".into()],
            disable_providers: vec!["ob-monzo".into()],
            redirect: RedirectKind::Loopback,
            response_mode: ResponseMode::FormPost,
            language_id: Some("fr".into()),
            country_id: Some("GB".into()),
            user_email: Some("qa@example.com".into()),
            tracking_id: Some("track-42".into()),
            ..request(RedirectKind::Loopback)
        })
        .await
        .unwrap();
    let url = preview.url.as_str();
    let expect = [
        ("response_type", "code"),
        ("provider_id", "mock"),
        ("providers", "uk-cs-mock uk-ob-all de-xs2a-all"),
        ("disable_providers", "ob-monzo"),
        ("response_mode", "form_post"),
        ("language_id", "fr"),
        ("country_id", "GB"),
        ("user_email", "qa@example.com"),
        ("tracking_id", "track-42"),
        ("code_challenge_method", "S256"),
    ];
    for (name, value) in expect {
        assert_eq!(param(url, name).as_deref(), Some(value), "{name} in {url}");
    }
    assert_eq!(
        param(url, "redirect_uri").as_deref(),
        Some(preview.redirect_uri.as_str())
    );
    assert!(preview.redirect_uri.starts_with("http://127.0.0.1:"));
    assert_eq!(
        param(url, "state").as_deref(),
        Some(preview.state.as_str()),
        "the state shown is the link's"
    );
    assert!(
        preview.findings.is_empty(),
        "a well-formed link has no finding: {:?}",
        preview.findings
    );
}

#[tokio::test]
async fn a_provider_id_outside_an_explicit_providers_list_is_flagged_and_fixing_it_clears_it() {
    let h = start().await;
    let wrong = LinkRequest {
        providers: vec!["uk-ob-all".into()],
        ..request(RedirectKind::DeepLink)
    };
    let preview = h.core.links().start(wrong.clone()).await.unwrap();
    let codes: Vec<&str> = preview.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(
        codes,
        ["provider_id_not_in_providers"],
        "a list the user wrote is sent as written, so the linter can say it misses mock"
    );
    let fixed = h
        .core
        .links()
        .update(
            &preview.session_id,
            LinkRequest {
                providers: vec!["uk-ob-all".into(), "uk-cs-mock".into()],
                ..wrong
            },
        )
        .await
        .unwrap();
    assert!(fixed.findings.is_empty(), "{:?}", fixed.findings);
    assert_eq!(fixed.session_id, preview.session_id, "same session");
    assert_eq!(
        fixed.state, preview.state,
        "an unopened link keeps its state"
    );
    assert_eq!(
        param(&fixed.url, "code_challenge"),
        param(&preview.url, "code_challenge"),
        "and its PKCE pair"
    );
    assert_ne!(fixed.url, preview.url, "the link changed with the edit");
}

#[tokio::test]
async fn an_opened_link_is_never_edited_an_update_builds_a_fresh_one() {
    let h = start().await;
    let first = start_link(&h.core, RedirectKind::DeepLink).await;
    h.core.links().open(&first.session_id).unwrap();
    let second = h
        .core
        .links()
        .update(&first.session_id, request(RedirectKind::Console))
        .await
        .unwrap();
    assert_ne!(second.session_id, first.session_id);
    assert_ne!(second.state, first.state, "single use: a fresh state");
    assert_ne!(
        param(&second.url, "code_challenge"),
        param(&first.url, "code_challenge"),
        "and a fresh PKCE pair"
    );
}

#[tokio::test]
async fn the_link_catalog_names_the_groups_and_the_languages() {
    let h = start().await;
    let catalog = h.core.links().catalog("builtin").unwrap();
    let tokens: Vec<&str> = catalog
        .provider_groups
        .iter()
        .map(|g| g.token.as_str())
        .collect();
    for group in ["uk-ob-all", "uk-oauth-all", "uk-cs-mock", "de-xs2a-all"] {
        assert!(tokens.contains(&group), "{group} in {tokens:?}");
    }
    let french = catalog.languages.iter().find(|l| l.id == "fr").unwrap();
    assert_eq!(french.name, "French", "languages are named, not bare codes");
    assert_eq!(catalog.languages.len(), 9);
    assert_eq!(
        catalog.default_providers,
        ["uk-cs-mock", "uk-ob-all", "uk-oauth-all"],
        "Mock first in a sandbox"
    );
    assert!(
        catalog.registered_redirects.is_empty(),
        "the built-in sandbox registers only this app's own redirects: {:?}",
        catalog.registered_redirects
    );
}

#[tokio::test]
async fn a_registered_redirect_must_be_the_environments_own() {
    let h = start().await;
    let err = h
        .core
        .links()
        .start(LinkRequest {
            redirect: RedirectKind::Registered,
            redirect_uri: Some("https://elsewhere.example/cb".into()),
            ..request(RedirectKind::Registered)
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation, "{err}");
    assert_eq!(h.core.links().pending_count(), 0, "nothing was started");
}

#[tokio::test]
async fn an_expired_code_is_explained_as_expired_and_a_second_paste_as_already_used() {
    let h = start().await;
    let preview = start_link(&h.core, RedirectKind::DeepLink).await;
    let url = h.core.links().open(&preview.session_id).unwrap();
    let redirect = authorize(&h.core, &url, "john", "doe").await;
    advance_clock(&h.core, 6 * 60).await;

    let err = h
        .core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::TokenExchangeFailed, "{err}");
    let api = err.to_api_error();
    let detail = api.detail.unwrap();
    assert_eq!(detail.cause, Some(ErrorCause::CodeExpired));
    assert_eq!(detail.tl_error.as_deref(), Some("invalid_grant"));
    assert!(
        detail.raw.is_some(),
        "the raw body is kept for the UI's one click"
    );
    assert!(
        api.message.contains("older than 5 minutes"),
        "{}",
        api.message
    );

    let again = h
        .core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap_err();
    assert_eq!(again.code(), ErrorCode::LinkAlreadyUsed, "{again}");
    assert!(again.to_string().contains("already used"), "{again}");
    assert!(
        h.core.connections().list().await.unwrap().is_empty(),
        "nothing stored"
    );
}

#[tokio::test]
async fn a_refresh_token_unused_for_31_days_is_told_apart_and_asks_for_reconsent() {
    let h = start().await;
    let connection = crate::support::link(&h.core).await;
    advance_clock(&h.core, 31 * 24 * 3600).await;
    let err = h
        .core
        .connections()
        .refresh(&connection.id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReauthRequired, "{err}");
    let detail = err.to_api_error().detail.unwrap();
    assert_eq!(detail.cause, Some(ErrorCause::RefreshTokenIdle));
    assert!(err.to_string().contains("30 days"), "{err}");
    let after = h.core.connections().get(&connection.id).await.unwrap();
    assert_eq!(after.status, ConnectionStatus::ReauthRequired);
}

#[tokio::test]
async fn a_consent_over_its_90_days_is_told_apart_from_an_idle_refresh_token() {
    let h = start().await;
    let connection = crate::support::link(&h.core).await;
    advance_clock(&h.core, 91 * 24 * 3600).await;
    let err = h
        .core
        .connections()
        .refresh(&connection.id)
        .await
        .unwrap_err();
    let detail = err.to_api_error().detail.unwrap();
    assert_eq!(detail.cause, Some(ErrorCause::ConsentEnded), "{err}");
}

#[tokio::test]
async fn transactions_older_than_90_days_after_the_login_window_get_their_own_explanation() {
    let h = start().await;
    let connection = crate::support::link(&h.core).await;
    let account = h.core.accounts().list(&connection.id).await.unwrap().data[0]
        .account
        .account_id
        .clone();
    advance_clock(&h.core, 6 * 60).await;
    let year_ago = (chrono::Utc::now() - chrono::Duration::days(365))
        .date_naive()
        .to_string();
    let err = h
        .core
        .transactions()
        .fetch(crate::data_views::input(
            "historical",
            &connection.id,
            linkscope_core::dto::TransactionSource::Account,
            &account,
            year_ago,
        ))
        .await
        .unwrap_err();
    let api = err.to_api_error();
    assert_eq!(
        api.detail.as_ref().and_then(|d| d.cause),
        Some(ErrorCause::HistoricalWindow),
        "{err}"
    );
    assert_ne!(api.code, ErrorCode::ConsentExpired, "the consent is fine");
    assert!(
        api.message
            .contains("ask for the last 90 days or re-authenticate"),
        "{}",
        api.message
    );
}
