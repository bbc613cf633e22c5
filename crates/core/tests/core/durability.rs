//! What survives a crash or a failure mid-link: secrets indexed before their row and swept at
//! start, a private data dir (0700) and database files (0600), `PRAGMA synchronous = FULL`, and
//! the fresh grant revoked when `/me` fails after the exchange.

use linkscope_core::dto::RedirectKind;
use linkscope_core::secrets::{SecretKey, SecretStore, SecretValue};
use serde_json::json;

use crate::support::{arm_fault, authorize, count, link, sandbox_requests, start_link, start_with};

#[cfg(unix)]
#[tokio::test]
async fn the_data_dir_is_the_owners_only_and_so_are_the_database_and_its_wal() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // A data dir Core creates itself (the temp dir is already private).
    let data = dir.path().join("data");
    let mut cfg = crate::support::config(&dir, &linkscope_core::secrets::MemoryStore::new());
    cfg.data_dir = data.clone();
    let core = linkscope_core::Core::start(cfg).await.unwrap();
    link(&core).await;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "the data dir");
    let db = data.join(linkscope_core::store::DATABASE_FILE);
    for file in [
        db.clone(),
        db.with_extension("sqlite3-wal"),
        db.with_extension("sqlite3-shm"),
    ] {
        assert!(file.exists(), "{} exists (WAL mode)", file.display());
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    assert_eq!(
        core.store().synchronous().unwrap(),
        2,
        "PRAGMA synchronous is FULL: a commit is on disk when it returns"
    );
}

#[tokio::test]
async fn secrets_a_killed_link_wrote_before_its_row_are_swept_at_the_next_start() {
    let h = start_with(|_| {}).await;
    let kept = link(&h.core).await;
    // What a link killed after its keychain write leaves: indexed keys, secrets, no row.
    let orphan = "killed-link";
    let keys = SecretKey::of_connection(orphan);
    h.core.store().add_pending_secrets(&keys).unwrap();
    for key in &keys {
        h.secrets
            .set(key, &SecretValue::new("orphaned-token"))
            .unwrap();
    }
    drop(h.core);

    let core = linkscope_core::Core::start(crate::support::config(&h.dir, &h.secrets))
        .await
        .unwrap();
    for key in &keys {
        assert!(h.secrets.get(key).unwrap().is_none(), "{key} was swept");
    }
    assert!(core.store().pending_secrets().unwrap().is_empty());
    let listed = core.connections().list().await.unwrap();
    assert_eq!(listed.len(), 1, "only the whole connection is left");
    assert!(
        h.secrets
            .get(&SecretKey::refresh_token(&kept.id))
            .unwrap()
            .is_some(),
        "a saved connection's secrets are not touched"
    );
    core.accounts().list(&kept.id).await.unwrap();
}

#[tokio::test]
async fn when_me_fails_after_the_exchange_the_fresh_tokens_are_revoked_and_nothing_is_saved() {
    let h = start_with(|_| {}).await;
    let preview = start_link(&h.core, RedirectKind::DeepLink).await;
    let redirect = authorize(&h.core, &preview.url, "john", "doe").await;
    arm_fault(
        &h.core,
        json!({"path": "/data/v1/me", "status": 401, "error": "invalid_token", "times": 5}),
    )
    .await;
    h.core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap_err();
    assert!(h.core.connections().list().await.unwrap().is_empty());
    assert!(
        !h.secrets.keys().iter().any(|k| k.starts_with("conn/")),
        "{:?}",
        h.secrets.keys()
    );
    let requests = sandbox_requests(&h.core).await;
    assert_eq!(
        count(&requests, "/api/delete", Some(200)),
        1,
        "the sandbox's journal shows the fresh grant revoked: {requests:?}"
    );
}
