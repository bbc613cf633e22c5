//! `GET /api/providers`: the provider catalogue as a bare JSON array, filtered by `clientId`,
//! `scopes` and `country` (space-delimited lists, as the spec's `style: spaceDelimited` says).
//! Logos point at the sandbox's own `/img/banks/logos/…`.

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};

use crate::data;
use crate::errors::TlError;
use crate::state::SandboxState;

/// The scope values the `scopes` filter accepts (the spec's enum).
const FILTER_SCOPES: [&str; 8] = [
    "info",
    "accounts",
    "balance",
    "transactions",
    "standing_orders",
    "direct_debits",
    "offline_access",
    "cards",
];
/// The country values the `country` filter accepts (the spec's enum).
const FILTER_COUNTRIES: [&str; 14] = [
    "at", "be", "fi", "fr", "de", "ie", "it", "lt", "nl", "pl", "pt", "es", "se", "uk",
];

/// `GET /api/providers`.
pub async fn list(State(state): State<SandboxState>, RawQuery(query): RawQuery) -> Response {
    match filtered(&state, query.as_deref().unwrap_or("")) {
        Ok(providers) => axum::Json(providers).into_response(),
        Err(error) => error.into_response(),
    }
}

fn filtered(state: &SandboxState, query: &str) -> Result<Vec<data::Provider>, TlError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut client_id = None;
    let mut scopes: Vec<String> = Vec::new();
    let mut countries: Vec<String> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (key, value) in &pairs {
        // `clientid` is what some community clients send; TrueLayer accepts it in practice.
        let canonical = match key.as_str() {
            "clientId" | "clientid" => "clientId",
            "scopes" => "scopes",
            "country" => "country",
            other => {
                return Err(TlError::invalid_request(format!(
                    "unknown query parameter '{other}': use clientId, scopes or country"
                )))
            }
        };
        if seen.contains(&canonical) {
            return Err(TlError::invalid_request(format!(
                "'{canonical}' is given more than once: list several values separated by spaces"
            )));
        }
        seen.push(canonical);
        let words = || {
            value
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
        };
        match canonical {
            "clientId" => client_id = Some(value.clone()),
            "scopes" => scopes = words().collect(),
            _ => countries = words().map(|c| c.to_ascii_lowercase()).collect(),
        }
    }
    if let Some(bad) = scopes.iter().find(|s| !FILTER_SCOPES.contains(&s.as_str())) {
        return Err(TlError::invalid_request(format!(
            "'{bad}' is not a provider scope"
        )));
    }
    if let Some(bad) = countries
        .iter()
        .find(|c| !FILTER_COUNTRIES.contains(&c.as_str()))
    {
        return Err(TlError::invalid_request(format!(
            "'{bad}' is not a country code TrueLayer lists (use 'uk', not 'gb')"
        )));
    }
    // Every provider is enabled for every registered client; an unknown client has none.
    if client_id.is_some_and(|id| state.client(&id).is_none()) {
        return Ok(Vec::new());
    }
    Ok(data::providers_with_logo_base(&state.auth_url)
        .into_iter()
        .filter(|p| scopes.iter().all(|s| p.scopes.contains(&s.as_str())))
        .filter(|p| countries.is_empty() || countries.contains(&p.country))
        .collect())
}
