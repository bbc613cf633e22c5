//! The HTML auth dialog walked with an HTTP client, the way a browser without JavaScript would.

use crate::support::{param, redirect_params, Answer, Env, Link, ALL_SCOPES, REDIRECT};

/// The `value` of the input named `name` in a page.
pub fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_owned()
}

/// Every `value` of checkboxes named `account_id`.
fn account_values(html: &str) -> Vec<String> {
    html.split("name=\"account_id\" value=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect()
}

pub async fn post(env: &Env, page: &Answer, fields: &[(&str, &str)]) -> Answer {
    let mut form: Vec<(String, String)> = vec![
        ("session_id".into(), field(&page.text, "session_id")),
        ("step".into(), field(&page.text, "step")),
    ];
    form.extend(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let response = env
        .http
        .post(env.auth("/dialog"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    Answer {
        status,
        headers,
        text,
        json: serde_json::Value::Null,
    }
}

fn location(answer: &Answer) -> String {
    assert_eq!(answer.status, 303, "{}", answer.text);
    answer.headers["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_dialog_walks_consent_provider_login_and_accounts_to_a_code_redirect() {
    let env = Env::start().await;
    let link = Link::new(ALL_SCOPES);
    let consent = env.get_url(&link.url(&env)).await;
    assert_eq!(consent.status, 200);
    for id in [
        "id=\"allow\"",
        "id=\"cancel\"",
        "data-scope=\"transactions\"",
        "sandbox-linkscope-demo",
    ] {
        assert!(consent.text.contains(id), "consent page lacks {id}");
    }
    let providers = post(&env, &consent, &[("action", "allow")]).await;
    assert!(providers.text.contains("data-provider-id=\"mock\""));
    assert!(providers.text.contains("data-provider-id=\"ob-monzo\""));
    assert!(
        !providers.text.contains("data-provider-id=\"xs2a-n26\""),
        "not selected by providers"
    );
    let login = post(
        &env,
        &providers,
        &[("action", "provider"), ("provider_id", "mock")],
    )
    .await;
    for id in [
        "id=\"username\"",
        "id=\"password\"",
        "id=\"login\"",
        "id=\"cancel\"",
    ] {
        assert!(login.text.contains(id), "login page lacks {id}");
    }
    let retry = post(
        &env,
        &login,
        &[
            ("action", "login"),
            ("username", "john"),
            ("password", "nope"),
        ],
    )
    .await;
    assert_eq!(retry.status, 200);
    assert!(
        retry.text.contains("id=\"error\""),
        "a wrong password shows an error"
    );
    let accounts = post(
        &env,
        &retry,
        &[
            ("action", "login"),
            ("username", "john"),
            ("password", "doe"),
        ],
    )
    .await;
    let ids = account_values(&accounts.text);
    assert_eq!(ids.len(), 7, "5 accounts and 2 cards are offered");
    let done = post(
        &env,
        &accounts,
        &[
            ("action", "continue"),
            ("account_id", &ids[0]),
            ("account_id", &ids[6]),
        ],
    )
    .await;
    let target = location(&done);
    assert!(target.starts_with(REDIRECT));
    let params = redirect_params(&target);
    assert_eq!(param(&params, "state"), Some("state-123"));
    let tokens = env.exchange(param(&params, "code").unwrap(), &link).await;
    assert_eq!(tokens.status, 200, "{}", tokens.text);
    let token = tokens.json["access_token"].as_str().unwrap();
    assert_eq!(env.account_ids(token).await, vec![ids[0].clone()]);
    assert_eq!(env.card_ids(token).await, vec![ids[6].clone()]);
}

#[tokio::test]
async fn provider_id_goes_from_consent_straight_to_the_banks_login() {
    let env = Env::start().await;
    let link = Link::new("accounts").set("provider_id", "mock");
    let consent = env.get_url(&link.url(&env)).await;
    let login = post(&env, &consent, &[("action", "allow")]).await;
    assert!(login.text.contains("id=\"username\""));
}

#[tokio::test]
async fn form_post_ends_with_a_self_submitting_form_to_the_redirect_uri() {
    let env = Env::start().await;
    let link = Link::new("accounts")
        .set("provider_id", "mock")
        .set("response_mode", "form_post");
    let consent = env.get_url(&link.url(&env)).await;
    let login = post(&env, &consent, &[("action", "allow")]).await;
    let accounts = post(
        &env,
        &login,
        &[
            ("action", "login"),
            ("username", "john"),
            ("password", "doe"),
        ],
    )
    .await;
    let ids = account_values(&accounts.text);
    let form: Vec<(&str, &str)> = std::iter::once(("action", "continue"))
        .chain(ids.iter().map(|id| ("account_id", id.as_str())))
        .collect();
    let page = post(&env, &accounts, &form).await;
    assert_eq!(
        page.status, 200,
        "form_post answers with a page, not a redirect"
    );
    assert!(page.text.contains(&format!("action=\"{REDIRECT}\"")));
    assert!(page.text.contains("method=\"post\""));
    assert!(page.text.contains("name=\"state\" value=\"state-123\""));
    let code = field(&page.text, "code");
    assert!(page.text.contains("<script>"), "submits itself");
    assert!(
        page.text.contains("id=\"continue\""),
        "and has a button for browsers without JavaScript"
    );
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'sha256-"), "{csp}");
    assert!(csp.contains("form-action http://127.0.0.1:3947"), "{csp}");
    assert_eq!(env.exchange(&code, &link).await.status, 200);
}

#[tokio::test]
async fn cancelling_at_any_step_redirects_with_access_denied_and_the_state() {
    let env = Env::start().await;
    let link = Link::new("accounts").set("provider_id", "mock");
    let consent = env.get_url(&link.url(&env)).await;
    let params = redirect_params(&location(
        &post(&env, &consent, &[("action", "cancel")]).await,
    ));
    assert_eq!(param(&params, "error"), Some("access_denied"));
    assert_eq!(param(&params, "state"), Some("state-123"));

    let consent = env.get_url(&link.url(&env)).await;
    let login = post(&env, &consent, &[("action", "allow")]).await;
    let params = redirect_params(&location(
        &post(&env, &login, &[("action", "cancel")]).await,
    ));
    assert_eq!(param(&params, "error"), Some("access_denied"));
}

#[tokio::test]
async fn three_wrong_passwords_make_the_bank_refuse_the_login() {
    let env = Env::start().await;
    let link = Link::new("accounts").set("provider_id", "mock");
    let consent = env.get_url(&link.url(&env)).await;
    let mut page = post(&env, &consent, &[("action", "allow")]).await;
    for _ in 0..2 {
        page = post(
            &env,
            &page,
            &[("action", "login"), ("username", "john"), ("password", "x")],
        )
        .await;
        assert_eq!(page.status, 200);
    }
    let refused = post(
        &env,
        &page,
        &[("action", "login"), ("username", "john"), ("password", "x")],
    )
    .await;
    let params = redirect_params(&location(&refused));
    assert_eq!(param(&params, "error"), Some("access_denied"));
}

#[tokio::test]
async fn choosing_no_account_asks_again() {
    let env = Env::start().await;
    let link = Link::new("accounts").set("provider_id", "mock");
    let consent = env.get_url(&link.url(&env)).await;
    let login = post(&env, &consent, &[("action", "allow")]).await;
    let accounts = post(
        &env,
        &login,
        &[
            ("action", "login"),
            ("username", "john"),
            ("password", "doe"),
        ],
    )
    .await;
    let again = post(&env, &accounts, &[("action", "continue")]).await;
    assert_eq!(again.status, 200);
    assert!(again.text.contains("id=\"error\""));
    assert!(again.text.contains("name=\"account_id\""));
}

#[tokio::test]
async fn a_stale_or_unknown_session_never_redirects() {
    let env = Env::start().await;
    let link = Link::new("accounts").set("provider_id", "mock");
    let consent = env.get_url(&link.url(&env)).await;
    let login = post(&env, &consent, &[("action", "allow")]).await;
    let stale = post(&env, &consent, &[("action", "allow")]).await;
    assert!(
        stale.text.contains("id=\"username\""),
        "a stale form shows the current step"
    );
    let accounts = post(
        &env,
        &login,
        &[
            ("action", "login"),
            ("username", "john"),
            ("password", "doe"),
        ],
    )
    .await;
    let done = post(
        &env,
        &accounts,
        &[
            ("action", "continue"),
            ("account_id", &account_values(&accounts.text)[0]),
        ],
    )
    .await;
    location(&done);
    let replay = post(&env, &accounts, &[("action", "continue")]).await;
    assert_eq!(replay.status, 400, "a finished session is gone");
    let unknown = env.get_url(&env.auth("/?session_id=auth-nope")).await;
    assert_eq!(unknown.status, 400);
    let old = env.get_url(&link.url(&env)).await;
    env.advance(31 * 60).await;
    let expired = post(&env, &old, &[("action", "allow")]).await;
    assert_eq!(expired.status, 400, "dialog sessions end after 30 minutes");
}

#[tokio::test]
async fn dialog_pages_cannot_be_framed_and_serve_their_assets() {
    let env = Env::start().await;
    let consent = env.get_url(&Link::new("accounts").url(&env)).await;
    let csp = consent.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(
        !csp.contains("form-action"),
        "Chromium applies form-action to the 303 to a custom-scheme redirect URI: {csp}"
    );
    assert_eq!(consent.headers["x-frame-options"], "deny");
    let css = env.get_url(&env.auth("/assets/dialog.css")).await;
    assert_eq!(css.status, 200);
    assert!(css.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    let logo = env.get_url(&env.auth("/img/banks/logos/mock.svg")).await;
    assert_eq!(logo.headers["content-type"], "image/svg+xml");
    assert!(logo.text.starts_with("<svg"));
    assert_eq!(
        env.get_url(&env.auth("/img/banks/logos/nope.svg"))
            .await
            .status,
        404
    );
}
