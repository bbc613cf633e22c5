//! With a state file, the demo secret, connections, tokens and the clock survive a restart; the
//! file holds no secret in clear (the app keeps it in its data dir).

use linkscope_sandbox::SandboxConfig;

use crate::support::{Env, ALL_SCOPES};

fn config(path: &std::path::Path) -> SandboxConfig {
    SandboxConfig {
        state_path: Some(path.to_owned()),
        ..SandboxConfig::default()
    }
}

#[tokio::test]
async fn tokens_secret_and_clock_survive_a_restart_and_the_file_holds_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox-state.json");
    let first = Env::start_with(config(&path)).await;
    let secret = first.secret();
    assert_eq!(
        first.sandbox.demo_client_secret(),
        Some(secret.as_str()),
        "a fresh state knows its secret"
    );
    let tokens = first.connect("john", "doe", ALL_SCOPES).await;
    first.advance(3600 - 120).await;
    let refresh = tokens.refresh.clone().unwrap();
    drop(first);

    let text = std::fs::read_to_string(&path).unwrap();
    for (what, secret_value) in [
        ("access token", &tokens.access),
        ("refresh token", &refresh),
        ("client secret", &secret),
    ] {
        assert!(
            !text.contains(secret_value.as_str()),
            "no raw {what} on disk"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the file is private to its owner");
    }

    let second = Env::start_with(config(&path)).await;
    assert_eq!(
        second.sandbox.demo_client_secret(),
        None,
        "only the hash survived"
    );
    assert_eq!(second.sandbox.demo_client().client_secret, "");
    assert_eq!(
        second.get(&tokens.access, "/data/v1/accounts").await.status,
        200,
        "the stored access token still works"
    );
    let clock = second.get_url(&second.auth("/__sandbox/clock")).await;
    assert_eq!(
        clock.json["offset_seconds"],
        3600 - 120,
        "the clock offset is kept"
    );
    let form = |secret: &str| {
        vec![
            ("grant_type", "refresh_token".to_owned()),
            ("client_id", linkscope_sandbox::DEMO_CLIENT_ID.to_owned()),
            ("client_secret", secret.to_owned()),
            ("refresh_token", refresh.clone()),
        ]
    };
    let send = |form: Vec<(&'static str, String)>| {
        let http = second.http.clone();
        let url = second.auth("/connect/token");
        async move { http.post(url).form(&form).send().await.unwrap().status() }
    };
    assert_eq!(
        send(form(&secret)).await,
        200,
        "the secret the app stored still authenticates"
    );
    assert_eq!(
        send(form("")).await,
        400,
        "the empty placeholder is not a secret"
    );
    assert_eq!(send(form("guess")).await, 400);
    drop(second);

    let mut knowing = config(&path);
    knowing.clients[0].client_secret = secret.clone();
    let third = Env::start_with(knowing).await;
    assert_eq!(
        third.sandbox.demo_client_secret(),
        Some(secret.as_str()),
        "a config holding the stored secret knows it"
    );
}

#[tokio::test]
async fn an_old_state_file_with_the_secret_in_clear_is_rewritten_as_a_hash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(
        &path,
        r#"{"version":1,"demo_client_secret":"old-clear-secret","clock_offset_seconds":0,
            "connections":{},"access_tokens":{},"refresh_tokens":{}}"#,
    )
    .unwrap();
    let env = Env::start_with(config(&path)).await;
    assert_eq!(env.sandbox.demo_client_secret(), Some("old-clear-secret"));
    assert!(!std::fs::read_to_string(&path)
        .unwrap()
        .contains("old-clear-secret"));
}

#[tokio::test]
async fn without_a_state_file_every_start_is_fresh() {
    let first = Env::start().await;
    let tokens = first.connect("john", "doe", "accounts").await;
    let second = Env::start().await;
    assert_ne!(first.secret(), second.secret());
    assert_eq!(
        second.get(&tokens.access, "/data/v1/accounts").await.status,
        401
    );
}

#[tokio::test]
async fn a_corrupt_state_file_is_an_error_not_a_silent_reset() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(&path, "{not json").unwrap();
    let error = linkscope_sandbox::Sandbox::start(config(&path))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("not valid"), "{error}");
}
