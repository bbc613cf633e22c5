//! The local SQLite database: environments, connections, the provider cache and the request log,
//! with versioned migrations (`PRAGMA user_version`).
//!
//! It must never hold a secret: client secrets and tokens live in the [`crate::storage::secrets`] store,
//! and request-log rows arrive already redacted by the TrueLayer client's recording hook. The
//! database lives in the data dir ([`resolve_data_dir`]: `LINKSCOPE_DATA_DIR`, else the
//! platform's data dir given by the shell).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, OptionalExtension};

use crate::dto::{ConnectionStatus, EnvironmentKind};
use crate::error::{Error, Result};

/// The environment variable that overrides the data dir (tests, e2e, portable installs).
pub const DATA_DIR_ENV: &str = "LINKSCOPE_DATA_DIR";

/// The database's file name inside the data dir.
pub const DATABASE_FILE: &str = "linkscope.sqlite3";

/// The request log keeps at most this many rows; the oldest are dropped first.
pub const REQUEST_LOG_MAX_ROWS: i64 = 5_000;
/// …and at most this many bytes of bodies in total (a 5-year transactions page is large).
pub const REQUEST_LOG_MAX_BODY_BYTES: i64 = 64 * 1024 * 1024;
/// Each recorded body is cut to this many bytes (the cut is marked).
pub const REQUEST_LOG_BODY_CAP: usize = 512 * 1024;

/// The data dir: `LINKSCOPE_DATA_DIR` when set and not empty, else `platform_dir` (the shell
/// passes Tauri's app data dir). The directory is created if needed.
pub fn resolve_data_dir(platform_dir: Option<PathBuf>) -> Result<PathBuf> {
    let from_env = std::env::var_os(DATA_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let dir = from_env.or(platform_dir).ok_or_else(|| {
        Error::Validation(format!("no data directory: set {DATA_DIR_ENV} or pass one"))
    })?;
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Migrations in order; migration `i` brings the database to `user_version = i + 1`.
/// Never edit a shipped entry: append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
    CREATE TABLE environments (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        kind          TEXT NOT NULL,
        auth_url      TEXT NOT NULL,
        api_url       TEXT NOT NULL,
        client_id     TEXT NOT NULL,
        redirect_uris TEXT NOT NULL,          -- JSON array of strings
        active        INTEGER NOT NULL DEFAULT 0,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    );
    CREATE TABLE connections (
        id                      TEXT PRIMARY KEY,
        environment_id          TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        label                   TEXT NOT NULL,
        provider_id             TEXT NOT NULL,
        provider_name           TEXT NOT NULL,
        provider_logo_url       TEXT,
        scopes                  TEXT NOT NULL,  -- JSON array of strings
        credentials_id          TEXT,
        consent_status          TEXT,
        consent_created_at      TEXT NOT NULL,
        consent_expires_at      TEXT,
        access_token_expires_at TEXT,
        has_refresh_token       INTEGER NOT NULL,
        status                  TEXT NOT NULL,
        saved                   INTEGER NOT NULL,
        created_at              TEXT NOT NULL,
        last_refresh_at         TEXT
    );
    CREATE INDEX connections_environment ON connections(environment_id);
    CREATE TABLE provider_cache (
        environment_id TEXT PRIMARY KEY REFERENCES environments(id) ON DELETE CASCADE,
        fetched_at     TEXT NOT NULL,
        body           TEXT NOT NULL          -- JSON array of dto::Provider
    );
    CREATE TABLE request_log (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        at               TEXT NOT NULL,
        connection_id    TEXT,
        environment_id   TEXT,
        method           TEXT NOT NULL,
        url              TEXT NOT NULL,
        endpoint         TEXT NOT NULL,
        status           INTEGER,
        duration_ms      INTEGER NOT NULL,
        trace_id         TEXT,
        correlation_id   TEXT,
        request_headers  TEXT NOT NULL,       -- JSON object, redacted
        request_body     TEXT,                -- redacted
        response_headers TEXT NOT NULL,       -- JSON object, redacted
        response_body    TEXT,                -- redacted
        error            TEXT,
        body_bytes       INTEGER NOT NULL
    );
    CREATE INDEX request_log_connection ON request_log(connection_id, id);
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    "#,
];

/// An environment row (its client secret is in the secret store, never here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentRow {
    pub id: String,
    pub name: String,
    pub kind: EnvironmentKind,
    pub auth_url: String,
    pub api_url: String,
    pub client_id: String,
    pub redirect_uris: Vec<String>,
    pub active: bool,
    pub created_at: String,
}

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

/// One recorded HTTP exchange, already redacted by the client's hook.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestRecord {
    pub at: String,
    pub connection_id: Option<String>,
    pub environment_id: Option<String>,
    pub method: String,
    pub url: String,
    pub endpoint: String,
    pub status: Option<u16>,
    pub duration_ms: u64,
    pub trace_id: Option<String>,
    pub correlation_id: Option<String>,
    /// JSON array of `[name, value]` pairs.
    pub request_headers: String,
    pub request_body: Option<String>,
    /// JSON array of `[name, value]` pairs.
    pub response_headers: String,
    pub response_body: Option<String>,
    pub error: Option<String>,
}

/// A stored request-log row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    pub id: i64,
    pub record: RequestRecord,
}

/// Filters for [`Store::list_requests`]; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestFilter {
    pub connection_id: Option<String>,
    /// Exact status, or a class when < 10 (e.g. `4` = 4xx); `Some(0)` = no response (network).
    pub status: Option<u16>,
    /// `Some(true)`: failures only (400 and above, or no response); `Some(false)`: answers
    /// below 400 only.
    pub failed: Option<bool>,
    /// Substring of the endpoint path.
    pub endpoint: Option<String>,
    /// Substring of the URL, trace id or bodies.
    pub text: Option<String>,
    /// Only rows with an id below this (paging, newest first).
    pub before_id: Option<i64>,
    pub limit: Option<u32>,
}

/// The database. Cheap operations run inline under a mutex (SQLite on a local disk).
#[derive(Debug)]
pub struct Store {
    conn: Mutex<rusqlite::Connection>,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) `dir/linkscope.sqlite3` and applies pending migrations.
    pub fn open_in(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(DATABASE_FILE);
        let conn = rusqlite::Connection::open(&path)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let store = Self {
            conn: Mutex::new(conn),
            path,
        };
        store.migrate()?;
        Ok(store)
    }

    /// An in-memory database (unit tests).
    pub fn open_in_memory() -> Result<Self> {
        let conn = rusqlite::Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let store = Self {
            conn: Mutex::new(conn),
            path: PathBuf::from(":memory:"),
        };
        store.migrate()?;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version (`PRAGMA user_version`).
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

    // ---- settings ----

    /// Reads a setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .lock()?
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Writes a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.lock()?.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    // ---- environments ----

    /// All environments, built-in first, then by name.
    pub fn list_environments(&self) -> Result<Vec<EnvironmentRow>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare(
            "SELECT id, name, kind, auth_url, api_url, client_id, redirect_uris, active, created_at
             FROM environments ORDER BY kind != 'builtin', name, id",
        )?;
        let rows = stmt.query_map([], environment_from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(Error::from)
    }

    /// One environment.
    pub fn environment(&self, id: &str) -> Result<Option<EnvironmentRow>> {
        Ok(self
            .lock()?
            .query_row(
                "SELECT id, name, kind, auth_url, api_url, client_id, redirect_uris, active,
                        created_at
                 FROM environments WHERE id = ?1",
                [id],
                environment_from_row,
            )
            .optional()?)
    }

    /// Inserts or replaces an environment (keeps `created_at` and `active` of an existing row).
    pub fn upsert_environment(&self, env: &EnvironmentRow) -> Result<()> {
        let uris = serde_json::to_string(&env.redirect_uris).map_err(Error::internal)?;
        self.lock()?.execute(
            "INSERT INTO environments(id, name, kind, auth_url, api_url, client_id, redirect_uris,
                                      active, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                auth_url = excluded.auth_url, api_url = excluded.api_url,
                client_id = excluded.client_id, redirect_uris = excluded.redirect_uris,
                updated_at = excluded.updated_at",
            params![
                env.id,
                env.name,
                env.kind.as_str(),
                env.auth_url,
                env.api_url,
                env.client_id,
                uris,
                env.active,
                env.created_at
            ],
        )?;
        Ok(())
    }

    /// Makes `id` the only active environment.
    pub fn set_active_environment(&self, id: &str) -> Result<()> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        let n = tx.execute("UPDATE environments SET active = (id = ?1)", [id])?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM environments WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if n == 0 || !exists {
            return Err(Error::NotFound {
                what: "environment",
                id: id.to_owned(),
            });
        }
        tx.commit()?;
        Ok(())
    }

    /// Deletes an environment (and, by cascade, its connections and provider cache).
    pub fn delete_environment(&self, id: &str) -> Result<bool> {
        Ok(self
            .lock()?
            .execute("DELETE FROM environments WHERE id = ?1", [id])?
            > 0)
    }

    // ---- connections ----

    /// All connections, newest first.
    pub fn list_connections(&self) -> Result<Vec<ConnectionRow>> {
        let conn = self.lock()?;
        let mut stmt =
            conn.prepare(&format!("{CONNECTION_SELECT} ORDER BY created_at DESC, id"))?;
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
        let scopes = serde_json::to_string(&c.scopes).map_err(Error::internal)?;
        self.lock()?.execute(
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

    // ---- provider cache ----

    /// The cached providers of an environment: `(fetched_at, JSON body)`.
    pub fn cached_providers(&self, environment_id: &str) -> Result<Option<(String, String)>> {
        Ok(self
            .lock()?
            .query_row(
                "SELECT fetched_at, body FROM provider_cache WHERE environment_id = ?1",
                [environment_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Replaces the cached providers of an environment.
    pub fn cache_providers(
        &self,
        environment_id: &str,
        fetched_at: &str,
        body: &str,
    ) -> Result<()> {
        self.lock()?.execute(
            "INSERT INTO provider_cache(environment_id, fetched_at, body) VALUES (?1, ?2, ?3)
             ON CONFLICT(environment_id) DO UPDATE SET fetched_at = excluded.fetched_at,
                body = excluded.body",
            [environment_id, fetched_at, body],
        )?;
        Ok(())
    }

    // ---- request log ----

    /// Appends an exchange (bodies capped at [`REQUEST_LOG_BODY_CAP`]) and drops the oldest rows
    /// past [`REQUEST_LOG_MAX_ROWS`] rows or [`REQUEST_LOG_MAX_BODY_BYTES`] bytes of bodies.
    pub fn append_request(&self, record: &RequestRecord) -> Result<i64> {
        self.append_request_bounded(record, REQUEST_LOG_MAX_ROWS, REQUEST_LOG_MAX_BODY_BYTES)
    }

    fn append_request_bounded(
        &self,
        record: &RequestRecord,
        max_rows: i64,
        max_bytes: i64,
    ) -> Result<i64> {
        let request_body = record.request_body.as_deref().map(cap_body);
        let response_body = record.response_body.as_deref().map(cap_body);
        let body_bytes = request_body.as_ref().map_or(0, String::len)
            + response_body.as_ref().map_or(0, String::len);
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO request_log(at, connection_id, environment_id, method, url, endpoint,
                status, duration_ms, trace_id, correlation_id, request_headers, request_body,
                response_headers, response_body, error, body_bytes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![
                record.at,
                record.connection_id,
                record.environment_id,
                record.method,
                record.url,
                record.endpoint,
                record.status,
                i64::try_from(record.duration_ms).unwrap_or(i64::MAX),
                record.trace_id,
                record.correlation_id,
                record.request_headers,
                request_body,
                record.response_headers,
                response_body,
                record.error,
                body_bytes as i64
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "DELETE FROM request_log WHERE id <= (
                SELECT id FROM request_log ORDER BY id DESC LIMIT 1 OFFSET ?1)",
            [max_rows],
        )?;
        tx.execute(
            "DELETE FROM request_log WHERE id IN (
                SELECT id FROM (SELECT id, SUM(body_bytes) OVER (ORDER BY id DESC) AS total
                                FROM request_log)
                WHERE total > ?1 AND id != ?2)",
            [max_bytes, id],
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Recorded exchanges, newest first.
    pub fn list_requests(&self, filter: &RequestFilter) -> Result<Vec<RequestRow>> {
        let mut sql = format!("{REQUEST_SELECT} WHERE 1 = 1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        let mut arg = |sql: &mut String, clause: &str, v: rusqlite::types::Value| {
            args.push(v);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(c) = &filter.connection_id {
            arg(&mut sql, " AND connection_id = ?", c.clone().into());
        }
        match filter.status {
            Some(0) => sql.push_str(" AND status IS NULL"),
            Some(class @ 1..=9) => arg(&mut sql, " AND status / 100 = ?", i64::from(class).into()),
            Some(s) => arg(&mut sql, " AND status = ?", i64::from(s).into()),
            None => {}
        }
        match filter.failed {
            Some(true) => sql.push_str(" AND (status IS NULL OR status >= 400)"),
            Some(false) => sql.push_str(" AND status IS NOT NULL AND status < 400"),
            None => {}
        }
        if let Some(e) = &filter.endpoint {
            arg(&mut sql, " AND instr(endpoint, ?) > 0", e.clone().into());
        }
        if let Some(t) = &filter.text {
            arg(
                &mut sql,
                " AND (instr(url, ?) > 0 OR instr(coalesce(trace_id, ''), ?) > 0
                       OR instr(coalesce(request_body, ''), ?) > 0
                       OR instr(coalesce(response_body, ''), ?) > 0
                       OR instr(coalesce(error, ''), ?) > 0)",
                t.clone().into(),
            );
        }
        if let Some(b) = filter.before_id {
            arg(&mut sql, " AND id < ?", b.into());
        }
        sql.push_str(" ORDER BY id DESC");
        arg(
            &mut sql,
            " LIMIT ?",
            i64::from(filter.limit.unwrap_or(200)).into(),
        );
        let conn = self.lock()?;
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), request_from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(Error::from)
    }

    /// One recorded exchange.
    pub fn request(&self, id: i64) -> Result<Option<RequestRow>> {
        Ok(self
            .lock()?
            .query_row(
                &format!("{REQUEST_SELECT} WHERE id = ?1"),
                [id],
                request_from_row,
            )
            .optional()?)
    }

    /// How many exchanges are recorded.
    pub fn request_count(&self) -> Result<i64> {
        Ok(self
            .lock()?
            .query_row("SELECT COUNT(*) FROM request_log", [], |r| r.get(0))?)
    }
}

const CONNECTION_SELECT: &str = "SELECT id, environment_id, label, provider_id, provider_name,
    provider_logo_url, scopes, credentials_id, consent_status, consent_created_at,
    consent_expires_at, access_token_expires_at, has_refresh_token, status, saved, created_at,
    last_refresh_at FROM connections";

const REQUEST_SELECT: &str = "SELECT id, at, connection_id, environment_id, method, url, endpoint,
    status, duration_ms, trace_id, correlation_id, request_headers, request_body,
    response_headers, response_body, error FROM request_log";

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

fn environment_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EnvironmentRow> {
    let kind: String = r.get(2)?;
    Ok(EnvironmentRow {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: EnvironmentKind::parse(&kind).ok_or_else(|| bad_enum(2, &kind))?,
        auth_url: r.get(3)?,
        api_url: r.get(4)?,
        client_id: r.get(5)?,
        redirect_uris: json_list(6, r.get(6)?)?,
        active: r.get(7)?,
        created_at: r.get(8)?,
    })
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

fn request_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RequestRow> {
    let duration: i64 = r.get(8)?;
    Ok(RequestRow {
        id: r.get(0)?,
        record: RequestRecord {
            at: r.get(1)?,
            connection_id: r.get(2)?,
            environment_id: r.get(3)?,
            method: r.get(4)?,
            url: r.get(5)?,
            endpoint: r.get(6)?,
            status: r.get(7)?,
            duration_ms: u64::try_from(duration).unwrap_or(0),
            trace_id: r.get(9)?,
            correlation_id: r.get(10)?,
            request_headers: r.get(11)?,
            request_body: r.get(12)?,
            response_headers: r.get(13)?,
            response_body: r.get(14)?,
            error: r.get(15)?,
        },
    })
}

/// Cuts a body to [`REQUEST_LOG_BODY_CAP`] bytes at a char boundary and says so.
fn cap_body(body: &str) -> String {
    if body.len() <= REQUEST_LOG_BODY_CAP {
        return body.to_owned();
    }
    let mut end = REQUEST_LOG_BODY_CAP;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n… [cut by Linkscope: {} bytes in total]",
        &body[..end],
        body.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(id: &str) -> EnvironmentRow {
        EnvironmentRow {
            id: id.into(),
            name: format!("Env {id}"),
            kind: EnvironmentKind::Custom,
            auth_url: "http://127.0.0.1:1".into(),
            api_url: "http://127.0.0.1:2".into(),
            client_id: "cid".into(),
            redirect_uris: vec!["linkscope://callback".into()],
            active: false,
            created_at: "2025-01-01T00:00:00Z".into(),
        }
    }

    fn connection(id: &str, env: &str) -> ConnectionRow {
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

    fn record(endpoint: &str, status: Option<u16>, body: &str) -> RequestRecord {
        RequestRecord {
            at: "2025-01-01T00:00:00Z".into(),
            method: "GET".into(),
            url: format!("http://127.0.0.1/data/v1{endpoint}"),
            endpoint: endpoint.into(),
            status,
            request_headers: "{}".into(),
            response_headers: "{}".into(),
            response_body: Some(body.into()),
            ..Default::default()
        }
    }

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

    #[test]
    fn only_one_environment_is_active_at_a_time() {
        let store = Store::open_in_memory().unwrap();
        store.upsert_environment(&env("a")).unwrap();
        store.upsert_environment(&env("b")).unwrap();
        store.set_active_environment("a").unwrap();
        store.set_active_environment("b").unwrap();
        let active: Vec<_> = store
            .list_environments()
            .unwrap()
            .into_iter()
            .filter(|e| e.active)
            .collect();
        assert_eq!(active.len(), 1);
        assert_eq!(active[0].id, "b");
        assert!(matches!(
            store.set_active_environment("zzz"),
            Err(Error::NotFound { .. })
        ));
    }

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

    #[test]
    fn deleting_an_environment_deletes_its_connections() {
        let store = Store::open_in_memory().unwrap();
        store.upsert_environment(&env("e")).unwrap();
        store.upsert_connection(&connection("c1", "e")).unwrap();
        store
            .cache_providers("e", "2025-01-01T00:00:00Z", "[]")
            .unwrap();
        assert!(store.delete_environment("e").unwrap());
        assert!(store.list_connections().unwrap().is_empty());
        assert!(store.cached_providers("e").unwrap().is_none());
    }

    #[test]
    fn the_provider_cache_keeps_the_latest_fetch() {
        let store = Store::open_in_memory().unwrap();
        store.upsert_environment(&env("e")).unwrap();
        store.cache_providers("e", "t1", "[1]").unwrap();
        store.cache_providers("e", "t2", "[2]").unwrap();
        assert_eq!(
            store.cached_providers("e").unwrap(),
            Some(("t2".into(), "[2]".into()))
        );
    }

    #[test]
    fn the_request_log_drops_the_oldest_rows_past_its_row_bound() {
        let store = Store::open_in_memory().unwrap();
        for i in 0..12 {
            store
                .append_request_bounded(&record(&format!("/r{i}"), Some(200), "{}"), 10, i64::MAX)
                .unwrap();
        }
        assert_eq!(store.request_count().unwrap(), 10);
        let rows = store.list_requests(&RequestFilter::default()).unwrap();
        assert_eq!(
            rows.first().unwrap().record.endpoint,
            "/r11",
            "newest first"
        );
        assert_eq!(
            rows.last().unwrap().record.endpoint,
            "/r2",
            "r0 and r1 were dropped"
        );
    }

    #[test]
    fn the_request_log_drops_the_oldest_rows_past_its_byte_bound() {
        let store = Store::open_in_memory().unwrap();
        let body = "x".repeat(100);
        for i in 0..5 {
            store
                .append_request_bounded(&record(&format!("/r{i}"), Some(200), &body), 100, 250)
                .unwrap();
        }
        let rows = store.list_requests(&RequestFilter::default()).unwrap();
        let endpoints: Vec<_> = rows.iter().map(|r| r.record.endpoint.as_str()).collect();
        assert_eq!(
            endpoints,
            ["/r4", "/r3"],
            "only the newest 250 bytes of bodies are kept"
        );
    }

    #[test]
    fn the_newest_request_is_kept_even_when_its_body_alone_is_over_budget() {
        let store = Store::open_in_memory().unwrap();
        store
            .append_request_bounded(&record("/big", Some(200), &"x".repeat(500)), 10, 100)
            .unwrap();
        assert_eq!(store.request_count().unwrap(), 1);
    }

    #[test]
    fn a_huge_body_is_cut_and_marked() {
        let store = Store::open_in_memory().unwrap();
        let id = store
            .append_request(&record(
                "/big",
                Some(200),
                &"é".repeat(REQUEST_LOG_BODY_CAP),
            ))
            .unwrap();
        let body = store
            .request(id)
            .unwrap()
            .unwrap()
            .record
            .response_body
            .unwrap();
        assert!(body.len() < REQUEST_LOG_BODY_CAP + 100);
        assert!(body.ends_with("bytes in total]"));
    }

    #[test]
    fn request_filters_narrow_by_connection_status_endpoint_and_text() {
        let store = Store::open_in_memory().unwrap();
        let mut a = record("/accounts", Some(200), "{\"results\":[]}");
        a.connection_id = Some("c1".into());
        let mut b = record(
            "/accounts/1/balance",
            Some(503),
            "{\"error\":\"provider_error\"}",
        );
        b.connection_id = Some("c1".into());
        b.trace_id = Some("trace-123".into());
        let c = record("/me", None, "");
        for r in [&a, &b, &c] {
            store.append_request(r).unwrap();
        }
        let count = |f: RequestFilter| store.list_requests(&f).unwrap().len();
        assert_eq!(count(RequestFilter::default()), 3);
        assert_eq!(
            count(RequestFilter {
                connection_id: Some("c1".into()),
                ..Default::default()
            }),
            2
        );
        assert_eq!(
            count(RequestFilter {
                status: Some(5),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(RequestFilter {
                status: Some(200),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(RequestFilter {
                status: Some(0),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(RequestFilter {
                failed: Some(true),
                ..Default::default()
            }),
            2,
            "failures are 4xx/5xx and no answer at all"
        );
        assert_eq!(
            count(RequestFilter {
                failed: Some(false),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(RequestFilter {
                endpoint: Some("balance".into()),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(RequestFilter {
                text: Some("trace-123".into()),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(RequestFilter {
                text: Some("provider_error".into()),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(RequestFilter {
                limit: Some(1),
                ..Default::default()
            }),
            1
        );
    }

    #[test]
    fn the_data_dir_override_wins_over_the_platform_dir() {
        // Only this test touches the variable in this binary.
        let dir = tempfile::tempdir().unwrap();
        let platform = dir.path().join("platform");
        let override_dir = dir.path().join("override");
        let original = std::env::var_os(DATA_DIR_ENV);
        std::env::set_var(DATA_DIR_ENV, &override_dir);
        let chosen = resolve_data_dir(Some(platform.clone()));
        std::env::remove_var(DATA_DIR_ENV);
        let fallback = resolve_data_dir(Some(platform.clone()));
        if let Some(v) = original {
            std::env::set_var(DATA_DIR_ENV, v);
        }
        assert_eq!(chosen.unwrap(), override_dir);
        assert!(override_dir.is_dir(), "the chosen dir is created");
        assert_eq!(fallback.unwrap(), platform);
    }
}
