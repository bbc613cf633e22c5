//! Scenario runs on disk: the workbench's own SQLite file in the data dir (`workbench.sqlite3`,
//! one table), kept apart from the main database so its schema evolves on its own. A run is
//! stored whole as JSON beside the columns it is looked up by. Holds no secret: runs carry
//! outcomes, labels and trace ids only.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, OptionalExtension};

use super::dto::ScenarioRun;
use crate::error::{Error, Result};

/// The file's name inside the data dir.
pub const WORKBENCH_DATABASE_FILE: &str = "workbench.sqlite3";

/// How many runs `list` returns.
pub const LISTED_RUNS: i64 = 50;

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS scenario_runs (
        id TEXT PRIMARY KEY,
        environment_id TEXT NOT NULL,
        status TEXT NOT NULL,
        started_at TEXT NOT NULL,
        app_version TEXT NOT NULL,
        sandbox_seed INTEGER,
        body TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS scenario_runs_by_environment
        ON scenario_runs (environment_id, started_at);
";

/// The runs table.
#[derive(Debug)]
pub struct RunStore {
    db: Mutex<rusqlite::Connection>,
}

impl RunStore {
    /// Opens (creating) the file in `dir`.
    pub fn open_in(dir: &Path) -> Result<Self> {
        Self::with(rusqlite::Connection::open(
            dir.join(WORKBENCH_DATABASE_FILE),
        )?)
    }

    fn with(db: rusqlite::Connection) -> Result<Self> {
        db.execute_batch(SCHEMA)?;
        Ok(Self { db: Mutex::new(db) })
    }

    fn db(&self) -> MutexGuard<'_, rusqlite::Connection> {
        match self.db.lock() {
            Ok(db) => db,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Inserts or replaces a run.
    pub fn save(&self, run: &ScenarioRun) -> Result<()> {
        let body = serde_json::to_string(run)
            .map_err(|e| Error::Internal(format!("a run could not be serialized: {e}")))?;
        let seed = run.sandbox_seed.and_then(|s| i64::try_from(s).ok());
        self.db().execute(
            "INSERT OR REPLACE INTO scenario_runs
                 (id, environment_id, status, started_at, app_version, sandbox_seed, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                run.id,
                run.environment_id,
                run.status.as_str(),
                run.started_at,
                run.app_version,
                seed,
                body
            ],
        )?;
        Ok(())
    }

    /// One run.
    pub fn get(&self, id: &str) -> Result<Option<ScenarioRun>> {
        let body: Option<String> = self
            .db()
            .query_row(
                "SELECT body FROM scenario_runs WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?;
        body.map(|b| parse(&b)).transpose()
    }

    /// An environment's runs, newest first.
    pub fn list(&self, environment_id: &str) -> Result<Vec<ScenarioRun>> {
        let db = self.db();
        let mut statement = db.prepare(
            "SELECT body FROM scenario_runs WHERE environment_id = ?1
             ORDER BY started_at DESC, rowid DESC LIMIT ?2",
        )?;
        let bodies = statement
            .query_map(params![environment_id, LISTED_RUNS], |r| {
                r.get::<_, String>(0)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        bodies.iter().map(|b| parse(b)).collect()
    }

    /// The newest finished (passed or failed) run of an environment other than `except`.
    pub fn previous(&self, environment_id: &str, except: &str) -> Result<Option<ScenarioRun>> {
        let body: Option<String> = self
            .db()
            .query_row(
                "SELECT body FROM scenario_runs
                 WHERE environment_id = ?1 AND id != ?2 AND status IN ('passed', 'failed')
                 ORDER BY started_at DESC, rowid DESC LIMIT 1",
                params![environment_id, except],
                |r| r.get(0),
            )
            .optional()?;
        body.map(|b| parse(&b)).transpose()
    }
}

fn parse(body: &str) -> Result<ScenarioRun> {
    serde_json::from_str(body)
        .map_err(|e| Error::Internal(format!("a stored run could not be read: {e}")))
}
