//! With a state file, the demo secret, connections, tokens and the clock survive a restart; the
//! file holds no raw token.

use linkscope_sandbox::SandboxConfig;

use crate::support::{Env, ALL_SCOPES};

fn config(path: &std::path::Path) -> SandboxConfig {
    SandboxConfig {
        state_path: Some(path.to_owned()),
        ..SandboxConfig::default()
    }
}

#[tokio::test]
async fn tokens_secret_and_clock_survive_a_restart_and_the_file_holds_no_token() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox-state.json");
    let first = Env::start_with(config(&path)).await;
    let secret = first.secret();
    let tokens = first.connect("john", "doe", ALL_SCOPES).await;
    first.advance(3600 - 120).await;
    let refresh = tokens.refresh.clone().unwrap();
    drop(first);

    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !text.contains(&tokens.access),
        "no raw access token on disk"
    );
    assert!(!text.contains(&refresh), "no raw refresh token on disk");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the file is private to its owner");
    }

    let second = Env::start_with(config(&path)).await;
    assert_eq!(
        second.secret(),
        secret,
        "the demo secret is the same after a restart"
    );
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
    let refreshed = second.refresh(&refresh).await;
    assert_eq!(
        refreshed.status, 200,
        "the stored refresh token still works: {}",
        refreshed.text
    );
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
