//! The link journey's DTOs: environments and their providers, the scope catalog, link requests
//! and previews with their linter findings, link attempts and their auth-journey trails, and the
//! `link://…` events. The one inbound secret,
//! a typed client secret, arrives straight into the TrueLayer client's `ClientSecret`.

use linkscope_truelayer as tl;
use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

use super::{ApiError, Connection};

/// Where links are made: the built-in sandbox, TrueLayer's sandbox or live, or custom URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EnvironmentKind {
    Builtin,
    TruelayerSandbox,
    TruelayerLive,
    Custom,
}

impl EnvironmentKind {
    /// The snake_case name, as stored and as sent over IPC.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Builtin => "builtin",
            Self::TruelayerSandbox => "truelayer_sandbox",
            Self::TruelayerLive => "truelayer_live",
            Self::Custom => "custom",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "builtin" => Some(Self::Builtin),
            "truelayer_sandbox" => Some(Self::TruelayerSandbox),
            "truelayer_live" => Some(Self::TruelayerLive),
            "custom" => Some(Self::Custom),
            _ => None,
        }
    }
}

/// An environment as the UI sees it (the client secret is only ever reported as present/absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Environment {
    pub id: String,
    pub name: String,
    pub kind: EnvironmentKind,
    pub auth_url: String,
    pub api_url: String,
    pub client_id: String,
    pub has_client_secret: bool,
    pub redirect_uris: Vec<String>,
    pub is_sandbox: bool,
    /// Live by kind, by TrueLayer's live hosts, or because the user marked it live.
    pub is_live: bool,
    /// The user marked it live (the setting; `is_live` is what applies).
    pub marked_live: bool,
    /// Whether extend and revoke are unlocked for this session (core's interlock; only
    /// meaningful when `is_live`).
    pub live_unlocked: bool,
    /// Whether a standalone sandbox's control token is stored for it (custom environments).
    pub has_sandbox_control_token: bool,
    pub active: bool,
}

/// `save_environment`'s input. `id: null` creates a new environment.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentInput {
    pub id: Option<String>,
    pub name: String,
    pub kind: EnvironmentKind,
    pub auth_url: String,
    pub api_url: String,
    pub client_id: String,
    /// Only inbound: stored in the keychain, never returned. `null` keeps the stored one.
    // The TrueLayer client's own secret type: redacted `Debug`, no `Serialize`, so no outbound
    // DTO can carry it.
    #[ts(type = "string | null")]
    #[serde(default, deserialize_with = "secret_input")]
    pub client_secret: Option<tl::ClientSecret>,
    pub redirect_uris: Vec<String>,
    /// Mark the environment live: the live chrome and the extend/revoke interlock apply.
    #[serde(default)]
    pub marked_live: bool,
    /// The `X-Sandbox-Token` of the standalone sandbox a custom environment points at. Inbound
    /// only, kept in the keychain like the client secret; `null` keeps the stored one, `""`
    /// deletes it.
    #[ts(type = "string | null")]
    #[serde(default, deserialize_with = "secret_input")]
    pub sandbox_control_token: Option<tl::ClientSecret>,
    /// The user confirmed that a change of kind or host clears the client secret and signs out
    /// the environment's connections (without it such a save is refused with
    /// `confirmation_required`).
    #[serde(default)]
    pub confirm_secrets_reset: bool,
}

/// `clientSecret`, `sandboxControlToken`: a JSON string (or `null`) read straight into a
/// [`tl::ClientSecret`] (redacted `Debug`, no `Serialize`).
fn secret_input<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<tl::ClientSecret>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.map(tl::ClientSecret::new))
}

/// The providers of an environment, with the time they were fetched (they are cached).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProviderList {
    pub fetched_at: String,
    pub providers: Vec<Provider>,
}

/// One entry of `GET {auth}/api/providers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    pub provider_id: String,
    pub display_name: String,
    pub country: String,
    pub logo_url: String,
    pub scopes: Vec<String>,
    /// `availability.recommended_status` when the provider reports one.
    pub availability: Option<String>,
}

/// One scope of the permissions screen, with its rules (DESIGN.md §1.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScopeInfo {
    pub scope: String,
    pub label: String,
    pub description: String,
    /// At least one of these must also be selected (e.g. balance needs accounts or cards).
    pub requires: Vec<String>,
    /// Must be requested alone (verification).
    pub standalone: bool,
    pub default_on: bool,
}

/// Where the bank sends the user back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RedirectKind {
    /// `linkscope://callback` (dev: `linkscope-dev://callback`).
    #[default]
    DeepLink,
    /// `http://127.0.0.1:<port>/callback`, the one-shot loopback listener.
    Loopback,
    /// TrueLayer's console redirect page; the user pastes the URL back.
    Console,
    /// One of the environment's own registered redirect URIs (`LinkRequest::redirect_uri`); the
    /// user pastes the URL back from wherever it lands.
    Registered,
}

/// How the code comes back: GET query (default) or a form POST (loopback only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    #[default]
    Query,
    FormPost,
}

/// `start_link`'s and `update_link`'s input: every parameter of the auth link (API.md §3).
/// `Default` is an empty request (deep link, query), for `..Default::default()`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkRequest {
    pub environment_id: String,
    /// `provider_id`: skip the bank selection (re-consent sets it).
    pub provider_id: Option<String>,
    /// `providers`: groups (`uk-ob-all`, `uk-cs-mock`, `de-xs2a-all`, …) and provider ids, sent
    /// as given. Empty: the environment's defaults (and the provider_id added if they miss it).
    #[serde(default)]
    pub providers: Vec<String>,
    /// `disable_providers`: groups or ids to hide.
    #[serde(default)]
    pub disable_providers: Vec<String>,
    pub scopes: Vec<String>,
    pub redirect: RedirectKind,
    /// With [`RedirectKind::Registered`]: which of the environment's registered redirect URIs.
    #[serde(default)]
    pub redirect_uri: Option<String>,
    pub response_mode: ResponseMode,
    pub language_id: Option<String>,
    pub country_id: Option<String>,
    pub user_email: Option<String>,
    /// `tracking_id`: pairs the link with auth-journey events (Client Tracking API). Empty or
    /// absent: one is generated.
    #[serde(default)]
    pub tracking_id: Option<String>,
    /// Re-consent: the connection this link renews (same id, label and history) instead of
    /// creating a new one.
    #[serde(default)]
    pub renews: Option<String>,
}

/// The choices the link builder offers that come from TrueLayer's documentation, not from the
/// environment's providers: provider groups and the auth dialog's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkCatalog {
    pub provider_groups: Vec<ProviderGroup>,
    pub languages: Vec<Language>,
    /// What `providers` is when the user changes nothing, for this environment.
    pub default_providers: Vec<String>,
    /// The environment's registered redirect URIs other than this app's own (deep link,
    /// loopback, console page): the `RedirectKind::Registered` choices.
    pub registered_redirects: Vec<String>,
}

/// A `providers` group token and what it offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProviderGroup {
    pub token: String,
    pub label: String,
    /// Lower-case alpha-2 (`uk`, `de`), as `/api/providers` spells countries.
    pub country: String,
}

/// A `language_id` value and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Language {
    pub id: String,
    pub name: String,
}

/// A built auth link, shown before it is opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkPreview {
    pub session_id: String,
    pub url: String,
    pub redirect_uri: String,
    pub expires_at: String,
    pub findings: Vec<LintFinding>,
    /// The link's `state` (random, single use; shown so the user can match the redirect).
    pub state: String,
    /// The link's `tracking_id` (the user's, or generated): its auth-journey trail's key.
    pub tracking_id: String,
    /// The connection a re-consent renews, if any.
    pub renews: Option<String>,
}

/// How a link attempt ended (so far).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LinkOutcome {
    /// Built, and its redirect has not come back yet.
    Waiting,
    /// Its redirect came back and the connection was saved (or renewed).
    Completed,
    /// Its redirect came back refused (the user or the bank said no), or the exchange failed.
    Failed,
    /// The user cancelled it in the app.
    Cancelled,
    /// Never came back before it expired: abandoned.
    Expired,
}

impl LinkOutcome {
    /// The snake_case name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "waiting" => Some(Self::Waiting),
            "completed" => Some(Self::Completed),
            "failed" => Some(Self::Failed),
            "cancelled" => Some(Self::Cancelled),
            "expired" => Some(Self::Expired),
            _ => None,
        }
    }
}

/// A link the app built (`list_link_attempts`): what it asked for and how it ended. No secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkAttempt {
    /// The link session's id (what `get_auth_trail` takes).
    pub id: String,
    pub environment_id: String,
    pub tracking_id: String,
    pub provider_id: Option<String>,
    pub scopes: Vec<String>,
    pub renews: Option<String>,
    pub created_at: String,
    pub expires_at: String,
    /// When the app opened it in a browser; `null` for a link only copied (or not used).
    pub opened_at: Option<String>,
    pub outcome: LinkOutcome,
    pub ended_at: Option<String>,
    pub connection_id: Option<String>,
    pub error_code: Option<super::ErrorCode>,
}

/// A step of TrueLayer's auth dialog, as the Client Tracking API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TrailStep {
    DialogStarted,
    ProviderSelected,
    ConsentGranted,
    ProviderAuthStarted,
    ProviderAuthorized,
    CodeExchanged,
}

/// One tracked event of a link's auth journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrailEvent {
    pub step: TrailStep,
    /// RFC 3339 (UTC), as the tracking host recorded it.
    pub time: String,
    pub flow_id: Option<String>,
    pub provider_id: Option<String>,
    pub credentials_id: Option<String>,
    pub consent_id: Option<String>,
    pub reauth: bool,
}

/// `get_auth_trail`: where the user got to in the auth dialog of one link attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuthTrail {
    pub attempt: LinkAttempt,
    /// When the tracking host was asked.
    pub fetched_at: String,
    /// Oldest first; empty when nothing was recorded (the link was never opened).
    pub events: Vec<TrailEvent>,
    /// The last step reached, if any: where it stopped unless `complete`.
    pub stopped_at: Option<TrailStep>,
    /// The dialog returned a code (`code_exchanged` was reached).
    pub complete: bool,
}

/// How serious a linter finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding of the auth-link linter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LintFinding {
    pub severity: Severity,
    pub code: String,
    pub message: String,
}

/// Event `link://waiting`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkWaitingEvent {
    pub session_id: String,
    pub expires_at: String,
}

/// Event `link://completed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkCompletedEvent {
    pub session_id: String,
    pub connection: Connection,
}

/// Event `link://failed`: the error as a command would reject with it (its detail and raw body
/// included, so the waiting screen can explain it as fully).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkFailedEvent {
    pub session_id: String,
    pub error: ApiError,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_input_takes_a_client_secret_but_never_prints_it() {
        let input: EnvironmentInput = serde_json::from_value(serde_json::json!({
            "id": null, "name": "Mine", "kind": "custom", "authUrl": "http://a", "apiUrl": "http://b",
            "clientId": "cid", "clientSecret": "s3cr3t-value", "redirectUris": ["linkscope://callback"]
        }))
        .unwrap();
        let printed = format!("{input:?}");
        assert!(
            !printed.contains("s3cr3t-value"),
            "Debug must redact the secret: {printed}"
        );
        assert_eq!(
            input.client_secret.as_ref().map(tl::ClientSecret::secret),
            Some("s3cr3t-value")
        );
    }
}
