//! Core's one error type and its mapping onto the IPC contract's closed list of codes.
//!
//! Core never serializes an error: `src-tauri` turns an [`Error`] into `{code, message}` with
//! [`Error::code`] and [`Error::to_api_error`]. Messages are plain words with the next step; no
//! message may contain a secret (errors are built from our own text and TrueLayer's redacted
//! bodies only).

use chrono::{DateTime, Utc};

use crate::dto::{ApiError, ErrorCause, ErrorCode, ErrorDetail};

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
    /// A callback whose `state` belonged to a link that was already completed or failed once.
    #[error(
        "This redirect was already used: its link was completed (or refused) once, and a link \
         is single use. Nothing was stored. Build a new link to try again."
    )]
    LinkAlreadyUsed,
    /// A re-consent came back with another bank than the connection's: nothing was changed;
    /// the consent is held until the user keeps it as a new connection.
    #[error("{message}")]
    DifferentConnection { message: String },
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
    /// The refresh token was refused (`invalid_grant`), or there is none: the user must consent
    /// again. `detail` is TrueLayer's answer (with its cause) when a refresh was refused.
    #[error("{}", reauth_message(.detail.as_deref()))]
    ReauthRequired {
        connection_id: String,
        detail: Option<Box<ErrorDetail>>,
    },
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
            Self::LinkAlreadyUsed => ErrorCode::LinkAlreadyUsed,
            Self::DifferentConnection { .. } => ErrorCode::DifferentConnection,
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
            Self::ReauthRequired { detail, .. } => detail.as_deref(),
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

    /// A refused code exchange: its cause told apart (see [`grant_cause`]) and explained.
    pub(crate) fn token_exchange(e: &linkscope_truelayer::Error) -> Self {
        let mut detail = detail_of(e);
        detail.cause = grant_cause(e, &GrantRecords::default());
        let message = detail
            .cause
            .map(|c| cause_sentence(c).to_owned())
            .unwrap_or_else(|| e.explain());
        Self::TokenExchange {
            message,
            detail: Box::new(detail),
        }
    }
}

/// What the app itself knows about a refreshed grant, for when TrueLayer's answer names no
/// reason (its documented `invalid_grant` body is just `{"error":"invalid_grant"}`).
#[derive(Debug, Default, Clone, Copy)]
pub struct GrantRecords {
    /// When the refresh token was last used (or issued).
    pub refresh_token_used_at: Option<DateTime<Utc>>,
    /// When the consent ends (`/me`'s date, else created + 90 days).
    pub consent_ends_at: Option<DateTime<Utc>>,
}

/// TrueLayer: a refresh token not used for 30 days expires.
pub const REFRESH_TOKEN_IDLE_DAYS: i64 = 30;

/// Which cause is behind a token-endpoint refusal. TrueLayer answers `invalid_grant` for most
/// (API.md §4: code older than 5 minutes or reused, redirect mismatch, another client's grant,
/// expired or revoked refresh token) and `invalid_client` for bad credentials; its body may
/// carry `error_details.reason` (as in the spec's `invalid_request` example, and as the built-in
/// sandbox always does), which is read first. Without a reason, the app's own records decide
/// for a refresh; otherwise the cause stays unknown and the generic sentence is shown.
pub fn grant_cause(e: &linkscope_truelayer::Error, records: &GrantRecords) -> Option<ErrorCause> {
    let api = e.api()?;
    cause_of(api.code.as_deref()?, &reason_of(api), records, Utc::now())
}

/// [`grant_cause`] on TrueLayer's `error` code and lower-cased reason, at `now`.
fn cause_of(
    code: &str,
    reason: &str,
    records: &GrantRecords,
    now: DateTime<Utc>,
) -> Option<ErrorCause> {
    match code {
        "invalid_client" | "unauthorized_client" => return Some(ErrorCause::WrongClient),
        "invalid_grant" | "invalid_authorization_code" => {}
        _ => return None,
    }
    let has = |words: &[&str]| words.iter().any(|w| reason.contains(w));
    let from_reason = if has(&["already used", "reused", "already been used"]) {
        Some(ErrorCause::CodeAlreadyUsed)
    } else if has(&["redirect_uri", "redirect uri"]) {
        Some(ErrorCause::RedirectUriMismatch)
    } else if has(&["code_verifier", "code_challenge", "pkce"]) {
        Some(ErrorCause::PkceMismatch)
    } else if has(&["another client", "different client"]) {
        Some(ErrorCause::WrongClient)
    } else if has(&["not used for", "30 days", "inactivity"]) {
        Some(ErrorCause::RefreshTokenIdle)
    } else if has(&["consent"]) {
        Some(ErrorCause::ConsentEnded)
    } else if has(&["revoked"]) {
        Some(ErrorCause::ConnectionRevoked)
    } else if has(&[
        "code has expired",
        "code expired",
        "5 minutes",
        "code is expired",
    ]) {
        Some(ErrorCause::CodeExpired)
    } else {
        None
    };
    from_reason.or_else(|| {
        if records.consent_ends_at.is_some_and(|end| end <= now) {
            Some(ErrorCause::ConsentEnded)
        } else if records
            .refresh_token_used_at
            .is_some_and(|used| now - used > chrono::Duration::days(REFRESH_TOKEN_IDLE_DAYS))
        {
            Some(ErrorCause::RefreshTokenIdle)
        } else {
            None
        }
    })
}

/// The reason TrueLayer gave for an error, lower-cased: `error_details.reason`, else
/// `error_description`; empty when it gave none.
pub(crate) fn reason_of(api: &linkscope_truelayer::ApiError) -> String {
    api.details
        .as_ref()
        .and_then(|d| d.get("reason"))
        .and_then(|r| r.as_str())
        .or(api.description.as_deref())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// One plain sentence per cause: what happened and what to do next.
pub fn cause_sentence(cause: ErrorCause) -> &'static str {
    match cause {
        ErrorCause::CodeExpired => "the bank's code is older than 5 minutes (TrueLayer accepts a code for 5 minutes after the redirect), so nothing was stored; build a new link and complete it straight away.",
        ErrorCause::CodeAlreadyUsed => "this code was already exchanged once (a code works only once), so nothing new was stored; build a new link to link again.",
        ErrorCause::RedirectUriMismatch => "the redirect_uri sent with the code is not the one the link was built with, and TrueLayer requires the exact same URI; build a new link and complete it on the redirect it names.",
        ErrorCause::PkceMismatch => "the PKCE code_verifier does not belong to the link's code_challenge, so TrueLayer refused the code; build a new link (each link has its own PKCE pair).",
        ErrorCause::WrongClient => "TrueLayer does not accept this client_id and secret (a wrong value, or a sandbox client used against live); check the environment's credentials in Settings.",
        ErrorCause::RefreshTokenIdle => "the refresh token expired because it was not used for 30 days; the user must re-consent (Re-consent renews this same connection).",
        ErrorCause::ConsentEnded => "the consent is over (its 90 days, or the bank's end date, have passed); the user must re-consent (Re-consent renews this same connection).",
        ErrorCause::ConnectionRevoked => "the connection was revoked at TrueLayer, so its tokens no longer work; re-consent to link the bank again.",
        ErrorCause::HistoricalWindow => "transactions older than 90 days are only available for minutes after the user logs in; ask for the last 90 days or re-authenticate.",
    }
}

/// The sentence of [`Error::ReauthRequired`]: the cause when known.
fn reauth_message(detail: Option<&ErrorDetail>) -> String {
    match detail.and_then(|d| d.cause) {
        Some(cause) => format!(
            "This connection needs the user to consent again: {}",
            cause_sentence(cause)
        ),
        None => {
            "This connection needs the user to consent again (its refresh token was refused or \
                 there is none). Re-consent renews this same connection."
                .to_owned()
        }
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
        cause: None,
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
            (Error::LinkAlreadyUsed, ErrorCode::LinkAlreadyUsed),
            (
                Error::DifferentConnection {
                    message: "m".into(),
                },
                ErrorCode::DifferentConnection,
            ),
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
                    detail: None,
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
    fn each_token_endpoint_refusal_is_told_apart_by_its_reason_or_the_apps_records() {
        let now = Utc::now();
        let none = GrantRecords::default();
        let idle = GrantRecords {
            refresh_token_used_at: Some(now - chrono::Duration::days(31)),
            consent_ends_at: Some(now + chrono::Duration::days(50)),
        };
        let ended = GrantRecords {
            refresh_token_used_at: Some(now - chrono::Duration::days(1)),
            consent_ends_at: Some(now - chrono::Duration::days(1)),
        };
        // The reasons are the built-in sandbox's (crates/sandbox/src/auth/token.rs) and the
        // spec's examples; a bare invalid_grant falls back to the app's own records.
        let cases: Vec<(&str, &str, &GrantRecords, Option<ErrorCause>)> = vec![
            (
                "invalid_grant",
                "the authorization code has expired (codes are valid for 5 minutes)",
                &none,
                Some(ErrorCause::CodeExpired),
            ),
            (
                "invalid_grant",
                "the authorization code was already used at 2026-01-01t00:00:00z",
                &none,
                Some(ErrorCause::CodeAlreadyUsed),
            ),
            (
                "invalid_grant",
                "redirect_uri does not match the one used in the auth link",
                &none,
                Some(ErrorCause::RedirectUriMismatch),
            ),
            (
                "invalid_grant",
                "code_verifier does not match the code_challenge (s256)",
                &none,
                Some(ErrorCause::PkceMismatch),
            ),
            (
                "invalid_grant",
                "code_verifier is required: the auth link had a code_challenge",
                &none,
                Some(ErrorCause::PkceMismatch),
            ),
            (
                "invalid_grant",
                "the authorization code was issued to another client",
                &none,
                Some(ErrorCause::WrongClient),
            ),
            (
                "invalid_client",
                "unknown client_id or wrong client_secret",
                &none,
                Some(ErrorCause::WrongClient),
            ),
            (
                "unauthorized_client",
                "",
                &none,
                Some(ErrorCause::WrongClient),
            ),
            (
                "invalid_grant",
                "the refresh token expired: it was not used for 30 days",
                &none,
                Some(ErrorCause::RefreshTokenIdle),
            ),
            (
                "invalid_grant",
                "the consent expired at 2026-03-01t00:00:00z: the user must re-authenticate",
                &none,
                Some(ErrorCause::ConsentEnded),
            ),
            (
                "invalid_grant",
                "the connection was revoked",
                &none,
                Some(ErrorCause::ConnectionRevoked),
            ),
            (
                "invalid_grant",
                "",
                &idle,
                Some(ErrorCause::RefreshTokenIdle),
            ),
            ("invalid_grant", "", &ended, Some(ErrorCause::ConsentEnded)),
            ("invalid_grant", "", &none, None),
            (
                "provider_error",
                "the authorization code has expired",
                &none,
                None,
            ),
        ];
        for (code, reason, records, expected) in cases {
            assert_eq!(
                cause_of(code, reason, records, now),
                expected,
                "{code}: {reason:?}"
            );
        }
    }

    #[test]
    fn every_cause_has_its_own_sentence_with_a_next_step() {
        let causes = [
            ErrorCause::CodeExpired,
            ErrorCause::CodeAlreadyUsed,
            ErrorCause::RedirectUriMismatch,
            ErrorCause::PkceMismatch,
            ErrorCause::WrongClient,
            ErrorCause::RefreshTokenIdle,
            ErrorCause::ConsentEnded,
            ErrorCause::ConnectionRevoked,
            ErrorCause::HistoricalWindow,
        ];
        let sentences: std::collections::HashSet<&str> =
            causes.iter().map(|c| cause_sentence(*c)).collect();
        assert_eq!(
            sentences.len(),
            causes.len(),
            "no two causes share a sentence"
        );
        for sentence in sentences {
            assert!(
                sentence.ends_with('.') && sentence.contains(';'),
                "says what to do next: {sentence}"
            );
        }
        assert!(cause_sentence(ErrorCause::HistoricalWindow)
            .contains("ask for the last 90 days or re-authenticate"));
    }

    #[test]
    fn a_reauth_error_names_its_cause_when_known() {
        let with = Error::ReauthRequired {
            connection_id: "c".into(),
            detail: Some(Box::new(ErrorDetail {
                cause: Some(ErrorCause::RefreshTokenIdle),
                ..Default::default()
            })),
        };
        assert!(with.to_string().contains("not used for 30 days"), "{with}");
        let api = with.to_api_error();
        assert_eq!(
            api.detail.and_then(|d| d.cause),
            Some(ErrorCause::RefreshTokenIdle)
        );
        let without = Error::ReauthRequired {
            connection_id: "c".into(),
            detail: None,
        };
        assert!(without.to_string().contains("consent again"));
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
