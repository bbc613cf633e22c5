//! The sandbox's configuration: registered clients (id, secret, exact redirect URIs), the data
//! seed, the listen addresses, the optional state file and the optional fixed control token.
//! Parsing of `--client` flags lives here.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::keys::ClientSigningKey;

/// The demo client every sandbox registers by default.
pub const DEMO_CLIENT_ID: &str = "sandbox-linkscope-demo";

/// The demo client's redirect URIs: the app's deep links (release and dev) and its loopback.
pub const DEMO_REDIRECT_URIS: [&str; 3] = [
    "linkscope://callback",
    "linkscope-dev://callback",
    "http://127.0.0.1:3947/callback",
];

/// The environment variable a fixed control token may come from (the standalone binary and the
/// app read it; the library never reads the environment itself).
pub const CONTROL_TOKEN_ENV: &str = "LINKSCOPE_SANDBOX_CONTROL_TOKEN";

/// The shortest fixed control token accepted.
const MIN_CONTROL_TOKEN_CHARS: usize = 16;
/// The longest fixed control token accepted.
const MAX_CONTROL_TOKEN_CHARS: usize = 256;

/// The default data seed: the same seed gives the same data on every run.
pub const DEFAULT_SEED: u64 = 20_240_501;

/// A registered client (TrueLayer Console's "app"): redirect URIs must match exactly.
#[derive(Clone)]
pub struct ClientConfig {
    /// The client id (`sandbox-…`).
    pub client_id: String,
    /// The client secret.
    pub client_secret: String,
    /// Allow-listed redirect URIs, compared byte for byte.
    pub redirect_uris: Vec<String>,
    /// The public key its `Tl-Signature` request signatures are checked with (verification v3).
    pub signing_key: Option<ClientSigningKey>,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("redirect_uris", &self.redirect_uris)
            .field("signing_key", &self.signing_key)
            .finish()
    }
}

impl ClientConfig {
    /// The demo client with a fresh random secret and a fresh request-signing key pair. With a
    /// state file, the secret stored there replaces this one at start, so it survives restarts;
    /// the app hands its stored signing key back the same way.
    pub fn demo() -> Self {
        Self {
            client_id: DEMO_CLIENT_ID.to_owned(),
            client_secret: new_client_secret(),
            redirect_uris: DEMO_REDIRECT_URIS.iter().map(|s| (*s).to_owned()).collect(),
            signing_key: ClientSigningKey::generate_demo()
                .inspect_err(|e| tracing::error!(error = %e, "no demo signing key"))
                .ok(),
        }
    }

    /// Parses `ID:SECRET:URI[,URI…]` (the `--client` flag). Only the first two colons split,
    /// so URIs keep theirs.
    pub fn parse_flag(value: &str) -> Result<Self> {
        let mut parts = value.splitn(3, ':');
        let (Some(id), Some(secret), Some(uris)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::Config(format!(
                "--client must be ID:SECRET:REDIRECT_URI[,REDIRECT_URI…], got {value:?}"
            )));
        };
        let client = Self {
            client_id: id.to_owned(),
            client_secret: secret.to_owned(),
            redirect_uris: uris.split(',').map(str::to_owned).collect(),
            signing_key: None,
        };
        client.validate()?;
        Ok(client)
    }

    /// Checks the client is usable: a plain id, a non-empty secret, absolute redirect URIs
    /// without fragments (RFC 6749 §3.1.2).
    pub fn validate(&self) -> Result<()> {
        let id_ok = !self.client_id.is_empty()
            && self
                .client_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !id_ok {
            return Err(Error::Config(format!(
                "client id {:?} must be non-empty letters, digits, '-', '_' or '.'",
                self.client_id
            )));
        }
        if self.client_secret.is_empty() || self.client_secret.chars().any(char::is_whitespace) {
            return Err(Error::Config(format!(
                "client {} needs a non-empty secret without spaces",
                self.client_id
            )));
        }
        if self.redirect_uris.is_empty() {
            return Err(Error::Config(format!(
                "client {} needs at least one redirect URI",
                self.client_id
            )));
        }
        for uri in &self.redirect_uris {
            let parsed = url::Url::parse(uri)
                .map_err(|e| Error::Config(format!("redirect URI {uri:?} is not a URL: {e}")))?;
            if parsed.fragment().is_some() {
                return Err(Error::Config(format!(
                    "redirect URI {uri:?} must not have a fragment"
                )));
            }
        }
        Ok(())
    }
}

/// A fresh client secret: a random UUID, like the secrets TrueLayer Console shows.
pub fn new_client_secret() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// How to run a sandbox. `Debug` redacts the control token.
#[derive(Clone)]
pub struct SandboxConfig {
    /// Registered clients; the default holds one demo client.
    pub clients: Vec<ClientConfig>,
    /// The data seed (same seed, same data).
    pub seed: u64,
    /// Where the auth server listens (default `127.0.0.1:0`).
    pub auth_addr: SocketAddr,
    /// Where the API server listens (default `127.0.0.1:0`).
    pub api_addr: SocketAddr,
    /// Where the client-tracking server listens (default `127.0.0.1:0`).
    pub tracking_addr: SocketAddr,
    /// Where to persist the demo secret, connections (token hashes only) and the clock offset.
    /// `None` keeps everything in memory.
    pub state_path: Option<PathBuf>,
    /// The token the `/__sandbox/` controls require in `X-Sandbox-Token`; `None` (the default)
    /// draws a random one at every start. Scripts that drive a standalone sandbox pin it.
    pub control_token: Option<String>,
}

impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("clients", &self.clients)
            .field("seed", &self.seed)
            .field("auth_addr", &self.auth_addr)
            .field("api_addr", &self.api_addr)
            .field("tracking_addr", &self.tracking_addr)
            .field("state_path", &self.state_path)
            .field(
                "control_token",
                &self.control_token.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        let loopback = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0));
        Self {
            clients: vec![ClientConfig::demo()],
            seed: DEFAULT_SEED,
            auth_addr: loopback,
            api_addr: loopback,
            tracking_addr: loopback,
            state_path: None,
            control_token: None,
        }
    }
}

impl SandboxConfig {
    /// Checks every client, that client ids are unique, and that a fixed control token is 16 to
    /// 256 visible ASCII characters (it travels in a header).
    pub fn validate(&self) -> Result<()> {
        if let Some(token) = &self.control_token {
            let length_ok =
                (MIN_CONTROL_TOKEN_CHARS..=MAX_CONTROL_TOKEN_CHARS).contains(&token.len());
            if !length_ok || !token.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(Error::Config(format!(
                    "the control token must be {MIN_CONTROL_TOKEN_CHARS} to {MAX_CONTROL_TOKEN_CHARS} visible ASCII characters without spaces"
                )));
            }
        }
        if self.clients.is_empty() {
            return Err(Error::Config("at least one client is needed".to_owned()));
        }
        for (i, client) in self.clients.iter().enumerate() {
            client.validate()?;
            if self.clients[..i]
                .iter()
                .any(|c| c.client_id == client.client_id)
            {
                return Err(Error::Config(format!(
                    "client id {} is registered twice",
                    client.client_id
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_flags_split_on_the_first_two_colons_only() {
        let client =
            ClientConfig::parse_flag("sandbox-qa:s3cret:app://cb,http://127.0.0.1:9/cb").unwrap();
        assert_eq!(client.client_id, "sandbox-qa");
        assert_eq!(client.client_secret, "s3cret");
        assert_eq!(client.redirect_uris, ["app://cb", "http://127.0.0.1:9/cb"]);
    }

    #[test]
    fn malformed_client_flags_are_refused() {
        for bad in [
            "only-id",
            "id:secret",
            "id::app://cb",
            ":secret:app://cb",
            "id:secret:not a url",
            "id:secret:app://cb#frag",
            "bad id:secret:app://cb",
        ] {
            assert!(
                ClientConfig::parse_flag(bad).is_err(),
                "{bad:?} should fail"
            );
        }
    }

    #[test]
    fn the_default_config_has_the_demo_client_and_a_redacted_debug() {
        let config = SandboxConfig::default();
        config.validate().unwrap();
        let demo = &config.clients[0];
        assert_eq!(demo.client_id, DEMO_CLIENT_ID);
        assert_eq!(demo.redirect_uris, DEMO_REDIRECT_URIS);
        assert!(!format!("{demo:?}").contains(&demo.client_secret));
    }

    #[test]
    fn a_fixed_control_token_must_be_long_visible_ascii_and_never_shows_in_debug() {
        let mut config = SandboxConfig {
            control_token: Some("qa-token-0123456789".to_owned()),
            ..SandboxConfig::default()
        };
        config.validate().unwrap();
        assert!(!format!("{config:?}").contains("qa-token-0123456789"));
        for bad in [
            "short",
            "has a space in it ok",
            "tab\tseparated-0123456789",
            "ünïcödé-0123456789",
        ] {
            config.control_token = Some(bad.to_owned());
            assert!(config.validate().is_err(), "{bad:?} should be refused");
        }
    }
}
