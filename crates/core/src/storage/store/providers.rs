//! The `provider_cache` table: each environment's last `GET /api/providers` with its fetch time.

use rusqlite::OptionalExtension;

use super::Store;
use crate::error::Result;

impl Store {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::store::fixtures::env;

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
}
