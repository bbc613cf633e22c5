//! The local SQLite database: one file per table ([`environments`](EnvironmentRow),
//! [`connections`](ConnectionRow), the provider cache, the request log, the
//! [`snapshots`](SnapshotRow), the [`link attempts`](LinkAttemptRow)), the data-dir policy
//! ([`resolve_data_dir`]) and versioned migrations (`PRAGMA user_version`).
//!
//! It must never hold a secret: client secrets and tokens live in the [`crate::storage::secrets`]
//! store, and request-log rows arrive already redacted by the TrueLayer client's recording hook.
//! The database lives in the data dir ([`resolve_data_dir`]: `LINKSCOPE_DATA_DIR`, else the
//! platform's data dir given by the shell).

mod connections;
mod data_dir;
mod environments;
mod link_attempts;
mod migrations;
mod providers;
mod requests;
mod snapshots;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use crate::error::{Error, Result};
use migrations::MIGRATIONS;

pub use connections::ConnectionRow;
use data_dir::{private_dir, private_file, restrict_if_present};
pub use data_dir::{resolve_data_dir, DATA_DIR_ENV};
pub use environments::EnvironmentRow;
pub use link_attempts::{LinkAttemptRow, LINK_ATTEMPTS_KEPT};
pub use requests::{
    RequestFilter, RequestRecord, RequestRow, REQUEST_LOG_BODY_CAP, REQUEST_LOG_MAX_BODY_BYTES,
    REQUEST_LOG_MAX_ROWS,
};
pub use snapshots::SnapshotRow;

/// The database's file name inside the data dir.
pub const DATABASE_FILE: &str = "linkscope.sqlite3";

/// The database. Cheap operations run inline under a mutex (SQLite on a local disk).
#[derive(Debug)]
pub struct Store {
    conn: Mutex<rusqlite::Connection>,
}

impl Store {
    /// Opens (creating if needed) `dir/linkscope.sqlite3` and applies pending migrations. The dir
    /// is the owner's only (0700) and so are the database and its WAL files (0600).
    pub fn open_in(dir: &Path) -> Result<Self> {
        private_dir(dir)?;
        let path = dir.join(DATABASE_FILE);
        private_file(&path)?;
        let conn = rusqlite::Connection::open(&path)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a committed transaction (a saved connection, a refreshed token's expiry) is on
        // disk before the commit returns, so a crash or power cut cannot undo it.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // SQLite creates the WAL and shared-memory files with the database's mode; earlier
        // builds left them (and the database) readable by others: tighten them too.
        for suffix in ["-wal", "-shm"] {
            let mut side = path.clone().into_os_string();
            side.push(suffix);
            restrict_if_present(Path::new(&side))?;
        }
        let store = Self {
            conn: Mutex::new(conn),
        };
        store.migrate()?;
        Ok(store)
    }

    /// An in-memory database (unit tests).
    #[cfg(test)]
    pub fn open_in_memory() -> Result<Self> {
        let conn = rusqlite::Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let store = Self {
            conn: Mutex::new(conn),
        };
        store.migrate()?;
        Ok(store)
    }

    /// `PRAGMA synchronous` as the connection runs it (2 = FULL).
    pub fn synchronous(&self) -> Result<i64> {
        Ok(self
            .lock()?
            .query_row("PRAGMA synchronous", [], |r| r.get(0))?)
    }

    /// The schema version (`PRAGMA user_version`).
    #[cfg(test)]
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .lock()?
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn lock(&self) -> Result<MutexGuard<'_, rusqlite::Connection>> {
        self.conn
            .lock()
            .map_err(|_| Error::internal("database lock poisoned"))
    }

    fn migrate(&self) -> Result<()> {
        let mut conn = self.lock()?;
        let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if current > known {
            return Err(Error::Validation(format!(
                "this database was written by a newer Linkscope (schema {current}, this build knows \
                 {known}); update Linkscope or use another data dir"
            )));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }
}

fn json_list(idx: usize, text: String) -> rusqlite::Result<Vec<String>> {
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn bad_enum(idx: usize, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        rusqlite::types::Type::Text,
        format!("unknown value {value:?}").into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::store::fixtures::env;

    #[test]
    fn a_new_database_is_migrated_to_the_latest_version() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    }

    #[test]
    fn reopening_a_database_keeps_its_rows_and_version() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open_in(dir.path()).unwrap();
            store.upsert_environment(&env("e1")).unwrap();
        }
        let store = Store::open_in(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        assert_eq!(store.environment("e1").unwrap().unwrap().name, "Env e1");
    }

    #[test]
    fn a_database_from_a_newer_build_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            conn.pragma_update(None, "user_version", 999).unwrap();
        }
        let err = Store::open_in(dir.path()).unwrap_err();
        assert!(err.to_string().contains("newer Linkscope"), "{err}");
    }
}

/// Rows the table tests share.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;
    use crate::dto::{ConnectionStatus, EnvironmentKind};

    pub(crate) fn env(id: &str) -> EnvironmentRow {
        EnvironmentRow {
            id: id.into(),
            name: format!("Env {id}"),
            kind: EnvironmentKind::Custom,
            auth_url: "http://127.0.0.1:1".into(),
            api_url: "http://127.0.0.1:2".into(),
            client_id: "cid".into(),
            redirect_uris: vec!["linkscope://callback".into()],
            marked_live: false,
            tracking_url: None,
            active: false,
            created_at: "2025-01-01T00:00:00Z".into(),
        }
    }

    pub(crate) fn connection(id: &str, env: &str) -> ConnectionRow {
        ConnectionRow {
            id: id.into(),
            environment_id: env.into(),
            label: "Mock".into(),
            provider_id: "mock".into(),
            provider_name: "Mock".into(),
            provider_logo_url: None,
            scopes: vec!["info".into(), "accounts".into()],
            credentials_id: Some("cred".into()),
            consent_status: Some("Authorised".into()),
            consent_created_at: "2025-01-01T00:00:00Z".into(),
            consent_expires_at: None,
            access_token_expires_at: Some("2025-01-01T01:00:00Z".into()),
            has_refresh_token: true,
            status: ConnectionStatus::Active,
            saved: true,
            created_at: "2025-01-01T00:00:00Z".into(),
            last_refresh_at: None,
        }
    }
}
