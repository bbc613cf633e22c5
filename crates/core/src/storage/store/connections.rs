//! The `connections` table: one row per linked consent (its tokens are never here), and the
//! `pending_secrets` index: the secret-store keys of a link written before its row, so a crash
//! mid-link leaves nothing the next start cannot sweep.

use rusqlite::{params, OptionalExtension};

use super::{bad_enum, json_list, Store};
use crate::dto::ConnectionStatus;
use crate::error::{Error, Result};
use crate::storage::secrets::SecretKey;

/// A connection row (its tokens are in the secret store, never here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionRow {
    pub id: String,
    pub environment_id: String,
    pub label: String,
    pub provider_id: String,
    pub provider_name: String,
    pub provider_logo_url: Option<String>,
    pub scopes: Vec<String>,
    pub credentials_id: Option<String>,
    pub consent_status: Option<String>,
    pub consent_created_at: String,
    pub consent_expires_at: Option<String>,
    pub access_token_expires_at: Option<String>,
    pub has_refresh_token: bool,
    pub status: ConnectionStatus,
    pub saved: bool,
    pub created_at: String,
    pub last_refresh_at: Option<String>,
}

impl Store {
    /// All connections, newest first (two linked in the same second: the later insert first,
    /// so "the most recently linked" is always the first).
    pub fn list_connections(&self) -> Result<Vec<ConnectionRow>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare(&format!(
            "{CONNECTION_SELECT} ORDER BY created_at DESC, rowid DESC"
        ))?;
        let rows = stmt.query_map([], connection_from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(Error::from)
    }

    /// One connection.
    pub fn connection(&self, id: &str) -> Result<Option<ConnectionRow>> {
        Ok(self
            .lock()?
            .query_row(
                &format!("{CONNECTION_SELECT} WHERE id = ?1"),
                [id],
                connection_from_row,
            )
            .optional()?)
    }

    /// Inserts or replaces a connection.
    pub fn upsert_connection(&self, c: &ConnectionRow) -> Result<()> {
        let conn = self.lock()?;
        upsert(&conn, c)
    }

    /// Saves a freshly linked connection and, in the same transaction, drops its secrets from
    /// the index of secrets written ahead of their row ([`Store::add_pending_secrets`]): after a
    /// crash either both happened or neither.
    pub fn insert_linked_connection(&self, c: &ConnectionRow, keys: &[SecretKey]) -> Result<()> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        upsert(&tx, c)?;
        remove_pending(&tx, keys)?;
        tx.commit()?;
        Ok(())
    }

    /// Records secret-store keys about to be written before the row that owns them exists, so
    /// that a crash before the row is saved leaves a trace the next start sweeps
    /// ([`Store::pending_secrets`]).
    pub fn add_pending_secrets(&self, keys: &[SecretKey]) -> Result<()> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        let now = crate::now_rfc3339();
        for key in keys {
            tx.execute(
                "INSERT OR IGNORE INTO pending_secrets(key, created_at) VALUES (?1, ?2)",
                params![key.as_str(), now],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The keys written ahead of a row that was never saved (or whose delete failed).
    pub fn pending_secrets(&self) -> Result<Vec<String>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare("SELECT key FROM pending_secrets ORDER BY key")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<Vec<String>>>()
            .map_err(Error::from)
    }

    /// Forgets index entries (their secrets are deleted, or their row is saved).
    pub fn remove_pending_secrets(&self, keys: &[SecretKey]) -> Result<()> {
        let conn = self.lock()?;
        remove_pending(&conn, keys)
    }

    /// Renames a connection; false if it does not exist.
    pub fn rename_connection(&self, id: &str, label: &str) -> Result<bool> {
        Ok(self.lock()?.execute(
            "UPDATE connections SET label = ?2 WHERE id = ?1",
            [id, label],
        )? > 0)
    }

    /// Sets a connection's status; false if it does not exist.
    pub fn set_connection_status(&self, id: &str, status: ConnectionStatus) -> Result<bool> {
        Ok(self.lock()?.execute(
            "UPDATE connections SET status = ?2 WHERE id = ?1",
            [id, status.as_str()],
        )? > 0)
    }

    /// Records a successful refresh.
    pub fn record_refresh(
        &self,
        id: &str,
        access_token_expires_at: &str,
        refreshed_at: &str,
        has_refresh_token: bool,
        saved: bool,
    ) -> Result<bool> {
        Ok(self.lock()?.execute(
            "UPDATE connections SET access_token_expires_at = ?2, last_refresh_at = ?3,
                has_refresh_token = ?4, saved = ?5, status = 'active'
             WHERE id = ?1",
            params![
                id,
                access_token_expires_at,
                refreshed_at,
                has_refresh_token,
                saved
            ],
        )? > 0)
    }

    /// Deletes a connection; false if it did not exist.
    pub fn delete_connection(&self, id: &str) -> Result<bool> {
        Ok(self
            .lock()?
            .execute("DELETE FROM connections WHERE id = ?1", [id])?
            > 0)
    }
}

const CONNECTION_SELECT: &str = "SELECT id, environment_id, label, provider_id, provider_name,
    provider_logo_url, scopes, credentials_id, consent_status, consent_created_at,
    consent_expires_at, access_token_expires_at, has_refresh_token, status, saved, created_at,
    last_refresh_at FROM connections";

fn upsert(conn: &rusqlite::Connection, c: &ConnectionRow) -> Result<()> {
    let scopes = serde_json::to_string(&c.scopes).map_err(Error::internal)?;
    conn.execute(
        "INSERT INTO connections(id, environment_id, label, provider_id, provider_name,
                provider_logo_url, scopes, credentials_id, consent_status, consent_created_at,
                consent_expires_at, access_token_expires_at, has_refresh_token, status, saved,
                created_at, last_refresh_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
             ON CONFLICT(id) DO UPDATE SET environment_id = excluded.environment_id,
                label = excluded.label, provider_id = excluded.provider_id,
                provider_name = excluded.provider_name,
                provider_logo_url = excluded.provider_logo_url, scopes = excluded.scopes,
                credentials_id = excluded.credentials_id, consent_status = excluded.consent_status,
                consent_created_at = excluded.consent_created_at,
                consent_expires_at = excluded.consent_expires_at,
                access_token_expires_at = excluded.access_token_expires_at,
                has_refresh_token = excluded.has_refresh_token, status = excluded.status,
                saved = excluded.saved, created_at = excluded.created_at,
                last_refresh_at = excluded.last_refresh_at",
        params![
            c.id,
            c.environment_id,
            c.label,
            c.provider_id,
            c.provider_name,
            c.provider_logo_url,
            scopes,
            c.credentials_id,
            c.consent_status,
            c.consent_created_at,
            c.consent_expires_at,
            c.access_token_expires_at,
            c.has_refresh_token,
            c.status.as_str(),
            c.saved,
            c.created_at,
            c.last_refresh_at
        ],
    )?;
    Ok(())
}

fn remove_pending(conn: &rusqlite::Connection, keys: &[SecretKey]) -> Result<()> {
    for key in keys {
        conn.execute("DELETE FROM pending_secrets WHERE key = ?1", [key.as_str()])?;
    }
    Ok(())
}

fn connection_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConnectionRow> {
    let status: String = r.get(13)?;
    Ok(ConnectionRow {
        id: r.get(0)?,
        environment_id: r.get(1)?,
        label: r.get(2)?,
        provider_id: r.get(3)?,
        provider_name: r.get(4)?,
        provider_logo_url: r.get(5)?,
        scopes: json_list(6, r.get(6)?)?,
        credentials_id: r.get(7)?,
        consent_status: r.get(8)?,
        consent_created_at: r.get(9)?,
        consent_expires_at: r.get(10)?,
        access_token_expires_at: r.get(11)?,
        has_refresh_token: r.get(12)?,
        status: ConnectionStatus::parse(&status).ok_or_else(|| bad_enum(13, &status))?,
        saved: r.get(14)?,
        created_at: r.get(15)?,
        last_refresh_at: r.get(16)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::store::fixtures::{connection, env};

    #[test]
    fn connections_round_trip_and_are_renamed_and_deleted() {
        let store = Store::open_in_memory().unwrap();
        store.upsert_environment(&env("e")).unwrap();
        let c = connection("c1", "e");
        store.upsert_connection(&c).unwrap();
        assert_eq!(store.connection("c1").unwrap().unwrap(), c);
        assert!(store.rename_connection("c1", "Household").unwrap());
        assert_eq!(store.connection("c1").unwrap().unwrap().label, "Household");
        assert!(store
            .set_connection_status("c1", ConnectionStatus::ReauthRequired)
            .unwrap());
        assert_eq!(
            store.connection("c1").unwrap().unwrap().status,
            ConnectionStatus::ReauthRequired
        );
        assert!(store.delete_connection("c1").unwrap());
        assert!(store.connection("c1").unwrap().is_none());
        assert!(!store.rename_connection("c1", "x").unwrap());
    }
}
