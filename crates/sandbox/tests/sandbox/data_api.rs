//! Data API v1: every operation, its scopes, query parameters, the historical window and error
//! shapes.

use chrono::{DateTime, Duration, Utc};

use crate::support::{Env, ALL_SCOPES};

/// Every GET operation for one account and one card.
pub fn every_get_path(account: &str, card: &str) -> Vec<String> {
    vec![
        "/data/v1/me".to_owned(),
        "/data/v1/info".to_owned(),
        "/data/v1/accounts".to_owned(),
        format!("/data/v1/accounts/{account}"),
        format!("/data/v1/accounts/{account}/balance"),
        format!("/data/v1/accounts/{account}/transactions"),
        format!("/data/v1/accounts/{account}/transactions/pending"),
        format!("/data/v1/accounts/{account}/standing_orders"),
        format!("/data/v1/accounts/{account}/direct_debits"),
        "/data/v1/cards".to_owned(),
        format!("/data/v1/cards/{card}"),
        format!("/data/v1/cards/{card}/balance"),
        format!("/data/v1/cards/{card}/transactions"),
        format!("/data/v1/cards/{card}/transactions/pending"),
    ]
}

#[tokio::test]
async fn every_data_operation_answers_a_fully_scoped_connection() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let account = env.account_ids(&tokens.access).await.remove(0);
    let card = env.card_ids(&tokens.access).await.remove(0);
    for path in every_get_path(&account, &card) {
        let answer = env.get(&tokens.access, &path).await;
        assert_eq!(answer.status, 200, "{path}: {}", answer.text);
        assert_eq!(answer.json["status"], "Succeeded", "{path}");
        assert!(answer.json["results"].is_array(), "{path}");
        assert!(answer.headers.contains_key("x-tl-correlation-id"), "{path}");
        assert_eq!(
            answer.headers["content-type"], "application/json; charset=utf-8",
            "{path}"
        );
        assert!(answer.headers.contains_key("x-credentials-id"), "{path}");
    }
    let standing = env
        .get(
            &tokens.access,
            &format!("/data/v1/accounts/{account}/standing_orders"),
        )
        .await;
    assert!(
        !standing.json["results"].as_array().unwrap().is_empty(),
        "the main account has standing orders"
    );
    let debits = env
        .get(
            &tokens.access,
            &format!("/data/v1/accounts/{account}/direct_debits"),
        )
        .await;
    assert!(
        !debits.json["results"].as_array().unwrap().is_empty(),
        "and direct debits"
    );
    let pending = env
        .get(
            &tokens.access,
            &format!("/data/v1/accounts/{account}/transactions/pending"),
        )
        .await;
    assert!(
        !pending.json["results"].as_array().unwrap().is_empty(),
        "and pending transactions"
    );
}

#[tokio::test]
async fn each_operation_requires_the_scopes_the_spec_lists() {
    let env = Env::start().await;
    let full = env.connect("john", "doe", ALL_SCOPES).await;
    let account = env.account_ids(&full.access).await.remove(0);
    let card = env.card_ids(&full.access).await.remove(0);
    let cases: Vec<(&str, String, u16)> = vec![
        ("accounts", "/data/v1/me".into(), 200),
        ("accounts", "/data/v1/info".into(), 403),
        ("info", "/data/v1/info".into(), 200),
        ("info", "/data/v1/accounts".into(), 403),
        ("cards", "/data/v1/accounts".into(), 403),
        (
            "accounts",
            format!("/data/v1/accounts/{account}/balance"),
            403,
        ),
        (
            "accounts",
            format!("/data/v1/accounts/{account}/transactions"),
            403,
        ),
        (
            "accounts",
            format!("/data/v1/accounts/{account}/standing_orders"),
            403,
        ),
        (
            "accounts",
            format!("/data/v1/accounts/{account}/direct_debits"),
            403,
        ),
        ("accounts", "/data/v1/cards".into(), 403),
        ("cards", format!("/data/v1/cards/{card}/balance"), 403),
        (
            "cards balance",
            format!("/data/v1/cards/{card}/balance"),
            200,
        ),
        (
            "cards transactions",
            format!("/data/v1/cards/{card}/transactions"),
            200,
        ),
        (
            "accounts balance",
            format!("/data/v1/accounts/{account}/balance"),
            200,
        ),
    ];
    for (scope, path, status) in cases {
        let tokens = env.connect("john", "doe", scope).await;
        let answer = env.get(&tokens.access, &path).await;
        assert_eq!(
            answer.status.as_u16(),
            status,
            "scope {scope:?} {path}: {}",
            answer.text
        );
        if status == 403 {
            assert_eq!(answer.error(), "access_denied");
            assert!(answer.json["error_details"]["reason"]
                .as_str()
                .unwrap()
                .contains("scope"));
        }
    }
}

fn timestamps(results: &serde_json::Value) -> Vec<DateTime<Utc>> {
    results
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            DateTime::parse_from_rfc3339(t["timestamp"].as_str().unwrap())
                .unwrap()
                .with_timezone(&Utc)
        })
        .collect()
}

#[tokio::test]
async fn transactions_stay_within_from_and_to_newest_first() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let account = env.account_ids(&tokens.access).await.remove(0);
    let now = Utc::now();
    let from = (now - Duration::days(60)).date_naive();
    let to = (now - Duration::days(30)).date_naive();
    let path = format!("/data/v1/accounts/{account}/transactions?from={from}&to={to}");
    let answer = env.get(&tokens.access, &path).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let times = timestamps(&answer.json["results"]);
    assert!(
        times.len() > 10,
        "a month of a current account has activity"
    );
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(times
        .iter()
        .all(|t| t.date_naive() >= from && t.date_naive() <= to));
    let first = &answer.json["results"][0];
    for field in [
        "transaction_id",
        "normalised_provider_transaction_id",
        "description",
        "amount",
        "currency",
        "transaction_type",
        "transaction_category",
        "transaction_classification",
        "running_balance",
    ] {
        assert!(!first[field].is_null(), "transactions carry {field}");
    }
    let again = env.get(&tokens.access, &path).await;
    assert_eq!(again.json, answer.json, "same user, same data");
    let default = env
        .get(
            &tokens.access,
            &format!("/data/v1/accounts/{account}/transactions"),
        )
        .await;
    let oldest = *timestamps(&default.json["results"]).last().unwrap();
    assert!(
        now - oldest <= Duration::days(91),
        "without from/to: the last 90 days"
    );
}

#[tokio::test]
async fn bad_dates_are_validation_errors_and_reversed_ranges_invalid_date_range() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let account = env.account_ids(&tokens.access).await.remove(0);
    let base = format!("/data/v1/accounts/{account}/transactions");
    let cases = [
        ("?from=01-01-2024", "validation_error"),
        ("?to=tomorrow", "validation_error"),
        ("?from=2024-02-01&to=2024-01-01", "invalid_date_range"),
        ("?from=2024-01-01&from=2024-01-02", "validation_error"),
        ("?page=2", "validation_error"),
        ("?async=yes", "validation_error"),
        ("?webhook_uri=http://127.0.0.1:1/hook", "validation_error"),
    ];
    for (query, error) in cases {
        let answer = env.get(&tokens.access, &format!("{base}{query}")).await;
        assert_eq!(
            (answer.status.as_u16(), answer.error()),
            (400, error),
            "{query}: {}",
            answer.text
        );
    }
    let info = env.get(&tokens.access, "/data/v1/info?async=true").await;
    assert_eq!(info.status, 400, "/info has no async mode");
    let dated = env
        .get(&tokens.access, "/data/v1/accounts?from=2024-01-01")
        .await;
    assert_eq!(dated.status, 400, "/accounts takes no dates");
}

#[tokio::test]
async fn transactions_older_than_ninety_days_are_readable_only_shortly_after_login() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let account = env.account_ids(&tokens.access).await.remove(0);
    let from = (Utc::now() - Duration::days(400)).date_naive();
    let old = format!("/data/v1/accounts/{account}/transactions?from={from}");
    env.advance(4 * 60).await;
    let early = env.get(&tokens.access, &old).await;
    assert_eq!(early.status, 200, "{}", early.text);
    let oldest = *timestamps(&early.json["results"]).last().unwrap();
    assert!(
        Utc::now() - oldest > Duration::days(300),
        "a year of history comes back"
    );
    env.advance(2 * 60).await;
    let late = env.get(&tokens.access, &old).await;
    assert_eq!((late.status.as_u16(), late.error()), (403, "access_denied"));
    assert!(late.json.get("results").is_none(), "no partial data");
    let recent = env
        .get(
            &tokens.access,
            &format!("/data/v1/accounts/{account}/transactions"),
        )
        .await;
    assert_eq!(recent.status, 200, "the last 90 days stay readable");
}

#[tokio::test]
async fn missing_unknown_and_foreign_tokens_are_told_apart() {
    let env = Env::start().await;
    let no_header = env
        .http
        .get(env.api("/data/v1/accounts"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_header.status(), 401);
    let body: serde_json::Value = no_header.json().await.unwrap();
    assert_eq!(body["error"], "unauthorized");
    let unknown = env.get("eyJ.not.a-token", "/data/v1/accounts").await;
    assert_eq!(
        (unknown.status.as_u16(), unknown.error()),
        (401, "invalid_token")
    );
    let basic = env
        .http
        .get(env.api("/data/v1/accounts"))
        .basic_auth("a", Some("b"))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 401);
}

#[tokio::test]
async fn unknown_or_unshared_ids_are_account_not_found() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let account = env.account_ids(&tokens.access).await.remove(0);
    let card = env.card_ids(&tokens.access).await.remove(0);
    for path in [
        "/data/v1/accounts/0000".to_owned(),
        format!("/data/v1/accounts/{card}"),
        format!("/data/v1/cards/{account}"),
        format!("/data/v1/cards/{account}/transactions"),
        "/data/v1/accounts/nope/balance".to_owned(),
    ] {
        let answer = env.get(&tokens.access, &path).await;
        assert_eq!(
            (answer.status.as_u16(), answer.error()),
            (404, "account_not_found"),
            "{path}"
        );
        assert_eq!(answer.json["error_description"], "account not found");
    }
}

#[tokio::test]
async fn me_reports_the_connection_with_a_ninety_day_consent() {
    let env = Env::start().await;
    let tokens = env
        .connect("john", "doe", "info accounts offline_access")
        .await;
    let me = env.get(&tokens.access, "/data/v1/me").await;
    let result = &me.json["results"][0];
    let parse = |k: &str| DateTime::parse_from_rfc3339(result[k].as_str().unwrap()).unwrap();
    assert_eq!(
        parse("consent_expires_at") - parse("consent_created_at"),
        Duration::days(90)
    );
    assert_eq!(result["consent_status"], "Authorised");
    assert_eq!(result["client_id"], linkscope_sandbox::DEMO_CLIENT_ID);
    assert_eq!(
        result["scopes"],
        serde_json::json!(["info", "accounts", "offline_access"])
    );
    assert!(result["provider"]["logo_uri"]
        .as_str()
        .unwrap()
        .starts_with(env.sandbox.auth_url()));
}

#[tokio::test]
async fn new_days_of_history_appear_as_the_clock_moves() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let account = env.account_ids(&tokens.access).await.remove(0);
    let window = |from: chrono::NaiveDate, to: chrono::NaiveDate| {
        format!("/data/v1/accounts/{account}/transactions?from={from}&to={to}")
    };
    let today = Utc::now().date_naive();
    let before = env
        .get(
            &tokens.access,
            &window(today - Duration::days(20), today - Duration::days(10)),
        )
        .await;
    env.advance(20 * 24 * 3600).await;
    let refreshed = env.refresh(tokens.refresh.as_deref().unwrap()).await;
    let access = refreshed.json["access_token"].as_str().unwrap();
    let after = env
        .get(
            access,
            &window(today - Duration::days(20), today - Duration::days(10)),
        )
        .await;
    assert_eq!(
        before.json["results"], after.json["results"],
        "past days never change"
    );
    let newer = env
        .get(
            access,
            &window(today + Duration::days(1), today + Duration::days(15)),
        )
        .await;
    assert!(
        !newer.json["results"].as_array().unwrap().is_empty(),
        "the days the clock moved over have transactions"
    );
}
