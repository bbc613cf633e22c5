//! The typed TrueLayer client. GUI-free: nothing here may depend on tauri, touch the keychain or
//! the disk, or keep state between calls beyond the HTTP connection pool. Facts it implements:
//! `shared/truelayer/API.md` (TrueLayer's Data API v1, auth server, Signup+, verification).
//!
//! # Shape
//!
//! - [`Environment`]: auth URL + API URL (data, so TrueLayer sandbox, live, the built-in sandbox
//!   or a proxy) + [`ClientId`] + [`ClientSecret`] + registered [`RedirectUri`]s. Presets:
//!   [`Environment::truelayer_sandbox`], [`Environment::truelayer_live`].
//! - [`Client`]: one environment and one HTTP path (reqwest, rustls, redirects off, timeouts,
//!   retries, the recording hook). Cheap to clone; every call is `async` and `&self`.
//! - Secrets are types ([`ClientSecret`], [`AccessToken`], [`RefreshToken`],
//!   [`AuthorizationCode`], [`PkceVerifier`], [`CsrfState`]): `Debug` prints `[REDACTED]`, no
//!   `Serialize`, `PartialEq` or `Clone`. Store one with `.secret()`, rebuild it from the stored
//!   string with `::new(stored)`.
//! - One error type, [`Error`]; TrueLayer's own answers are [`ApiError`] (status, code,
//!   description, details, [`TraceIds`], Retry-After, raw body) and [`Error::explain`] gives one
//!   sentence with what to do next.
//!
//! # Linking (what a link session in `core` does)
//!
//! ```no_run
//! # async fn demo(env: linkscope_truelayer::Environment, redirect_url: &str) -> linkscope_truelayer::Result<()> {
//! use linkscope_truelayer::*;
//! let client = Client::new(env)?;
//! let link = client
//!     .auth_link(RedirectUri::new("http://127.0.0.1:53682/callback")?)
//!     .scopes([Scope::INFO, Scope::ACCOUNTS, Scope::BALANCE, Scope::TRANSACTIONS, Scope::OFFLINE_ACCESS])
//!     .providers(["uk-cs-mock", "uk-ob-all", "uk-oauth-all"])
//!     .build();                                    // fresh state + PKCE S256 every time
//! let findings = link.lint(client.environment());  // Vec<Finding>{severity, code, message}
//! let (url, pending) = link.into_parts();          // open `url`; keep `pending` (secrets)
//! // … the redirect arrives with ?code=…&state=… (parsed by core) …
//! # let (code, state) = ("", "");
//! if !pending.state.matches(state) { /* reject: nothing is exchanged */ }
//! let tokens: TokenSet = client
//!     .exchange_code(AuthorizationCode::new(code), pending.pkce_verifier, &pending.redirect_uri)
//!     .await?;                                      // never retried: codes are single use
//! # Ok(()) }
//! ```
//!
//! # Tokens and lifecycle
//!
//! [`Client::refresh`] (safe to call from a single-flight in core; store the refresh token that
//! comes back before using the new access token), [`Client::client_credentials`],
//! [`Client::extend_connection`] → [`ExtendOutcome`] (`NoActionNeeded(TokenSet)`, or a
//! `user_input_link` plus a [`PendingAuthorization`] completed exactly like a link),
//! [`Client::delete_connection`]. [`TokenSet::expires_at`] drives proactive refresh; an
//! [`ApiError`] with code `invalid_token` on a data call means refresh once and retry.
//!
//! # Data
//!
//! Each Data API v1 endpoint is a method returning [`ApiResponse<T>`] = `{data, raw, status,
//! trace_ids}`: `raw` is the exact body for the raw-JSON toggle. Models keep unknown fields in
//! `extra` and tolerate the spec's inconsistencies. [`DataRequest`] names every read as data
//! (with [`DataRequest::required_scope`] for a coverage matrix, and
//! [`DataRequest::supports_async`]: not `/me` or `/info`) and drives [`Client::data`] and
//! async mode ([`Client::start_async`] → [`Client::poll_async_body`] / [`Client::wait_async`],
//! or [`Client::run_async`] with a status callback; bounded by [`PollOptions`]).
//! [`Client::transactions_windowed`] fetches long ranges in ≤3-month windows, concurrently,
//! in order, with progress and a [`CancelToken`]. Also [`Client::providers`],
//! [`Client::batch_transactions`] / [`Client::batch_results`],
//! [`Client::signup_plus_accounts`] ([`SignupPlusAccounts`]) and [`Client::verify_name`].
//! [`Client::token_jwks`] + [`inspect_jwt`] check an access token's RS256 signature.
//! Verification v3: [`Client::create_holder_verification`] (signed with a [`RequestSigner`]),
//! [`Client::holder_verification`], [`Client::bank_lookup`]. Client tracking:
//! [`Client::tracked_events`] ([`TrackedEvent`]s of a link's `tracking_id`, on the environment's
//! [`Environment::tracking_url`]).
//!
//! # Recording
//!
//! [`ClientBuilder::observer`] takes an [`Observer`] that receives every attempt as an
//! [`Exchange`] (method, URL, status, duration, headers, bodies, trace ids) **after** redaction:
//! Authorization, client_secret, code, code_verifier, refresh_token and access_token are replaced
//! by [`REDACTED`] in URLs, forms, JSON bodies and headers, as is any literal secret of the call
//! and anything shaped like a JWT. [`MemoryRecorder`] keeps exchanges in memory.
//!
//! # Reliability
//!
//! [`Timeouts`] (connect 10 s, whole exchange 60 s) and [`RetryPolicy`] (3 retries, 250 ms
//! doubling to 8 s with jitter, Retry-After honoured up to 30 s). Reads retry 429/503/504,
//! timeouts and refused connections; refresh, client_credentials and extend only retry what
//! cannot have been processed (429, 503, refused connection); a code exchange never retries.
//! Inject another [`Transport`] with [`ClientBuilder::transport`].

mod account_holder;
mod auth_link;
mod cancel;
mod client;
mod connections;
pub mod data;
mod environment;
mod error;
mod http;
mod jwks;
mod lenient;
pub mod lint;
mod operation;
mod record;
mod secret;
mod signup_plus;
#[cfg(test)]
mod spec_examples;
mod token;
mod tracking;
mod types;
mod verification;
mod webhook;

pub use account_holder::{
    AccountIdentifier, BankLookup, HolderVerification, MatchResult, RequestSigner,
};
pub use auth_link::{AuthLink, AuthLinkBuilder, PendingAuthorization, DEFAULT_PROVIDERS};
pub use cancel::CancelToken;
pub use client::{Client, ClientBuilder};
pub use connections::{ExtendOutcome, ExtendRequest, ExtendUser};
pub use data::async_mode::{
    AsyncMode, AsyncObserver, AsyncPoll, AsyncStatus, AsyncTask, PollOptions,
};
pub use data::models::{
    Account, AccountBalance, AccountNumber, Address, Availability, BatchData, BatchItem,
    BatchResults, Card, CardBalance, DirectDebit, Extra, Info, Me, Money, Provider, ProviderInfo,
    StandingOrder, Transaction,
};
pub use data::transactions_windowed::{
    BoundaryDedup, TransactionSource, WindowPage, WindowProgress, WindowedRequest,
    WindowedTransactions,
};
pub use data::{ApiResponse, BatchRequest, DataRequest, DateRange, ProvidersQuery};
pub use environment::{
    Environment, TRUELAYER_LIVE_API_URL, TRUELAYER_LIVE_AUTH_URL, TRUELAYER_LIVE_TRACKING_URL,
    TRUELAYER_SANDBOX_API_URL, TRUELAYER_SANDBOX_AUTH_URL, TRUELAYER_SANDBOX_TRACKING_URL,
};
pub use error::{
    explain, ApiError, AsyncFailure, DecodeError, Error, Result, TraceIds, TransportErrorKind,
};
pub use http::{ReqwestTransport, RetryPolicy, Timeouts, Transport, TransportError};
pub use jwks::{inspect_jwt, JwtInspection, SignatureCheck};
pub use lenient::Timestamp;
pub use lint::{lint_auth_link, Finding, Severity};
pub use operation::Operation;
pub use record::{
    Exchange, MemoryRecorder, Observer, REDACTED, TOKEN_ANSWER_ALLOWED, UNPARSED_SECRET_BODY,
};
pub use secret::{
    AccessToken, AuthorizationCode, ClientSecret, CsrfState, PkceChallenge, PkceVerifier,
    RefreshToken, SigningKey,
};
pub use signup_plus::{
    MultipleAccountsLinked, SignupPlusAccount, SignupPlusAccountDetails, SignupPlusAccounts,
    SignupPlusIdentity,
};
pub use token::TokenSet;
pub use tracking::{TrackedEvent, TrackedEventName, MAX_TRACKING_ID_CHARS};
pub use types::{ClientId, RedirectUri, ResponseMode, Scope};
pub use verification::{AccountHolder, Verification, VerificationReport, MAX_NAME_CHARS};
pub use webhook::{WebhookCheck, WebhookDelivery, WEBHOOK_TIMESTAMP_HEADER};
