//! The `/__sandbox/` controls: clock, faults, latency, the request journal.

use serde_json::{json, Value};

use crate::support::{Env, ALL_SCOPES};

#[tokio::test]
async fn the_clock_reports_now_and_only_moves_forward() {
    let env = Env::start().await;
    let before = env.get_url(&env.auth("/__sandbox/clock")).await;
    assert_eq!(before.status, 200);
    let now = chrono::DateTime::parse_from_rfc3339(before.json["now"].as_str().unwrap()).unwrap();
    assert_eq!(before.json["offset_seconds"], 0);
    let moved = env
        .post_json(
            &env.auth("/__sandbox/clock"),
            &json!({"advance_seconds": 86400}),
        )
        .await;
    assert_eq!(moved.status, 200);
    let later = chrono::DateTime::parse_from_rfc3339(moved.json["now"].as_str().unwrap()).unwrap();
    assert!(later - now >= chrono::Duration::seconds(86400));
    for body in [
        json!({"advance_seconds": -5}),
        json!({"advance_seconds": "5"}),
        json!({}),
        json!({"advance_seconds": 5, "x": 1}),
        json!({"advance_seconds": 1_000_000_000_000i64}),
    ] {
        let answer = env.post_json(&env.auth("/__sandbox/clock"), &body).await;
        assert_eq!(
            (answer.status.as_u16(), answer.error()),
            (400, "invalid_request"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn an_injected_fault_answers_the_next_calls_with_the_truelayer_error() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let armed = env
        .post_json(
            &env.auth("/__sandbox/faults"),
            &json!({"path": "/data/v1/accounts", "status": 429, "error": "provider_too_many_requests", "retry_after": 2, "times": 1}),
        )
        .await;
    assert_eq!(armed.status, 200, "{}", armed.text);
    assert_eq!(armed.json["faults"][0]["times"], 1);
    let hit = env.get(&tokens.access, "/data/v1/accounts").await;
    assert_eq!(
        (hit.status.as_u16(), hit.error()),
        (429, "provider_too_many_requests")
    );
    assert_eq!(
        hit.json["error_description"],
        "Provider rate limit exceeded."
    );
    assert_eq!(hit.headers["retry-after"], "2");
    assert_eq!(
        env.get(&tokens.access, "/data/v1/accounts").await.status,
        200,
        "times: 1"
    );

    env.post_json(
        &env.auth("/__sandbox/faults"),
        &json!({"path": "/data/v1/", "status": 503, "error": "provider_error", "times": 100}),
    )
    .await;
    assert_eq!(env.get(&tokens.access, "/data/v1/cards").await.status, 503);
    let cleared = env
        .http
        .delete(env.auth("/__sandbox/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), 200);
    assert_eq!(env.get(&tokens.access, "/data/v1/cards").await.status, 200);
}

#[tokio::test]
async fn faults_take_the_error_shape_of_the_api_they_hit() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", "signupplus accounts").await;
    env.post_json(
        &env.auth("/__sandbox/faults"),
        &json!({"path": "/connect/token", "status": 500, "error": "internal_server_error"}),
    )
    .await;
    let token = env.refresh("x").await;
    assert_eq!(
        (token.status.as_u16(), token.error()),
        (500, "internal_server_error")
    );
    env.post_json(
        &env.auth("/__sandbox/faults"),
        &json!({"path": "/signup-plus", "status": 504, "error": "provider_timeout"}),
    )
    .await;
    let signup = env.get(&tokens.access, "/signup-plus/accounts").await;
    assert_eq!(signup.status, 504);
    assert!(signup.json["type"]
        .as_str()
        .unwrap()
        .contains("signup-errors"));
    assert!(signup.json["trace_id"].is_string());
}

#[tokio::test]
async fn malformed_fault_requests_are_refused() {
    let env = Env::start().await;
    for body in [
        json!({}),
        json!({"path": "/x"}),
        json!({"path": "/x", "status": 302}),
        json!({"latency_ms": -1}),
        json!({"path": "/x", "error": "made_up"}),
    ] {
        let answer = env.post_json(&env.auth("/__sandbox/faults"), &body).await;
        assert_eq!(answer.status, 400, "{body}");
    }
}

#[tokio::test]
async fn injected_latency_slows_every_call_but_not_the_controls() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", "accounts").await;
    let set = env
        .post_json(&env.auth("/__sandbox/faults"), &json!({"latency_ms": 150}))
        .await;
    assert_eq!(set.json["latency_ms"], 150);
    let started = std::time::Instant::now();
    assert_eq!(
        env.get(&tokens.access, "/data/v1/accounts").await.status,
        200
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(150),
        "the call waited the injected latency"
    );
    let journal = env.get_url(&env.auth("/__sandbox/requests")).await;
    let last = journal.json["requests"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert!(last["duration_ms"].as_u64().unwrap() >= 150);
}

#[tokio::test]
async fn the_journal_lists_requests_newest_last_with_secrets_redacted() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    env.get(&tokens.access, "/data/v1/me").await;
    let journal = env.get_url(&env.auth("/__sandbox/requests")).await;
    let entries = journal.json["requests"].as_array().unwrap();
    let paths: Vec<&str> = entries
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        vec!["/connect/token", "/data/v1/me"],
        "controls are not journaled"
    );
    let token_entry: &Value = &entries[0];
    assert_eq!(token_entry["server"], "auth");
    assert_eq!(token_entry["method"], "POST");
    assert_eq!(token_entry["status"], 200);
    assert_eq!(token_entry["body"]["grant_type"], "authorization_code");
    for secret in ["client_secret", "code", "code_verifier"] {
        assert_eq!(token_entry["body"][secret], "[redacted]", "{secret}");
    }
    let me = &entries[1];
    assert_eq!(me["headers"]["authorization"], "Bearer [redacted]");
    assert_eq!(me["server"], "api");
    assert!(me["correlation_id"].is_string());
    assert!(
        !journal.text.contains(&tokens.access),
        "no raw token anywhere"
    );
    assert!(!journal.text.contains(&env.secret()));
    let cleared = env
        .http
        .delete(env.auth("/__sandbox/requests"))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), 200);
    assert!(
        env.get_url(&env.auth("/__sandbox/requests")).await.json["requests"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_providers_list_is_a_bare_array_that_filters() {
    let env = Env::start().await;
    let all = env.get_url(&env.auth("/api/providers")).await;
    assert_eq!(all.status, 200);
    let list = all.json.as_array().unwrap();
    assert_eq!(list[0]["provider_id"], "mock", "Mock first");
    assert!(list.len() > 20);
    assert!(list[0]["logo_url"]
        .as_str()
        .unwrap()
        .starts_with(&env.auth("/img/banks/logos/")));
    let count = |answer: &crate::support::Answer| answer.json.as_array().map(Vec::len).unwrap_or(0);
    let uk = env.get_url(&env.auth("/api/providers?country=uk")).await;
    assert!(uk
        .json
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["country"] == "uk"));
    let eu = env
        .get_url(&env.auth("/api/providers?country=de%20fr"))
        .await;
    assert!(eu
        .json
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["country"] == "de" || p["country"] == "fr"));
    assert!(count(&eu) >= 2);
    let cards = env
        .get_url(&env.auth("/api/providers?scopes=cards%20standing_orders"))
        .await;
    assert!(cards.json.as_array().unwrap().iter().all(|p| {
        let scopes = p["scopes"].as_array().unwrap();
        scopes.contains(&json!("cards")) && scopes.contains(&json!("standing_orders"))
    }));
    assert!(count(&cards) < list.len());
    let ours = env
        .get_url(&env.auth(&format!(
            "/api/providers?clientId={}",
            linkscope_sandbox::DEMO_CLIENT_ID
        )))
        .await;
    assert_eq!(count(&ours), list.len());
    let lower = env
        .get_url(&env.auth(&format!(
            "/api/providers?clientid={}",
            linkscope_sandbox::DEMO_CLIENT_ID
        )))
        .await;
    assert_eq!(count(&lower), list.len());
    let unknown = env
        .get_url(&env.auth("/api/providers?clientId=sandbox-nobody"))
        .await;
    assert_eq!((unknown.status.as_u16(), count(&unknown)), (200, 0));
    for bad in [
        "?country=gb",
        "?scopes=payments",
        "?colour=red",
        "?country=uk&country=de",
    ] {
        let answer = env
            .get_url(&env.auth(&format!("/api/providers{bad}")))
            .await;
        assert_eq!(
            (answer.status.as_u16(), answer.error()),
            (400, "invalid_request"),
            "{bad}"
        );
    }
}
