//! The auth-link linter: reads a link (built here or pasted) and returns structured findings,
//! each with a severity, a stable `code` the UI can key on, and one plain sentence. It flags
//! what TrueLayer's dialog would reject or what would surprise the user later, before the
//! browser opens. Must not: change the link, or fetch anything (it judges the URL alone against
//! the environment).

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use url::Url;

use crate::auth_link::DEFAULT_PROVIDERS;
use crate::environment::Environment;
use crate::types::{RedirectUri, Scope};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The link will fail (TrueLayer rejects it, or the code can never reach the app).
    Error,
    /// The link works but probably not as intended.
    Warning,
}

/// One thing the linter noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// A stable identifier (one of the `codes::*` constants).
    pub code: &'static str,
    /// One plain sentence.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity} [{}]: {}", self.code, self.message)
    }
}

/// The stable finding codes.
pub mod codes {
    /// A parameter appears more than once.
    pub const DUPLICATE_PARAMETER: &str = "duplicate_parameter";
    /// `response_type` is not `code`.
    pub const RESPONSE_TYPE_NOT_CODE: &str = "response_type_not_code";
    /// `client_id` is missing or is not this environment's.
    pub const CLIENT_ID_MISMATCH: &str = "client_id_mismatch";
    /// `redirect_uri` is missing or not an absolute URI.
    pub const INVALID_REDIRECT_URI: &str = "invalid_redirect_uri";
    /// `redirect_uri` is not one of the environment's registered URIs.
    pub const REDIRECT_URI_NOT_REGISTERED: &str = "redirect_uri_not_registered";
    /// `response_mode=form_post` with a redirect the browser cannot POST to.
    pub const FORM_POST_NEEDS_HTTP_REDIRECT: &str = "form_post_needs_http_redirect";
    /// `response_mode` has an undocumented value.
    pub const UNKNOWN_RESPONSE_MODE: &str = "unknown_response_mode";
    /// No scope at all.
    pub const NO_SCOPES: &str = "no_scopes";
    /// A scope TrueLayer does not document.
    pub const UNKNOWN_SCOPE: &str = "unknown_scope";
    /// `balance`/`transactions` without `accounts` or `cards`.
    pub const SCOPE_NEEDS_ACCOUNTS_OR_CARDS: &str = "scope_needs_accounts_or_cards";
    /// `standing_orders`/`direct_debits` without `accounts`.
    pub const SCOPE_NEEDS_ACCOUNTS: &str = "scope_needs_accounts";
    /// `verification` together with other scopes.
    pub const VERIFICATION_NOT_ALONE: &str = "verification_not_alone";
    /// No `offline_access`: no refresh token will come.
    pub const NO_OFFLINE_ACCESS: &str = "no_offline_access";
    /// `provider_id` is not in `providers` (nor in a group that covers it).
    pub const PROVIDER_ID_NOT_IN_PROVIDERS: &str = "provider_id_not_in_providers";
    /// A `providers` entry that looks like a group TrueLayer does not document.
    pub const UNKNOWN_PROVIDER_GROUP: &str = "unknown_provider_group";
    /// No `state`.
    pub const MISSING_STATE: &str = "missing_state";
    /// No PKCE `code_challenge`.
    pub const MISSING_PKCE: &str = "missing_pkce";
    /// `code_challenge_method` other than `S256`.
    pub const PKCE_METHOD_NOT_S256: &str = "pkce_method_not_s256";
    /// `language_id` outside `en es it fr de pl pt sv nl`.
    pub const UNKNOWN_LANGUAGE: &str = "unknown_language";
    /// `country_id` is not an alpha-2 code.
    pub const INVALID_COUNTRY: &str = "invalid_country";

    /// Every code above: what a finding's `code` can be.
    pub const ALL: &[&str] = &[
        DUPLICATE_PARAMETER,
        RESPONSE_TYPE_NOT_CODE,
        CLIENT_ID_MISMATCH,
        INVALID_REDIRECT_URI,
        REDIRECT_URI_NOT_REGISTERED,
        FORM_POST_NEEDS_HTTP_REDIRECT,
        UNKNOWN_RESPONSE_MODE,
        NO_SCOPES,
        UNKNOWN_SCOPE,
        SCOPE_NEEDS_ACCOUNTS_OR_CARDS,
        SCOPE_NEEDS_ACCOUNTS,
        VERIFICATION_NOT_ALONE,
        NO_OFFLINE_ACCESS,
        PROVIDER_ID_NOT_IN_PROVIDERS,
        UNKNOWN_PROVIDER_GROUP,
        MISSING_STATE,
        MISSING_PKCE,
        PKCE_METHOD_NOT_S256,
        UNKNOWN_LANGUAGE,
        INVALID_COUNTRY,
    ];
}

/// Provider groups for the `providers` parameter: `(token, what it offers, country)`. The first
/// three are TrueLayer's UK groups (API.md §3); the per-country `<country>-<kind>-all` ones
/// follow the same pattern for the countries `/api/providers` lists (the built-in sandbox reads
/// them the same way).
pub const PROVIDER_GROUPS: &[(&str, &str, &str)] = &[
    ("uk-ob-all", "UK Open Banking banks", "uk"),
    ("uk-oauth-all", "UK OAuth (non-Open-Banking) banks", "uk"),
    ("uk-cs-mock", "Mock bank (sandbox)", "uk"),
    ("ie-ob-all", "Irish Open Banking banks", "ie"),
    ("de-xs2a-all", "German banks (XS2A)", "de"),
    ("fr-stet-all", "French banks (STET)", "fr"),
    ("es-xs2a-all", "Spanish banks (XS2A)", "es"),
    ("it-xs2a-all", "Italian banks (XS2A)", "it"),
    ("lt-xs2a-all", "Lithuanian banks (XS2A)", "lt"),
    ("pl-xs2a-all", "Polish banks (XS2A)", "pl"),
];

/// Whether `token` is one of [`PROVIDER_GROUPS`].
fn is_known_group(token: &str) -> bool {
    PROVIDER_GROUPS.iter().any(|(t, _, _)| *t == token)
}

/// The legacy `enable_*=true` flags and the group each adds to `providers` (as the dialog
/// reads them; the built-in sandbox does the same).
const LEGACY_PROVIDER_FLAGS: &[(&str, &str)] = &[
    ("enable_mock", "uk-cs-mock"),
    ("enable_open_banking_providers", "uk-ob-all"),
    ("enable_oauth_providers", "uk-oauth-all"),
];

/// Languages of the auth dialog: `(language_id, name)`.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("es", "Spanish"),
    ("it", "Italian"),
    ("fr", "French"),
    ("de", "German"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("sv", "Swedish"),
    ("nl", "Dutch"),
];

/// Lints an auth link against the environment it is meant for.
pub fn lint_auth_link(url: &Url, environment: &Environment) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut add = |severity, code, message: String| {
        findings.push(Finding {
            severity,
            code,
            message,
        })
    };
    use Severity::{Error, Warning};

    let mut params: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in url.query_pairs() {
        params
            .entry(k.into_owned())
            .or_default()
            .push(v.into_owned());
    }
    for (name, values) in &params {
        if values.len() > 1 {
            add(
                Error,
                codes::DUPLICATE_PARAMETER,
                format!(
                    "The parameter {name} appears {} times; send it once.",
                    values.len()
                ),
            );
        }
    }
    let get = |name: &str| params.get(name).and_then(|v| v.first()).map(String::as_str);
    let list = |name: &str| -> Vec<&str> {
        get(name)
            .map(|v| v.split_whitespace().collect())
            .unwrap_or_default()
    };

    // response_type and client_id.
    if get("response_type") != Some("code") {
        add(
            Error,
            codes::RESPONSE_TYPE_NOT_CODE,
            "response_type must be code, the only value TrueLayer accepts.".into(),
        );
    }
    if get("client_id") != Some(environment.client_id().as_str()) {
        add(
            Error,
            codes::CLIENT_ID_MISMATCH,
            format!(
                "client_id must be {}, this environment's client; TrueLayer answers unauthorized_client otherwise.",
                environment.client_id()
            ),
        );
    }

    // redirect_uri.
    let redirect = get("redirect_uri").map(RedirectUri::new);
    match &redirect {
        None | Some(Err(_)) => add(
            Error,
            codes::INVALID_REDIRECT_URI,
            "redirect_uri is missing or not an absolute URI, so the code cannot come back.".into(),
        ),
        Some(Ok(uri)) => {
            let registered = environment.redirect_uris();
            if !registered.is_empty() && !registered.contains(uri) {
                add(
                    Error,
                    codes::REDIRECT_URI_NOT_REGISTERED,
                    format!(
                        "The redirect_uri {uri} is not one of this client's registered redirect URIs (they must match exactly)."
                    ),
                );
            }
        }
    }
    match get("response_mode") {
        None => {}
        Some("form_post") => {
            if let Some(Ok(uri)) = &redirect {
                if !uri.is_http() {
                    add(
                        Error,
                        codes::FORM_POST_NEEDS_HTTP_REDIRECT,
                        format!(
                            "response_mode=form_post makes the browser POST the code to {uri}, which only works with an http(s) redirect such as the loopback listener."
                        ),
                    );
                }
            }
        }
        Some(other) => add(
            Error,
            codes::UNKNOWN_RESPONSE_MODE,
            format!("response_mode {other} is not documented; use form_post or leave it out."),
        ),
    }

    // Scopes.
    let scopes: Vec<&str> = list("scope");
    let has = |s: &Scope| scopes.contains(&s.as_str());
    if scopes.is_empty() {
        add(
            Error,
            codes::NO_SCOPES,
            "The link asks for no scope; choose at least one permission.".into(),
        );
    }
    for scope in &scopes {
        let known = Scope::new(*scope).map(|s| s.is_known()).unwrap_or(false);
        if !known {
            add(
                Error,
                codes::UNKNOWN_SCOPE,
                format!("The scope {scope} is not one TrueLayer documents for the Data API."),
            );
        }
    }
    for needs_either in [Scope::BALANCE, Scope::TRANSACTIONS] {
        if has(&needs_either) && !has(&Scope::ACCOUNTS) && !has(&Scope::CARDS) {
            add(
                Error,
                codes::SCOPE_NEEDS_ACCOUNTS_OR_CARDS,
                format!("The scope {needs_either} needs accounts or cards as well, or there is nothing to read it from."),
            );
        }
    }
    for needs_accounts in [Scope::STANDING_ORDERS, Scope::DIRECT_DEBITS] {
        if has(&needs_accounts) && !has(&Scope::ACCOUNTS) {
            add(
                Error,
                codes::SCOPE_NEEDS_ACCOUNTS,
                format!("The scope {needs_accounts} needs the accounts scope as well."),
            );
        }
    }
    if has(&Scope::VERIFICATION) && scopes.len() > 1 {
        add(
            Warning,
            codes::VERIFICATION_NOT_ALONE,
            "TrueLayer asks for verification to be the only scope in a link (its own client_id is needed too); ask for the other scopes in a separate link.".into(),
        );
    }
    // A verification link is one-shot: it needs no refresh token.
    if !scopes.is_empty() && !has(&Scope::OFFLINE_ACCESS) && !has(&Scope::VERIFICATION) {
        add(
            Warning,
            codes::NO_OFFLINE_ACCESS,
            "Without offline_access no refresh token will come, so the connection stops working when the access token expires within the hour.".into(),
        );
    }

    // Providers.
    let providers: Vec<&str> = list("providers");
    for provider in &providers {
        let group_like = looks_like_group(provider) || provider.ends_with("-all");
        if group_like && !is_known_group(provider) {
            add(
                Warning,
                codes::UNKNOWN_PROVIDER_GROUP,
                format!(
                    "The provider group {provider} is not one TrueLayer documents (uk-ob-all, uk-oauth-all, uk-cs-mock, or a country's such as de-xs2a-all); check its spelling."
                ),
            );
        }
    }
    if let Some(provider_id) = get("provider_id") {
        let mut offered: Vec<&str> = providers.clone();
        for (flag, group) in LEGACY_PROVIDER_FLAGS {
            if get(flag) == Some("true") && !offered.contains(group) {
                offered.push(group);
            }
        }
        if offered.is_empty() {
            offered = DEFAULT_PROVIDERS.to_vec();
        }
        if !offered.iter().any(|p| covers(p, provider_id)) {
            add(
                Error,
                codes::PROVIDER_ID_NOT_IN_PROVIDERS,
                format!(
                    "provider_id {provider_id} is not in providers ({}); TrueLayer requires the provider itself or a group containing it to be listed.",
                    offered.join(" ")
                ),
            );
        }
    }

    // State and PKCE.
    if get("state").is_none_or(str::is_empty) {
        add(
            Warning,
            codes::MISSING_STATE,
            "The link has no state, so the app cannot tell its own redirect from a forged one."
                .into(),
        );
    }
    if get("code_challenge").is_none_or(str::is_empty) {
        add(
            Warning,
            codes::MISSING_PKCE,
            "The link has no PKCE code_challenge, so an intercepted code could be exchanged by someone else.".into(),
        );
    } else if get("code_challenge_method") != Some("S256") {
        add(
            Error,
            codes::PKCE_METHOD_NOT_S256,
            "code_challenge_method must be S256, the only method TrueLayer accepts.".into(),
        );
    }

    // Language and country.
    if let Some(language) = get("language_id") {
        if !LANGUAGES.iter().any(|(id, _)| *id == language) {
            add(
                Warning,
                codes::UNKNOWN_LANGUAGE,
                format!("language_id {language} is not one of en es it fr de pl pt sv nl; the dialog will use its default."),
            );
        }
    }
    if let Some(country) = get("country_id") {
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
            add(
                Warning,
                codes::INVALID_COUNTRY,
                format!("country_id {country} is not a two-letter country code."),
            );
        }
    }
    findings
}

/// `uk-ob-all`, `uk-cs-mock`, `de-xs2a-all`: a two-letter country, a dash, then more.
fn looks_like_group(token: &str) -> bool {
    let mut parts = token.splitn(2, '-');
    let country = parts.next().unwrap_or("");
    let rest = parts.next().unwrap_or("");
    country.len() == 2 && country.chars().all(|c| c.is_ascii_lowercase()) && !rest.is_empty()
}

/// The provider kinds group tokens name (`uk-ob-all`, `de-xs2a-all`, `fr-stet-all`).
const PROVIDER_KINDS: &[&str] = &["ob", "oauth", "xs2a", "stet"];

/// Whether a `providers` entry offers `provider_id`: the id itself, `uk-cs-mock` for `mock`, or
/// a `<country>-<kind>-all` group for `<kind>-…` ids (`uk-ob-all` covers `ob-monzo`). A
/// country-less `<kind>-all` (`xs2a-all`) is read the same way: TrueLayer does not document it,
/// so it gets the unknown-group warning, but the built-in sandbox accepts it, and the linter
/// must not call an error what the dialog lets through.
fn covers(entry: &str, provider_id: &str) -> bool {
    if entry == provider_id {
        return true;
    }
    if entry == "uk-cs-mock" {
        return provider_id == "mock";
    }
    let Some(group) = entry.strip_suffix("-all") else {
        return false;
    };
    let kind = match group.split_once('-') {
        Some((country, kind)) if country.len() == 2 => kind,
        _ => group,
    };
    PROVIDER_KINDS.contains(&kind) && provider_id.starts_with(&format!("{kind}-"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth_link::AuthLinkBuilder;
    use crate::secret::ClientSecret;
    use crate::types::{ClientId, ResponseMode};

    fn env() -> Environment {
        Environment::new(
            "http://127.0.0.1:4000",
            "http://127.0.0.1:4001",
            ClientId::new("sandbox-linkscope-abc123").unwrap(),
            ClientSecret::new("secret"),
        )
        .unwrap()
        .with_redirect_uris([
            RedirectUri::new("http://127.0.0.1:5000/callback").unwrap(),
            RedirectUri::new("linkscope://callback").unwrap(),
        ])
    }

    /// A clean link: the baseline every case changes one thing in.
    fn clean() -> AuthLinkBuilder {
        AuthLinkBuilder::new(
            &env(),
            RedirectUri::new("http://127.0.0.1:5000/callback").unwrap(),
        )
        .scopes([
            Scope::INFO,
            Scope::ACCOUNTS,
            Scope::BALANCE,
            Scope::TRANSACTIONS,
            Scope::OFFLINE_ACCESS,
        ])
        .providers(["uk-cs-mock", "uk-ob-all", "uk-oauth-all"])
    }

    /// A clean link except for its scopes.
    fn scopes(list: &str) -> AuthLinkBuilder {
        AuthLinkBuilder::new(
            &env(),
            RedirectUri::new("http://127.0.0.1:5000/callback").unwrap(),
        )
        .providers(["uk-cs-mock"])
        .scopes(Scope::parse_list(list).unwrap())
    }

    /// Replaces (or removes, with `None`) one query parameter of a built link.
    fn with_param(url: &Url, name: &str, value: Option<&str>) -> Url {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != name)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .chain(value.map(|v| (name.to_owned(), v.to_owned())))
            .collect();
        let mut out = url.clone();
        out.query_pairs_mut().clear().extend_pairs(pairs);
        out
    }

    #[test]
    fn each_finding_is_reported_for_exactly_the_link_that_has_it() {
        let base = clean().build().url().clone();
        let cases: Vec<(&str, Url, &str)> = vec![
            ("a clean link", base.clone(), ""),
            (
                "a provider_id covered by a group (uk-ob-all covers ob-monzo)",
                clean().provider_id("ob-monzo").build().url().clone(),
                "",
            ),
            (
                "the mock provider_id covered by uk-cs-mock",
                clean().provider_id("mock").build().url().clone(),
                "",
            ),
            (
                "provider_id missing from an explicit list",
                AuthLinkBuilder::new(
                    &env(),
                    RedirectUri::new("http://127.0.0.1:5000/callback").unwrap(),
                )
                .scopes([Scope::INFO, Scope::OFFLINE_ACCESS])
                .providers(["uk-oauth-all"])
                .provider_id("ob-monzo")
                .build()
                .url()
                .clone(),
                codes::PROVIDER_ID_NOT_IN_PROVIDERS,
            ),
            (
                "form_post to a deep link",
                AuthLinkBuilder::new(&env(), RedirectUri::new("linkscope://callback").unwrap())
                    .scopes([Scope::INFO, Scope::OFFLINE_ACCESS])
                    .providers(["uk-cs-mock"])
                    .response_mode(ResponseMode::FormPost)
                    .build()
                    .url()
                    .clone(),
                codes::FORM_POST_NEEDS_HTTP_REDIRECT,
            ),
            (
                "balance without accounts or cards",
                scopes("info balance offline_access").build().url().clone(),
                codes::SCOPE_NEEDS_ACCOUNTS_OR_CARDS,
            ),
            (
                "transactions without accounts or cards",
                scopes("transactions offline_access").build().url().clone(),
                codes::SCOPE_NEEDS_ACCOUNTS_OR_CARDS,
            ),
            (
                "standing_orders without accounts",
                scopes("cards standing_orders offline_access")
                    .build()
                    .url()
                    .clone(),
                codes::SCOPE_NEEDS_ACCOUNTS,
            ),
            (
                "direct_debits without accounts",
                scopes("cards direct_debits offline_access")
                    .build()
                    .url()
                    .clone(),
                codes::SCOPE_NEEDS_ACCOUNTS,
            ),
            (
                "verification mixed with other scopes",
                scopes("verification info").build().url().clone(),
                codes::VERIFICATION_NOT_ALONE,
            ),
            (
                "no offline_access",
                scopes("info accounts").build().url().clone(),
                codes::NO_OFFLINE_ACCESS,
            ),
            (
                "an unknown scope",
                scopes("info accounts offline_access products")
                    .build()
                    .url()
                    .clone(),
                codes::UNKNOWN_SCOPE,
            ),
            (
                "no scope",
                with_param(&base, "scope", Some("")),
                codes::NO_SCOPES,
            ),
            (
                "an unknown provider group",
                with_param(&base, "providers", Some("uk-cs-mock uk-xs2a-all")),
                codes::UNKNOWN_PROVIDER_GROUP,
            ),
            (
                "an unregistered redirect_uri",
                AuthLinkBuilder::new(
                    &env(),
                    RedirectUri::new("http://127.0.0.1:5001/callback").unwrap(),
                )
                .scopes([Scope::INFO, Scope::OFFLINE_ACCESS])
                .providers(["uk-cs-mock"])
                .build()
                .url()
                .clone(),
                codes::REDIRECT_URI_NOT_REGISTERED,
            ),
            (
                "a missing redirect_uri",
                with_param(&base, "redirect_uri", None),
                codes::INVALID_REDIRECT_URI,
            ),
            (
                "another client's id",
                with_param(&base, "client_id", Some("sandbox-other-000000")),
                codes::CLIENT_ID_MISMATCH,
            ),
            (
                "response_type token",
                with_param(&base, "response_type", Some("token")),
                codes::RESPONSE_TYPE_NOT_CODE,
            ),
            (
                "an undocumented response_mode",
                with_param(&base, "response_mode", Some("fragment")),
                codes::UNKNOWN_RESPONSE_MODE,
            ),
            (
                "no state",
                with_param(&base, "state", None),
                codes::MISSING_STATE,
            ),
            (
                "no PKCE",
                with_param(
                    &with_param(&base, "code_challenge", None),
                    "code_challenge_method",
                    None,
                ),
                codes::MISSING_PKCE,
            ),
            (
                "plain PKCE",
                with_param(&base, "code_challenge_method", Some("plain")),
                codes::PKCE_METHOD_NOT_S256,
            ),
            (
                "an unknown language",
                with_param(&base, "language_id", Some("xx")),
                codes::UNKNOWN_LANGUAGE,
            ),
            (
                "a three-letter country",
                with_param(&base, "country_id", Some("GBR")),
                codes::INVALID_COUNTRY,
            ),
            (
                "a repeated parameter",
                {
                    let mut u = base.clone();
                    u.query_pairs_mut().append_pair("scope", "info");
                    u
                },
                codes::DUPLICATE_PARAMETER,
            ),
        ];
        for (name, url, expected) in cases {
            let findings = lint_auth_link(&url, &env());
            let got: Vec<&str> = findings.iter().map(|f| f.code).collect();
            let expected: Vec<&str> = if expected.is_empty() {
                vec![]
            } else {
                vec![expected]
            };
            assert_eq!(got, expected, "{name}: {findings:#?}");
            for f in &findings {
                assert!(
                    f.message.ends_with('.'),
                    "{name}: one sentence: {}",
                    f.message
                );
            }
        }
    }

    #[test]
    fn every_finding_code_is_covered_by_the_table() {
        let all = codes::ALL;
        let source = include_str!("lint.rs");
        let module = &source
            [source.find("pub mod codes {").unwrap()..source.find("/// Every code above").unwrap()];
        assert_eq!(
            module.matches("pub const ").count(),
            all.len(),
            "every code constant is in codes::ALL"
        );
        let table = &source[source.find("fn each_finding_is_reported").unwrap()
            ..source.find("fn every_finding_code_is_covered").unwrap()];
        for code in all {
            let constant = format!("codes::{}", code.to_ascii_uppercase());
            assert!(
                table.contains(&constant),
                "{code} has no case in the table test"
            );
        }
    }

    #[test]
    fn severities_match_the_issue() {
        let findings: Vec<Finding> = ["info balance", "verification info"]
            .iter()
            .flat_map(|list| lint_auth_link(scopes(list).build().url(), &env()))
            .collect();
        let severity = |code| findings.iter().find(|f| f.code == code).unwrap().severity;
        assert_eq!(
            severity(codes::SCOPE_NEEDS_ACCOUNTS_OR_CARDS),
            Severity::Error
        );
        assert_eq!(severity(codes::VERIFICATION_NOT_ALONE), Severity::Warning);
        assert_eq!(severity(codes::NO_OFFLINE_ACCESS), Severity::Warning);
    }

    #[test]
    fn a_per_country_group_is_known_and_covers_that_countrys_providers() {
        let german = || scopes("info accounts offline_access").providers(["de-xs2a-all"]);
        let link = german().provider_id("xs2a-n26").build();
        let found: Vec<&str> = lint_auth_link(link.url(), &env())
            .iter()
            .map(|f| f.code)
            .collect();
        assert!(
            found.is_empty(),
            "de-xs2a-all is a documented-pattern group: {found:?}"
        );
        let outside = german().provider_id("ob-monzo").build();
        let found: Vec<&str> = lint_auth_link(outside.url(), &env())
            .iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(
            found,
            [codes::PROVIDER_ID_NOT_IN_PROVIDERS],
            "a UK bank is not in a German group"
        );
    }

    #[test]
    fn groups_cover_the_providers_they_name() {
        assert!(covers("uk-ob-all", "ob-monzo"));
        assert!(covers("uk-oauth-all", "oauth-monzo"));
        assert!(covers("uk-cs-mock", "mock"));
        assert!(covers("ob-monzo", "ob-monzo"));
        assert!(!covers("uk-ob-all", "mock"));
        assert!(!covers("uk-oauth-all", "ob-monzo"));
    }

    #[test]
    fn an_environment_without_registered_redirects_does_not_flag_them() {
        let bare = Environment::new(
            "http://127.0.0.1:4000",
            "http://127.0.0.1:4001",
            ClientId::new("sandbox-linkscope-abc123").unwrap(),
            ClientSecret::new("s"),
        )
        .unwrap();
        let url = AuthLinkBuilder::new(&bare, RedirectUri::new("http://127.0.0.1:9/cb").unwrap())
            .scopes([Scope::INFO, Scope::OFFLINE_ACCESS])
            .build()
            .url()
            .clone();
        assert!(lint_auth_link(&url, &bare).is_empty());
    }

    #[test]
    fn a_country_less_group_covers_its_providers_but_is_flagged_as_undocumented() {
        let link = clean()
            .providers(["xs2a-all"])
            .provider_id("xs2a-n26")
            .build();
        let found: Vec<&str> = lint_auth_link(link.url(), &env())
            .iter()
            .map(|f| f.code)
            .collect();
        assert!(
            !found.contains(&codes::PROVIDER_ID_NOT_IN_PROVIDERS),
            "the sandbox's dialog accepts xs2a-all for xs2a-n26, so it is no error: {found:?}"
        );
        assert!(found.contains(&codes::UNKNOWN_PROVIDER_GROUP), "{found:?}");
    }

    #[test]
    fn the_legacy_enable_flags_offer_their_group_to_provider_id() {
        let base = with_param(clean().provider_id("mock").build().url(), "providers", None);
        let codes_of = |url: &Url| -> Vec<&'static str> {
            lint_auth_link(url, &env()).iter().map(|f| f.code).collect()
        };
        assert!(
            codes_of(&base).contains(&codes::PROVIDER_ID_NOT_IN_PROVIDERS),
            "the default providers do not offer mock"
        );
        let flagged = with_param(&base, "enable_mock", Some("true"));
        assert!(
            !codes_of(&flagged).contains(&codes::PROVIDER_ID_NOT_IN_PROVIDERS),
            "enable_mock=true offers uk-cs-mock, so mock is covered: {:?}",
            codes_of(&flagged)
        );
    }
}
