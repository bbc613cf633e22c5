//! No token or secret in the SQLite file (nor its WAL), after a link, data reads and a refresh;
//! and the request log, which does record those exchanges, holds them redacted.

use linkscope_core::secrets::{SecretKey, SecretStore, SecretValue, StoreError};

use crate::support::{advance_clock, link, start};

#[tokio::test]
async fn the_database_holds_no_token_or_secret() {
    let h = start().await;
    let connection = link(&h.core).await;
    let first_access = h
        .secrets
        .get(&SecretKey::access_token(&connection.id))
        .unwrap()
        .unwrap()
        .expose()
        .to_owned();
    h.core.accounts().list(&connection.id).await.unwrap();
    advance_clock(&h.core, 2 * 3600).await;
    h.core.accounts().list(&connection.id).await.unwrap(); // 401 → refresh → retry
    h.core.flush_request_log().await;

    let secret = |key: SecretKey| h.secrets.get(&key).unwrap().unwrap().expose().to_owned();
    let needles = [
        first_access.clone(),
        secret(SecretKey::access_token(&connection.id)),
        secret(SecretKey::refresh_token(&connection.id)),
        secret(SecretKey::client_secret("builtin")),
        secret(SecretKey::signing_key("builtin")),
    ];
    assert_ne!(needles[0], needles[1], "the access token was refreshed");

    let requests = h
        .core
        .store()
        .list_requests(&linkscope_core::store::RequestFilter::default())
        .unwrap()
        .len();
    assert!(requests >= 5, "the exchanges were recorded ({requests})");
    let filter = linkscope_core::store::RequestFilter {
        connection_id: Some(connection.id.clone()),
        ..Default::default()
    };
    let mine = h.core.store().list_requests(&filter).unwrap();
    let endpoints: Vec<_> = mine.iter().map(|r| r.record.endpoint.as_str()).collect();
    for expected in ["/connect/token", "/data/v1/me", "/data/v1/accounts"] {
        assert!(
            endpoints.contains(&expected),
            "{expected} is tagged with the connection: {endpoints:?}"
        );
    }

    let mut files = 0;
    for entry in std::fs::read_dir(h.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with(linkscope_core::store::DATABASE_FILE) {
            continue;
        }
        files += 1;
        let bytes = std::fs::read(&path).unwrap();
        for needle in &needles {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "a secret was found in {name}"
            );
        }
    }
    assert!(files >= 1, "the database file was searched");
}

/// A keychain that refuses everything (no Secret Service on the bus).
#[derive(Debug)]
struct NoKeychain;

impl SecretStore for NoKeychain {
    fn get(&self, _: &SecretKey) -> Result<Option<SecretValue>, StoreError> {
        Err(StoreError(
            "org.freedesktop.secrets was not provided by any .service files".into(),
        ))
    }
    fn set(&self, _: &SecretKey, _: &SecretValue) -> Result<(), StoreError> {
        Err(StoreError(
            "org.freedesktop.secrets was not provided by any .service files".into(),
        ))
    }
    fn delete(&self, _: &SecretKey) -> Result<(), StoreError> {
        Err(StoreError(
            "org.freedesktop.secrets was not provided by any .service files".into(),
        ))
    }
    fn describe(&self) -> String {
        "no keychain".into()
    }
}

#[tokio::test]
async fn without_a_keychain_secrets_stay_in_memory_and_connections_are_not_saved() {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let unused = linkscope_core::secrets::MemoryStore::new();
    let mut cfg = crate::support::config(&dir, &unused);
    cfg.secret_store = Some(std::sync::Arc::new(NoKeychain));
    let core = linkscope_core::Core::start(cfg).await.unwrap();
    let info = core.app_info();
    assert!(!info.keychain.available);
    let detail = info.keychain.detail.unwrap();
    assert!(
        detail.contains("org.freedesktop"),
        "the detail names the cause: {detail}"
    );
    assert!(
        !detail.contains("kept in memory"),
        "and does not repeat the banner the UI shows: {detail}"
    );

    let connection = link(&core).await;
    assert!(!connection.saved, "its tokens are only in memory");
    core.accounts().list(&connection.id).await.unwrap();
    drop(core);

    // Next session, still without a keychain: the row survived. Whether its tokens did cannot
    // be known while the keychain does not answer, so nothing is changed (a read that failed is
    // not a lost secret) and calls say the keychain is unavailable.
    let mut cfg = crate::support::config(&dir, &unused);
    cfg.secret_store = Some(std::sync::Arc::new(NoKeychain));
    let core = linkscope_core::Core::start(cfg).await.unwrap();
    let listed = core.connections().list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].status,
        linkscope_core::dto::ConnectionStatus::Active
    );
    let err = core.accounts().list(&connection.id).await.unwrap_err();
    assert_eq!(
        err.code(),
        linkscope_core::dto::ErrorCode::KeychainUnavailable
    );
}
