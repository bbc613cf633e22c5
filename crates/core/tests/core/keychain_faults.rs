//! A keychain that fails, hangs or cannot delete (a [`FaultyStore`]): a read error is not a lost
//! secret (no status change, no `reauth_required`, nothing deleted, the built-in sandbox's state
//! kept), every keychain call has a deadline, and `forget` reports a delete that failed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use linkscope_core::dto::{ConnectionStatus, ErrorCode};
use linkscope_core::secrets::SecretKey;

use crate::support::{link, start_faulty, Fault, FaultyStore};

#[tokio::test]
async fn a_keychain_read_error_during_a_refresh_changes_nothing_and_says_the_keychain_is_unavailable(
) {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let store = FaultyStore::default();
    let core = start_faulty(&dir, &store, |_| {}).await;
    let connection = link(&core).await;
    let keys_before = store.entries.keys();

    store.set_fault(Fault::Fail);
    let err = core
        .connections()
        .refresh(&connection.id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeychainUnavailable, "{err}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    let after = core.connections().get(&connection.id).await.unwrap();
    assert_eq!(
        after.status,
        ConnectionStatus::Active,
        "a keychain that did not answer is not a refused refresh token"
    );
    assert_eq!(store.entries.keys(), keys_before, "nothing was deleted");

    store.set_fault(Fault::None);
    core.connections().refresh(&connection.id).await.unwrap();
}

#[tokio::test]
async fn a_keychain_that_hangs_is_given_up_on_at_its_deadline_and_the_connection_stays_usable() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let store = FaultyStore::default();
    let core = start_faulty(&dir, &store, |c| {
        c.keychain_deadline = Duration::from_millis(300);
    })
    .await;
    let connection = link(&core).await;

    store.set_fault(Fault::Hang);
    let started = Instant::now();
    let (first, second) = tokio::time::timeout(
        Duration::from_secs(10),
        futures::future::join(
            core.connections().refresh(&connection.id),
            core.connections().refresh(&connection.id),
        ),
    )
    .await
    .expect("a hung keychain must not hang the refresh (nor the one waiting on its lock)");
    assert_eq!(first.unwrap_err().code(), ErrorCode::KeychainUnavailable);
    assert_eq!(second.unwrap_err().code(), ErrorCode::KeychainUnavailable);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "each waits one deadline, not forever: {:?}",
        started.elapsed()
    );
    assert_eq!(
        core.connections().get(&connection.id).await.unwrap().status,
        ConnectionStatus::Active
    );

    store.set_fault(Fault::None);
    core.connections().refresh(&connection.id).await.unwrap();
}

#[tokio::test]
async fn a_keychain_unavailable_at_start_resets_no_connection_and_keeps_the_built_in_sandbox_state()
{
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let store = FaultyStore::default();
    let core = start_faulty(&dir, &store, |_| {}).await;
    let connection = link(&core).await;
    drop(core);

    // A start while the keychain is locked: the probe fails and nothing can be read.
    store.set_fault(Fault::Fail);
    let core = start_faulty(&dir, &store, |_| {}).await;
    assert!(!core.app_info().keychain.available);
    assert_eq!(
        core.connections().get(&connection.id).await.unwrap().status,
        ConnectionStatus::Active,
        "a connection is not marked reauth_required because the keychain did not answer"
    );
    let err = core.accounts().list(&connection.id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeychainUnavailable, "{err}");
    drop(core);

    // The keychain answers again: the sandbox still knows its demo client and the connection.
    store.set_fault(Fault::None);
    let core = start_faulty(&dir, &store, |_| {}).await;
    core.accounts().list(&connection.id).await.unwrap();
}

#[tokio::test]
async fn forgetting_with_a_keychain_that_cannot_delete_reports_it_and_keeps_the_connection() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let store = FaultyStore::default();
    let core = start_faulty(&dir, &store, |_| {}).await;
    let connection = link(&core).await;

    store.set_fault(Fault::FailDeletes);
    let err = core.lifecycle().forget(&connection.id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeychainUnavailable, "{err}");
    assert_eq!(
        core.connections().list().await.unwrap().len(),
        1,
        "the row stays while its tokens may still be in the keychain"
    );
    assert!(store
        .entries
        .keys()
        .contains(&SecretKey::refresh_token(&connection.id).as_str().to_owned()));

    store.set_fault(Fault::None);
    core.lifecycle().forget(&connection.id).await.unwrap();
    assert!(core.connections().list().await.unwrap().is_empty());
    assert!(
        !store.entries.keys().iter().any(|k| k.starts_with("conn/")),
        "{:?}",
        store.entries.keys()
    );
}

#[tokio::test]
async fn a_refresh_holds_its_connection_lock_at_most_the_refresh_deadline() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let store = FaultyStore::default();
    let core = start_faulty(&dir, &store, |c| {
        c.refresh_deadline = Duration::from_millis(500);
    })
    .await;
    let connection = link(&core).await;
    // The token endpoint (every sandbox answer) now takes 3 s.
    crate::support::set_latency(&core, 3_000).await;
    let started = Instant::now();
    let (first, second) = futures::future::join(
        core.connections().refresh(&connection.id),
        core.connections().refresh(&connection.id),
    )
    .await;
    assert_eq!(first.unwrap_err().code(), ErrorCode::Network);
    assert_eq!(second.unwrap_err().code(), ErrorCode::Network);
    assert!(
        started.elapsed() < Duration::from_millis(2_500),
        "two refreshes one after the other on the lock, each cut at 0.5 s: {:?}",
        started.elapsed()
    );
    assert_eq!(
        core.connections().get(&connection.id).await.unwrap().status,
        ConnectionStatus::Active
    );
}
