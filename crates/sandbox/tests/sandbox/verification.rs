//! Name verification `POST /verification/v1/verify`.

use serde_json::{json, Value};

use crate::support::{Answer, Env};

async fn verify(env: &Env, token: &str, body: &Value) -> Answer {
    let response = env
        .http
        .post(env.api("/verification/v1/verify"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        text,
        json,
    }
}

#[tokio::test]
async fn the_account_holders_name_is_verified_with_a_report_per_account() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", "verification").await;
    let answer = verify(&env, &tokens.access, &json!({"name": "John Doe"})).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json["verified"], true);
    assert_eq!(answer.json["match_score"], 100);
    assert_eq!(answer.json["account_holder_name"], "John Doe");
    let report = answer.json["report"].as_array().unwrap();
    assert_eq!(report.len(), 5, "one entry per shared account");
    assert!(report.iter().all(|r| r["verifiable"] == true));
    let joint = report
        .iter()
        .find(|r| r["account_holders"].as_array().unwrap().len() == 2);
    assert!(joint.is_some(), "the joint account lists both holders");
}

#[tokio::test]
async fn names_are_scored_and_only_close_ones_verified() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", "verification").await;
    let cases = [
        ("Jon Doe", true),
        ("doe john", true),
        ("J Doe", false),
        ("Alice Brown", false),
    ];
    for (name, verified) in cases {
        let answer = verify(&env, &tokens.access, &json!({ "name": name })).await;
        assert_eq!(answer.json["verified"], verified, "{name}: {}", answer.text);
        let score = answer.json["match_score"].as_u64().unwrap();
        assert_eq!(score >= 80, verified, "{name} scored {score}");
    }
}

#[tokio::test]
async fn credit_cards_are_reported_as_not_verifiable() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", "info accounts cards").await;
    let answer = verify(&env, &tokens.access, &json!({"name": "John Doe"})).await;
    assert_eq!(
        answer.status, 200,
        "info + accounts also allows verification: {}",
        answer.text
    );
    let cards: Vec<&Value> = answer.json["report"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["account_type"] == "CREDIT_CARD")
        .collect();
    assert_eq!(cards.len(), 2);
    assert!(cards
        .iter()
        .all(|c| c["verifiable"] == false && c["failure_code"] == "CREDIT_CARD"));
    let only_cards = env.connect("john", "doe", "verification cards").await;
    let none = verify(&env, &only_cards.access, &json!({"name": "John Doe"})).await;
    assert_eq!(none.status, 400);
    assert_eq!(none.json["title"], "No suitable accounts to verify.");
}

#[tokio::test]
async fn bad_names_and_tokens_are_problem_details() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", "verification").await;
    for body in [
        json!({}),
        json!({"name": ""}),
        json!({"name": 7}),
        json!({"name": "x".repeat(201)}),
        json!({"name": "J", "age": 3}),
    ] {
        let answer = verify(&env, &tokens.access, &body).await;
        assert_eq!(answer.status, 400, "{body}");
        assert_eq!(answer.headers["content-type"], "application/problem+json");
        assert!(answer.json["errors"]["name"].is_array(), "{}", answer.text);
        assert!(answer.json["traceId"].is_string());
    }
    let no_scope = env.connect("john", "doe", "accounts").await;
    assert_eq!(
        verify(&env, &no_scope.access, &json!({"name": "John Doe"}))
            .await
            .status,
        403
    );
    let unauthorized = verify(&env, "nope", &json!({"name": "John Doe"})).await;
    assert_eq!(unauthorized.status, 401);
    assert_eq!(
        unauthorized.json["detail"],
        "Access token missing or invalid."
    );
}
