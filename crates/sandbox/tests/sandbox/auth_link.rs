//! Auth link validation, identical for the HTML dialog (`GET /`) and `/__sandbox/authorize`.

use serde_json::json;

use crate::support::{param, redirect_params, Env, Link};

/// (what to change, expected error, expected parameter)
fn bad_links() -> Vec<(Link, &'static str, &'static str)> {
    let base = || Link::new("info accounts balance transactions offline_access");
    vec![
        (base().without("client_id"), "invalid_request", "client_id"),
        (
            base().set("client_id", "sandbox-nobody"),
            "unauthorized_client",
            "client_id",
        ),
        (
            base().without("redirect_uri"),
            "invalid_request",
            "redirect_uri",
        ),
        (
            base().set("redirect_uri", "http://127.0.0.1:3947/callback/"),
            "unauthorized_client",
            "redirect_uri",
        ),
        (
            base().set("redirect_uri", "https://evil.example/cb"),
            "unauthorized_client",
            "redirect_uri",
        ),
        (
            base().without("response_type"),
            "invalid_request",
            "response_type",
        ),
        (
            base().set("response_type", "token"),
            "invalid_request",
            "response_type",
        ),
        (base().without("scope"), "invalid_request", "scope"),
        (base().set("scope", "balance"), "invalid_request", "scope"),
        (
            base().set("scope", "accounts payments"),
            "invalid_request",
            "scope",
        ),
        (
            base().set("scope", "cards standing_orders"),
            "invalid_request",
            "scope",
        ),
        (
            base().set("providers", "uk-nonsense-all"),
            "invalid_request",
            "providers",
        ),
        (base().set("providers", ""), "invalid_request", "providers"),
        (
            base()
                .set("providers", "uk-cs-mock")
                .set("provider_id", "ob-monzo"),
            "invalid_request",
            "provider_id",
        ),
        (
            base()
                .set("provider_id", "no-such-bank")
                .set("providers", "uk-ob-all"),
            "invalid_request",
            "provider_id",
        ),
        (
            base()
                .set("provider_id", "ob-amex")
                .set("providers", "uk-ob-all"),
            "invalid_request",
            "provider_id",
        ),
        (
            base()
                .set("provider_id", "ob-monzo")
                .set("providers", "uk-ob-all")
                .set("disable_providers", "ob-monzo"),
            "invalid_request",
            "provider_id",
        ),
        (
            base().set("disable_providers", "nope"),
            "invalid_request",
            "disable_providers",
        ),
        (
            base().set("response_mode", "query"),
            "invalid_request",
            "response_mode",
        ),
        (
            base()
                .set("redirect_uri", "linkscope://callback")
                .set("response_mode", "form_post"),
            "invalid_request",
            "response_mode",
        ),
        (
            base().without("code_challenge_method"),
            "invalid_request",
            "code_challenge_method",
        ),
        (
            base().set("code_challenge_method", "plain"),
            "invalid_request",
            "code_challenge_method",
        ),
        (
            base().set("code_challenge", "not-a-challenge"),
            "invalid_request",
            "code_challenge",
        ),
        (
            base().without("code_challenge"),
            "invalid_request",
            "code_challenge",
        ),
        (base().set("state", ""), "invalid_request", "state"),
        (
            base().set("state", &"s".repeat(1025)),
            "invalid_request",
            "state",
        ),
        (
            base().set("redirect_url", "x"),
            "invalid_request",
            "redirect_url",
        ),
        (
            base().with_duplicate("scope", "info"),
            "invalid_request",
            "scope",
        ),
        (
            base().set("language_id", "xx"),
            "invalid_request",
            "language_id",
        ),
        (
            base().set("country_id", "zz"),
            "invalid_request",
            "country_id",
        ),
        (
            base().set("user_email", "not-an-email"),
            "invalid_request",
            "user_email",
        ),
        (
            base().set("enable_mock", "yes"),
            "invalid_request",
            "enable_mock",
        ),
        (base().set("nonce", ""), "invalid_request", "nonce"),
    ]
}

#[tokio::test]
async fn every_bad_link_is_refused_headlessly_with_the_parameter_at_fault() {
    let env = Env::start().await;
    for (link, error, parameter) in bad_links() {
        let answer = env.authorize(&link, "john", "doe").await;
        assert_eq!(answer.status, 400, "{}: {}", link.query(), answer.text);
        assert_eq!(answer.error(), error, "{}: {}", link.query(), answer.text);
        assert_eq!(
            answer.json["error_details"]["parameter"],
            parameter,
            "{}",
            link.query()
        );
        assert!(!answer.json["error_description"]
            .as_str()
            .unwrap()
            .is_empty());
    }
}

#[tokio::test]
async fn every_bad_link_shows_the_same_error_on_the_dialogs_error_page() {
    let env = Env::start().await;
    for (link, error, _) in bad_links() {
        let page = env.get_url(&link.url(&env)).await;
        let expected = if error == "unauthorized_client" {
            401
        } else {
            400
        };
        assert_eq!(page.status.as_u16(), expected, "{}", link.query());
        assert!(page.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert!(page.text.contains("id=\"error-code\""), "{}", page.text);
        assert!(page.text.contains(error), "{}: {}", link.query(), page.text);
        assert!(
            page.headers.get("location").is_none(),
            "a bad link never redirects"
        );
    }
}

#[tokio::test]
async fn the_dialog_without_parameters_explains_itself() {
    let env = Env::start().await;
    let page = env.get_url(&env.auth("/")).await;
    assert_eq!(page.status, 400);
    assert!(page.text.contains("auth link"));
}

#[tokio::test]
async fn a_minimal_link_without_state_or_pkce_is_accepted() {
    let env = Env::start().await;
    let link = Link::new("accounts")
        .without("state")
        .without("code_challenge")
        .without("code_challenge_method");
    let answer = env.authorize(&link, "john", "doe").await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let params = redirect_params(answer.json["redirect"].as_str().unwrap());
    assert!(param(&params, "code").is_some());
    assert!(
        param(&params, "state").is_none(),
        "no state given, none echoed"
    );
}

#[tokio::test]
async fn provider_id_skips_selection_when_providers_includes_its_group() {
    let env = Env::start().await;
    let link = Link::new("info accounts balance")
        .set("providers", "uk-ob-all")
        .set("provider_id", "ob-monzo");
    let tokens = env.connect_link(&link, "john", "doe").await;
    let me = env.get(&tokens.access, "/data/v1/me").await;
    assert_eq!(me.json["results"][0]["provider"]["provider_id"], "ob-monzo");
    let accounts = env.get(&tokens.access, "/data/v1/accounts").await;
    assert_eq!(
        accounts.json["results"][0]["provider"]["provider_id"],
        "ob-monzo"
    );
}

#[tokio::test]
async fn the_optional_and_legacy_parameters_are_accepted() {
    let env = Env::start().await;
    let link = Link::new("info accounts")
        .without("providers")
        .set("enable_mock", "true")
        .set("enable_open_banking_providers", "false")
        .set("language_id", "fr")
        .set("country_id", "GB")
        .set("user_email", "qa@example.com")
        .set("nonce", "n-1")
        .set("tracking_id", "t-1");
    let answer = env.authorize(&link, "john", "doe").await;
    assert_eq!(answer.status, 200, "{}", answer.text);
}

#[tokio::test]
async fn without_providers_the_default_groups_apply_and_mock_is_not_among_them() {
    let env = Env::start().await;
    let link = Link::new("info accounts").without("providers");
    let answer = env.authorize(&link, "john", "doe").await;
    assert_eq!(
        answer.status, 400,
        "several providers and no Mock: provider_id is needed"
    );
    assert_eq!(answer.json["error_details"]["parameter"], "provider_id");
    let answer = env
        .post_json(
            &env.auth("/__sandbox/authorize"),
            &json!({"auth_link": link.url(&env), "username": "john", "password": "doe", "provider_id": "ob-barclays"}),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
}

#[tokio::test]
async fn the_headless_control_refuses_malformed_bodies() {
    let env = Env::start().await;
    let link = Link::new("accounts").url(&env);
    let cases = [
        json!({"username": "john", "password": "doe"}),
        json!({"auth_link": link, "password": "doe"}),
        json!({"auth_link": "not a url", "username": "john", "password": "doe"}),
        json!({"auth_link": link, "username": "john", "password": "doe", "colour": "red"}),
        json!({"auth_link": link, "username": "john", "password": "doe", "account_ids": "all"}),
        json!({"auth_link": link, "username": "john", "password": "doe", "account_ids": []}),
        json!({"auth_link": link, "username": "john", "password": "doe", "account_ids": ["nope"]}),
        json!({"auth_link": link, "username": "john", "password": "doe", "provider_id": "xs2a-n26"}),
    ];
    for body in cases {
        let answer = env
            .post_json(&env.auth("/__sandbox/authorize"), &body)
            .await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.text);
        assert_eq!(answer.error(), "invalid_request");
    }
}

#[tokio::test]
async fn a_refused_login_redirects_with_access_denied_and_the_state() {
    let env = Env::start().await;
    let link = Link::new("accounts");
    let answer = env.authorize(&link, "john", "wrong").await;
    assert_eq!(answer.status, 200);
    let params = redirect_params(answer.json["redirect"].as_str().unwrap());
    assert_eq!(param(&params, "error"), Some("access_denied"));
    assert_eq!(param(&params, "state"), Some("state-123"));
    assert!(param(&params, "code").is_none());
}

#[tokio::test]
async fn chosen_accounts_are_the_only_ones_shared() {
    let env = Env::start().await;
    let all = env.connect("john", "doe", "accounts cards").await;
    let accounts = env.account_ids(&all.access).await;
    let cards = env.card_ids(&all.access).await;
    assert_eq!((accounts.len(), cards.len()), (5, 2));
    let link = Link::new("accounts cards");
    let answer = env
        .post_json(
            &env.auth("/__sandbox/authorize"),
            &json!({"auth_link": link.url(&env), "username": "john", "password": "doe",
                    "account_ids": [accounts[1], cards[0]]}),
        )
        .await;
    let params = redirect_params(answer.json["redirect"].as_str().unwrap());
    let tokens = env.exchange(param(&params, "code").unwrap(), &link).await;
    let token = tokens.json["access_token"].as_str().unwrap();
    assert_eq!(env.account_ids(token).await, vec![accounts[1].clone()]);
    assert_eq!(env.card_ids(token).await, vec![cards[0].clone()]);
    let hidden = env
        .get(token, &format!("/data/v1/accounts/{}", accounts[0]))
        .await;
    assert_eq!(
        (hidden.status.as_u16(), hidden.error()),
        (404, "account_not_found")
    );
}
