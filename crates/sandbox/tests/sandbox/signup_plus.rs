//! Signup+ `GET /signup-plus/accounts`: one account → identity; several → the list; `account_id`
//! chooses; problem bodies for everything else.

use serde_json::json;

use crate::support::{param, redirect_params, Env, Link, Tokens};

/// Links john/doe with `signupplus accounts` sharing only the given account names.
async fn connect_with(env: &Env, names: &[&str]) -> (Tokens, Vec<(String, String)>) {
    let all = env.connect("john", "doe", "accounts").await;
    let accounts: Vec<(String, String)> = env.get(&all.access, "/data/v1/accounts").await.json
        ["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["display_name"].as_str().unwrap().to_owned(),
                a["account_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let chosen: Vec<&String> = accounts
        .iter()
        .filter(|(n, _)| names.contains(&n.as_str()))
        .map(|(_, id)| id)
        .collect();
    let link = Link::new("signupplus accounts");
    let answer = env
        .post_json(&env.auth("/__sandbox/authorize"), &json!({"auth_link": link.url(env), "username": "john", "password": "doe", "account_ids": chosen}))
        .await;
    let params = redirect_params(answer.json["redirect"].as_str().unwrap());
    let exchanged = env.exchange(param(&params, "code").unwrap(), &link).await;
    let tokens = Tokens {
        access: exchanged.json["access_token"].as_str().unwrap().to_owned(),
        refresh: None,
        body: exchanged.json,
    };
    (tokens, accounts)
}

fn id_of<'a>(accounts: &'a [(String, String)], name: &str) -> &'a str {
    &accounts.iter().find(|(n, _)| n == name).unwrap().1
}

#[tokio::test]
async fn a_single_linked_current_account_gives_the_identity() {
    let env = Env::start().await;
    let (tokens, _) = connect_with(&env, &["TRANSACTION ACCOUNT 1", "SAVINGS ACCOUNT 1"]).await;
    let answer = env.get(&tokens.access, "/signup-plus/accounts").await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json["first_name"], "John");
    assert_eq!(answer.json["last_name"], "Doe");
    assert_eq!(answer.json["account_details"]["account_number"], "10000000");
    assert!(answer.json["address"]["address_line1"].is_string());
    assert!(answer.headers.contains_key("tl-trace-id"));
}

#[tokio::test]
async fn several_current_accounts_list_them_and_account_id_chooses() {
    let env = Env::start().await;
    let (tokens, accounts) = connect_with(
        &env,
        &[
            "TRANSACTION ACCOUNT 1",
            "TRANSACTION ACCOUNT 2",
            "TRANSACTION ACCOUNT 3",
            "SAVINGS ACCOUNT 1",
        ],
    )
    .await;
    let answer = env.get(&tokens.access, "/signup-plus/accounts").await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json["result"], "multiple_accounts_linked");
    let listed: Vec<&str> = answer.json["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account_id"].as_str().unwrap())
        .collect();
    let third = id_of(&accounts, "TRANSACTION ACCOUNT 3");
    assert_eq!(
        listed,
        vec![id_of(&accounts, "TRANSACTION ACCOUNT 1"), third],
        "the joint account is not usable"
    );
    let link = answer.json["links"][third].as_str().unwrap();
    assert!(link.ends_with(&format!("/signup-plus/accounts?account_id={third}")));
    let chosen = env
        .get(
            &tokens.access,
            &format!("/signup-plus/accounts?account_id={third}"),
        )
        .await;
    assert_eq!(chosen.status, 200);
    assert_eq!(chosen.json["account_details"]["account_number"], "50000000");
    let joint = env
        .get(
            &tokens.access,
            &format!(
                "/signup-plus/accounts?account_id={}",
                id_of(&accounts, "TRANSACTION ACCOUNT 2")
            ),
        )
        .await;
    assert_eq!(joint.status, 422);
    assert_eq!(
        joint.json["type"],
        "https://docs.truelayer.com/docs/signup-errors#joint-account"
    );
    let savings = env
        .get(
            &tokens.access,
            &format!(
                "/signup-plus/accounts?account_id={}",
                id_of(&accounts, "SAVINGS ACCOUNT 1")
            ),
        )
        .await;
    assert_eq!(savings.status, 400);
    let extra = env
        .get(&tokens.access, "/signup-plus/accounts?account=1")
        .await;
    assert_eq!(extra.status, 400);
}

#[tokio::test]
async fn only_savings_accounts_are_no_valid_accounts() {
    let env = Env::start().await;
    let (tokens, _) = connect_with(&env, &["SAVINGS ACCOUNT 1", "SAVINGS ACCOUNT 2"]).await;
    let answer = env.get(&tokens.access, "/signup-plus/accounts").await;
    assert_eq!(answer.status, 422);
    assert_eq!(
        answer.json["detail"],
        "No valid accounts linked, could not process request."
    );
}

#[tokio::test]
async fn signup_plus_needs_its_scope_and_a_valid_token() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", "accounts").await;
    let answer = env.get(&tokens.access, "/signup-plus/accounts").await;
    assert_eq!(answer.status, 403);
    assert_eq!(answer.json["title"], "Missing Claims");
    let answer = env.get("nope", "/signup-plus/accounts").await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.json["detail"], "Access token missing or invalid");
    assert!(answer.json["trace_id"].is_string());
}
