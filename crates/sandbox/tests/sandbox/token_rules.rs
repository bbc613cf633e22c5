//! `POST /connect/token` and token lifetimes: every rule of the issue, one test each.

use serde_json::json;

use crate::support::{claims, Env, Link, ALL_SCOPES, REDIRECT};

#[tokio::test]
async fn a_code_exchanged_in_time_gives_a_one_hour_bearer_token_and_a_refresh_token() {
    let env = Env::start().await;
    let link = Link::new(ALL_SCOPES);
    let code = env.code(&link, "john", "doe").await;
    let answer = env.exchange(&code, &link).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json["expires_in"], 3600);
    assert_eq!(answer.json["token_type"], "Bearer");
    assert_eq!(answer.json["scope"], ALL_SCOPES);
    let refresh = answer.json["refresh_token"].as_str().unwrap();
    assert_eq!(refresh.len(), 64, "refresh tokens are 64 hex characters");
    assert!(refresh.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(answer.headers["cache-control"], "no-store");
}

#[tokio::test]
async fn a_code_is_good_only_once() {
    let env = Env::start().await;
    let link = Link::new("info accounts");
    let code = env.code(&link, "john", "doe").await;
    assert_eq!(env.exchange(&code, &link).await.status, 200);
    let again = env.exchange(&code, &link).await;
    assert_eq!(again.status, 400);
    assert_eq!(again.error(), "invalid_grant");
    assert!(again.json["error_details"]["reason"]
        .as_str()
        .unwrap()
        .contains("already used"));
}

#[tokio::test]
async fn a_code_older_than_five_minutes_is_refused() {
    let env = Env::start().await;
    let link = Link::new("info accounts");
    let code = env.code(&link, "john", "doe").await;
    env.advance(5 * 60 + 1).await;
    let answer = env.exchange(&code, &link).await;
    assert_eq!(
        (answer.status.as_u16(), answer.error()),
        (400, "invalid_grant")
    );
    assert!(answer.text.contains("expired"));
}

#[tokio::test]
async fn a_code_just_under_five_minutes_old_is_still_accepted() {
    let env = Env::start().await;
    let link = Link::new("info accounts");
    let code = env.code(&link, "john", "doe").await;
    env.advance(4 * 60 + 50).await;
    assert_eq!(env.exchange(&code, &link).await.status, 200);
}

#[tokio::test]
async fn the_token_request_must_repeat_the_links_redirect_uri_exactly() {
    let env = Env::start().await;
    let link = Link::new("accounts");
    let code = env.code(&link, "john", "doe").await;
    let other = link.clone().set("redirect_uri", "linkscope://callback");
    let answer = env.exchange(&code, &other).await;
    assert_eq!(
        (answer.status.as_u16(), answer.error()),
        (400, "invalid_grant")
    );
    assert!(answer.text.contains("redirect_uri"));
}

#[tokio::test]
async fn the_pkce_verifier_must_match_the_links_challenge() {
    let env = Env::start().await;
    for verifier in ["", "tooshort", &"x".repeat(60)] {
        let link = Link::new("accounts");
        let code = env.code(&link, "john", "doe").await;
        let mut wrong = link.clone();
        wrong.verifier = verifier.to_owned();
        let answer = if verifier.is_empty() {
            let secret = env.secret();
            env.token_form(&[
                ("grant_type", "authorization_code"),
                ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
                ("client_secret", &secret),
                ("code", &code),
                ("redirect_uri", REDIRECT),
            ])
            .await
        } else {
            env.exchange(&code, &wrong).await
        };
        assert_eq!(answer.status, 400, "verifier {verifier:?}: {}", answer.text);
        assert_eq!(answer.error(), "invalid_grant");
        assert!(answer.text.contains("code_verifier"), "{}", answer.text);
    }
}

#[tokio::test]
async fn a_link_without_pkce_needs_no_verifier_but_refuses_one() {
    let env = Env::start().await;
    let link = Link::new("accounts")
        .without("code_challenge")
        .without("code_challenge_method");
    let code = env.code(&link, "john", "doe").await;
    let answer = env.exchange(&code, &link).await;
    assert_eq!(
        answer.status, 400,
        "a verifier without a challenge is refused"
    );
    let code = env.code(&link, "john", "doe").await;
    let secret = env.secret();
    let answer = env
        .token_form(&[
            ("grant_type", "authorization_code"),
            ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
            ("client_secret", &secret),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ])
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
}

#[tokio::test]
async fn only_offline_access_yields_a_refresh_token() {
    let env = Env::start().await;
    let without = env.connect("john", "doe", "info accounts").await;
    assert!(without.refresh.is_none());
    assert!(without.body.get("refresh_token").is_none());
    let with = env
        .connect("john", "doe", "info accounts offline_access")
        .await;
    assert!(with.refresh.is_some());
}

#[tokio::test]
async fn a_refresh_returns_the_same_refresh_token_and_a_new_access_token() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let refresh = tokens.refresh.unwrap();
    let answer = env.refresh(&refresh).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.json["refresh_token"],
        refresh.as_str(),
        "TrueLayer: persistent refresh token"
    );
    let new_access = answer.json["access_token"].as_str().unwrap();
    assert_ne!(new_access, tokens.access);
    assert_eq!(env.get(new_access, "/data/v1/me").await.status, 200);
    assert_eq!(
        env.get(&tokens.access, "/data/v1/me").await.status,
        200,
        "the old token lives its hour"
    );
}

#[tokio::test]
async fn access_tokens_expire_after_one_hour() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", "info accounts").await;
    env.advance(3599).await;
    assert_eq!(
        env.get(&tokens.access, "/data/v1/accounts").await.status,
        200
    );
    env.advance(2).await;
    let answer = env.get(&tokens.access, "/data/v1/accounts").await;
    assert_eq!(
        (answer.status.as_u16(), answer.error()),
        (401, "invalid_token")
    );
    assert!(answer.json["error_description"]
        .as_str()
        .unwrap()
        .starts_with("The token expired at '"));
}

#[tokio::test]
async fn after_ninety_days_data_calls_are_refused_and_refresh_fails() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let refresh = tokens.refresh.unwrap();
    // Keep the refresh token alive (30-day rule) while walking to day 90.
    for _ in 0..3 {
        env.advance(29 * 24 * 3600).await;
        assert_eq!(env.refresh(&refresh).await.status, 200);
    }
    env.advance(3 * 24 * 3600).await;
    let answer = env.refresh(&refresh).await;
    assert_eq!(
        (answer.status.as_u16(), answer.error()),
        (400, "invalid_grant")
    );
    assert!(answer.text.contains("consent expired"));
}

#[tokio::test]
async fn an_expired_consent_refuses_data_with_access_denied() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let refresh = tokens.refresh.unwrap();
    for _ in 0..3 {
        env.advance(29 * 24 * 3600).await;
        assert_eq!(env.refresh(&refresh).await.status, 200);
    }
    env.advance(3 * 24 * 3600 - 1800).await;
    let fresh = env.refresh(&refresh).await;
    assert_eq!(
        fresh.status, 200,
        "the refresh token was used within 30 days? {}",
        fresh.text
    );
    let access = fresh.json["access_token"].as_str().unwrap().to_owned();
    assert_eq!(env.get(&access, "/data/v1/accounts").await.status, 200);
    env.advance(1801).await;
    let answer = env.get(&access, "/data/v1/accounts").await;
    assert_eq!(
        (answer.status.as_u16(), answer.error()),
        (403, "access_denied")
    );
}

#[tokio::test]
async fn a_refresh_token_unused_for_thirty_days_expires() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    env.advance(30 * 24 * 3600 + 60).await;
    let answer = env.refresh(&tokens.refresh.unwrap()).await;
    assert_eq!(
        (answer.status.as_u16(), answer.error()),
        (400, "invalid_grant")
    );
    assert!(answer.text.contains("30 days"));
}

#[tokio::test]
async fn json_bodies_and_http_basic_client_authentication_are_accepted() {
    let env = Env::start().await;
    let link = Link::new("accounts offline_access");
    let code = env.code(&link, "john", "doe").await;
    let answer = env
        .post_json(
            &env.auth("/connect/token"),
            &json!({"grant_type": "authorization_code", "client_id": linkscope_sandbox::DEMO_CLIENT_ID,
                    "client_secret": env.secret(), "code": code, "redirect_uri": REDIRECT,
                    "code_verifier": link.verifier}),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let refresh = answer.json["refresh_token"].as_str().unwrap();
    let basic = env
        .http
        .post(env.auth("/connect/token"))
        .basic_auth(linkscope_sandbox::DEMO_CLIENT_ID, Some(env.secret()))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh)])
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 200);
}

/// A token request form, the expected status and error.
type TokenCase<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str);

#[tokio::test]
async fn client_authentication_failures_are_told_apart() {
    let env = Env::start().await;
    let cases: Vec<TokenCase<'_>> = vec![
        (
            vec![
                ("grant_type", "refresh_token"),
                ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
                ("client_secret", "wrong"),
                ("refresh_token", "x"),
            ],
            400,
            "invalid_client",
        ),
        (
            vec![
                ("grant_type", "refresh_token"),
                ("client_id", "sandbox-nobody"),
                ("client_secret", "x"),
                ("refresh_token", "x"),
            ],
            400,
            "invalid_client",
        ),
        (
            vec![
                ("grant_type", "refresh_token"),
                ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
                ("refresh_token", "x"),
            ],
            400,
            "invalid_client",
        ),
        (
            vec![
                ("grant_type", "password"),
                ("client_id", "a"),
                ("client_secret", "b"),
            ],
            400,
            "invalid_request",
        ),
        (
            vec![("client_id", "a"), ("client_secret", "b")],
            400,
            "invalid_request",
        ),
        (
            vec![
                ("grant_type", "refresh_token"),
                ("client_id", "a"),
                ("client_secret", "b"),
                ("refresh_token", "x"),
                ("scope", "info"),
            ],
            400,
            "invalid_request",
        ),
    ];
    for (form, status, error) in cases {
        let answer = env.token_form(&form).await;
        assert_eq!(
            (answer.status.as_u16(), answer.error()),
            (status, error),
            "{form:?}: {}",
            answer.text
        );
    }
    let secret = env.secret();
    let unknown = env.refresh("F".repeat(64).as_str()).await;
    assert_eq!(
        unknown.error(),
        "invalid_grant",
        "an unknown refresh token is an invalid grant"
    );
    let repeated = env
        .http
        .post(env.auth("/connect/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("grant_type=refresh_token&grant_type=refresh_token&client_id={}&client_secret={secret}&refresh_token=x", linkscope_sandbox::DEMO_CLIENT_ID))
        .send()
        .await
        .unwrap();
    assert_eq!(
        repeated.status(),
        400,
        "a repeated parameter is refused (RFC 6749 §3.2)"
    );
    let plain = env
        .http
        .post(env.auth("/connect/token"))
        .body("grant_type=x")
        .send()
        .await
        .unwrap();
    assert_eq!(
        plain.status(),
        400,
        "a body without a content type is refused"
    );
}

#[tokio::test]
async fn a_code_issued_to_one_client_cannot_be_exchanged_by_another() {
    let mut config = linkscope_sandbox::SandboxConfig::default();
    config.clients.push(
        linkscope_sandbox::ClientConfig::parse_flag(&format!(
            "sandbox-other:other-secret:{REDIRECT}"
        ))
        .unwrap(),
    );
    let env = Env::start_with(config).await;
    let link = Link::new("accounts");
    let code = env.code(&link, "john", "doe").await;
    let answer = env
        .token_form(&[
            ("grant_type", "authorization_code"),
            ("client_id", "sandbox-other"),
            ("client_secret", "other-secret"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &link.verifier),
        ])
        .await;
    assert_eq!(
        (answer.status.as_u16(), answer.error()),
        (400, "invalid_grant")
    );
    assert_eq!(
        env.exchange(&code, &link).await.status,
        200,
        "the owner can still use it"
    );
}

#[tokio::test]
async fn client_credentials_gives_a_client_token_that_reads_no_user_data() {
    let env = Env::start().await;
    let secret = env.secret();
    let answer = env
        .token_form(&[
            ("grant_type", "client_credentials"),
            ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
            ("client_secret", &secret),
            ("scope", "payments signupplus"),
        ])
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert!(answer.json.get("refresh_token").is_none());
    assert_eq!(answer.json["scope"], "payments signupplus");
    let token = answer.json["access_token"].as_str().unwrap();
    let data = env.get(token, "/data/v1/accounts").await;
    assert_eq!((data.status.as_u16(), data.error()), (403, "access_denied"));
    let bad = env
        .token_form(&[
            ("grant_type", "client_credentials"),
            ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
            ("client_secret", &secret),
            ("scope", "accounts"),
        ])
        .await;
    assert_eq!(bad.status, 400, "user scopes cannot be granted to a client");
}

#[tokio::test]
async fn a_token_request_sent_to_the_api_host_fails_as_it_would_for_real() {
    let env = Env::start().await;
    let answer = env
        .http
        .post(env.api("/connect/token"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 404);
}

#[tokio::test]
async fn access_token_claims_follow_truelayers_shape() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let c = claims(&tokens.access);
    assert_eq!(c["aud"], "data_api");
    assert_eq!(c["client_id"], linkscope_sandbox::DEMO_CLIENT_ID);
    assert_eq!(c["iss"], env.sandbox.auth_url());
    assert_eq!(c["connector_id"], "mock");
    assert_eq!(
        c["exp"].as_i64().unwrap() - c["nbf"].as_i64().unwrap(),
        3600
    );
    assert_eq!(c["amr"], json!(["pwd"]));
    assert_eq!(
        c["scope"].as_array().unwrap().len(),
        8,
        "scope is an array of the granted scopes"
    );
    for claim in [
        "sub",
        "auth_time",
        "jti",
        "sid",
        "iat",
        "credentials_key",
        "consent_id",
    ] {
        assert!(!c[claim].is_null(), "claim {claim} is present");
    }
    assert!(c["sid"].as_str().unwrap().starts_with("auth-"));
    let me = env.get(&tokens.access, "/data/v1/me").await;
    assert_eq!(
        me.json["results"][0]["credentials_id"],
        me.headers["x-credentials-id"].to_str().unwrap()
    );
}
