//! Auth links: [`AuthLinkBuilder`] covers every documented parameter of TrueLayer's auth dialog
//! (`GET {auth}/?…`) and always adds a fresh random `state` and a PKCE S256 pair (generated with
//! the `oauth2` crate); [`AuthLink`] is the URL plus the [`PendingAuthorization`] the app must
//! keep until the redirect comes back.
//!
//! The builder accepts anything syntactically valid: judging a link (provider_id not in
//! providers, scope dependencies, …) is the linter's job (`lint.rs`), so the UI can show every
//! finding at once. TrueLayer: "each auth link should be used a single time", so a link is built
//! once and never rebuilt with the same state.

use std::fmt;

use url::Url;

use crate::environment::Environment;
use crate::lint::{self, Finding};
use crate::secret::{CsrfState, PkceChallenge, PkceVerifier};
use crate::types::{ClientId, RedirectUri, ResponseMode, Scope};

/// The provider groups TrueLayer's auth dialog uses when `providers` is not sent.
pub const DEFAULT_PROVIDERS: &[&str] = &["uk-oauth-all", "uk-ob-all"];

/// Builds one auth link.
#[derive(Debug, Clone)]
#[must_use]
pub struct AuthLinkBuilder {
    auth_url: Url,
    client_id: ClientId,
    redirect_uri: RedirectUri,
    scopes: Vec<Scope>,
    providers: Vec<String>,
    provider_id: Option<String>,
    response_mode: ResponseMode,
    disable_providers: Vec<String>,
    user_email: Option<String>,
    language_id: Option<String>,
    country_id: Option<String>,
    tracking_id: Option<String>,
}

impl AuthLinkBuilder {
    /// A link to `environment`'s auth dialog that will come back to `redirect_uri`.
    pub fn new(environment: &Environment, redirect_uri: RedirectUri) -> Self {
        Self {
            auth_url: environment.auth_url().clone(),
            client_id: environment.client_id().clone(),
            redirect_uri,
            scopes: Vec::new(),
            providers: Vec::new(),
            provider_id: None,
            response_mode: ResponseMode::Query,
            disable_providers: Vec::new(),
            user_email: None,
            language_id: None,
            country_id: None,
            tracking_id: None,
        }
    }

    /// `scope`: the permissions asked for (duplicates are dropped, order kept).
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = Scope>) -> Self {
        for scope in scopes {
            if !self.scopes.contains(&scope) {
                self.scopes.push(scope);
            }
        }
        self
    }

    /// `providers`: provider groups and ids offered (e.g. `uk-cs-mock uk-ob-all uk-oauth-all`).
    /// Unset, TrueLayer offers [`DEFAULT_PROVIDERS`].
    pub fn providers<S: Into<String>>(mut self, providers: impl IntoIterator<Item = S>) -> Self {
        self.providers.extend(providers.into_iter().map(Into::into));
        self
    }

    /// `provider_id`: skip provider selection (re-consent). TrueLayer still requires the
    /// provider to be in `providers`.
    pub fn provider_id(mut self, provider_id: impl Into<String>) -> Self {
        self.provider_id = Some(provider_id.into());
        self
    }

    /// `response_mode`: [`ResponseMode::FormPost`] to receive the code in a form POST.
    pub fn response_mode(mut self, mode: ResponseMode) -> Self {
        self.response_mode = mode;
        self
    }

    /// `disable_providers`: provider groups or ids to hide.
    pub fn disable_providers<S: Into<String>>(
        mut self,
        providers: impl IntoIterator<Item = S>,
    ) -> Self {
        self.disable_providers
            .extend(providers.into_iter().map(Into::into));
        self
    }

    /// `user_email`: advised for unregulated clients.
    pub fn user_email(mut self, email: impl Into<String>) -> Self {
        self.user_email = Some(email.into());
        self
    }

    /// `language_id`: one of `en es it fr de pl pt sv nl`.
    pub fn language_id(mut self, language: impl Into<String>) -> Self {
        self.language_id = Some(language.into());
        self
    }

    /// `country_id`: an alpha-2 code; skips country selection.
    pub fn country_id(mut self, country: impl Into<String>) -> Self {
        self.country_id = Some(country.into());
        self
    }

    /// `tracking_id`: pairs the link with auth-journey events (Client Tracking API).
    pub fn tracking_id(mut self, tracking_id: impl Into<String>) -> Self {
        self.tracking_id = Some(tracking_id.into());
        self
    }

    /// Builds the link with a fresh `state` and a fresh PKCE S256 pair.
    pub fn build(self) -> AuthLink {
        let state = CsrfState::new_random();
        let (pkce_verifier, code_challenge) = PkceVerifier::new_random_s256();
        self.build_with(state, pkce_verifier, code_challenge)
    }

    /// Builds the link again with the `state` and PKCE pair of `unopened`, a link that was shown
    /// but never opened (its parameters are being edited). Single use still holds: the caller
    /// must only pass a link no browser has seen; an opened link gets [`Self::build`].
    pub fn rebuild(self, unopened: PendingAuthorization) -> AuthLink {
        let code_challenge = unopened.pkce_verifier.challenge();
        self.build_with(unopened.state, unopened.pkce_verifier, code_challenge)
    }

    fn build_with(
        self,
        state: CsrfState,
        pkce_verifier: PkceVerifier,
        code_challenge: PkceChallenge,
    ) -> AuthLink {
        let mut params: Vec<(&str, String)> = vec![
            ("response_type", "code".to_owned()),
            ("client_id", self.client_id.as_str().to_owned()),
            ("scope", Scope::join(&self.scopes)),
            ("redirect_uri", self.redirect_uri.as_str().to_owned()),
        ];
        if !self.providers.is_empty() {
            params.push(("providers", self.providers.join(" ")));
        }
        if let Some(id) = &self.provider_id {
            params.push(("provider_id", id.clone()));
        }
        params.push(("state", state.secret().to_owned()));
        params.push(("code_challenge", code_challenge.as_str().to_owned()));
        params.push(("code_challenge_method", PkceChallenge::METHOD.to_owned()));
        if let Some(mode) = self.response_mode.as_param() {
            params.push(("response_mode", mode.to_owned()));
        }
        if !self.disable_providers.is_empty() {
            params.push(("disable_providers", self.disable_providers.join(" ")));
        }
        for (name, value) in [
            ("user_email", &self.user_email),
            ("language_id", &self.language_id),
            ("country_id", &self.country_id),
            ("tracking_id", &self.tracking_id),
        ] {
            if let Some(value) = value {
                params.push((name, value.clone()));
            }
        }
        let mut url = self.auth_url;
        url.set_query(Some(&encode_query(&params)));
        AuthLink {
            url,
            code_challenge,
            pending: PendingAuthorization {
                state,
                pkce_verifier,
                redirect_uri: self.redirect_uri,
                response_mode: self.response_mode,
            },
        }
    }
}

/// Percent-encodes a query with `%20` for spaces (TrueLayer documents `scope` as
/// space-separated, URL-encoded as `%20`; `+` is only a space in form bodies).
fn encode_query(params: &[(&str, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    // `byte_serialize` writes a space as `+` and a literal `+` as `%2B`, so this swap is exact.
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// A built auth link: open [`AuthLink::url`] in the system browser, keep the
/// [`PendingAuthorization`] until the redirect arrives.
pub struct AuthLink {
    url: Url,
    code_challenge: PkceChallenge,
    pending: PendingAuthorization,
}

impl AuthLink {
    /// The URL to open (http(s) only; never in an iframe: TrueLayer's dialog forbids it).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The `state` in the link.
    pub fn state(&self) -> &CsrfState {
        &self.pending.state
    }

    /// The PKCE challenge in the link.
    pub fn code_challenge(&self) -> &PkceChallenge {
        &self.code_challenge
    }

    /// The redirect URI in the link.
    pub fn redirect_uri(&self) -> &RedirectUri {
        &self.pending.redirect_uri
    }

    /// The linter's findings for this link in `environment` (see [`lint::lint_auth_link`]).
    pub fn lint(&self, environment: &Environment) -> Vec<Finding> {
        lint::lint_auth_link(&self.url, environment)
    }

    /// The URL and what must be kept to complete the link.
    pub fn into_parts(self) -> (Url, PendingAuthorization) {
        (self.url, self.pending)
    }
}

impl fmt::Debug for AuthLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redactor = crate::record::Redactor::new([self.pending.state.secret()]);
        f.debug_struct("AuthLink")
            .field("url", &redactor.url(&self.url))
            .field("pending", &self.pending)
            .finish()
    }
}

/// What the app keeps between opening a link and exchanging the code: compare `state` with
/// [`CsrfState::matches`] first, then pass `pkce_verifier` and `redirect_uri` to
/// [`crate::Client::exchange_code`]. Single use: no `Clone`.
#[derive(Debug)]
#[non_exhaustive]
pub struct PendingAuthorization {
    /// The link's `state`.
    pub state: CsrfState,
    /// The PKCE verifier of the link's challenge.
    pub pkce_verifier: PkceVerifier,
    /// The link's redirect_uri (the exchange must send the same one).
    pub redirect_uri: RedirectUri,
    /// How the code will arrive.
    pub response_mode: ResponseMode,
}

impl PendingAuthorization {
    /// Rebuilds a pending authorization from stored parts (e.g. after an app restart).
    pub fn new(
        state: CsrfState,
        pkce_verifier: PkceVerifier,
        redirect_uri: RedirectUri,
        response_mode: ResponseMode,
    ) -> Self {
        Self {
            state,
            pkce_verifier,
            redirect_uri,
            response_mode,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::ClientSecret;

    fn env() -> Environment {
        Environment::new(
            "http://127.0.0.1:4000",
            "http://127.0.0.1:4001",
            ClientId::new("sandbox-linkscope-abc123").unwrap(),
            ClientSecret::new("secret"),
        )
        .unwrap()
    }

    fn query(url: &Url) -> Vec<(String, String)> {
        url.query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    #[test]
    fn a_link_carries_every_parameter_in_order_with_fresh_state_and_pkce() {
        let link = AuthLinkBuilder::new(
            &env(),
            RedirectUri::new("http://127.0.0.1:5000/callback").unwrap(),
        )
        .scopes([
            Scope::INFO,
            Scope::ACCOUNTS,
            Scope::OFFLINE_ACCESS,
            Scope::INFO,
        ])
        .providers(["uk-cs-mock", "uk-ob-all"])
        .provider_id("mock")
        .response_mode(ResponseMode::FormPost)
        .disable_providers(["uk-oauth-all"])
        .user_email("qa@example.com")
        .language_id("en")
        .country_id("GB")
        .tracking_id("track-1")
        .build();
        let q = query(link.url());
        let names: Vec<&str> = q.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "response_type",
                "client_id",
                "scope",
                "redirect_uri",
                "providers",
                "provider_id",
                "state",
                "code_challenge",
                "code_challenge_method",
                "response_mode",
                "disable_providers",
                "user_email",
                "language_id",
                "country_id",
                "tracking_id"
            ]
        );
        let get = |name: &str| q.iter().find(|(k, _)| k == name).unwrap().1.as_str();
        assert_eq!(get("response_type"), "code");
        assert_eq!(
            get("scope"),
            "info accounts offline_access",
            "duplicates dropped"
        );
        assert_eq!(get("providers"), "uk-cs-mock uk-ob-all");
        assert_eq!(get("state"), link.state().secret());
        assert_eq!(get("code_challenge"), link.code_challenge().as_str());
        assert_eq!(get("code_challenge_method"), "S256");
        assert_eq!(get("response_mode"), "form_post");
        assert!(link
            .url()
            .as_str()
            .starts_with("http://127.0.0.1:4000/?response_type=code"));
        assert!(
            link.url()
                .query()
                .unwrap()
                .contains("scope=info%20accounts%20offline_access"),
            "spaces are sent as %20"
        );
        let (_, pending) = link.into_parts();
        assert_eq!(
            pending.pkce_verifier.challenge().as_str(),
            get("code_challenge"),
            "the kept verifier belongs to the challenge in the link"
        );
    }

    #[test]
    fn every_build_has_a_new_state_and_verifier() {
        let builder =
            AuthLinkBuilder::new(&env(), RedirectUri::new("linkscope://callback").unwrap())
                .scopes([Scope::INFO]);
        let a = builder.clone().build();
        let b = builder.build();
        assert!(!a.state().matches(b.state().secret()));
        assert_ne!(a.code_challenge(), b.code_challenge());
    }

    #[test]
    fn a_rebuilt_unopened_link_keeps_its_state_and_pkce_pair_but_takes_the_new_parameters() {
        let redirect = || RedirectUri::new("linkscope://callback").unwrap();
        let first = AuthLinkBuilder::new(&env(), redirect())
            .scopes([Scope::INFO])
            .build();
        let state = first.state().secret().to_owned();
        let challenge = first.code_challenge().clone();
        let (_, pending) = first.into_parts();
        let second = AuthLinkBuilder::new(&env(), redirect())
            .scopes([Scope::INFO, Scope::ACCOUNTS])
            .providers(["uk-cs-mock"])
            .rebuild(pending);
        assert!(second.state().matches(&state), "same state");
        assert_eq!(second.code_challenge(), &challenge, "same PKCE pair");
        let q = query(second.url());
        assert!(q.contains(&("scope".to_owned(), "info accounts".to_owned())));
        assert!(q.contains(&("providers".to_owned(), "uk-cs-mock".to_owned())));
        let (_, pending) = second.into_parts();
        assert_eq!(pending.pkce_verifier.challenge(), challenge);
    }

    #[test]
    fn the_default_response_mode_and_unset_options_are_not_sent() {
        let link = AuthLinkBuilder::new(&env(), RedirectUri::new("linkscope://callback").unwrap())
            .scopes([Scope::INFO])
            .build();
        let names: Vec<String> = query(link.url()).into_iter().map(|(k, _)| k).collect();
        for absent in [
            "providers",
            "provider_id",
            "response_mode",
            "disable_providers",
            "user_email",
        ] {
            assert!(
                !names.iter().any(|n| n == absent),
                "{absent} must not be sent"
            );
        }
    }

    #[test]
    fn debug_output_hides_the_state_and_verifier() {
        let link = AuthLinkBuilder::new(&env(), RedirectUri::new("linkscope://callback").unwrap())
            .scopes([Scope::INFO])
            .build();
        let state = link.state().secret().to_owned();
        let printed = format!("{link:?}");
        assert!(!printed.contains(&state), "{printed}");
    }
}
