//! Every documented mock user: who can log in, what data they see, how the error users fail.

use chrono::{Duration, Utc};
use linkscope_sandbox::data;

use crate::data_api::every_get_path;
use crate::support::{param, redirect_params, Env, Link, ALL_SCOPES};

#[tokio::test]
async fn every_documented_mock_user_links_and_reads_its_accounts() {
    let env = Env::start().await;
    let users = data::mock_users();
    assert!(
        users.len() >= 208,
        "john..john100 × doe/iban, eternal, 5 error users, dense"
    );
    for user in users {
        let tokens = env
            .connect(&user.username, &user.password, "info accounts balance")
            .await;
        let answer = env.get(&tokens.access, "/data/v1/accounts").await;
        match user.persona.data_error() {
            None => {
                assert_eq!(answer.status, 200, "{}: {}", user.username, answer.text);
                let accounts = answer.json["results"].as_array().unwrap();
                assert!(
                    accounts.len() >= 5,
                    "{} has several accounts",
                    user.username
                );
                // The shape check needs TrueLayer's spec; the conformance tests report it skipped.
                if linkscope_openapi::dir().is_some() {
                    crate::conformance::assert_data_conforms("/accounts", 200, &answer.json);
                }
            }
            Some(failure) => {
                assert_eq!(answer.status.as_u16(), failure.status, "{}", user.username);
                assert_eq!(answer.error(), failure.error);
            }
        }
    }
}

#[tokio::test]
async fn the_same_user_sees_the_same_data_on_every_link() {
    let env = Env::start().await;
    let a = env.connect("john42", "doe42", ALL_SCOPES).await;
    let b = env.connect("john42", "doe42", ALL_SCOPES).await;
    let accounts = env.account_ids(&a.access).await;
    assert_eq!(accounts, env.account_ids(&b.access).await);
    let path = format!("/data/v1/accounts/{}/transactions", accounts[0]);
    assert_eq!(
        env.get(&a.access, &path).await.json,
        env.get(&b.access, &path).await.json
    );
    let other = env.connect("john43", "doe43", ALL_SCOPES).await;
    assert_ne!(
        accounts,
        env.account_ids(&other.access).await,
        "another user, other accounts"
    );
}

#[tokio::test]
async fn iban_users_get_a_distinct_iban_per_account() {
    let env = Env::start().await;
    let doe = env.connect("john7", "doe7", "accounts").await;
    let iban = env.connect("john7", "iban7", "accounts").await;
    let ibans = |json: &serde_json::Value| -> Vec<String> {
        json["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["account_number"]["iban"].as_str().unwrap().to_owned())
            .collect()
    };
    let shared = ibans(&env.get(&doe.access, "/data/v1/accounts").await.json);
    let distinct = ibans(&env.get(&iban.access, "/data/v1/accounts").await.json);
    assert!(
        shared.windows(2).all(|w| w[0] == w[1]),
        "doe users share the Mock bank's IBAN"
    );
    let mut unique = distinct.clone();
    unique.dedup();
    assert_eq!(
        unique.len(),
        distinct.len(),
        "iban users get one IBAN per account"
    );
    assert_eq!(
        env.account_ids(&doe.access).await,
        env.account_ids(&iban.access).await
    );
}

#[tokio::test]
async fn a_user_with_the_wrong_numbered_password_is_refused() {
    let env = Env::start().await;
    for (username, password) in [
        ("john7", "doe8"),
        ("john101", "doe101"),
        ("jane", "doe"),
        ("error.nope", "error"),
    ] {
        let answer = env
            .authorize(&Link::new("accounts"), username, password)
            .await;
        let params = redirect_params(answer.json["redirect"].as_str().unwrap());
        assert_eq!(
            param(&params, "error"),
            Some("access_denied"),
            "{username}/{password}"
        );
    }
}

#[tokio::test]
async fn the_error_users_log_in_but_every_data_call_fails_with_their_code() {
    let env = Env::start().await;
    let reference = env.connect("john", "doe", ALL_SCOPES).await;
    let account = env.account_ids(&reference.access).await.remove(0);
    let card = env.card_ids(&reference.access).await.remove(0);
    let cases = [
        ("error.account_permanently_locked", 403),
        ("error.account_temporarily_locked", 403),
        ("error.internal_error", 500),
        ("error.provider_error", 503),
        ("error.user_input_required", 403),
    ];
    for (username, status) in cases {
        let tokens = env.connect(username, "error", ALL_SCOPES).await;
        let code = username.trim_start_matches("error.");
        for path in every_get_path(&account, &card).into_iter().skip(1) {
            let answer = env.get(&tokens.access, &path).await;
            assert_eq!(
                (answer.status.as_u16(), answer.error()),
                (status, code),
                "{username} {path}"
            );
            assert!(answer.json["error_details"].is_object());
        }
        let me = env.get(&tokens.access, "/data/v1/me").await;
        assert_eq!(
            me.status, 200,
            "/me is TrueLayer's own record, not the bank's"
        );
    }
}

#[tokio::test]
async fn the_dense_user_has_ten_accounts_and_years_of_history() {
    let env = Env::start().await;
    let tokens = env
        .connect(data::DENSE_USERNAME, data::DENSE_PASSWORD, ALL_SCOPES)
        .await;
    let accounts = env.account_ids(&tokens.access).await;
    assert_eq!(accounts.len(), 10);
    let today = Utc::now().date_naive();
    let mut three_months = 0;
    for account in &accounts {
        let from = today - Duration::days(90);
        let answer = env
            .get(
                &tokens.access,
                &format!("/data/v1/accounts/{account}/transactions?from={from}&to={today}"),
            )
            .await;
        assert_eq!(answer.status, 200);
        three_months += answer.json["results"].as_array().unwrap().len();
    }
    assert!(
        three_months > 3000,
        "about 100k over 5+ years is ~1200 a month: got {three_months}"
    );
    let five_years_ago = today - Duration::days(5 * 365 + 30);
    let old = env
        .get(
            &tokens.access,
            &format!(
                "/data/v1/accounts/{}/transactions?from={five_years_ago}&to={}",
                accounts[0],
                five_years_ago + Duration::days(30)
            ),
        )
        .await;
    assert_eq!(old.status, 200, "{}", old.text);
    assert!(
        !old.json["results"].as_array().unwrap().is_empty(),
        "history reaches back five years"
    );
}
