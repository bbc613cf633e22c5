//! [`Environment`]: where to talk to (auth server, API and client-tracking base URLs) and as whom (client_id,
//! client secret, registered redirect URIs). Base URLs are data, so the same client serves
//! TrueLayer's sandbox, live, the built-in sandbox on 127.0.0.1 or a proxy. Owns building every
//! endpoint URL; must not know any endpoint's behaviour.

use url::Url;

use crate::error::{Error, Result};
use crate::secret::ClientSecret;
use crate::types::{ClientId, RedirectUri};

/// TrueLayer sandbox auth server.
pub const TRUELAYER_SANDBOX_AUTH_URL: &str = "https://auth.truelayer-sandbox.com";
/// TrueLayer sandbox API host (Data API under `/data/v1`, Signup+, verification).
pub const TRUELAYER_SANDBOX_API_URL: &str = "https://api.truelayer-sandbox.com";
/// TrueLayer live auth server.
pub const TRUELAYER_LIVE_AUTH_URL: &str = "https://auth.truelayer.com";
/// TrueLayer live API host.
pub const TRUELAYER_LIVE_API_URL: &str = "https://api.truelayer.com";
/// TrueLayer sandbox client-tracking host (`GET /v1/tracked-events`).
pub const TRUELAYER_SANDBOX_TRACKING_URL: &str = "https://client-tracking.truelayer-sandbox.com";
/// TrueLayer live client-tracking host.
pub const TRUELAYER_LIVE_TRACKING_URL: &str = "https://client-tracking.truelayer.com";

/// One TrueLayer environment and the client credentials used in it.
///
/// Not `Clone` (it holds the client secret): share it behind an `Arc`, as [`crate::Client`] does.
#[derive(Debug)]
pub struct Environment {
    auth_url: Url,
    api_url: Url,
    /// The client-tracking host, when the environment has one.
    tracking_url: Option<Url>,
    client_id: ClientId,
    client_secret: ClientSecret,
    redirect_uris: Vec<RedirectUri>,
}

impl Environment {
    /// An environment from its two base URLs (http or https, no query or fragment; a path prefix
    /// is kept, e.g. for a proxy).
    pub fn new(
        auth_url: &str,
        api_url: &str,
        client_id: ClientId,
        client_secret: ClientSecret,
    ) -> Result<Self> {
        Ok(Self {
            auth_url: base_url("auth URL", auth_url)?,
            api_url: base_url("API URL", api_url)?,
            tracking_url: None,
            client_id,
            client_secret,
            redirect_uris: Vec::new(),
        })
    }

    /// TrueLayer's sandbox (`auth.truelayer-sandbox.com`, `api.truelayer-sandbox.com`,
    /// `client-tracking.truelayer-sandbox.com`).
    pub fn truelayer_sandbox(client_id: ClientId, client_secret: ClientSecret) -> Self {
        Self::preset(
            [
                TRUELAYER_SANDBOX_AUTH_URL,
                TRUELAYER_SANDBOX_API_URL,
                TRUELAYER_SANDBOX_TRACKING_URL,
            ],
            client_id,
            client_secret,
        )
    }

    /// TrueLayer live (`auth.truelayer.com`, `api.truelayer.com`,
    /// `client-tracking.truelayer.com`): real banks, real data.
    pub fn truelayer_live(client_id: ClientId, client_secret: ClientSecret) -> Self {
        Self::preset(
            [
                TRUELAYER_LIVE_AUTH_URL,
                TRUELAYER_LIVE_API_URL,
                TRUELAYER_LIVE_TRACKING_URL,
            ],
            client_id,
            client_secret,
        )
    }

    #[allow(
        clippy::expect_used,
        reason = "the preset URLs are constants, checked by the unit test presets_are_valid_base_urls"
    )]
    fn preset(
        [auth, api, tracking]: [&str; 3],
        client_id: ClientId,
        client_secret: ClientSecret,
    ) -> Self {
        Self {
            auth_url: base_url("auth URL", auth).expect("preset auth URL is valid"),
            api_url: base_url("API URL", api).expect("preset API URL is valid"),
            tracking_url: Some(
                base_url("tracking URL", tracking).expect("preset tracking URL is valid"),
            ),
            client_id,
            client_secret,
            redirect_uris: Vec::new(),
        }
    }

    /// The redirect URIs registered for this client (Console → App settings → Allowed redirect
    /// URIs). The linter flags a link whose redirect_uri is not one of them.
    pub fn with_redirect_uris(mut self, uris: impl IntoIterator<Item = RedirectUri>) -> Self {
        self.redirect_uris = uris.into_iter().collect();
        self
    }

    /// The client-tracking host (TrueLayer's `client-tracking.…`, the built-in sandbox's
    /// tracking listener, a proxy): validated like the other base URLs.
    pub fn with_tracking_url(mut self, tracking_url: &str) -> Result<Self> {
        self.tracking_url = Some(base_url("tracking URL", tracking_url)?);
        Ok(self)
    }

    /// The client-tracking base URL, if the environment has one.
    pub fn tracking_url(&self) -> Option<&Url> {
        self.tracking_url.as_ref()
    }

    /// The auth server base URL.
    pub fn auth_url(&self) -> &Url {
        &self.auth_url
    }

    /// The API base URL (host of the Data API, Signup+ and verification).
    pub fn api_url(&self) -> &Url {
        &self.api_url
    }

    /// The client_id.
    pub fn client_id(&self) -> &ClientId {
        &self.client_id
    }

    /// The client secret (to store it in the keychain).
    pub fn client_secret(&self) -> &ClientSecret {
        &self.client_secret
    }

    /// The registered redirect URIs.
    pub fn redirect_uris(&self) -> &[RedirectUri] {
        &self.redirect_uris
    }

    /// Whether this is TrueLayer live (by host), where every call touches a real bank.
    pub fn is_truelayer_live(&self) -> bool {
        let live_hosts = ["auth.truelayer.com", "api.truelayer.com"];
        [&self.auth_url, &self.api_url]
            .iter()
            .any(|u| u.host_str().is_some_and(|h| live_hosts.contains(&h)))
    }

    /// `{auth}/connect/token`.
    pub(crate) fn token_url(&self) -> Url {
        join(&self.auth_url, &["connect", "token"])
    }

    /// `{auth}/api/providers`.
    pub(crate) fn providers_url(&self) -> Url {
        join(&self.auth_url, &["api", "providers"])
    }

    /// `{auth}/.well-known/openid-configuration/jwks`: the keys access tokens are signed with.
    pub(crate) fn token_jwks_url(&self) -> Url {
        join(
            &self.auth_url,
            &[".well-known", "openid-configuration", "jwks"],
        )
    }

    /// `{auth}/api/delete`.
    pub(crate) fn delete_url(&self) -> Url {
        join(&self.auth_url, &["api", "delete"])
    }

    /// `{api}/data/v1/{segments…}` (each segment percent-encoded).
    pub(crate) fn data_url(&self, segments: &[&str]) -> Url {
        let mut all = vec!["data", "v1"];
        all.extend_from_slice(segments);
        join(&self.api_url, &all)
    }

    /// `{tracking}/v1/tracked-events`; an environment without a tracking host cannot ask.
    pub(crate) fn tracked_events_url(&self) -> Result<Url> {
        let base = self.tracking_url.as_ref().ok_or_else(|| {
            Error::invalid(
                "tracking URL",
                "this environment has no client-tracking host",
            )
        })?;
        Ok(join(base, &["v1", "tracked-events"]))
    }

    /// `{api}/signup-plus/accounts`.
    pub(crate) fn signup_plus_accounts_url(&self) -> Url {
        join(&self.api_url, &["signup-plus", "accounts"])
    }

    /// `{api}/{segments…}` (each segment percent-encoded), e.g. the v3 verification paths.
    pub(crate) fn api_url_of(&self, segments: &[&str]) -> Url {
        join(&self.api_url, segments)
    }

    /// `{api}/verification/v1/verify`.
    pub(crate) fn verification_url(&self) -> Url {
        join(&self.api_url, &["verification", "v1", "verify"])
    }

    /// Whether `url` is on the API host (same scheme, host and port, under the base path): the
    /// only place a bearer token may be sent to when TrueLayer hands back a URL (`results_uri`).
    pub(crate) fn is_api_url(&self, url: &Url) -> bool {
        url.origin() == self.api_url.origin() && url.path().starts_with(self.api_url.path())
    }
}

/// Validates a base URL and normalises it to end with `/` so that joining keeps its path.
fn base_url(what: &'static str, value: &str) -> Result<Url> {
    let mut url = Url::parse(value.trim()).map_err(|e| Error::invalid(what, e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::invalid(what, "it must be an http or https URL"));
    }
    if url.host_str().is_none() {
        return Err(Error::invalid(what, "it must have a host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(
            what,
            "it must not have a query or a fragment",
        ));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// Appends percent-encoded path segments to a base URL (which ends with `/`).
fn join(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(auth: &str, api: &str) -> Environment {
        Environment::new(
            auth,
            api,
            ClientId::new("c").unwrap(),
            ClientSecret::new("s"),
        )
        .unwrap()
    }

    #[test]
    fn presets_are_valid_base_urls() {
        for (auth, api) in [
            (TRUELAYER_SANDBOX_AUTH_URL, TRUELAYER_SANDBOX_API_URL),
            (TRUELAYER_LIVE_AUTH_URL, TRUELAYER_LIVE_API_URL),
        ] {
            let e = env(auth, api);
            assert_eq!(e.auth_url().as_str(), format!("{auth}/"));
        }
        let live = Environment::truelayer_live(ClientId::new("c").unwrap(), ClientSecret::new("s"));
        assert!(live.is_truelayer_live());
        assert_eq!(
            live.token_url().as_str(),
            "https://auth.truelayer.com/connect/token"
        );
        assert_eq!(
            live.tracked_events_url().unwrap().as_str(),
            "https://client-tracking.truelayer.com/v1/tracked-events"
        );
        let sandbox =
            Environment::truelayer_sandbox(ClientId::new("c").unwrap(), ClientSecret::new("s"));
        assert!(!sandbox.is_truelayer_live());
        assert_eq!(
            sandbox.tracked_events_url().unwrap().as_str(),
            "https://client-tracking.truelayer-sandbox.com/v1/tracked-events"
        );
        assert_eq!(
            sandbox.data_url(&["accounts"]).as_str(),
            "https://api.truelayer-sandbox.com/data/v1/accounts"
        );
    }

    #[test]
    fn endpoint_urls_keep_a_path_prefix_and_encode_segments() {
        let e = env("http://127.0.0.1:9/auth", "http://127.0.0.1:9/proxy/");
        assert_eq!(
            e.token_url().as_str(),
            "http://127.0.0.1:9/auth/connect/token"
        );
        assert_eq!(
            e.data_url(&["accounts", "a/b c", "balance"]).as_str(),
            "http://127.0.0.1:9/proxy/data/v1/accounts/a%2Fb%20c/balance"
        );
        assert_eq!(
            e.verification_url().as_str(),
            "http://127.0.0.1:9/proxy/verification/v1/verify"
        );
        assert_eq!(
            e.signup_plus_accounts_url().as_str(),
            "http://127.0.0.1:9/proxy/signup-plus/accounts"
        );
    }

    #[test]
    fn a_custom_environment_has_a_tracking_host_only_when_given_one() {
        let e = env("http://127.0.0.1:9", "http://127.0.0.1:10");
        assert!(
            e.tracked_events_url().is_err(),
            "no host, no tracked events"
        );
        let e = e.with_tracking_url("http://127.0.0.1:11/t").unwrap();
        assert_eq!(
            e.tracked_events_url().unwrap().as_str(),
            "http://127.0.0.1:11/t/v1/tracked-events"
        );
        assert!(env("http://127.0.0.1:9", "http://127.0.0.1:10")
            .with_tracking_url("ftp://x.test")
            .is_err());
    }

    #[test]
    fn bad_base_urls_are_rejected() {
        for bad in [
            "ftp://x.test",
            "not a url",
            "https://x.test/?a=1",
            "https://x.test/#f",
        ] {
            assert!(
                Environment::new(
                    bad,
                    "https://x.test",
                    ClientId::new("c").unwrap(),
                    ClientSecret::new("s")
                )
                .is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn only_urls_on_the_api_host_are_trusted_with_a_token() {
        let e = env("http://127.0.0.1:9", "http://127.0.0.1:10");
        assert!(e.is_api_url(&Url::parse("http://127.0.0.1:10/data/v1/results/x").unwrap()));
        assert!(!e.is_api_url(&Url::parse("http://127.0.0.1:11/data/v1/results/x").unwrap()));
        assert!(!e.is_api_url(&Url::parse("https://127.0.0.1:10/data/v1/results/x").unwrap()));
        assert!(!e.is_api_url(&Url::parse("http://evil.test/data/v1/results/x").unwrap()));
    }
}
