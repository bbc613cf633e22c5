//! Connection lifecycle: extend (both outcomes, and the re-authentication it leads to), revoke,
//! re-authentication links and direct bank authentication.

use chrono::DateTime;
use serde_json::{json, Value};

use crate::support::{param, pkce, redirect_params, Answer, Env, Link, ALL_SCOPES, REDIRECT};

fn extend_body(env: &Env, refresh: &str) -> Value {
    json!({
        "user_has_reconfirmed_consent": true,
        "client_id": linkscope_sandbox::DEMO_CLIENT_ID,
        "client_secret": env.secret(),
        "user": {"id": "u-1", "name": "John Doe", "email": "john@example.com"},
        "refresh_token": refresh,
        "redirect_uri": REDIRECT,
        "state": "extend-state",
    })
}

/// Walks a `?session_id=` link (bank login, then every account) and returns the redirect.
async fn complete_session(env: &Env, url: &str, username: &str, password: &str) -> String {
    let login = env.get_url(url).await;
    assert_eq!(login.status, 200, "{}", login.text);
    assert!(
        login.text.contains("id=\"username\""),
        "the link opens the bank's login"
    );
    let session = field(&login.text, "session_id");
    let step = |page: &Answer| field(&page.text, "step");
    let accounts = post_form(
        env,
        &[
            ("session_id", &session),
            ("step", &step(&login)),
            ("action", "login"),
            ("username", username),
            ("password", password),
        ],
    )
    .await;
    let ids: Vec<String> = accounts
        .text
        .split("name=\"account_id\" value=\"")
        .skip(1)
        .map(|r| r[..r.find('"').unwrap()].to_owned())
        .collect();
    assert!(!ids.is_empty(), "{}", accounts.text);
    let mut form = vec![("session_id", session.as_str()), ("action", "continue")];
    let step_value = step(&accounts);
    form.push(("step", &step_value));
    form.extend(ids.iter().map(|id| ("account_id", id.as_str())));
    let done = post_form(env, &form).await;
    assert_eq!(done.status, 303, "{}", done.text);
    done.headers["location"].to_str().unwrap().to_owned()
}

fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap() + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

async fn post_form(env: &Env, form: &[(&str, &str)]) -> Answer {
    let response = env
        .http
        .post(env.auth("/dialog"))
        .form(form)
        .send()
        .await
        .unwrap();
    Answer {
        status: response.status(),
        headers: response.headers().clone(),
        text: response.text().await.unwrap(),
        json: Value::Null,
    }
}

async fn consent_expiry(env: &Env, token: &str) -> DateTime<chrono::FixedOffset> {
    let me = env.get(token, "/data/v1/me").await;
    DateTime::parse_from_rfc3339(
        me.json["results"][0]["consent_expires_at"]
            .as_str()
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn extending_john_eternal_needs_no_action_and_renews_the_consent() {
    let env = Env::start().await;
    let tokens = env.connect("john", "eternal", ALL_SCOPES).await;
    let refresh = tokens.refresh.unwrap();
    let before = consent_expiry(&env, &tokens.access).await;
    env.advance(80 * 24 * 3600).await;
    let answer = env
        .post_json(
            &env.api("/data/v1/connections/extend"),
            &extend_body(&env, &refresh),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json["action_needed"], "no_action_needed");
    assert_eq!(answer.json["refresh_token"], refresh.as_str());
    assert_eq!(answer.json["expires_in"], 3600);
    let access = answer.json["access_token"].as_str().unwrap();
    let after = consent_expiry(&env, access).await;
    assert!(
        after - before >= chrono::Duration::days(79),
        "the consent now ends 90 days from today"
    );
    env.advance(20 * 24 * 3600).await;
    assert_eq!(
        env.refresh(&refresh).await.status,
        200,
        "past the original 90 days, refresh still works"
    );
}

#[tokio::test]
async fn extending_john_doe_needs_authentication_through_the_dialog() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let refresh = tokens.refresh.unwrap();
    let credentials =
        env.get(&tokens.access, "/data/v1/me").await.json["results"][0]["credentials_id"].clone();
    let before = consent_expiry(&env, &tokens.access).await;
    env.advance(29 * 24 * 3600).await;
    let mut body = extend_body(&env, &refresh);
    let pkce = pkce();
    body["code_challenge"] = json!(pkce.challenge);
    let answer = env
        .post_json(&env.api("/data/v1/connections/extend"), &body)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json["action_needed"], "authentication_needed");
    let link = answer.json["user_input_link"].as_str().unwrap();
    assert!(link.starts_with(&format!("{}/?session_id=", env.sandbox.auth_url())));

    let redirect = complete_session(&env, link, "john", "doe").await;
    let params = redirect_params(&redirect);
    assert_eq!(param(&params, "state"), Some("extend-state"));
    let mut exchange_link = Link::new("accounts");
    exchange_link.verifier = pkce.verifier;
    let renewed = env
        .exchange(param(&params, "code").unwrap(), &exchange_link)
        .await;
    assert_eq!(renewed.status, 200, "{}", renewed.text);
    let access = renewed.json["access_token"].as_str().unwrap();
    let me = env.get(access, "/data/v1/me").await;
    assert_eq!(
        me.json["results"][0]["credentials_id"], credentials,
        "the same connection"
    );
    let expiry = consent_expiry(&env, access).await;
    assert!(
        expiry - before >= chrono::Duration::days(28),
        "the consent runs 90 days from the re-authentication"
    );
    assert_eq!(
        env.refresh(&refresh).await.status,
        400,
        "re-authentication replaced the old refresh token"
    );
    let new_refresh = renewed.json["refresh_token"].as_str().unwrap();
    assert_eq!(env.refresh(new_refresh).await.status, 200);
}

#[tokio::test]
async fn re_authentication_only_accepts_the_connections_own_user() {
    let env = Env::start().await;
    let tokens = env.connect("john5", "doe5", ALL_SCOPES).await;
    let answer = env
        .post_json(
            &env.api("/data/v1/connections/extend"),
            &extend_body(&env, tokens.refresh.as_deref().unwrap()),
        )
        .await;
    let url = answer.json["user_input_link"].as_str().unwrap();
    let login = env.get_url(url).await;
    let wrong = post_form(
        &env,
        &[
            ("session_id", &field(&login.text, "session_id")),
            ("step", "login"),
            ("action", "login"),
            ("username", "john6"),
            ("password", "doe6"),
        ],
    )
    .await;
    assert_eq!(wrong.status, 200);
    assert!(wrong.text.contains("same user"), "{}", wrong.text);
}

#[tokio::test]
async fn extend_validation_errors_are_problem_details_naming_each_field() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let refresh = tokens.refresh.unwrap();
    let mut missing = extend_body(&env, &refresh);
    missing.as_object_mut().unwrap().remove("client_id");
    missing["user"] = json!({"name": "John Doe"});
    let answer = env
        .post_json(&env.api("/data/v1/connections/extend"), &missing)
        .await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.headers["content-type"], "application/problem+json");
    assert_eq!(
        answer.json["title"],
        "One or more validation errors occurred."
    );
    assert_eq!(
        answer.json["errors"]["ClientId"][0],
        "The ClientId field is required."
    );
    assert!(
        answer.json["errors"]["User"].is_array(),
        "email or phone is required"
    );
    assert!(answer.json["trace_id"].is_string());

    let mut unconfirmed = extend_body(&env, &refresh);
    unconfirmed["user_has_reconfirmed_consent"] = json!(false);
    let answer = env
        .post_json(&env.api("/data/v1/connections/extend"), &unconfirmed)
        .await;
    assert_eq!(answer.status, 400);

    let mut bad_secret = extend_body(&env, &refresh);
    bad_secret["client_secret"] = json!("nope");
    let answer = env
        .post_json(&env.api("/data/v1/connections/extend"), &bad_secret)
        .await;
    assert_eq!(
        (answer.status.as_u16(), answer.json["title"].as_str()),
        (401, Some("Unauthorized"))
    );

    let answer = env
        .post_json(
            &env.api("/data/v1/connections/extend"),
            &extend_body(&env, "FFFF"),
        )
        .await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.json["detail"], "Refresh token missing or invalid.");

    let mut bad_redirect = extend_body(&env, &refresh);
    bad_redirect["redirect_uri"] = json!("https://evil.example/cb");
    let answer = env
        .post_json(&env.api("/data/v1/connections/extend"), &bad_redirect)
        .await;
    assert_eq!(answer.status, 400, "{}", answer.text);
}

#[tokio::test]
async fn non_uk_connections_cannot_be_extended() {
    let env = Env::start().await;
    let link = Link::new("accounts offline_access")
        .set("providers", "de-xs2a-all")
        .set("provider_id", "xs2a-n26");
    let tokens = env.connect_link(&link, "john", "doe").await;
    let answer = env
        .post_json(
            &env.api("/data/v1/connections/extend"),
            &extend_body(&env, tokens.refresh.as_deref().unwrap()),
        )
        .await;
    assert_eq!(answer.status, 422);
    assert_eq!(answer.json["title"], "No way to extend this connection");
}

#[tokio::test]
async fn revoking_a_connection_stops_its_tokens_at_once() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let unauthorized = env
        .http
        .delete(env.auth("/api/delete"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorized.status(), 401);
    let revoked = env
        .http
        .delete(env.auth("/api/delete"))
        .bearer_auth(&tokens.access)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    assert!(revoked.text().await.unwrap().is_empty(), "no response body");
    let data = env.get(&tokens.access, "/data/v1/accounts").await;
    assert_eq!((data.status.as_u16(), data.error()), (401, "invalid_token"));
    let refresh = env.refresh(tokens.refresh.as_deref().unwrap()).await;
    assert_eq!(
        (refresh.status.as_u16(), refresh.error()),
        (400, "invalid_grant")
    );
    let again = env
        .http
        .delete(env.auth("/api/delete"))
        .bearer_auth(&tokens.access)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 401);
}

#[tokio::test]
async fn a_reauth_link_from_a_refresh_token_renews_the_connection() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let refresh = tokens.refresh.unwrap();
    let answer = env
        .post_json(&env.auth("/v1/reauthuri"), &json!({"response_type": "code", "refresh_token": refresh, "redirect_uri": REDIRECT, "state": "re"}))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json["success"], true);
    let redirect =
        complete_session(&env, answer.json["result"].as_str().unwrap(), "john", "doe").await;
    let params = redirect_params(&redirect);
    assert_eq!(param(&params, "state"), Some("re"));
    let link = Link::new("accounts").without("code_challenge");
    let secret = env.secret();
    let exchanged = env
        .token_form(&[
            ("grant_type", "authorization_code"),
            ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
            ("client_secret", &secret),
            ("code", param(&params, "code").unwrap()),
            ("redirect_uri", &link.redirect_uri()),
        ])
        .await;
    assert_eq!(exchanged.status, 200, "{}", exchanged.text);

    let unknown = env
        .post_json(
            &env.auth("/v1/reauthuri"),
            &json!({"response_type": "code", "refresh_token": "nope", "redirect_uri": REDIRECT}),
        )
        .await;
    assert_eq!(
        (unknown.status.as_u16(), unknown.error()),
        (401, "invalid_request")
    );
    assert_eq!(
        unknown.json["error_details"]["reason"],
        "Invalid refresh_token"
    );
    let extra = env
        .post_json(&env.auth("/v1/reauthuri"), &json!({"response_type": "code", "refresh_token": "x", "redirect_uri": REDIRECT, "client_id": "x"}))
        .await;
    assert_eq!(
        extra.status, 400,
        "unknown fields are refused (additionalProperties: false)"
    );
}

#[tokio::test]
async fn direct_bank_authentication_opens_the_banks_login() {
    let env = Env::start().await;
    let body = json!({
        "response_type": "code", "client_id": linkscope_sandbox::DEMO_CLIENT_ID, "redirect_uri": REDIRECT,
        "scope": "info accounts", "state": "dba", "consent_id": "consent-1", "provider_id": "mock",
        "user": {"name": "John Doe", "phone": "+447700900000"},
    });
    let answer = env.post_json(&env.auth("/v1/authuri"), &body).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let redirect =
        complete_session(&env, answer.json["result"].as_str().unwrap(), "john", "doe").await;
    assert_eq!(param(&redirect_params(&redirect), "state"), Some("dba"));

    let cases = [
        ("consent_id", json!(null), 400),
        ("provider_id", json!("ob-nowhere"), 400),
        ("client_id", json!("sandbox-nobody"), 401),
        ("user", json!({"name": "No Contact"}), 400),
        ("scope", json!("balance"), 400),
    ];
    for (key, value, status) in cases {
        let mut bad = body.clone();
        if value.is_null() {
            bad.as_object_mut().unwrap().remove(key);
        } else {
            bad[key] = value;
        }
        let answer = env.post_json(&env.auth("/v1/authuri"), &bad).await;
        assert_eq!(answer.status.as_u16(), status, "{key}: {}", answer.text);
    }
    let mut branchless = body.clone();
    branchless["provider_id"] = json!("stet-credit-agricole");
    branchless["scope"] = json!("accounts");
    let answer = env.post_json(&env.auth("/v1/authuri"), &branchless).await;
    assert_eq!(
        answer.status, 400,
        "a mandatory provider step must be answered: {}",
        answer.text
    );
    branchless["auth_inputs"] = json!({"branch-name": "stet-credit-agricole-alpes-provence"});
    let answer = env.post_json(&env.auth("/v1/authuri"), &branchless).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
}

#[tokio::test]
async fn the_headless_control_completes_an_extend_user_input_link() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let pkce = pkce();
    let mut body = extend_body(&env, tokens.refresh.as_deref().unwrap());
    body["code_challenge"] = json!(pkce.challenge);
    let extend = env
        .post_json(&env.api("/data/v1/connections/extend"), &body)
        .await;
    let link = extend.json["user_input_link"].as_str().unwrap().to_owned();
    let authorize = |username: &'static str, password: &'static str| {
        let body = json!({"auth_link": link, "username": username, "password": password});
        let env = &env;
        async move {
            env.post_json(&env.auth("/__sandbox/authorize"), &body)
                .await
        }
    };
    let answer = authorize("john", "doe").await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let params = redirect_params(answer.json["redirect"].as_str().unwrap());
    assert_eq!(param(&params, "state"), Some("extend-state"));
    let mut exchange_link = Link::new("accounts");
    exchange_link.verifier = pkce.verifier;
    let renewed = env
        .exchange(param(&params, "code").unwrap(), &exchange_link)
        .await;
    assert_eq!(
        renewed.status, 200,
        "the extend body's PKCE challenge completes it: {}",
        renewed.text
    );

    let used = authorize("john", "doe").await;
    assert_eq!(used.status, 400, "a session is walked once");

    let again = env
        .post_json(
            &env.api("/data/v1/connections/extend"),
            &extend_body(&env, renewed.json["refresh_token"].as_str().unwrap()),
        )
        .await;
    let other_link = again.json["user_input_link"].as_str().unwrap();
    let wrong_user = env
        .post_json(
            &env.auth("/__sandbox/authorize"),
            &json!({"auth_link": other_link, "username": "john2", "password": "doe2"}),
        )
        .await;
    let params = redirect_params(wrong_user.json["redirect"].as_str().unwrap());
    assert_eq!(
        param(&params, "error"),
        Some("access_denied"),
        "only the connection's own user"
    );
}

#[tokio::test]
async fn extending_john_reconfirm_asks_for_reconfirmation_on_a_consent_page_without_a_bank_login() {
    let env = Env::start().await;
    let tokens = env.connect("john", "reconfirm", ALL_SCOPES).await;
    let refresh = tokens.refresh.unwrap();
    let credentials =
        env.get(&tokens.access, "/data/v1/me").await.json["results"][0]["credentials_id"].clone();
    let before = consent_expiry(&env, &tokens.access).await;
    env.advance(30 * 24 * 3600).await;
    let mut body = extend_body(&env, &refresh);
    let pkce = pkce();
    body["code_challenge"] = json!(pkce.challenge);
    let answer = env
        .post_json(&env.api("/data/v1/connections/extend"), &body)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.json["action_needed"],
        "reconfirmation_of_consent_needed"
    );
    let link = answer.json["user_input_link"].as_str().unwrap();

    let page = env.get_url(link).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains("Reconfirm your consent"),
        "{}",
        page.text
    );
    assert!(
        !page.text.contains("id=\"username\""),
        "a reconfirmation has no bank login"
    );
    let session = field(&page.text, "session_id");
    let accounts = post_form(
        &env,
        &[
            ("session_id", &session),
            ("step", "consent"),
            ("action", "allow"),
        ],
    )
    .await;
    let ids: Vec<String> = accounts
        .text
        .split("name=\"account_id\" value=\"")
        .skip(1)
        .map(|r| r[..r.find('"').unwrap()].to_owned())
        .collect();
    assert!(
        !ids.is_empty(),
        "reconfirming leads to the accounts: {}",
        accounts.text
    );
    let mut form = vec![
        ("session_id", session.as_str()),
        ("step", "accounts"),
        ("action", "continue"),
    ];
    form.extend(ids.iter().map(|id| ("account_id", id.as_str())));
    let done = post_form(&env, &form).await;
    assert_eq!(done.status, 303, "{}", done.text);
    let params = redirect_params(done.headers["location"].to_str().unwrap());
    assert_eq!(param(&params, "state"), Some("extend-state"));
    let mut exchange_link = Link::new("accounts");
    exchange_link.verifier = pkce.verifier;
    let renewed = env
        .exchange(param(&params, "code").unwrap(), &exchange_link)
        .await;
    assert_eq!(renewed.status, 200, "{}", renewed.text);
    let access = renewed.json["access_token"].as_str().unwrap();
    let me = env.get(access, "/data/v1/me").await;
    assert_eq!(
        me.json["results"][0]["credentials_id"], credentials,
        "the same connection"
    );
    assert!(
        consent_expiry(&env, access).await - before >= chrono::Duration::days(29),
        "the consent runs 90 days from the reconfirmation"
    );
}
