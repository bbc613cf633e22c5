//! Who may talk to the sandbox: the control token and JSON-only bodies on `/__sandbox/…`, the
//! loopback `Host` rule on every route, a journal without protocol secrets, and the standalone
//! binary's `control_token`.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

use linkscope_sandbox::SandboxConfig;
use serde_json::{json, Value};

use crate::support::{param, plain_http, redirect_params, Answer, Env, Link, ALL_SCOPES};

/// The clock's offset and the armed faults, read with the token: what a refused call must
/// leave as it was.
async fn controls_state(env: &Env) -> (Value, Value) {
    let clock = env.get_url(&env.auth("/__sandbox/clock")).await;
    let faults = env.get_url(&env.auth("/__sandbox/faults")).await;
    assert_eq!((clock.status.as_u16(), faults.status.as_u16()), (200, 200));
    (
        clock.json["offset_seconds"].clone(),
        faults.json["faults"].clone(),
    )
}

/// The two calls a web page would like to make: move the clock a day, arm a fault.
async fn move_clock_and_arm_fault(
    env: &Env,
    http: &reqwest::Client,
    token: Option<&str>,
) -> [Answer; 2] {
    let send = |path: &str, body: Value| {
        let mut request = http.post(env.auth(path)).json(&body);
        if let Some(token) = token {
            request = request.header("x-sandbox-token", token);
        }
        request.send()
    };
    let clock = send("/__sandbox/clock", json!({"advance_seconds": 86400}));
    let fault = send(
        "/__sandbox/faults",
        json!({"path": "/data/v1/accounts", "status": 500, "error": "internal_server_error"}),
    );
    [
        Answer::from(clock.await.unwrap()).await,
        Answer::from(fault.await.unwrap()).await,
    ]
}

#[tokio::test]
async fn a_control_call_without_the_token_is_refused_and_changes_nothing() {
    let env = Env::start().await;
    let before = controls_state(&env).await;
    for answer in move_clock_and_arm_fault(&env, &plain_http(), None).await {
        assert_eq!(
            (answer.status.as_u16(), answer.error()),
            (401, "missing_control_token"),
            "{}",
            answer.text
        );
        assert!(answer.json["error_description"]
            .as_str()
            .unwrap()
            .contains("X-Sandbox-Token"));
    }
    for path in [
        "/__sandbox/clock",
        "/__sandbox/requests",
        "/__sandbox/faults",
    ] {
        let answer = Answer::from(plain_http().get(env.auth(path)).send().await.unwrap()).await;
        assert_eq!(answer.status, 401, "reading {path} needs the token too");
    }
    assert_eq!(
        controls_state(&env).await,
        before,
        "the clock did not move and no fault was armed"
    );
}

#[tokio::test]
async fn a_control_call_with_a_wrong_token_is_refused_and_changes_nothing() {
    let env = Env::start().await;
    let before = controls_state(&env).await;
    let wrong = format!("{}x", env.sandbox.control_token());
    for answer in move_clock_and_arm_fault(&env, &plain_http(), Some(&wrong)).await {
        assert_eq!(
            (answer.status.as_u16(), answer.error()),
            (403, "invalid_control_token"),
            "{}",
            answer.text
        );
    }
    assert_eq!(controls_state(&env).await, before);
}

#[tokio::test]
async fn a_form_encoded_post_to_a_control_is_refused_with_415_even_with_the_token() {
    let env = Env::start().await;
    let before = controls_state(&env).await;
    let link = Link::new("accounts");
    let auth_link = link.url(&env);
    for (path, form) in [
        ("/__sandbox/clock", vec![("advance_seconds", "86400")]),
        (
            "/__sandbox/authorize",
            vec![
                ("auth_link", auth_link.as_str()),
                ("username", "john"),
                ("password", "doe"),
            ],
        ),
    ] {
        // What an HTML <form method=post> on any web page sends; `env.http` holds the token.
        let answer = Answer::from(
            env.http
                .post(env.auth(path))
                .form(&form)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (answer.status.as_u16(), answer.error()),
            (415, "unsupported_media_type"),
            "{path}: {}",
            answer.text
        );
        assert!(answer.json["error_description"]
            .as_str()
            .unwrap()
            .contains("application/x-www-form-urlencoded"));
    }
    let plain_text = Answer::from(
        env.http
            .post(env.auth("/__sandbox/clock"))
            .header("content-type", "text/plain")
            .body(r#"{"advance_seconds": 86400}"#)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        plain_text.status, 415,
        "JSON sent as text/plain is refused too"
    );
    assert_eq!(controls_state(&env).await, before);
}

/// Sends `request` with a chosen `Host` header.
async fn with_host(request: reqwest::RequestBuilder, host: &str) -> Answer {
    Answer::from(request.header("host", host).send().await.unwrap()).await
}

fn assert_wrong_host(answer: &Answer, host: &str) {
    assert_eq!(
        (answer.status.as_u16(), answer.error()),
        (421, "invalid_host"),
        "{}",
        answer.text
    );
    let description = answer.json["error_description"].as_str().unwrap();
    assert!(
        description.contains(host) && description.contains("127.0.0.1:"),
        "the error says which Host was wrong and which to use: {description}"
    );
    assert_eq!(answer.json["error_details"]["header"], "Host");
}

#[tokio::test]
async fn a_foreign_host_is_refused_on_a_control_route() {
    let env = Env::start().await;
    let before = controls_state(&env).await;
    let request = env
        .http
        .post(env.auth("/__sandbox/clock"))
        .json(&json!({"advance_seconds": 86400}));
    let answer = with_host(request, "evil.example").await;
    assert_wrong_host(&answer, "evil.example");
    assert_eq!(controls_state(&env).await, before, "the clock did not move");
}

#[tokio::test]
async fn a_foreign_host_is_refused_on_an_auth_route() {
    let env = Env::start().await;
    let link = Link::new("accounts");
    for (request, what) in [
        (env.http.get(env.auth("/api/providers")), "providers"),
        (env.http.get(link.url(&env)), "the dialog"),
        (
            env.http
                .post(env.auth("/connect/token"))
                .form(&[("grant_type", "refresh_token"), ("refresh_token", "x")]),
            "the token endpoint",
        ),
    ] {
        let answer = with_host(request, "evil.example:80").await;
        assert_wrong_host(&answer, "evil.example:80");
        assert!(
            answer.headers.contains_key("content-security-policy"),
            "{what}: refusals carry the security headers"
        );
    }
    let journal = env.get_url(&env.auth("/__sandbox/requests")).await;
    assert_eq!(
        journal.json["requests"],
        json!([]),
        "refused requests reach no handler and are not journaled"
    );
}

#[tokio::test]
async fn a_foreign_host_is_refused_on_an_api_route() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let request = env
        .http
        .get(env.api("/data/v1/accounts"))
        .bearer_auth(&tokens.access);
    let answer = with_host(request, "rebind.evil.example").await;
    assert_wrong_host(&answer, "rebind.evil.example");
    let auth_port = env
        .sandbox
        .auth_url()
        .rsplit(':')
        .next()
        .unwrap()
        .to_owned();
    let request = env
        .http
        .get(env.api("/data/v1/accounts"))
        .bearer_auth(&tokens.access);
    let answer = with_host(request, &format!("127.0.0.1:{auth_port}")).await;
    assert_eq!(
        answer.status, 421,
        "the API server does not answer the auth server's Host"
    );
}

#[tokio::test]
async fn localhost_with_the_listeners_port_is_answered_like_127_0_0_1() {
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    for (base, path) in [
        (env.sandbox.api_url(), "/data/v1/accounts"),
        (env.sandbox.auth_url(), "/__sandbox/clock"),
    ] {
        let port = base.rsplit(':').next().unwrap();
        let request = env
            .http
            .get(format!("{base}{path}"))
            .bearer_auth(&tokens.access);
        let answer = with_host(request, &format!("localhost:{port}")).await;
        assert_eq!(answer.status, 200, "{path}: {}", answer.text);
    }
}

#[tokio::test]
async fn journal_entries_contain_no_code_state_or_code_challenge_values() {
    let env = Env::start().await;
    let link = Link::new(ALL_SCOPES).set("state", "state-seen-by-nobody-42");
    let challenge = param(&link.params, "code_challenge").unwrap().to_owned();
    // The HTML dialog's first page (journaled: its query carries state and code_challenge).
    assert_eq!(env.get_url(&link.url(&env)).await.status, 200);
    let answer = env.authorize(&link, "john", "doe").await;
    let params = redirect_params(answer.json["redirect"].as_str().unwrap());
    let code = param(&params, "code").unwrap().to_owned();
    let exchanged = env.exchange(&code, &link).await;
    assert_eq!(exchanged.status, 200, "{}", exchanged.text);
    let refresh = exchanged.json["refresh_token"].as_str().unwrap();
    assert_eq!(env.refresh(refresh).await.status, 200);

    let journal = env.get_url(&env.auth("/__sandbox/requests")).await;
    let entries = journal.json["requests"].as_array().unwrap();
    assert_eq!(
        entries.len(),
        3,
        "dialog, exchange, refresh: {}",
        journal.text
    );
    for (what, secret) in [
        ("state", "state-seen-by-nobody-42"),
        ("code_challenge", challenge.as_str()),
        ("code", code.as_str()),
        ("code_verifier", link.verifier.as_str()),
        ("refresh token", refresh),
        ("client secret", &env.secret()),
        ("control token", env.sandbox.control_token()),
    ] {
        assert!(
            !journal.text.contains(secret),
            "the {what} leaked into the journal: {}",
            journal.text
        );
    }
    let dialog_query = entries[0]["query"].as_str().unwrap();
    assert!(
        dialog_query.contains("state=%5Bredacted%5D"),
        "{dialog_query}"
    );
    assert!(dialog_query.contains("code_challenge=%5Bredacted%5D"));
    assert!(
        dialog_query.contains("client_id=sandbox-linkscope-demo"),
        "what is not secret stays readable"
    );
    assert_eq!(entries[1]["headers"]["x-sandbox-token"], "[redacted]");
}

/// The standalone binary, killed on drop.
struct Standalone(Child);

impl Drop for Standalone {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `linkscope-sandbox --port 0` with extra flags and environment; returns it and its
/// JSON start-up line.
fn standalone(args: &[&str], env: &[(&str, &str)]) -> (Standalone, Value) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_linkscope-sandbox"));
    command
        .args(["--port", "0"])
        .args(args)
        .env_remove(linkscope_sandbox::CONTROL_TOKEN_ENV)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = Standalone(command.spawn().unwrap());
    let stdout = child.0.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    (child, serde_json::from_str(&line).unwrap())
}

#[tokio::test]
async fn the_standalone_binarys_json_line_has_the_control_token_that_opens_the_controls() {
    let (_first, line) = standalone(&[], &[]);
    let token = line["control_token"]
        .as_str()
        .expect("a control_token string");
    assert_eq!(token.len(), 43, "base64url of 32 random bytes: {line}");
    let (_second, other) = standalone(&[], &[]);
    assert_ne!(
        other["control_token"], line["control_token"],
        "a fresh token per launch"
    );
    let clock = format!("{}/__sandbox/clock", line["auth_url"].as_str().unwrap());
    let refused = plain_http().get(&clock).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    let opened = plain_http()
        .get(&clock)
        .header("x-sandbox-token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 200);
}

#[tokio::test]
async fn the_standalone_binary_takes_a_fixed_token_from_its_flag_or_environment() {
    let (_flag, line) = standalone(&["--control-token", "qa-script-token-0001"], &[]);
    assert_eq!(line["control_token"], "qa-script-token-0001");
    let (_env, line) = standalone(
        &[],
        &[(linkscope_sandbox::CONTROL_TOKEN_ENV, "qa-env-token-000002")],
    );
    assert_eq!(line["control_token"], "qa-env-token-000002");
    let refused = Command::new(env!("CARGO_BIN_EXE_linkscope-sandbox"))
        .args(["--port", "0", "--control-token", "short"])
        .output()
        .unwrap();
    assert_eq!(
        refused.status.code(),
        Some(2),
        "a weak token is a usage error"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("control token"));
}

#[tokio::test]
async fn an_embedded_sandbox_uses_the_token_its_config_pins() {
    let env = Env::start_with(SandboxConfig {
        control_token: Some("embedded-fixed-token-1".to_owned()),
        ..SandboxConfig::default()
    })
    .await;
    assert_eq!(env.sandbox.control_token(), "embedded-fixed-token-1");
    let opened = plain_http()
        .get(env.auth("/__sandbox/clock"))
        .header("x-sandbox-token", "embedded-fixed-token-1")
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 200);
    assert!(
        !format!("{:?}", env.sandbox).contains("embedded-fixed-token-1"),
        "the handle's Debug redacts the token"
    );
}
