//! The IPC contract's data-transfer objects (v1): plain data that crosses to the UI as JSON and is
//! mirrored in TypeScript under `ui/src/bindings/` by ts-rs.
//!
//! Rules this module keeps: field names are camelCase, string enums are snake_case, timestamps
//! are RFC 3339 strings, money is a JSON number plus a `currency`. No DTO may hold a secret: the
//! one inbound secret (`EnvironmentInput::client_secret`) is a [`ClientSecretInput`], which can be
//! deserialized but has no `Serialize`, no `Clone` and a redacted `Debug`, so an outbound DTO that
//! tried to carry it would not compile.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// What `get_app_info` returns.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub build: BuildKind,
    /// `linkscope` in release builds, `linkscope-dev` in dev builds.
    pub deep_link_scheme: String,
    pub keychain: KeychainInfo,
    pub data_dir: String,
}

/// Which kind of build is running (it decides the deep-link scheme and the keychain namespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BuildKind {
    Dev,
    Release,
}

/// Whether the OS keychain works; when it does not, secrets live in memory for this session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeychainInfo {
    pub available: bool,
    /// Why it is unavailable (or which store is used), for the banner.
    pub detail: Option<String>,
}

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
    pub is_live: bool,
    pub active: bool,
}

/// A client secret typed by the user: inbound only. It deserializes from a JSON string, prints
/// as `ClientSecretInput(***)`, and cannot be serialized, cloned or compared.
pub struct ClientSecretInput(String);

impl ClientSecretInput {
    /// Wraps a typed secret (tests and the shell).
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, to hand to the secret store.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Moves the secret out.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl std::fmt::Debug for ClientSecretInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientSecretInput(***)")
    }
}

impl<'de> Deserialize<'de> for ClientSecretInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
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
    #[ts(type = "string | null")]
    pub client_secret: Option<ClientSecretInput>,
    pub redirect_uris: Vec<String>,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RedirectKind {
    /// `linkscope://callback` (dev: `linkscope-dev://callback`).
    DeepLink,
    /// `http://127.0.0.1:<port>/callback`, the one-shot loopback listener.
    Loopback,
    /// TrueLayer's console redirect page; the user pastes the URL back.
    Console,
}

/// How the code comes back: GET query (default) or a form POST (loopback only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    Query,
    FormPost,
}

/// `start_link`'s input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkRequest {
    pub environment_id: String,
    pub provider_id: Option<String>,
    pub scopes: Vec<String>,
    pub redirect: RedirectKind,
    pub response_mode: ResponseMode,
    pub language_id: Option<String>,
    pub country_id: Option<String>,
    pub user_email: Option<String>,
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

/// A connection's state as Linkscope knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionStatus {
    Active,
    ReauthRequired,
    Revoked,
    Expired,
}

impl ConnectionStatus {
    /// The snake_case name, as stored and as sent over IPC.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::ReauthRequired => "reauth_required",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Self::Active),
            "reauth_required" => Some(Self::ReauthRequired),
            "revoked" => Some(Self::Revoked),
            "expired" => Some(Self::Expired),
            _ => None,
        }
    }
}

/// A linked connection (one consent at one provider).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    pub id: String,
    pub label: String,
    pub environment_id: String,
    pub environment_name: String,
    pub provider_id: String,
    pub provider_name: String,
    pub provider_logo_url: Option<String>,
    pub scopes: Vec<String>,
    pub credentials_id: Option<String>,
    pub status: ConnectionStatus,
    pub consent_created_at: String,
    pub consent_expires_at: Option<String>,
    pub access_token_expires_at: Option<String>,
    pub has_refresh_token: bool,
    /// False when this connection's secrets are only in memory (no keychain this session).
    pub saved: bool,
    pub created_at: String,
    pub last_refresh_at: Option<String>,
}

/// `get_connection`'s answer: the connection and its access token's claims (decoded, never the
/// token itself; the signature is not checked: display only).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionDetail {
    pub connection: Connection,
    #[ts(type = "Record<string, unknown>")]
    pub token_claims: Map<String, Value>,
}

/// Data fetched from TrueLayer plus exactly what came back, for the "raw JSON" toggle.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Fetched<T> {
    pub data: T,
    /// The exact JSON bodies, keyed by endpoint path.
    #[ts(type = "unknown")]
    pub raw: Value,
    pub trace_ids: Vec<String>,
    pub fetched_at: String,
}

/// An account with its balance, or the error the balance call met.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountWithBalance {
    pub account: Account,
    pub balance: Option<Balance>,
    pub balance_error: Option<ApiError>,
}

/// A Data API account.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub account_id: String,
    pub account_type: String,
    pub display_name: String,
    pub currency: String,
    pub number: Option<String>,
    pub sort_code: Option<String>,
    pub iban: Option<String>,
    pub swift_bic: Option<String>,
    pub provider_id: Option<String>,
    /// Every field TrueLayer sent that is not above (unknown fields included).
    #[ts(type = "Record<string, unknown>")]
    pub extra: Map<String, Value>,
}

/// A Data API balance (accounts; cards add `creditLimit`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Balance {
    pub currency: String,
    pub available: Option<f64>,
    pub current: f64,
    pub overdraft: Option<f64>,
    pub credit_limit: Option<f64>,
    pub update_timestamp: Option<String>,
}

/// The closed list of error codes the UI branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidCallback,
    UnknownState,
    LinkExpired,
    AccessDeniedByUser,
    TokenExchangeFailed,
    ReauthRequired,
    ConsentExpired,
    NotFound,
    KeychainUnavailable,
    Validation,
    Truelayer,
    Network,
    Cancelled,
    Internal,
}

/// An error as it crosses IPC: `{code, message, detail?}`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub detail: Option<ErrorDetail>,
}

/// What TrueLayer said, when an error came from TrueLayer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tl_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub trace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "unknown")]
    pub raw: Option<Value>,
}

/// `{code, message}` as carried by the `link://failed` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ErrorSummary {
    pub code: ErrorCode,
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

/// Event `link://failed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkFailedEvent {
    pub session_id: String,
    pub error: ErrorSummary,
}

/// Event `connection://updated`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionUpdatedEvent {
    pub connection: Connection,
}

/// Writes every binding to `dir` (one file per type) plus an `index.ts` barrel, and removes
/// `.ts` files there that no type produces any more. Deterministic: same types, same bytes.
pub fn export_bindings(dir: &std::path::Path) -> std::io::Result<Vec<String>> {
    macro_rules! export_all {
        ($($t:ty),* $(,)?) => {{
            let mut names: Vec<String> = Vec::new();
            $(
                <$t as TS>::export_all_to(dir).map_err(std::io::Error::other)?;
                names.push(<$t as TS>::ident());
            )*
            names
        }};
    }
    std::fs::create_dir_all(dir)?;
    let mut names = export_all!(
        AppInfo,
        BuildKind,
        KeychainInfo,
        EnvironmentKind,
        Environment,
        EnvironmentInput,
        ProviderList,
        Provider,
        ScopeInfo,
        RedirectKind,
        ResponseMode,
        LinkRequest,
        LinkPreview,
        Severity,
        LintFinding,
        ConnectionStatus,
        Connection,
        ConnectionDetail,
        Fetched<()>,
        AccountWithBalance,
        Account,
        Balance,
        ErrorCode,
        ApiError,
        ErrorDetail,
        ErrorSummary,
        LinkWaitingEvent,
        LinkCompletedEvent,
        LinkFailedEvent,
        ConnectionUpdatedEvent,
    );
    names.sort();
    names.dedup();

    let mut index = String::from(
        "// Generated by linkscope-core (`cargo test -p linkscope-core export_bindings`). \
         Do not edit this file manually.\n",
    );
    for name in &names {
        index.push_str(&format!("export type {{ {name} }} from \"./{name}\";\n"));
    }
    std::fs::write(dir.join("index.ts"), index)?;

    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let is_ts = path.extension().is_some_and(|e| e == "ts");
        if is_ts && stem != "index" && !names.iter().any(|n| n == stem) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bindings_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings")
    }

    #[test]
    fn export_bindings_writes_one_file_per_type_and_a_barrel() {
        let dir = bindings_dir();
        let names = export_bindings(&dir).unwrap();
        for name in &names {
            assert!(
                dir.join(format!("{name}.ts")).is_file(),
                "{name}.ts must exist"
            );
        }
        let index = std::fs::read_to_string(dir.join("index.ts")).unwrap();
        assert!(index.contains("export type { Connection } from \"./Connection\";"));
    }

    #[test]
    fn field_names_are_camel_case_and_enums_snake_case() {
        let info = KeychainInfo {
            available: false,
            detail: None,
        };
        let value = serde_json::to_value(AppInfo {
            version: "0.1.0".into(),
            build: BuildKind::Dev,
            deep_link_scheme: "linkscope-dev".into(),
            keychain: info,
            data_dir: "/tmp/x".into(),
        })
        .unwrap();
        assert_eq!(value["deepLinkScheme"], "linkscope-dev");
        assert_eq!(value["build"], "dev");
        assert_eq!(
            serde_json::to_value(EnvironmentKind::TruelayerSandbox).unwrap(),
            "truelayer_sandbox"
        );
        assert_eq!(
            serde_json::to_value(ErrorCode::AccessDeniedByUser).unwrap(),
            "access_denied_by_user"
        );
    }

    #[test]
    fn api_error_omits_absent_detail_fields() {
        let err = ApiError {
            code: ErrorCode::Truelayer,
            message: "m".into(),
            detail: Some(ErrorDetail {
                status: Some(503),
                ..Default::default()
            }),
        };
        let value = serde_json::to_value(err).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"code": "truelayer", "message": "m", "detail": {"status": 503}})
        );
    }

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
            input.client_secret.as_ref().map(ClientSecretInput::expose),
            Some("s3cr3t-value")
        );
    }

    #[test]
    fn enum_names_round_trip_through_their_stored_form() {
        for kind in [
            EnvironmentKind::Builtin,
            EnvironmentKind::TruelayerSandbox,
            EnvironmentKind::TruelayerLive,
            EnvironmentKind::Custom,
        ] {
            assert_eq!(EnvironmentKind::parse(kind.as_str()), Some(kind));
        }
        for status in [
            ConnectionStatus::Active,
            ConnectionStatus::ReauthRequired,
            ConnectionStatus::Revoked,
            ConnectionStatus::Expired,
        ] {
            assert_eq!(ConnectionStatus::parse(status.as_str()), Some(status));
        }
    }
}
