//! The `snapshots` table: a connection's accounts, cards, balances and the transactions of a
//! date range as read at one moment, stored as one JSON body (TrueLayer's data only, never a
//! secret). A snapshot belongs to its connection: forgetting the connection deletes it
//! (`ON DELETE CASCADE`). The body's shape is the snapshot service's; this file only keeps it.

use rusqlite::{params, OptionalExtension};

use super::Store;
use crate::error::{Error, Result};

/// A snapshot row. `body` is the service's JSON; the counts are kept beside it so the list
/// never parses a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRow {
    pub id: String,
    pub connection_id: String,
    pub label: String,
    pub taken_at: String,
    pub from_day: String,
    pub to_day: String,
    pub accounts: u32,
    pub cards: u32,
    pub transactions: u32,
    pub body: String,
}

const SNAPSHOT_SELECT: &str = "SELECT id, connection_id, label, taken_at, from_day, to_day,
    accounts, cards, transactions, body FROM snapshots";

impl Store {
    /// Saves a new snapshot.
    pub fn insert_snapshot(&self, s: &SnapshotRow) -> Result<()> {
        self.lock()?.execute(
            "INSERT INTO snapshots(id, connection_id, label, taken_at, from_day, to_day,
                accounts, cards, transactions, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                s.id,
                s.connection_id,
                s.label,
                s.taken_at,
                s.from_day,
                s.to_day,
                s.accounts,
                s.cards,
                s.transactions,
                s.body
            ],
        )?;
        Ok(())
    }

    /// A connection's snapshots, newest first, with empty bodies (the list needs none).
    pub fn list_snapshots(&self, connection_id: &str) -> Result<Vec<SnapshotRow>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare(
            "SELECT id, connection_id, label, taken_at, from_day, to_day, accounts, cards,
                transactions, '' FROM snapshots WHERE connection_id = ?1
             ORDER BY taken_at DESC, rowid DESC",
        )?;
        let rows = stmt.query_map([connection_id], snapshot_from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(Error::from)
    }

    /// One snapshot with its body.
    pub fn snapshot(&self, id: &str) -> Result<Option<SnapshotRow>> {
        Ok(self
            .lock()?
            .query_row(
                &format!("{SNAPSHOT_SELECT} WHERE id = ?1"),
                [id],
                snapshot_from_row,
            )
            .optional()?)
    }

    /// Deletes a snapshot; false if it did not exist.
    pub fn delete_snapshot(&self, id: &str) -> Result<bool> {
        Ok(self
            .lock()?
            .execute("DELETE FROM snapshots WHERE id = ?1", [id])?
            > 0)
    }
}

fn snapshot_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SnapshotRow> {
    Ok(SnapshotRow {
        id: r.get(0)?,
        connection_id: r.get(1)?,
        label: r.get(2)?,
        taken_at: r.get(3)?,
        from_day: r.get(4)?,
        to_day: r.get(5)?,
        accounts: r.get(6)?,
        cards: r.get(7)?,
        transactions: r.get(8)?,
        body: r.get(9)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::store::fixtures::{connection, env};

    fn row(id: &str, taken_at: &str) -> SnapshotRow {
        SnapshotRow {
            id: id.into(),
            connection_id: "c1".into(),
            label: format!("Snapshot {id}"),
            taken_at: taken_at.into(),
            from_day: "2024-01-01".into(),
            to_day: "2024-01-31".into(),
            accounts: 2,
            cards: 1,
            transactions: 40,
            body: r#"{"accounts":[],"transactions":[]}"#.into(),
        }
    }

    #[test]
    fn snapshots_round_trip_list_newest_first_without_bodies_and_are_deleted() {
        let store = Store::open_in_memory().unwrap();
        store.upsert_environment(&env("e")).unwrap();
        store.upsert_connection(&connection("c1", "e")).unwrap();
        store
            .insert_snapshot(&row("s1", "2025-01-01T00:00:00Z"))
            .unwrap();
        store
            .insert_snapshot(&row("s2", "2025-01-02T00:00:00Z"))
            .unwrap();
        assert_eq!(
            store.snapshot("s1").unwrap().unwrap(),
            row("s1", "2025-01-01T00:00:00Z")
        );
        let listed = store.list_snapshots("c1").unwrap();
        let ids: Vec<_> = listed.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["s2", "s1"]);
        assert!(
            listed.iter().all(|s| s.body.is_empty()),
            "the list reads no body"
        );
        assert!(store.delete_snapshot("s1").unwrap());
        assert!(!store.delete_snapshot("s1").unwrap());
        assert!(store.snapshot("s1").unwrap().is_none());
    }

    #[test]
    fn forgetting_a_connection_deletes_its_snapshots() {
        let store = Store::open_in_memory().unwrap();
        store.upsert_environment(&env("e")).unwrap();
        store.upsert_connection(&connection("c1", "e")).unwrap();
        store
            .insert_snapshot(&row("s1", "2025-01-01T00:00:00Z"))
            .unwrap();
        assert!(store.delete_connection("c1").unwrap());
        assert!(store.snapshot("s1").unwrap().is_none());
    }

    #[test]
    fn a_snapshot_of_an_unknown_connection_is_refused() {
        let store = Store::open_in_memory().unwrap();
        assert!(store
            .insert_snapshot(&row("s1", "2025-01-01T00:00:00Z"))
            .is_err());
    }
}
