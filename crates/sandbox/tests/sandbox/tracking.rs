//! The Client Tracking API: the dialog's steps recorded per `tracking_id` as they happen, and
//! `GET /v1/tracked-events` on the sandbox's own tracking listener (client_credentials token with
//! the `tracking` scope; the spec's 400/401/404).

use serde_json::Value;

use crate::dialog::post;
use crate::support::{Env, Link, ALL_SCOPES};

fn names(answer: &crate::support::Answer) -> Vec<String> {
    answer.json["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results in {}", answer.text))
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_link_abandoned_at_the_banks_login_leaves_a_partial_trail() {
    let env = Env::start().await;
    let link = Link::new(ALL_SCOPES).set("tracking_id", "track-abandoned");
    let consent = env.get_url(&link.url(&env)).await;
    let providers = post(&env, &consent, &[("action", "allow")]).await;
    let login = post(
        &env,
        &providers,
        &[("action", "provider"), ("provider_id", "mock")],
    )
    .await;
    assert!(
        login.text.contains("id=\"password\""),
        "the bank's login page is shown"
    );
    let token = env.client_token("tracking").await;

    let trail = env
        .tracked_events(Some(&token), "?tracking_id=track-abandoned")
        .await;
    assert_eq!(trail.status, 200, "{}", trail.text);
    assert_eq!(
        names(&trail),
        [
            "dialog_started",
            "consent_granted",
            "provider_selected",
            "provider_auth_started"
        ],
        "the trail stops where the user stopped: at the bank's login"
    );
    let events = trail.json["results"].as_array().unwrap();
    let flow = events[0]["flow_id"].as_str().unwrap();
    assert!(flow.starts_with("auth-"), "{flow}");
    for event in events {
        assert_eq!(event["flow_id"], flow, "one dialog, one flow");
        assert_eq!(event["reauth"], false);
        assert!(
            event.get("credentials_id").is_none(),
            "no login yet: {event}"
        );
    }
    assert!(
        events[0].get("provider_id").is_none(),
        "no bank chosen at the start"
    );
    assert_eq!(events[2]["provider_id"], "mock");
    assert_eq!(events[3]["provider_id"], "mock");
}

#[tokio::test]
async fn a_completed_link_leaves_the_full_trail_naming_its_connection() {
    let env = Env::start().await;
    let link = Link::new(ALL_SCOPES).set("tracking_id", "track-done");
    let tokens = env.connect_link(&link, "john", "doe").await;
    let me = env.get(&tokens.access, "/data/v1/me").await;
    let credentials_id = me.json["results"][0]["credentials_id"].clone();
    let token = env.client_token("tracking").await;

    let trail = env
        .tracked_events(Some(&token), "?tracking_id=track-done")
        .await;
    assert_eq!(trail.status, 200, "{}", trail.text);
    assert_eq!(
        names(&trail),
        [
            "dialog_started",
            "consent_granted",
            "provider_selected",
            "provider_auth_started",
            "provider_authorized",
            "code_exchanged"
        ]
    );
    let events = trail.json["results"].as_array().unwrap();
    for event in &events[4..] {
        assert_eq!(
            event["credentials_id"], credentials_id,
            "the login names the connection the code creates"
        );
        assert!(event["consent_id"].is_string(), "{event}");
    }
    let times: Vec<&str> = events.iter().map(|e| e["time"].as_str().unwrap()).collect();
    let mut sorted = times.clone();
    sorted.sort_unstable();
    assert_eq!(times, sorted, "oldest first");
}

#[tokio::test]
async fn a_link_with_a_provider_id_records_the_bank_as_consent_is_granted() {
    let env = Env::start().await;
    let link = Link::new("accounts")
        .set("provider_id", "mock")
        .set("tracking_id", "track-preset");
    let consent = env.get_url(&link.url(&env)).await;
    post(&env, &consent, &[("action", "allow")]).await;
    let token = env.client_token("tracking").await;
    let trail = env
        .tracked_events(Some(&token), "?tracking_id=track-preset")
        .await;
    assert_eq!(
        names(&trail),
        [
            "dialog_started",
            "consent_granted",
            "provider_selected",
            "provider_auth_started"
        ]
    );
    assert_eq!(trail.json["results"][0]["provider_id"], "mock");
}

#[tokio::test]
async fn tracked_events_answer_only_a_client_credentials_token_with_the_tracking_scope() {
    let env = Env::start().await;
    let link = Link::new("accounts").set("tracking_id", "track-auth");
    let user = env.connect_link(&link, "john", "doe").await;
    let verification = env.client_token("verification").await;
    for token in [
        None,
        Some("not-a-token"),
        Some(user.access.as_str()),
        Some(verification.as_str()),
    ] {
        let answer = env.tracked_events(token, "?tracking_id=track-auth").await;
        assert_eq!(answer.status, 401, "{token:?}: {}", answer.text);
        assert!(answer.text.is_empty(), "the spec's 401 has no body");
        assert!(answer.headers.contains_key("www-authenticate"));
    }
    let tracking = env.client_token("tracking").await;
    let answer = env
        .tracked_events(Some(&tracking), "?tracking_id=track-auth")
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
}

#[tokio::test]
async fn bad_tracking_queries_get_the_specs_errors_and_unknown_ids_are_not_found() {
    let env = Env::start().await;
    let token = env.client_token("tracking").await;
    for (query, message) in [
        ("", "tracking_id query parameter is required"),
        ("?tracking_id=", "tracking_id query parameter is required"),
        ("?other=1", "tracking_id query parameter is required"),
        (
            "?tracking_id=a&tracking_id=b",
            "tracking_id query parameter must be given once",
        ),
    ] {
        let answer = env.tracked_events(Some(&token), query).await;
        assert_eq!(answer.status, 400, "{query}");
        assert_eq!(answer.text, message, "{query}");
        assert!(answer.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"));
    }
    let long = format!("?tracking_id={}", "x".repeat(257));
    assert_eq!(env.tracked_events(Some(&token), &long).await.status, 400);
    let unknown = env
        .tracked_events(Some(&token), "?tracking_id=never-used")
        .await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.text.is_empty(), "the spec's 404 has no body");
}

#[tokio::test]
async fn the_trail_lives_only_on_the_tracking_host_behind_its_host_guard() {
    let env = Env::start().await;
    let token = env.client_token("tracking").await;
    for host in [env.sandbox.auth_url(), env.sandbox.api_url()] {
        let answer = env
            .http
            .get(format!("{host}/v1/tracked-events?tracking_id=x"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 404, "{host} serves no tracked events");
    }
    let wrong_host = env
        .http
        .get(format!(
            "{}/v1/tracked-events?tracking_id=x",
            env.sandbox.tracking_url()
        ))
        .header("host", "evil.test")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        wrong_host.status(),
        421,
        "the DNS-rebinding guard covers it too"
    );
    assert_eq!(
        env.tracked_events(Some(&token), "?tracking_id=x")
            .await
            .status,
        404
    );
    let journal = env.get_url(&env.auth("/__sandbox/requests")).await;
    let servers: Vec<&Value> = journal.json["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["server"])
        .collect();
    assert!(
        servers.contains(&&Value::from("tracking")),
        "the journal names the tracking server"
    );
}

#[tokio::test]
async fn trails_survive_a_restart_from_the_state_file() {
    let dir = tempfile::tempdir().unwrap();
    // The demo client with a secret this test knows, so the restarted sandbox knows it too.
    let mut demo = linkscope_sandbox::ClientConfig::demo();
    demo.client_secret = "tracking-test-secret".into();
    let config = || linkscope_sandbox::SandboxConfig {
        clients: vec![demo.clone()],
        state_path: Some(dir.path().join("sandbox-state.json")),
        ..linkscope_sandbox::SandboxConfig::default()
    };
    let first = Env::start_with(config()).await;
    let link = Link::new("accounts").set("tracking_id", "track-kept");
    first.connect_link(&link, "john", "doe").await;
    drop(first);

    let second = Env::start_with(config()).await;
    let token = second.client_token("tracking").await;
    let trail = second
        .tracked_events(Some(&token), "?tracking_id=track-kept")
        .await;
    assert_eq!(trail.status, 200, "{}", trail.text);
    assert_eq!(names(&trail).len(), 6, "the whole trail was kept");
}
