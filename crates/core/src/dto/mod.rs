//! The IPC contract's data-transfer objects (v1): plain data that crosses to the UI as JSON and is
//! mirrored in TypeScript under `ui/src/bindings/` by ts-rs ([`crate::bindings`]). One file per
//! domain; this one holds what every domain shares (app info, error shapes) and re-exports the
//! rest, so the whole contract is `crate::dto::*`.
//!
//! Rules this module keeps: field names are camelCase, string enums are snake_case, timestamps
//! are RFC 3339 strings, money is a JSON number plus a `currency`. No DTO may hold a secret: the
//! inbound secrets (`EnvironmentInput::client_secret`, `SigningKeyInput::private_key_pem`) are
//! the TrueLayer client's `ClientSecret` and `SigningKey`, which have no `Serialize`, no `Clone`
//! and a redacted `Debug`, so an outbound DTO that tried to carry one would not compile.

mod async_mode;
mod connections;
mod data;
mod holder;
mod inspect;
mod link;
mod redirects;
mod snapshots;
mod transactions;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

pub use async_mode::*;
pub use connections::*;
pub use data::*;
pub use holder::*;
pub use inspect::*;
pub use link::*;
pub use redirects::*;
pub use snapshots::*;
pub use transactions::*;

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

/// The closed list of error codes the UI branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidCallback,
    UnknownState,
    /// The redirect's link was already completed (or failed) once: a link is single use.
    LinkAlreadyUsed,
    /// A re-consent came back with another bank; it can be kept as a new connection.
    DifferentConnection,
    LinkExpired,
    AccessDeniedByUser,
    TokenExchangeFailed,
    ReauthRequired,
    ConsentExpired,
    NotFound,
    Validation,
    Truelayer,
    Network,
    Cancelled,
    /// The keychain failed or did not answer: nothing changed; the UI offers to retry.
    KeychainUnavailable,
    /// The change needs the user's confirmation: the UI shows the message and resends with it.
    ConfirmationRequired,
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
    /// Which of the causes TrueLayer folds into one code (most are `invalid_grant`) this was,
    /// when core could tell from the body's reason or its own records.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cause: Option<ErrorCause>,
}

/// The cause behind a token-endpoint or data error, each with its own sentence and next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCause {
    /// The code was exchanged more than 5 minutes after the bank issued it.
    CodeExpired,
    /// The code had already been exchanged once.
    CodeAlreadyUsed,
    /// The exchange's redirect_uri is not the one the link was sent with.
    RedirectUriMismatch,
    /// The PKCE code_verifier does not belong to the link's code_challenge.
    PkceMismatch,
    /// The client_id or secret is unknown, wrong, or from the other environment.
    WrongClient,
    /// The refresh token was not used for 30 days and expired.
    RefreshTokenIdle,
    /// The consent's 90 days (or the bank's date) are over.
    ConsentEnded,
    /// The connection was revoked.
    ConnectionRevoked,
    /// Transactions older than 90 days, asked for after the minutes following the login.
    HistoricalWindow,
}

#[cfg(test)]
mod tests {
    use super::*;

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
