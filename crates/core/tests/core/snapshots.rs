//! Snapshots against the real sandbox: take one, move the sandbox clock a day (new settled
//! transactions, new balances), compare against a fresh read and against a second snapshot;
//! bad input refused with nothing stored; snapshots go with their connection.

use chrono::{Duration, Utc};
use linkscope_core::dto::{
    CompareSide, CompareSnapshotsInput, ErrorCode, TakeSnapshotInput, TransactionSource,
};
use linkscope_core::transactions::MAX_KEPT_FETCHES;
use linkscope_core::Core;

use crate::data_views::{input, page};
use crate::support::{advance_clock, link, start};

fn take(connection_id: &str, days: i64) -> TakeSnapshotInput {
    let today = Utc::now().date_naive();
    TakeSnapshotInput {
        connection_id: connection_id.into(),
        label: None,
        from: (today - Duration::days(days)).to_string(),
        to: today.to_string(),
    }
}

fn against(base: &str, other: Option<&str>) -> CompareSnapshotsInput {
    CompareSnapshotsInput {
        base_id: base.into(),
        against_id: other.map(str::to_owned),
    }
}

async fn snapshot_count(core: &Core, connection_id: &str) -> usize {
    core.snapshots().list(connection_id).unwrap().len()
}

#[tokio::test]
async fn a_day_on_the_sandbox_clock_shows_as_new_transactions_and_moved_balances() {
    let h = start().await;
    let id = link(&h.core).await.id;
    let base = h.core.snapshots().take(take(&id, 30)).await.unwrap();
    assert_eq!(
        (base.accounts, base.cards),
        (5, 2),
        "john/doe: five accounts, two cards"
    );
    assert!(
        base.transactions > 0,
        "thirty days of john/doe have transactions"
    );
    assert!(base.label.starts_with("Snapshot of "), "{}", base.label);

    let same = h
        .core
        .snapshots()
        .compare(against(&base.id, None))
        .await
        .unwrap();
    assert!(same.identical, "nothing moved yet: {:?}", same.counts);
    assert_eq!(same.counts.transactions_unchanged, base.transactions);
    assert!(matches!(same.against, CompareSide::Fresh { .. }));

    advance_clock(&h.core, 24 * 3600).await;
    let moved = h
        .core
        .snapshots()
        .compare(against(&base.id, None))
        .await
        .unwrap();
    assert!(!moved.identical);
    assert!(
        moved.counts.transactions_added > 0,
        "the sandbox's history now reaches today: {:?}",
        moved.counts
    );
    assert_eq!(
        moved.transactions_added.len() as u32,
        moved.counts.transactions_added
    );
    let today = Utc::now().date_naive().to_string();
    assert!(
        moved
            .transactions_added
            .iter()
            .all(|t| t.timestamp.starts_with(&today)),
        "the new rows are today's, inside the snapshot's range"
    );
    assert_eq!(moved.counts.transactions_removed, 0);
    assert!(
        moved.counts.balances_changed > 0,
        "today's transactions moved a balance: {:?}",
        moved.counts
    );
    assert_eq!(moved.counts.transactions_unchanged, base.transactions);

    let later = h.core.snapshots().take(take(&id, 30)).await.unwrap();
    let between = h
        .core
        .snapshots()
        .compare(against(&base.id, Some(&later.id)))
        .await
        .unwrap();
    assert_eq!(
        between.counts, moved.counts,
        "a second snapshot sees what the fresh read saw"
    );
    assert_eq!(between.transactions_added, moved.transactions_added);
    assert!(
        matches!(between.against, CompareSide::Snapshot { ref snapshot } if snapshot.id == later.id)
    );

    let listed: Vec<_> = h
        .core
        .snapshots()
        .list(&id)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(listed, [later.id.clone(), base.id.clone()], "newest first");
    h.core.snapshots().delete(&later.id).unwrap();
    assert_eq!(snapshot_count(&h.core, &id).await, 1);
}

#[tokio::test]
async fn bad_input_is_refused_with_a_clear_error_and_stores_nothing() {
    let h = start().await;
    let id = link(&h.core).await.id;
    let mut empty = take(&id, 0);
    empty.from = "2024-02-01".into();
    empty.to = "2024-01-01".into();
    let err = h.core.snapshots().take(empty).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert!(err.to_string().contains("range is empty"), "{err}");

    let mut garbled = take(&id, 1);
    garbled.to = "yesterday".into();
    let err = h.core.snapshots().take(garbled).await.unwrap_err();
    assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");

    let mut long = take(&id, 1);
    long.label = Some("x".repeat(101));
    assert_eq!(
        h.core.snapshots().take(long).await.unwrap_err().code(),
        ErrorCode::Validation
    );

    let err = h
        .core
        .snapshots()
        .take(take("no-such-connection", 1))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert_eq!(snapshot_count(&h.core, &id).await, 0, "nothing was stored");

    let err = h
        .core
        .snapshots()
        .compare(against("no-such-snapshot", None))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(err.to_string().contains("snapshot not found"), "{err}");
    assert_eq!(
        h.core
            .snapshots()
            .delete("no-such-snapshot")
            .unwrap_err()
            .code(),
        ErrorCode::NotFound
    );

    let mine = h.core.snapshots().take(take(&id, 1)).await.unwrap();
    let err = h
        .core
        .snapshots()
        .compare(against(&mine.id, Some(&mine.id)))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("two different snapshots"), "{err}");
    let other_connection = link(&h.core).await.id;
    let theirs = h
        .core
        .snapshots()
        .take(take(&other_connection, 1))
        .await
        .unwrap();
    let err = h
        .core
        .snapshots()
        .compare(against(&mine.id, Some(&theirs.id)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert!(
        err.to_string().contains("two different connections"),
        "{err}"
    );
}

#[tokio::test]
async fn snapshots_are_deleted_with_their_connection() {
    let h = start().await;
    let id = link(&h.core).await.id;
    let snapshot = h.core.snapshots().take(take(&id, 7)).await.unwrap();
    h.core.lifecycle().forget(&id).await.unwrap();
    let err = h
        .core
        .snapshots()
        .compare(against(&snapshot.id, None))
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::NotFound,
        "the snapshot went with its connection"
    );
    assert!(h.core.store().snapshot(&snapshot.id).unwrap().is_none());
}

#[tokio::test]
async fn taking_snapshots_keeps_the_transactions_views_fetched_sets() {
    let h = start().await;
    let id = link(&h.core).await.id;
    let accounts = h.core.accounts().list(&id).await.unwrap();
    let account = &accounts.data[0].account.account_id;
    let from = (Utc::now().date_naive() - Duration::days(30)).to_string();
    h.core
        .transactions()
        .fetch(input(
            "kept",
            &id,
            TransactionSource::Account,
            account,
            from,
        ))
        .await
        .unwrap();
    for _ in 0..=MAX_KEPT_FETCHES {
        h.core.snapshots().take(take(&id, 30)).await.unwrap();
    }
    h.core
        .transactions()
        .query(page("kept", 0, 10))
        .await
        .expect("snapshots read through the stream, which keeps no set and evicts none");
}
