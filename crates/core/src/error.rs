//! Core's one error type and its mapping onto the IPC contract's closed list of codes.
//!
//! Core never serializes an error: `src-tauri` turns an [`Error`] into `{code, message}` with
//! [`Error::code`] and [`Error::to_api_error`]. Messages are plain words with the next step; no
//! message may contain a secret (errors are built from our own text and TrueLayer's redacted
//! bodies only).

use crate::dto::{ApiError, ErrorCode, ErrorDetail};

/// Core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a redirect carried `error=` instead of a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// `error=access_denied`: the user cancelled or declined on the consent or bank page.
    UserDenied,
    /// Any other `error=` value: the bank or TrueLayer refused or failed.
    BankRefused,
}

/// Everything that can go wrong in core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A redirect that is not a well-formed callback for this app.
    #[error("This is not a valid Linkscope redirect: {0}")]
    InvalidCallback(String),
    /// A callback whose `state` matches no pending link (forged, from another app, or reused).
    #[error(
        "This redirect does not belong to a link Linkscope is waiting for (unknown or already \
         used state). Start a new link."
    )]
    UnknownState,
    /// The link session is older than its lifetime.
    #[error("This link has expired (links are valid for 10 minutes). Start a new link.")]
    LinkExpired,
    /// The redirect said the user or the bank refused.
    #[error("{message}")]
    Refused {
        kind: RefusalKind,
        /// TrueLayer's `error` value.
        error: String,
        /// TrueLayer's `error_description`, if any.
        description: Option<String>,
        message: String,
    },
    /// `POST /connect/token` with the code failed.
    #[error("The bank code could not be exchanged for tokens: {message}")]
    TokenExchange {
        message: String,
        detail: Box<ErrorDetail>,
    },
    /// The refresh token was refused (`invalid_grant`): the user must consent again.
    #[error("This connection needs the user to consent again (its refresh token was refused).")]
    ReauthRequired { connection_id: String },
    /// TrueLayer answered 403 `access_denied` on a data call: the consent has expired or was revoked.
    #[error("The consent for this connection has expired or was revoked. Re-consent to continue.")]
    ConsentExpired { detail: Box<ErrorDetail> },
    /// No such environment, connection, session…
    #[error("{what} not found: {id}")]
    NotFound { what: &'static str, id: String },
    /// Input from the UI that does not make sense.
    #[error("{0}")]
    Validation(String),
    /// Any other TrueLayer error, explained in plain words.
    #[error("{message}")]
    TrueLayer {
        message: String,
        detail: Box<ErrorDetail>,
    },
    /// TrueLayer (or the sandbox) could not be reached.
    #[error("Could not reach the server: {0}. Check the environment's URLs and your connection.")]
    Network(String),
    /// The system browser could not be started for a link.
    #[error(
        "Could not open your browser ({0}). Copy the link or scan its QR code to open it yourself."
    )]
    Browser(String),
    /// The user cancelled, or the operation was superseded.
    #[error("Cancelled.")]
    Cancelled,
    /// The keychain failed or did not answer in time: nothing was changed (a secret that could
    /// not be read is not a lost one).
    #[error(
        "The keychain is unavailable ({0}), so nothing was changed. Unlock it (or wait for it to \
         answer) and try again."
    )]
    KeychainUnavailable(String),
    /// A change that needs the user's explicit confirmation (the message says what it does).
    #[error("{0}")]
    ConfirmationRequired(String),
    /// The local database failed.
    #[error("Local database error: {0}")]
    Store(#[from] rusqlite::Error),
    /// A file-system error (data dir, sandbox state).
    #[error("File error: {0}")]
    Io(#[from] std::io::Error),
    /// A bug or an impossible state.
    #[error("Internal error: {0}")]
    Internal(String),
}

impl Error {
    /// The contract's code for this error (the UI branches on it).
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidCallback(_) => ErrorCode::InvalidCallback,
            Self::UnknownState => ErrorCode::UnknownState,
            Self::LinkExpired => ErrorCode::LinkExpired,
            Self::Refused {
                kind: RefusalKind::UserDenied,
                ..
            } => ErrorCode::AccessDeniedByUser,
            Self::Refused {
                kind: RefusalKind::BankRefused,
                ..
            } => ErrorCode::Truelayer,
            Self::TokenExchange { .. } => ErrorCode::TokenExchangeFailed,
            Self::ReauthRequired { .. } => ErrorCode::ReauthRequired,
            Self::ConsentExpired { .. } => ErrorCode::ConsentExpired,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::Validation(_) => ErrorCode::Validation,
            Self::TrueLayer { .. } => ErrorCode::Truelayer,
            Self::Network(_) => ErrorCode::Network,
            Self::Cancelled => ErrorCode::Cancelled,
            Self::KeychainUnavailable(_) => ErrorCode::KeychainUnavailable,
            Self::ConfirmationRequired(_) => ErrorCode::ConfirmationRequired,
            Self::Browser(_) | Self::Store(_) | Self::Io(_) | Self::Internal(_) => {
                ErrorCode::Internal
            }
        }
    }

    /// TrueLayer's part of the error (status, error code, trace id, raw body), if any.
    pub fn detail(&self) -> Option<&ErrorDetail> {
        match self {
            Self::TokenExchange { detail, .. }
            | Self::ConsentExpired { detail }
            | Self::TrueLayer { detail, .. } => Some(detail.as_ref()),
            _ => None,
        }
    }

    /// The IPC shape `{code, message, detail?}` (a DTO; the error itself is never serialized).
    pub fn to_api_error(&self) -> ApiError {
        let detail = match self {
            Self::Refused { error, .. } => Some(ErrorDetail {
                tl_error: Some(error.clone()),
                ..Default::default()
            }),
            _ => self.detail().cloned(),
        };
        ApiError {
            code: self.code(),
            message: self.to_string(),
            detail,
        }
    }

    /// Builds the refusal for an `error=` redirect, with a message in plain words.
    pub fn refused(error: &str, description: Option<&str>) -> Self {
        let kind = if error == "access_denied" {
            RefusalKind::UserDenied
        } else {
            RefusalKind::BankRefused
        };
        let said = description
            .map(|d| format!(" (\"{d}\")"))
            .unwrap_or_default();
        let message = match kind {
            RefusalKind::UserDenied => format!(
                "The user cancelled or declined the consent{said}. Nothing was saved; start a new \
                 link to try again."
            ),
            RefusalKind::BankRefused => format!(
                "The bank or TrueLayer refused the link with `{error}`{said}. Nothing was saved; \
                 try again, or pick another provider."
            ),
        };
        Self::Refused {
            kind,
            error: error.to_owned(),
            description: description.map(str::to_owned),
            message,
        }
    }

    /// Maps a TrueLayer client error: no answer → `network`; bad input → `validation`;
    /// everything else → `truelayer`, explained in plain words with TrueLayer's detail kept.
    pub fn from_tl(e: linkscope_truelayer::Error) -> Self {
        use linkscope_truelayer::Error as Tl;
        match &e {
            Tl::Transport { .. } => Self::Network(e.explain()),
            Tl::InvalidInput { .. } => Self::Validation(e.to_string()),
            Tl::Cancelled => Self::Cancelled,
            _ => Self::TrueLayer {
                message: e.explain(),
                detail: Box::new(detail_of(&e)),
            },
        }
    }

    pub(crate) fn internal(msg: impl std::fmt::Display) -> Self {
        Self::Internal(msg.to_string())
    }
}

/// TrueLayer's part of a client error: status, error code, trace id and the (redacted) body.
pub(crate) fn detail_of(e: &linkscope_truelayer::Error) -> ErrorDetail {
    let raw_body = match e {
        linkscope_truelayer::Error::Api(api) => Some(api.raw_body.as_str()),
        linkscope_truelayer::Error::Decode(d) => Some(d.raw_body.as_str()),
        linkscope_truelayer::Error::AsyncFailed(a) => Some(a.raw_body.as_str()),
        _ => None,
    };
    let raw = raw_body.filter(|b| !b.trim().is_empty()).map(|b| {
        serde_json::from_str(b).unwrap_or_else(|_| serde_json::Value::String(b.to_owned()))
    });
    ErrorDetail {
        status: e.status(),
        tl_error: e.code().map(str::to_owned),
        trace_id: e.trace_ids().and_then(|t| t.primary()).map(str::to_owned),
        raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_maps_to_its_contract_code() {
        let cases: Vec<(Error, ErrorCode)> = vec![
            (
                Error::InvalidCallback("x".into()),
                ErrorCode::InvalidCallback,
            ),
            (Error::UnknownState, ErrorCode::UnknownState),
            (Error::LinkExpired, ErrorCode::LinkExpired),
            (
                Error::refused("access_denied", None),
                ErrorCode::AccessDeniedByUser,
            ),
            (Error::refused("provider_error", None), ErrorCode::Truelayer),
            (
                Error::TokenExchange {
                    message: "m".into(),
                    detail: Box::default(),
                },
                ErrorCode::TokenExchangeFailed,
            ),
            (
                Error::ReauthRequired {
                    connection_id: "c".into(),
                },
                ErrorCode::ReauthRequired,
            ),
            (
                Error::ConsentExpired {
                    detail: Box::default(),
                },
                ErrorCode::ConsentExpired,
            ),
            (
                Error::NotFound {
                    what: "connection",
                    id: "c".into(),
                },
                ErrorCode::NotFound,
            ),
            (Error::Validation("x".into()), ErrorCode::Validation),
            (
                Error::TrueLayer {
                    message: "m".into(),
                    detail: Box::default(),
                },
                ErrorCode::Truelayer,
            ),
            (Error::Network("x".into()), ErrorCode::Network),
            (Error::Cancelled, ErrorCode::Cancelled),
            (Error::Internal("x".into()), ErrorCode::Internal),
        ];
        for (error, code) in cases {
            assert_eq!(error.code(), code, "{error:?}");
        }
    }

    #[test]
    fn a_user_refusal_says_nothing_was_saved_and_keeps_the_error_code() {
        let err = Error::refused("access_denied", Some("User cancelled"));
        let api = err.to_api_error();
        assert_eq!(api.code, ErrorCode::AccessDeniedByUser);
        assert!(api.message.contains("Nothing was saved"));
        assert!(api.message.contains("User cancelled"));
        assert_eq!(
            api.detail.and_then(|d| d.tl_error).as_deref(),
            Some("access_denied")
        );
    }
}
