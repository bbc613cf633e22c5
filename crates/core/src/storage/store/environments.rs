//! The `environments` table: where links are made (client secrets are never here).

use rusqlite::{params, OptionalExtension};

use super::{bad_enum, json_list, Store};
use linkscope_truelayer as tl;

use crate::dto::EnvironmentKind;
use crate::error::{Error, Result};

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
    /// The user marked it live (whatever its hosts): the live chrome and interlock apply.
    pub marked_live: bool,
    /// The client-tracking host of the built-in sandbox (its own listener, rewritten at each
    /// start); TrueLayer's environments take theirs from the kind (see
    /// [`EnvironmentRow::tracking_url`]).
    pub tracking_url: Option<String>,
    pub active: bool,
    pub created_at: String,
}

impl EnvironmentRow {
    /// Where this environment's tracked auth-journey events are read: TrueLayer's
    /// `client-tracking` hosts for its sandbox and live, else the stored one (the built-in
    /// sandbox's listener; none for a custom environment).
    pub fn tracking_url(&self) -> Option<&str> {
        match self.kind {
            EnvironmentKind::TruelayerSandbox => Some(tl::TRUELAYER_SANDBOX_TRACKING_URL),
            EnvironmentKind::TruelayerLive => Some(tl::TRUELAYER_LIVE_TRACKING_URL),
            EnvironmentKind::Builtin | EnvironmentKind::Custom => self.tracking_url.as_deref(),
        }
    }
}

impl Store {
    /// All environments, built-in first, then by name.
    pub fn list_environments(&self) -> Result<Vec<EnvironmentRow>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare(
            "SELECT id, name, kind, auth_url, api_url, client_id, redirect_uris, active, created_at,
                    marked_live, tracking_url
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
                        created_at, marked_live, tracking_url
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
                                      active, created_at, updated_at, marked_live, tracking_url)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                auth_url = excluded.auth_url, api_url = excluded.api_url,
                client_id = excluded.client_id, redirect_uris = excluded.redirect_uris,
                updated_at = excluded.updated_at, marked_live = excluded.marked_live,
                tracking_url = excluded.tracking_url",
            params![
                env.id,
                env.name,
                env.kind.as_str(),
                env.auth_url,
                env.api_url,
                env.client_id,
                uris,
                env.active,
                env.created_at,
                env.marked_live,
                env.tracking_url
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
        marked_live: r.get(9)?,
        tracking_url: r.get(10)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::store::fixtures::{connection, env};

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
}
