//! Environments: where links are made (the built-in sandbox, TrueLayer sandbox and live presets,
//! custom URLs), their providers (cached with their fetch time), and the scope catalog.
//!
//! Client secrets go to the secret store and are only ever reported as present or absent. The
//! built-in environment is managed by Core (its URLs follow the in-process sandbox) and cannot be
//! edited.

use std::sync::Arc;

use linkscope_truelayer as tl;

use crate::connections::ConnectionService;
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
    /// To sign out an environment's connections when its server changes.
    connections: ConnectionService,
}

impl EnvironmentService {
    pub(crate) fn new(shared: Arc<Shared>, connections: ConnectionService) -> Self {
        Self {
            shared,
            connections,
        }
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
    /// TrueLayer's URLs whatever was sent; `http://` is accepted only for this computer. A
    /// `clientSecret` (and a `sandboxControlToken`) goes to the secret store; `null` keeps the
    /// stored one, `""` deletes it.
    ///
    /// A change of kind or of the auth or API server (scheme, host, port) would send the stored
    /// client secret and every connection's refresh token to the new server. Without
    /// `confirmSecretsReset` it is refused with `confirmation_required` (its message says what
    /// saving does); with it the stored secrets are deleted and the environment's connections are
    /// marked `reauth_required` before the new URLs are saved.
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
        for (label, url) in [("auth server", &auth_url), ("Data API", &api_url)] {
            ensure_https_unless_loopback(label, url)?;
        }
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
        let moved = existing
            .as_ref()
            .is_some_and(|e| moves_secrets(e, input.kind, &auth_url, &api_url));
        if moved {
            let connections = self
                .shared
                .store
                .list_connections()?
                .into_iter()
                .filter(|c| c.environment_id == id)
                .count();
            if !input.confirm_secrets_reset {
                return Err(Error::ConfirmationRequired(reset_warning(
                    name,
                    connections,
                )));
            }
            // Nothing stored for the old server may reach the new one.
            self.connections.sign_out_environment(&id).await?;
            for key in [
                SecretKey::client_secret(&id),
                SecretKey::sandbox_control_token(&id),
            ] {
                self.shared.secrets.delete(&key).await?;
            }
        }
        let row = EnvironmentRow {
            id: id.clone(),
            name: name.to_owned(),
            kind: input.kind,
            auth_url,
            api_url,
            client_id: client_id.as_str().to_owned(),
            redirect_uris,
            marked_live: input.marked_live,
            // TrueLayer's hosts follow from the kind; a custom environment has none here.
            tracking_url: None,
            active: existing.as_ref().is_some_and(|e| e.active),
            created_at: existing
                .map(|e| e.created_at)
                .unwrap_or_else(crate::now_rfc3339),
        };
        self.shared.store.upsert_environment(&row)?;
        for (key, value) in [
            (SecretKey::client_secret(&id), input.client_secret),
            (
                SecretKey::sandbox_control_token(&id),
                input.sandbox_control_token,
            ),
        ] {
            let Some(value) = value else { continue };
            let value = value.secret().trim();
            if value.is_empty() {
                self.shared.secrets.delete(&key).await?;
            } else {
                self.shared
                    .secrets
                    .set(&key, &SecretValue::new(value))
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
        // The secrets first: a keychain that fails leaves the environment listed (and says so),
        // never a row gone with its secrets still stored.
        for key in [
            SecretKey::client_secret(&row.id),
            SecretKey::sandbox_control_token(&row.id),
        ] {
            self.shared.secrets.delete(&key).await?;
        }
        self.shared.store.delete_environment(&row.id)?;
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
                logo_url: displayable_logo(&row, p.logo_url.unwrap_or_default()),
                scopes: p.scopes,
                availability: p.availability.and_then(|a| a.recommended_status),
            })
            .collect();
        let sandbox = !is_live(&row);
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
        // A keychain that does not answer is reported as no secret here; using the environment
        // then says the keychain is unavailable.
        let mut stored = [false; 2];
        for (found, key) in stored.iter_mut().zip([
            SecretKey::client_secret(&row.id),
            SecretKey::sandbox_control_token(&row.id),
        ]) {
            *found = matches!(self.shared.secrets.get(&key).await, Ok(Some(_)));
        }
        let [has_client_secret, has_sandbox_control_token] = stored;
        let live = is_live(&row);
        Environment {
            is_sandbox: !live,
            is_live: live,
            marked_live: row.marked_live,
            live_unlocked: live && self.shared.is_live_unlocked(&row.id),
            has_sandbox_control_token,
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
}

/// Whether an environment is live: TrueLayer live by kind or by host, or marked live by the
/// user. The live chrome and the extend/revoke interlock both follow it.
pub(crate) fn is_live(row: &EnvironmentRow) -> bool {
    row.kind == EnvironmentKind::TruelayerLive
        || row.marked_live
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

/// A provider logo the webview may load. The built-in sandbox serves its logos from a port that
/// changes at every start, and the webview's CSP (`img-src`) allows no local port, so its logos
/// are inlined as `data:` SVGs (the same the sandbox serves); any other URL is kept as it is.
pub(crate) fn displayable_logo(env: &EnvironmentRow, url: String) -> String {
    use base64::Engine as _;
    if env.kind != EnvironmentKind::Builtin {
        return url;
    }
    let prefix = format!("{}/img/banks/logos/", env.auth_url.trim_end_matches('/'));
    let svg = url
        .strip_prefix(&prefix)
        .and_then(|file| file.strip_suffix(".svg"))
        .and_then(linkscope_sandbox::data::logo_svg);
    match svg {
        Some(svg) => format!(
            "data:image/svg+xml;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(svg)
        ),
        None => url,
    }
}

/// Whether saving `kind` and these URLs over `prev` points its secrets at another server: another
/// kind, or another origin (scheme, host, port) of its auth or API URL.
fn moves_secrets(
    prev: &EnvironmentRow,
    kind: EnvironmentKind,
    auth_url: &str,
    api_url: &str,
) -> bool {
    let origin = |u: &str| url::Url::parse(u).map(|u| u.origin()).ok();
    prev.kind != kind
        || origin(&prev.auth_url) != origin(auth_url)
        || origin(&prev.api_url) != origin(api_url)
}

/// What saving a change of server does, as the confirmation says it.
fn reset_warning(name: &str, connections: usize) -> String {
    let signed_out = match connections {
        0 => String::new(),
        1 => " and signs out its connection: it is marked as needing re-consent and its tokens \
              are deleted from the keychain"
            .to_owned(),
        n => format!(
            " and signs out its {n} connections: they are marked as needing re-consent and their \
             tokens are deleted from the keychain"
        ),
    };
    format!(
        "Changing the kind or the server of \"{name}\" clears its client secret{signed_out}, so \
         nothing stored for the old server is sent to the new one. Confirm to save the change."
    )
}

/// Refuses `http://` except for this computer (127.0.0.1, ::1, localhost): the client secret
/// and tokens travel in these requests.
fn ensure_https_unless_loopback(label: &str, url: &str) -> Result<()> {
    let Ok(parsed) = url::Url::parse(url) else {
        return Ok(());
    };
    let loopback = match parsed.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip == std::net::Ipv4Addr::LOCALHOST,
        Some(url::Host::Ipv6(ip)) => ip == std::net::Ipv6Addr::LOCALHOST,
        None => false,
    };
    if parsed.scheme() == "http" && !loopback {
        return Err(Error::Validation(format!(
            "The {label} URL {url} uses http://, which would send the client secret and tokens \
             unencrypted. Use https://, or http:// only for a sandbox on this computer \
             (127.0.0.1, ::1 or localhost)."
        )));
    }
    Ok(())
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
    fn the_built_in_sandbox_logos_are_inlined_and_others_are_kept() {
        let mut row = EnvironmentRow {
            id: BUILTIN_ENVIRONMENT_ID.into(),
            name: "Built-in sandbox".into(),
            kind: EnvironmentKind::Builtin,
            auth_url: "http://127.0.0.1:40123".into(),
            api_url: "http://127.0.0.1:40124".into(),
            client_id: "c".into(),
            redirect_uris: vec![],
            marked_live: false,
            tracking_url: None,
            active: true,
            created_at: String::new(),
        };
        let own = "http://127.0.0.1:40123/img/banks/logos/mock.svg".to_owned();
        let inlined = displayable_logo(&row, own.clone());
        assert!(
            inlined.starts_with("data:image/svg+xml;base64,"),
            "{inlined}"
        );
        for kept in [
            "https://truelayer-provider-assets.s3.amazonaws.com/global/logos/mock.svg",
            "http://127.0.0.1:40123/img/banks/logos/not-a-provider.svg",
            "http://127.0.0.1:9/img/banks/logos/mock.svg",
        ] {
            assert_eq!(displayable_logo(&row, kept.to_owned()), kept);
        }
        row.kind = EnvironmentKind::Custom;
        assert_eq!(displayable_logo(&row, own.clone()), own);
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
            marked_live: false,
            tracking_url: None,
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
