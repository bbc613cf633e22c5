//! Connection DTOs: a connection as the UI sees it (never its tokens), its detail with decoded
//! claims, `connection://updated`, and what `extend_connection` answers.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use super::LinkPreview;

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
    /// `/me`'s `consent_status` when last read (`Authorised`, …).
    pub consent_status: Option<String>,
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

/// `read_me`'s answer: `GET /data/v1/me` as read just now, for the overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MeView {
    pub client_id: Option<String>,
    pub credentials_id: Option<String>,
    pub consent_status: Option<String>,
    pub consent_status_updated_at: Option<String>,
    pub consent_created_at: Option<String>,
    /// The bank's end of consent; `None` when the bank gives none.
    pub consent_expires_at: Option<String>,
    /// The end the consent clock uses: `/me`'s, else created + 90 days.
    pub consent_ends_at: String,
    /// Whether [`Self::consent_ends_at`] is created + 90 days (the bank gave no date).
    pub consent_end_is_fallback: bool,
    pub provider_id: Option<String>,
    pub provider_name: Option<String>,
    pub scopes: Vec<String>,
    pub read_at: String,
}

/// `inspect_access_token`'s answer: the access token's JOSE header and claims (decoded, never
/// the token itself) and whether its signature verifies against the environment's JWKS.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccessTokenInspection {
    #[ts(type = "Record<string, unknown>")]
    pub header: Map<String, Value>,
    #[ts(type = "Record<string, unknown>")]
    pub claims: Map<String, Value>,
    pub signature: TokenSignature,
}

/// An access token's signature check (RS256 against the JWKS key its `kid` names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum TokenSignature {
    Verified { kid: String },
    NotVerified { reason: String },
}

/// Event `connection://updated`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionUpdatedEvent {
    pub connection: Connection,
}

/// What `/connections/extend` asked of the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExtendAction {
    ReconfirmationOfConsentNeeded,
    AuthenticationNeeded,
}

/// `extend_connection`'s answer: renewed at once, or a link session around TrueLayer's
/// `user_input_link` (open it with `open_link`; its redirect renews this connection and ends
/// with `link://completed` for `preview.sessionId`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExtendOutcome {
    Renewed {
        connection: Box<Connection>,
    },
    UserInputNeeded {
        action: ExtendAction,
        preview: LinkPreview,
    },
}
