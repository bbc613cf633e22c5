//! The auth link (`GET {auth}/?response_type=code&…`): parsing and validating every parameter
//! exactly once, for the HTML dialog and the headless `/__sandbox/authorize` alike
//! (API.md §3, §10). Produces a validated [`AuthLink`] or a [`LinkError`] to show.

use serde_json::json;

use crate::data::{self, Provider};
use crate::errors::TlError;
use crate::scopes::{Scope, ScopeSet};
use crate::state::SandboxState;
use crate::tokens;

/// TrueLayer's default `providers` when a link has none (API.md §0).
pub const DEFAULT_PROVIDERS: [&str; 2] = ["uk-oauth-all", "uk-ob-all"];
/// Languages of the dialog (API.md §0).
pub const LANGUAGES: [&str; 9] = ["en", "es", "it", "fr", "de", "pl", "pt", "sv", "nl"];
/// The longest `state` accepted (TrueLayer publishes no limit; this is the sandbox's choice).
pub const MAX_STATE_LEN: usize = 1024;

/// Every parameter the dialog understands; anything else is refused (catches typos such as
/// `redirect_url`).
const KNOWN_PARAMETERS: [&str; 21] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "providers",
    "provider_id",
    "disable_providers",
    "state",
    "response_mode",
    "code_challenge",
    "code_challenge_method",
    "nonce",
    "tracking_id",
    "language_id",
    "country_id",
    "user_email",
    "enable_mock",
    "enable_oauth_providers",
    "enable_open_banking_providers",
    "enable_credentials_sharing_providers",
    "enable_credentials_sharing_providers_de",
];

/// Why a link is refused. `error` is `invalid_request` or `unauthorized_client` (TrueLayer:
/// "incorrect auth link, client_id or redirect_uri" → `unauthorized_client`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkError {
    /// TrueLayer error code.
    pub error: &'static str,
    /// What is wrong, for a human.
    pub description: String,
    /// The parameter at fault, when there is one.
    pub parameter: Option<String>,
}

impl LinkError {
    fn invalid(parameter: &str, description: impl Into<String>) -> Self {
        Self {
            error: "invalid_request",
            description: description.into(),
            parameter: Some(parameter.to_owned()),
        }
    }

    fn client(parameter: &str, description: impl Into<String>) -> Self {
        Self {
            error: "unauthorized_client",
            description: description.into(),
            parameter: Some(parameter.to_owned()),
        }
    }

    /// The JSON error `/__sandbox/authorize` answers with (always 400, as the issue asks).
    pub fn to_control_error(&self) -> TlError {
        let mut error = TlError::new(
            axum::http::StatusCode::BAD_REQUEST,
            self.error,
            self.description.clone(),
        );
        if let Some(parameter) = &self.parameter {
            error = error.detail("parameter", json!(parameter));
        }
        error
    }
}

/// A validated auth link.
#[derive(Debug, Clone)]
pub struct AuthLink {
    /// The registered client.
    pub client_id: String,
    /// A redirect URI registered for that client (exact match).
    pub redirect_uri: String,
    /// Requested scopes (combination rules checked).
    pub scopes: ScopeSet,
    /// The `providers` tokens (after legacy `enable_*` flags and defaults).
    pub providers: Vec<String>,
    /// The `disable_providers` tokens.
    pub disabled_providers: Vec<String>,
    /// `provider_id`: skip provider selection.
    pub provider_id: Option<String>,
    /// `state`, echoed on the redirect.
    pub state: Option<String>,
    /// `response_mode=form_post`.
    pub form_post: bool,
    /// The S256 `code_challenge`.
    pub code_challenge: Option<String>,
    /// `country_id` (lower case, `gb` read as `uk`).
    pub country_id: Option<String>,
    /// `language_id`.
    pub language_id: Option<String>,
    /// `user_email`.
    pub user_email: Option<String>,
    /// `tracking_id`.
    pub tracking_id: Option<String>,
}

impl AuthLink {
    /// Parses the raw query string of a link.
    pub fn parse_query(query: &str, state: &SandboxState) -> Result<Self, LinkError> {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Self::parse(&pairs, state)
    }

    /// Validates every parameter of a link.
    pub fn parse(pairs: &[(String, String)], state: &SandboxState) -> Result<Self, LinkError> {
        if pairs.is_empty() {
            return Err(LinkError {
                error: "invalid_request",
                description: "This is the auth dialog: open it with an auth link \
                              (?response_type=code&client_id=…&redirect_uri=…&scope=…)."
                    .to_owned(),
                parameter: None,
            });
        }
        for (i, (key, _)) in pairs.iter().enumerate() {
            if !KNOWN_PARAMETERS.contains(&key.as_str()) {
                return Err(LinkError::invalid(
                    key,
                    format!("Unknown parameter '{key}' in the auth link."),
                ));
            }
            if pairs[..i].iter().any(|(k, _)| k == key) {
                return Err(LinkError::invalid(
                    key,
                    format!("The parameter '{key}' appears more than once."),
                ));
            }
        }
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };

        // Client and redirect URI first: nothing may be sent anywhere before both check out.
        let client_id = get("client_id")
            .filter(|v| !v.is_empty())
            .ok_or_else(|| LinkError::invalid("client_id", "client_id is missing."))?;
        let client = state.client(client_id).ok_or_else(|| {
            LinkError::client(
                "client_id",
                format!("The client_id '{client_id}' is not registered with this sandbox."),
            )
        })?;
        let redirect_uri = get("redirect_uri")
            .filter(|v| !v.is_empty())
            .ok_or_else(|| LinkError::invalid("redirect_uri", "redirect_uri is missing."))?;
        if !client.redirect_uris.iter().any(|r| r == redirect_uri) {
            return Err(LinkError::client(
                "redirect_uri",
                format!(
                    "The redirect_uri '{redirect_uri}' is not allow-listed for client \
                     '{client_id}'. Allowed (exact match): {}.",
                    client.redirect_uris.join(", ")
                ),
            ));
        }

        match get("response_type") {
            Some("code") => {}
            None => {
                return Err(LinkError::invalid(
                    "response_type",
                    "response_type is missing: it must be 'code'.",
                ))
            }
            Some(other) => {
                return Err(LinkError::invalid(
                    "response_type",
                    format!("response_type '{other}' is not supported: it must be 'code'."),
                ))
            }
        }

        let scope = get("scope").ok_or_else(|| LinkError::invalid("scope", "scope is missing."))?;
        let scopes = ScopeSet::parse_link_scope(scope)
            .map_err(|e| LinkError::invalid("scope", format!("Invalid scope: {e}.")))?;

        let form_post = match get("response_mode") {
            None => false,
            Some("form_post") => true,
            Some(other) => {
                return Err(LinkError::invalid(
                    "response_mode",
                    format!(
                        "response_mode '{other}' is not supported: omit it or use 'form_post'."
                    ),
                ))
            }
        };
        if form_post
            && !(redirect_uri.starts_with("http://") || redirect_uri.starts_with("https://"))
        {
            return Err(LinkError::invalid(
                "response_mode",
                format!("response_mode=form_post needs an http(s) redirect_uri; a browser cannot POST a form to '{redirect_uri}'."),
            ));
        }

        let code_challenge = match (get("code_challenge"), get("code_challenge_method")) {
            (None, None) => None,
            (None, Some(_)) => {
                return Err(LinkError::invalid(
                    "code_challenge",
                    "code_challenge_method was given without a code_challenge.",
                ))
            }
            (Some(_), None) => {
                return Err(LinkError::invalid(
                    "code_challenge_method",
                    "code_challenge_method must be 'S256' when code_challenge is given.",
                ))
            }
            (Some(challenge), Some(method)) => {
                if method != "S256" {
                    return Err(LinkError::invalid(
                        "code_challenge_method",
                        format!(
                            "code_challenge_method '{method}' is not supported: it must be 'S256'."
                        ),
                    ));
                }
                if !tokens::is_s256_challenge(challenge) {
                    return Err(LinkError::invalid(
                        "code_challenge",
                        "code_challenge must be the base64url (no padding) SHA-256 of the code_verifier: 43 characters of A-Z a-z 0-9 - _.",
                    ));
                }
                Some(challenge.to_owned())
            }
        };

        let state_value = match get("state") {
            None => None,
            Some("") => {
                return Err(LinkError::invalid(
                    "state",
                    "state is empty: omit it or give a value.",
                ))
            }
            Some(s) if s.chars().count() > MAX_STATE_LEN => {
                return Err(LinkError::invalid(
                    "state",
                    format!("state is longer than {MAX_STATE_LEN} characters."),
                ))
            }
            Some(s) => Some(s.to_owned()),
        };

        let mut providers: Vec<String> = match get("providers") {
            Some(value) => {
                let tokens = split_tokens(value);
                if tokens.is_empty() {
                    return Err(LinkError::invalid("providers", "providers is empty."));
                }
                tokens
            }
            None => Vec::new(),
        };
        for (flag, token) in [
            ("enable_mock", "uk-cs-mock"),
            ("enable_open_banking_providers", "uk-ob-all"),
            ("enable_oauth_providers", "uk-oauth-all"),
            ("enable_credentials_sharing_providers", ""),
            ("enable_credentials_sharing_providers_de", ""),
        ] {
            match get(flag) {
                None | Some("false") => {}
                Some("true") => {
                    if !token.is_empty() && !providers.iter().any(|p| p == token) {
                        providers.push(token.to_owned());
                    }
                }
                Some(other) => {
                    return Err(LinkError::invalid(
                        flag,
                        format!("{flag} must be 'true' or 'false', not '{other}'."),
                    ))
                }
            }
        }
        if providers.is_empty() {
            providers = DEFAULT_PROVIDERS.iter().map(|s| (*s).to_owned()).collect();
        }
        if let Some(unknown) = providers.iter().find(|t| !data::is_known_provider_token(t)) {
            return Err(LinkError::invalid(
                "providers",
                format!("'{unknown}' in providers is neither a provider id nor a provider group (e.g. uk-cs-mock, uk-ob-all)."),
            ));
        }
        let disabled_providers = get("disable_providers")
            .map(split_tokens)
            .unwrap_or_default();
        if let Some(unknown) = disabled_providers
            .iter()
            .find(|t| !data::is_known_provider_token(t))
        {
            return Err(LinkError::invalid(
                "disable_providers",
                format!("'{unknown}' in disable_providers is neither a provider id nor a provider group."),
            ));
        }

        let language_id = match get("language_id") {
            None => None,
            Some(l) if LANGUAGES.contains(&l) => Some(l.to_owned()),
            Some(other) => {
                return Err(LinkError::invalid(
                    "language_id",
                    format!(
                        "language_id '{other}' is not one of {}.",
                        LANGUAGES.join(" ")
                    ),
                ))
            }
        };
        let country_id = match get("country_id") {
            None => None,
            Some(c) => {
                let lower = c.to_ascii_lowercase();
                let lower = if lower == "gb" {
                    "uk".to_owned()
                } else {
                    lower
                };
                let known = data::providers().iter().any(|p| p.country == lower);
                if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) || !known {
                    return Err(LinkError::invalid(
                        "country_id",
                        format!("country_id '{c}' is not the alpha-2 code of a country this sandbox has providers in."),
                    ));
                }
                Some(lower)
            }
        };
        let user_email = match get("user_email") {
            None => None,
            Some(e) if is_plausible_email(e) => Some(e.to_owned()),
            Some(other) => {
                return Err(LinkError::invalid(
                    "user_email",
                    format!("user_email '{other}' is not an email address."),
                ))
            }
        };
        for key in ["nonce", "tracking_id"] {
            if get(key) == Some("") {
                return Err(LinkError::invalid(
                    key,
                    format!("{key} is empty: omit it or give a value."),
                ));
            }
        }

        let mut link = AuthLink {
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            scopes,
            providers,
            disabled_providers,
            provider_id: None,
            state: state_value,
            form_post,
            code_challenge,
            country_id,
            language_id,
            user_email,
            tracking_id: get("tracking_id").map(str::to_owned),
        };

        if let Some(provider_id) = get("provider_id") {
            let provider = data::provider(provider_id).ok_or_else(|| {
                LinkError::invalid(
                    "provider_id",
                    format!("provider_id '{provider_id}' is not a known provider."),
                )
            })?;
            if !link.selects(&provider.provider_id) {
                return Err(LinkError::invalid(
                    "provider_id",
                    format!("provider_id '{provider_id}' must also be included in providers (e.g. its group such as uk-ob-all or uk-cs-mock, or the id itself)."),
                ));
            }
            if let Some(missing) = link.unsupported_scope(&provider) {
                return Err(LinkError::invalid(
                    "provider_id",
                    format!(
                        "{} does not support the scope '{missing}'.",
                        provider.display_name
                    ),
                ));
            }
            link.provider_id = Some(provider.provider_id);
        } else if link.eligible_providers().is_empty() {
            return Err(LinkError::invalid(
                "providers",
                "No provider selected by providers supports every requested scope.",
            ));
        }
        Ok(link)
    }

    /// Whether `providers` (minus `disable_providers`) selects this provider.
    pub fn selects(&self, provider_id: &str) -> bool {
        self.providers
            .iter()
            .any(|t| data::provider_matches_token(provider_id, t))
            && !self
                .disabled_providers
                .iter()
                .any(|t| data::provider_matches_token(provider_id, t))
    }

    /// The first requested data scope the provider does not support.
    pub fn unsupported_scope(&self, provider: &Provider) -> Option<Scope> {
        self.scopes.iter().find(|scope| {
            data::ALL_DATA_SCOPES.contains(&scope.as_str())
                && !provider.scopes.contains(&scope.as_str())
        })
    }

    /// Providers the user may pick: selected by the link, supporting every data scope, and in
    /// `country_id` when given. Mock first, then the catalogue's order.
    pub fn eligible_providers(&self) -> Vec<Provider> {
        data::providers()
            .into_iter()
            .filter(|p| self.selects(&p.provider_id))
            .filter(|p| self.unsupported_scope(p).is_none())
            .filter(|p| self.country_id.as_ref().is_none_or(|c| *c == p.country))
            .collect()
    }
}

fn split_tokens(value: &str) -> Vec<String> {
    value
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

fn is_plausible_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}
