//! Public (non-secret) protocol values as newtypes: [`ClientId`], [`RedirectUri`], [`Scope`],
//! [`ResponseMode`]. Each parses strictly at the boundary and then keeps the exact string it was
//! given (TrueLayer compares redirect URIs as exact strings). Secrets live in `secret.rs`.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};

/// A TrueLayer client_id (sandbox ids look like `sandbox-<name>-<hex6>`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClientId(String);

impl ClientId {
    /// A client_id: non-empty, no whitespace or control characters.
    pub fn new(value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        if value.is_empty() || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid(
                "client_id",
                "it must be non-empty and contain no spaces",
            ));
        }
        Ok(Self(value))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this looks like a TrueLayer sandbox id (`sandbox-…`).
    pub fn is_sandbox(&self) -> bool {
        self.0.starts_with("sandbox-")
    }
}

impl TryFrom<String> for ClientId {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        Self::new(value)
    }
}

impl From<ClientId> for String {
    fn from(value: ClientId) -> Self {
        value.0
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A redirect URI, kept exactly as given: TrueLayer matches it character for character against
/// the Console allow-list and against the one used in the link (else `invalid_grant`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RedirectUri(String);

impl RedirectUri {
    /// An absolute URI (`https://…`, `http://127.0.0.1:…/callback`, `linkscope://callback`)
    /// without a fragment (RFC 6749 §3.1.2).
    pub fn new(value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        let url = Url::parse(&value).map_err(|e| Error::invalid("redirect_uri", e.to_string()))?;
        if url.fragment().is_some() {
            return Err(Error::invalid(
                "redirect_uri",
                "it must not contain a fragment",
            ));
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid("redirect_uri", "it must not contain spaces"));
        }
        Ok(Self(value))
    }

    /// The URI exactly as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The parsed URL (validated in `new`).
    pub fn url(&self) -> Option<Url> {
        Url::parse(&self.0).ok()
    }

    /// Whether the scheme is `http` or `https` (the only ones a browser can form-POST to).
    pub fn is_http(&self) -> bool {
        self.url()
            .is_some_and(|u| matches!(u.scheme(), "http" | "https"))
    }
}

impl TryFrom<String> for RedirectUri {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        Self::new(value)
    }
}

impl From<RedirectUri> for String {
    fn from(value: RedirectUri) -> Self {
        value.0
    }
}

impl FromStr for RedirectUri {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::new(s)
    }
}

impl fmt::Display for RedirectUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One OAuth scope token (RFC 6749 §3.3). The documented ones are associated constants; any
/// other syntactically valid token is accepted (the linter flags unknown ones).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Scope(Cow<'static, str>);

impl Scope {
    /// `info`: the account holder's identity (`/info`).
    pub const INFO: Scope = Scope(Cow::Borrowed("info"));
    /// `accounts`: `/accounts`.
    pub const ACCOUNTS: Scope = Scope(Cow::Borrowed("accounts"));
    /// `balance`: balances (needs `accounts` or `cards`).
    pub const BALANCE: Scope = Scope(Cow::Borrowed("balance"));
    /// `cards`: `/cards`.
    pub const CARDS: Scope = Scope(Cow::Borrowed("cards"));
    /// `transactions`: transactions (needs `accounts` or `cards`).
    pub const TRANSACTIONS: Scope = Scope(Cow::Borrowed("transactions"));
    /// `direct_debits` (needs `accounts`).
    pub const DIRECT_DEBITS: Scope = Scope(Cow::Borrowed("direct_debits"));
    /// `standing_orders` (needs `accounts`).
    pub const STANDING_ORDERS: Scope = Scope(Cow::Borrowed("standing_orders"));
    /// `offline_access`: what yields a refresh token.
    pub const OFFLINE_ACCESS: Scope = Scope(Cow::Borrowed("offline_access"));
    /// `signupplus`: `/signup-plus/accounts`.
    pub const SIGNUP_PLUS: Scope = Scope(Cow::Borrowed("signupplus"));
    /// `verification`: `/verification/v1/verify`; TrueLayer: "set the scopes field to
    /// `verification` only".
    pub const VERIFICATION: Scope = Scope(Cow::Borrowed("verification"));
    /// `tracking` (client_credentials only): reading tracked auth-journey events.
    pub const TRACKING: Scope = Scope(Cow::Borrowed("tracking"));

    /// Every scope a Data API auth link can ask for, in the order the UI lists them.
    pub const DATA_SCOPES: [Scope; 10] = [
        Scope::INFO,
        Scope::ACCOUNTS,
        Scope::BALANCE,
        Scope::CARDS,
        Scope::TRANSACTIONS,
        Scope::DIRECT_DEBITS,
        Scope::STANDING_ORDERS,
        Scope::OFFLINE_ACCESS,
        Scope::SIGNUP_PLUS,
        Scope::VERIFICATION,
    ];

    /// A scope token: non-empty, printable ASCII without space, `"` or `\` (RFC 6749 §3.3).
    pub fn new(value: impl Into<String>) -> Result<Self> {
        let value: String = value.into();
        let valid = !value.is_empty()
            && value
                .bytes()
                .all(|b| (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\');
        if !valid {
            return Err(Error::invalid(
                "scope",
                format!("{value:?} is not a single scope token"),
            ));
        }
        Ok(Self(Cow::Owned(value)))
    }

    /// The token.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is one of the documented Data API scopes.
    pub fn is_known(&self) -> bool {
        Self::DATA_SCOPES.iter().any(|s| s == self)
    }

    /// Splits a space-separated `scope` value (as in links and token responses).
    pub fn parse_list(value: &str) -> Result<Vec<Scope>> {
        value.split_whitespace().map(Scope::new).collect()
    }

    /// Joins scopes with single spaces, the wire form.
    pub fn join(scopes: &[Scope]) -> String {
        scopes
            .iter()
            .map(Scope::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl TryFrom<String> for Scope {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        Self::new(value)
    }
}

impl From<Scope> for String {
    fn from(value: Scope) -> Self {
        value.0.into_owned()
    }
}

impl FromStr for Scope {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::new(s)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How the auth server returns the code to the redirect URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    /// A GET redirect with `?code=…&state=…` (the default; the parameter is not sent).
    #[default]
    Query,
    /// `response_mode=form_post`: the browser POSTs the code to the redirect URI, which therefore
    /// must be an http(s) URL the app listens on (the loopback listener).
    FormPost,
}

impl ResponseMode {
    /// The wire value, `None` for the default mode (the parameter is omitted).
    pub fn as_param(self) -> Option<&'static str> {
        match self {
            ResponseMode::Query => None,
            ResponseMode::FormPost => Some("form_post"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_uri_is_kept_exactly_as_given() {
        let uri = RedirectUri::new("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            uri.as_str(),
            "http://127.0.0.1:8080",
            "no trailing slash added"
        );
        assert!(uri.is_http());
        let deep = RedirectUri::new("linkscope://callback").unwrap();
        assert!(!deep.is_http());
    }

    #[test]
    fn invalid_redirect_uris_are_rejected() {
        for bad in [
            "",
            "callback",
            "/relative",
            "https://x.test/cb#frag",
            "https://x.test/a b",
        ] {
            assert!(RedirectUri::new(bad).is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn scopes_parse_from_a_space_separated_list_and_reject_junk() {
        let scopes = Scope::parse_list(" info  accounts offline_access").unwrap();
        assert_eq!(
            scopes,
            vec![Scope::INFO, Scope::ACCOUNTS, Scope::OFFLINE_ACCESS]
        );
        assert_eq!(Scope::join(&scopes), "info accounts offline_access");
        assert!(Scope::new("a b").is_err());
        assert!(Scope::new("").is_err());
        assert!(Scope::new("quo\"te").is_err());
        assert!(!Scope::new("products").unwrap().is_known());
    }

    #[test]
    fn client_ids_reject_whitespace() {
        assert!(ClientId::new("sandbox-app-1a2b3c").unwrap().is_sandbox());
        assert!(ClientId::new("has space").is_err());
        assert!(ClientId::new("").is_err());
    }
}
