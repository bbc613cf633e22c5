//! Environments: where links are made (the built-in sandbox, TrueLayer sandbox and live presets,
//! custom URLs), their providers (cached with their fetch time), and the scope catalog.
//!
//! Client secrets go to the secret store and are only ever reported as present or absent. The
//! built-in environment is managed by Core (its URLs follow the in-process sandbox) and cannot be
//! edited.

use std::sync::Arc;

use linkscope_truelayer as tl;

use crate::context::Shared;
use crate::dto::{
    Environment, EnvironmentInput, EnvironmentKind, Provider, ProviderList, ScopeInfo,
};
use crate::error::{Error, Result};
use crate::storage::secrets::{SecretKey, SecretValue};
use crate::storage::store::EnvironmentRow;

/// The built-in sandbox environment's id.
pub const BUILTIN_ENVIRONMENT_ID: &str = "builtin";

/// The auth-link provider groups used in sandboxes (Mock first) and in live.
pub const SANDBOX_PROVIDERS: &[&str] = &["uk-cs-mock", "uk-ob-all", "uk-oauth-all"];
/// See [`SANDBOX_PROVIDERS`].
pub const LIVE_PROVIDERS: &[&str] = &["uk-ob-all", "uk-oauth-all"];

/// The environments service.
#[derive(Debug, Clone)]
pub struct EnvironmentService {
    shared: Arc<Shared>,
}

impl EnvironmentService {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// `list_environments`: built-in first, then by name.
    pub async fn list(&self) -> Result<Vec<Environment>> {
        let rows = self.shared.store.list_environments()?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.dto(row).await);
        }
        Ok(out)
    }

    /// One environment.
    pub async fn get(&self, id: &str) -> Result<Environment> {
        let row = self.row(id)?;
        Ok(self.dto(row).await)
    }

    /// The active environment, if any.
    pub async fn active(&self) -> Result<Option<Environment>> {
        match self
            .shared
            .store
            .list_environments()?
            .into_iter()
            .find(|e| e.active)
        {
            Some(row) => Ok(Some(self.dto(row).await)),
            None => Ok(None),
        }
    }

    /// `save_environment`: creates (`id: null`) or updates an environment. TrueLayer presets get
    /// TrueLayer's URLs whatever was sent. A `clientSecret` goes to the secret store; `null` keeps
    /// the stored one.
    pub async fn save(&self, input: EnvironmentInput) -> Result<Environment> {
        if input.kind == EnvironmentKind::Builtin
            || input.id.as_deref() == Some(BUILTIN_ENVIRONMENT_ID)
        {
            return Err(Error::Validation(
                "The built-in sandbox is managed by Linkscope and cannot be edited.".into(),
            ));
        }
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(Error::Validation(
                "Give the environment a name (1 to 80 characters).".into(),
            ));
        }
        let (auth_url, api_url) = match input.kind {
            EnvironmentKind::TruelayerSandbox => (
                tl::TRUELAYER_SANDBOX_AUTH_URL.to_owned(),
                tl::TRUELAYER_SANDBOX_API_URL.to_owned(),
            ),
            EnvironmentKind::TruelayerLive => (
                tl::TRUELAYER_LIVE_AUTH_URL.to_owned(),
                tl::TRUELAYER_LIVE_API_URL.to_owned(),
            ),
            _ => (
                input.auth_url.trim().to_owned(),
                input.api_url.trim().to_owned(),
            ),
        };
        let client_id = tl::ClientId::new(input.client_id.trim().to_owned())
            .map_err(|e| Error::Validation(format!("Client id: {e}")))?;
        // Validates both URLs (http(s), a host, no query) the way the client will use them.
        tl::Environment::new(
            &auth_url,
            &api_url,
            client_id.clone(),
            tl::ClientSecret::new(""),
        )
        .map_err(|e| Error::Validation(e.to_string()))?;
        let mut redirect_uris = Vec::new();
        for uri in &input.redirect_uris {
            let uri = uri.trim();
            if uri.is_empty() {
                continue;
            }
            tl::RedirectUri::new(uri.to_owned())
                .map_err(|e| Error::Validation(format!("Redirect URI {uri:?}: {e}")))?;
            if !redirect_uris.iter().any(|u| u == uri) {
                redirect_uris.push(uri.to_owned());
            }
        }

        let existing = match &input.id {
            Some(id) => Some(self.row(id)?),
            None => None,
        };
        let id = existing
            .as_ref()
            .map(|e| e.id.clone())
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let row = EnvironmentRow {
            id: id.clone(),
            name: name.to_owned(),
            kind: input.kind,
            auth_url,
            api_url,
            client_id: client_id.as_str().to_owned(),
            redirect_uris,
            active: existing.as_ref().is_some_and(|e| e.active),
            created_at: existing
                .map(|e| e.created_at)
                .unwrap_or_else(crate::now_rfc3339),
        };
        self.shared.store.upsert_environment(&row)?;
        if let Some(secret) = input.client_secret {
            let secret = secret.secret();
            let key = SecretKey::client_secret(&id);
            if secret.trim().is_empty() {
                self.shared.secrets.delete(&key).await;
            } else {
                self.shared
                    .secrets
                    .set(&key, &SecretValue::new(secret.trim()))
                    .await;
            }
        }
        self.shared.invalidate_client(&id);
        self.get(&id).await
    }

    /// Removes an environment and its client secret. Refused for the built-in sandbox and for an
    /// environment that still has connections (forget them first: their tokens must go too).
    /// When it was the active one, the built-in sandbox becomes active.
    pub async fn remove(&self, id: &str) -> Result<()> {
        let row = self.row(id)?;
        if row.kind == EnvironmentKind::Builtin {
            return Err(Error::Validation(
                "The built-in sandbox is managed by Linkscope and cannot be removed.".into(),
            ));
        }
        let linked = self
            .shared
            .store
            .list_connections()?
            .iter()
            .filter(|c| c.environment_id == row.id)
            .count();
        if linked > 0 {
            return Err(Error::Validation(format!(
                "\"{}\" still has {linked} connection(s): forget them first, so their tokens are \
                 deleted too.",
                row.name
            )));
        }
        self.shared.store.delete_environment(&row.id)?;
        self.shared
            .secrets
            .delete(&SecretKey::client_secret(&row.id))
            .await;
        self.shared.invalidate_client(&row.id);
        if row.active {
            self.shared
                .store
                .set_active_environment(BUILTIN_ENVIRONMENT_ID)?;
        }
        Ok(())
    }

    /// `select_environment`: makes it the active one.
    pub async fn select(&self, id: &str) -> Result<Environment> {
        self.shared.store.set_active_environment(id)?;
        self.get(id).await
    }

    /// `list_providers`: from the cache unless `refresh` (or nothing cached). Mock is pinned
    /// first in sandboxes; the rest is sorted by name.
    pub async fn providers(&self, environment_id: &str, refresh: bool) -> Result<ProviderList> {
        let row = self.row(environment_id)?;
        if !refresh {
            if let Some((fetched_at, body)) = self.shared.store.cached_providers(environment_id)? {
                if let Ok(providers) = serde_json::from_str::<Vec<Provider>>(&body) {
                    return Ok(ProviderList {
                        fetched_at,
                        providers,
                    });
                }
            }
        }
        let client = self.shared.client(environment_id).await?.client;
        let query = tl::ProvidersQuery {
            enabled_for_client: true,
            ..Default::default()
        };
        let answer = client.providers(&query).await.map_err(Error::from_tl)?;
        let mut providers: Vec<Provider> = answer
            .data
            .into_iter()
            .map(|p| Provider {
                display_name: p.display_name.unwrap_or_else(|| p.provider_id.clone()),
                provider_id: p.provider_id,
                country: p.country.unwrap_or_default(),
                logo_url: p.logo_url.unwrap_or_default(),
                scopes: p.scopes,
                availability: p.availability.and_then(|a| a.recommended_status),
            })
            .collect();
        let sandbox = row.kind != EnvironmentKind::TruelayerLive;
        providers.sort_by(|a, b| {
            let mock = |p: &Provider| !(sandbox && p.provider_id == "mock");
            (mock(a), a.display_name.to_lowercase(), &a.provider_id).cmp(&(
                mock(b),
                b.display_name.to_lowercase(),
                &b.provider_id,
            ))
        });
        let fetched_at = crate::now_rfc3339();
        let body = serde_json::to_string(&providers).map_err(Error::internal)?;
        self.shared
            .store
            .cache_providers(environment_id, &fetched_at, &body)?;
        Ok(ProviderList {
            fetched_at,
            providers,
        })
    }

    /// `get_scope_catalog`: the scopes with their rules (DESIGN.md §1.3). `signupplus` is off by
    /// default (TrueLayer enables it per client in live; the UI may turn it on in sandboxes).
    pub fn scope_catalog(&self) -> Vec<ScopeInfo> {
        scope_catalog()
    }

    fn row(&self, id: &str) -> Result<EnvironmentRow> {
        self.shared.environment(id)
    }

    async fn dto(&self, row: EnvironmentRow) -> Environment {
        let has_client_secret = self
            .shared
            .secrets
            .get(&SecretKey::client_secret(&row.id))
            .await
            .is_some();
        environment_dto(row, has_client_secret)
    }
}

/// Whether an environment is TrueLayer live (by kind or by host).
pub(crate) fn is_live(row: &EnvironmentRow) -> bool {
    row.kind == EnvironmentKind::TruelayerLive
        || ["auth.truelayer.com", "api.truelayer.com"].iter().any(|h| {
            [&row.auth_url, &row.api_url].iter().any(|u| {
                url::Url::parse(u)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_owned))
                    .as_deref()
                    == Some(*h)
            })
        })
}

fn environment_dto(row: EnvironmentRow, has_client_secret: bool) -> Environment {
    let live = is_live(&row);
    Environment {
        is_sandbox: !live,
        is_live: live,
        id: row.id,
        name: row.name,
        kind: row.kind,
        auth_url: row.auth_url,
        api_url: row.api_url,
        client_id: row.client_id,
        has_client_secret,
        redirect_uris: row.redirect_uris,
        active: row.active,
    }
}

/// The scope catalog.
pub fn scope_catalog() -> Vec<ScopeInfo> {
    let s =
        |scope: &str, label: &str, description: &str, requires: &[&str], standalone, default_on| {
            ScopeInfo {
                scope: scope.to_owned(),
                label: label.to_owned(),
                description: description.to_owned(),
                requires: requires.iter().map(|r| (*r).to_owned()).collect(),
                standalone,
                default_on,
            }
        };
    vec![
        s(
            "info",
            "Identity",
            "The account holder's name and contact details (/info).",
            &[],
            false,
            true,
        ),
        s(
            "accounts",
            "Accounts",
            "Current and savings accounts with their numbers.",
            &[],
            false,
            true,
        ),
        s(
            "balance",
            "Balances",
            "Balances of accounts and cards; needs accounts or cards.",
            &["accounts", "cards"],
            false,
            true,
        ),
        s(
            "cards",
            "Cards",
            "Credit and charge cards.",
            &[],
            false,
            true,
        ),
        s(
            "transactions",
            "Transactions",
            "Settled and pending transactions; needs accounts or cards.",
            &["accounts", "cards"],
            false,
            true,
        ),
        s(
            "direct_debits",
            "Direct debits",
            "Direct debit mandates; needs accounts.",
            &["accounts"],
            false,
            true,
        ),
        s(
            "standing_orders",
            "Standing orders",
            "Standing orders; needs accounts.",
            &["accounts"],
            false,
            true,
        ),
        s(
            "offline_access",
            "Offline access",
            "A refresh token, so data can be read for 90 days without the user.",
            &[],
            false,
            true,
        ),
        s(
            "signupplus",
            "Signup+",
            "Verified identity (name, date of birth, address) from the bank.",
            &[],
            false,
            false,
        ),
        s(
            "verification",
            "Verification",
            "Account holder name verification; must be asked alone.",
            &[],
            true,
            false,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scope_catalog_states_the_rules() {
        let catalog = scope_catalog();
        let get = |s: &str| catalog.iter().find(|c| c.scope == s).unwrap();
        assert_eq!(get("balance").requires, ["accounts", "cards"]);
        assert_eq!(get("standing_orders").requires, ["accounts"]);
        assert!(get("verification").standalone);
        let defaults: Vec<_> = catalog
            .iter()
            .filter(|c| c.default_on)
            .map(|c| c.scope.as_str())
            .collect();
        assert_eq!(
            defaults,
            [
                "info",
                "accounts",
                "balance",
                "cards",
                "transactions",
                "direct_debits",
                "standing_orders",
                "offline_access"
            ]
        );
        for scope in &catalog {
            assert!(
                tl::Scope::new(scope.scope.clone()).unwrap().is_known(),
                "{}",
                scope.scope
            );
        }
    }

    #[test]
    fn live_is_recognised_by_kind_or_by_host() {
        let mut row = EnvironmentRow {
            id: "e".into(),
            name: "e".into(),
            kind: EnvironmentKind::Custom,
            auth_url: "https://auth.truelayer.com".into(),
            api_url: "http://127.0.0.1:9".into(),
            client_id: "c".into(),
            redirect_uris: vec![],
            active: false,
            created_at: String::new(),
        };
        assert!(
            is_live(&row),
            "a custom environment pointing at live is live"
        );
        row.auth_url = "http://127.0.0.1:8".into();
        assert!(!is_live(&row));
        row.kind = EnvironmentKind::TruelayerLive;
        assert!(is_live(&row));
    }
}
