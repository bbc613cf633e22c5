//! The `link_attempts` table: every auth link the app built, with its `tracking_id` and how it
//! ended, so the auth-journey trail of a link can be fetched later, abandoned ones included.
//! No secret is here: a link's `state` and PKCE verifier stay in the link session's memory.

use rusqlite::{params, OptionalExtension};

use super::{bad_enum, json_list, Store};
use crate::dto::{ErrorCode, LinkOutcome};
use crate::error::{Error, Result};

/// How many attempts are kept per environment (the oldest go first).
pub const LINK_ATTEMPTS_KEPT: usize = 200;

/// One link attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkAttemptRow {
    /// The link session's id.
    pub id: String,
    pub environment_id: String,
    pub tracking_id: String,
    pub provider_id: Option<String>,
    pub scopes: Vec<String>,
    /// The connection a re-consent renews.
    pub renews: Option<String>,
    pub created_at: String,
    pub expires_at: String,
    /// When the app handed it to a browser (a copied or scanned link never is).
    pub opened_at: Option<String>,
    /// As stored: `waiting`, `completed`, `failed` or `cancelled` (never `expired`, which is a
    /// waiting attempt past `expires_at`).
    pub outcome: LinkOutcome,
    pub ended_at: Option<String>,
    /// The connection a completed attempt made or renewed.
    pub connection_id: Option<String>,
    /// The code a failed attempt ended with.
    pub error_code: Option<ErrorCode>,
}

impl Store {
    /// Records a link as built, or (same id: an unopened link edited) its new parameters. Keeps
    /// the newest [`LINK_ATTEMPTS_KEPT`] of its environment.
    pub fn save_link_attempt(&self, row: &LinkAttemptRow) -> Result<()> {
        let scopes = serde_json::to_string(&row.scopes).map_err(Error::internal)?;
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO link_attempts(id, environment_id, tracking_id, provider_id, scopes, renews,
                                       created_at, expires_at, outcome)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'waiting')
             ON CONFLICT(id) DO UPDATE SET tracking_id = excluded.tracking_id,
                provider_id = excluded.provider_id, scopes = excluded.scopes,
                renews = excluded.renews, expires_at = excluded.expires_at",
            params![
                row.id,
                row.environment_id,
                row.tracking_id,
                row.provider_id,
                scopes,
                row.renews,
                row.created_at,
                row.expires_at
            ],
        )?;
        tx.execute(
            "DELETE FROM link_attempts WHERE environment_id = ?1 AND id NOT IN (
                 SELECT id FROM link_attempts WHERE environment_id = ?1
                 ORDER BY created_at DESC, rowid DESC LIMIT ?2)",
            params![row.environment_id, LINK_ATTEMPTS_KEPT as i64],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Notes that the attempt was handed to a browser (the first time counts).
    pub fn open_link_attempt(&self, id: &str, opened_at: &str) -> Result<()> {
        self.lock()?.execute(
            "UPDATE link_attempts SET opened_at = ?2 WHERE id = ?1 AND opened_at IS NULL",
            params![id, opened_at],
        )?;
        Ok(())
    }

    /// Ends a waiting attempt (`completed`, `failed` or `cancelled`); one already ended keeps
    /// its first ending.
    pub fn end_link_attempt(
        &self,
        id: &str,
        outcome: LinkOutcome,
        ended_at: &str,
        connection_id: Option<&str>,
        error_code: Option<ErrorCode>,
    ) -> Result<()> {
        let code = error_code
            .map(|c| serde_json::to_value(c).map_err(Error::internal))
            .transpose()?
            .and_then(|v| v.as_str().map(str::to_owned));
        self.lock()?.execute(
            "UPDATE link_attempts SET outcome = ?2, ended_at = ?3, connection_id = ?4,
                error_code = ?5
             WHERE id = ?1 AND outcome = 'waiting'",
            params![id, outcome.as_str(), ended_at, connection_id, code],
        )?;
        Ok(())
    }

    /// The newest attempts (of one environment, or all), newest first.
    pub fn link_attempts(
        &self,
        environment_id: Option<&str>,
        limit: usize,
    ) -> Result<Vec<LinkAttemptRow>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare(
            "SELECT id, environment_id, tracking_id, provider_id, scopes, renews, created_at,
                    expires_at, outcome, ended_at, connection_id, error_code, opened_at
             FROM link_attempts WHERE ?1 IS NULL OR environment_id = ?1
             ORDER BY created_at DESC, rowid DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![environment_id, limit as i64], attempt_from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(Error::from)
    }

    /// One attempt.
    pub fn link_attempt(&self, id: &str) -> Result<Option<LinkAttemptRow>> {
        Ok(self
            .lock()?
            .query_row(
                "SELECT id, environment_id, tracking_id, provider_id, scopes, renews, created_at,
                        expires_at, outcome, ended_at, connection_id, error_code, opened_at
                 FROM link_attempts WHERE id = ?1",
                [id],
                attempt_from_row,
            )
            .optional()?)
    }
}

fn attempt_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LinkAttemptRow> {
    let outcome: String = r.get(8)?;
    let error_code: Option<String> = r.get(11)?;
    Ok(LinkAttemptRow {
        id: r.get(0)?,
        environment_id: r.get(1)?,
        tracking_id: r.get(2)?,
        provider_id: r.get(3)?,
        scopes: json_list(4, r.get(4)?)?,
        renews: r.get(5)?,
        created_at: r.get(6)?,
        expires_at: r.get(7)?,
        opened_at: r.get(12)?,
        outcome: LinkOutcome::parse(&outcome).ok_or_else(|| bad_enum(8, &outcome))?,
        ended_at: r.get(9)?,
        connection_id: r.get(10)?,
        error_code: match error_code {
            Some(code) => Some(
                serde_json::from_value(serde_json::Value::String(code.clone()))
                    .map_err(|_| bad_enum(11, &code))?,
            ),
            None => None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::store::fixtures::env;

    fn attempt(id: &str, created_at: &str) -> LinkAttemptRow {
        LinkAttemptRow {
            id: id.into(),
            environment_id: "e".into(),
            tracking_id: format!("t-{id}"),
            provider_id: Some("mock".into()),
            scopes: vec!["accounts".into()],
            renews: None,
            created_at: created_at.into(),
            expires_at: "2025-01-01T00:10:00Z".into(),
            opened_at: None,
            outcome: LinkOutcome::Waiting,
            ended_at: None,
            connection_id: None,
            error_code: None,
        }
    }

    #[test]
    fn an_attempt_is_kept_edited_and_ended_once() {
        let store = Store::open_in_memory().unwrap();
        store.upsert_environment(&env("e")).unwrap();
        store
            .save_link_attempt(&attempt("a", "2025-01-01T00:00:00Z"))
            .unwrap();
        let mut edited = attempt("a", "2025-01-01T00:00:05Z");
        edited.tracking_id = "mine".into();
        store.save_link_attempt(&edited).unwrap();
        let row = store.link_attempt("a").unwrap().unwrap();
        assert_eq!(row.tracking_id, "mine", "an edit replaces the parameters");
        assert_eq!(
            row.created_at, "2025-01-01T00:00:00Z",
            "but not when it was built"
        );

        store
            .end_link_attempt(
                "a",
                LinkOutcome::Failed,
                "t1",
                None,
                Some(ErrorCode::AccessDeniedByUser),
            )
            .unwrap();
        store
            .end_link_attempt("a", LinkOutcome::Completed, "t2", Some("c"), None)
            .unwrap();
        let row = store.link_attempt("a").unwrap().unwrap();
        assert_eq!(row.outcome, LinkOutcome::Failed, "the first ending stays");
        assert_eq!(row.error_code, Some(ErrorCode::AccessDeniedByUser));
        assert_eq!(row.connection_id, None);
    }

    #[test]
    fn attempts_list_newest_first_and_only_the_newest_are_kept() {
        let store = Store::open_in_memory().unwrap();
        store.upsert_environment(&env("e")).unwrap();
        for i in 0..LINK_ATTEMPTS_KEPT + 3 {
            store
                .save_link_attempt(&attempt(
                    &format!("a{i:03}"),
                    &format!("2025-01-01T{:02}:{:02}:00Z", i / 60, i % 60),
                ))
                .unwrap();
        }
        let all = store.link_attempts(Some("e"), 1000).unwrap();
        assert_eq!(all.len(), LINK_ATTEMPTS_KEPT);
        assert_eq!(all[0].id, format!("a{:03}", LINK_ATTEMPTS_KEPT + 2));
        assert!(
            store.link_attempt("a000").unwrap().is_none(),
            "the oldest went"
        );
        assert_eq!(store.link_attempts(None, 2).unwrap().len(), 2);
        assert!(store.link_attempts(Some("other"), 10).unwrap().is_empty());
    }
}
