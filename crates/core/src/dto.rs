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

impl<T> Fetched<T> {
    /// The same answer with its data turned into another shape (raw bodies and trace ids kept).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Fetched<U> {
        Fetched {
            data: f(self.data),
            raw: self.raw,
            trace_ids: self.trace_ids,
            fetched_at: self.fetched_at,
        }
    }
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

// ---------------------------------------------------------------- issue 6: data views

/// A card (`GET /cards` item). The card's id is `accountId`, as TrueLayer names it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Card {
    pub account_id: String,
    pub card_network: Option<String>,
    pub card_type: Option<String>,
    pub currency: String,
    pub display_name: String,
    pub partial_card_number: Option<String>,
    pub name_on_card: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

/// A card's balance (`GET /cards/{id}/balance`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardBalance {
    pub currency: String,
    pub available: Option<f64>,
    pub current: f64,
    pub credit_limit: Option<f64>,
    pub last_statement_balance: Option<f64>,
    pub last_statement_date: Option<String>,
    pub payment_due: Option<f64>,
    pub payment_due_date: Option<String>,
    pub update_timestamp: Option<String>,
}

/// A card with its balance, or the error the balance call met.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardWithBalance {
    pub card: Card,
    pub balance: Option<CardBalance>,
    pub balance_error: Option<ApiError>,
}

/// Whose transactions: an account's or a card's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TransactionSource {
    Account,
    Card,
}

/// `fetch_transactions`' input. The UI picks `fetchId`, so it can follow progress and cancel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FetchTransactionsInput {
    pub fetch_id: String,
    pub connection_id: String,
    pub source: TransactionSource,
    /// The account's or the card's id.
    pub account_id: String,
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    pub to: String,
}

/// A transaction as the table shows it (the exact item TrueLayer sent is in
/// [`TransactionPage::raw`]).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub transaction_id: String,
    /// RFC 3339 when TrueLayer's timestamp could be read, else as sent.
    pub timestamp: String,
    pub description: String,
    pub merchant_name: Option<String>,
    pub amount: f64,
    pub currency: String,
    pub transaction_type: String,
    pub transaction_category: String,
    pub classification: Vec<String>,
    /// From TrueLayer when given, else derived by core (see the transactions module).
    pub running_balance: Option<f64>,
    pub pending: bool,
}

/// One point of the balance-over-time chart: the balance at the end of `date`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BalancePoint {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub balance: f64,
}

/// What a finished fetch holds; the rows themselves are read page by page with
/// `query_transactions`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionFetchSummary {
    pub fetch_id: String,
    /// Settled transactions (each once).
    pub total: u32,
    pub currency: String,
    /// How many windows of at most three months were fetched.
    pub windows: u32,
    /// Pending transactions, shown apart (not in `total`, not in the pages).
    pub pending: Vec<Transaction>,
    /// Why the pending transactions could not be read (the settled ones still were).
    pub pending_error: Option<ApiError>,
    /// The first and last day with a settled transaction (`YYYY-MM-DD`), if any.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// End-of-day balances, oldest first, at most one point per day and at most 400 points
    /// (longer spans keep the last day of each bucket).
    pub balance_series: Vec<BalancePoint>,
    pub trace_ids: Vec<String>,
    pub fetched_at: String,
}

/// How `query_transactions` sorts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TransactionSortField {
    Timestamp,
    Amount,
    Description,
}

/// A page request over a finished fetch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionQuery {
    pub fetch_id: String,
    pub offset: u32,
    /// At most 1000 (larger values are cut).
    pub limit: u32,
    /// Case-insensitive substring of the description or the merchant name.
    pub search: Option<String>,
    pub sort: TransactionSortField,
    pub descending: bool,
}

/// One page of rows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionPage {
    /// Rows matching the search (all pages).
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<Transaction>,
    /// The exact TrueLayer item of each row, in the same order.
    #[ts(type = "Array<unknown>")]
    pub raw: Vec<Value>,
}

/// Event `transactions://progress`: one per window that arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FetchProgressEvent {
    pub fetch_id: String,
    pub windows_done: u32,
    pub windows_total: u32,
    /// Transactions received so far.
    pub rows: u32,
}

/// A standing order (`GET /accounts/{id}/standing_orders` item).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StandingOrder {
    pub frequency: String,
    pub status: Option<String>,
    pub timestamp: String,
    pub currency: Option<String>,
    pub payee: Option<String>,
    pub reference: Option<String>,
    pub next_payment_date: Option<String>,
    pub next_payment_amount: Option<f64>,
    pub first_payment_date: Option<String>,
    pub first_payment_amount: Option<f64>,
    pub final_payment_date: Option<String>,
    pub final_payment_amount: Option<f64>,
}

/// A direct debit mandate (`GET /accounts/{id}/direct_debits` item).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectDebit {
    pub direct_debit_id: String,
    pub name: String,
    pub status: Option<String>,
    pub timestamp: String,
    pub previous_payment_timestamp: Option<String>,
    pub previous_payment_amount: Option<f64>,
    pub currency: Option<String>,
}

/// A postal address. Signup+'s `address_line1`/`address_line2` are joined into `address`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    /// `country`, or `country_code` when that is what was sent.
    pub country: Option<String>,
}

/// `GET /info`: the account holder's identity.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    pub full_name: Option<String>,
    pub date_of_birth: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub addresses: Vec<Address>,
    pub update_timestamp: Option<String>,
}

/// A Signup+ identity, with the account it was read from flattened in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignupPlusIdentity {
    pub title: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub date_of_birth: Option<String>,
    pub address: Option<Address>,
    pub account_number: Option<String>,
    pub sort_code: Option<String>,
    pub iban: Option<String>,
    pub provider_id: Option<String>,
}

/// One account to choose from after `multiple_accounts_linked`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignupPlusAccount {
    pub account_id: String,
    pub display_name: Option<String>,
    pub account_type: Option<String>,
    pub currency: Option<String>,
    pub account_number: Option<String>,
    pub sort_code: Option<String>,
    pub iban: Option<String>,
}

/// Signup+'s two answers: an identity, or a list of accounts to ask again with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SignupPlusResult {
    Identity {
        identity: Box<SignupPlusIdentity>,
    },
    MultipleAccounts {
        detail: String,
        accounts: Vec<SignupPlusAccount>,
    },
}

/// How one account holder matched the name.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountHolderMatch {
    pub name: String,
    pub verified: bool,
    pub match_score: Option<f64>,
}

/// One account of a verification report.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VerificationReportItem {
    pub verifiable: bool,
    pub failure_code: Option<String>,
    pub failure_description: Option<String>,
    pub display_name: Option<String>,
    pub account_type: Option<String>,
    pub currency: Option<String>,
    pub provider_id: Option<String>,
    pub account_number: Option<String>,
    pub sort_code: Option<String>,
    pub iban: Option<String>,
    pub account_holders: Vec<AccountHolderMatch>,
}

/// `POST /verification/v1/verify`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VerificationResult {
    pub verified: bool,
    pub account_holder_name: Option<String>,
    pub match_score: Option<f64>,
    pub failure_code: Option<String>,
    pub failure_description: Option<String>,
    pub report: Vec<VerificationReportItem>,
}

// ---------------------------------------------------------------- issue 6: lifecycle

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

// ---------------------------------------------------------------- issue 6: request inspector

/// Which exchanges `list_requests` keeps: all, answered below 400, or 400+ / no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatusFilter {
    All,
    Success,
    Failure,
}

/// `list_requests`' filter (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestFilter {
    pub connection_id: Option<String>,
    pub status: RequestStatusFilter,
    /// Substring of the endpoint path.
    pub endpoint: Option<String>,
    /// Substring of the URL, trace id, bodies or error.
    pub text: Option<String>,
    /// At most 1000 (larger values are cut).
    pub limit: u32,
}

/// One recorded exchange in the inspector's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestSummary {
    /// Pass it to `get_request`.
    pub id: String,
    pub connection_id: Option<String>,
    pub started_at: String,
    pub method: String,
    pub url: String,
    pub endpoint: String,
    /// `null` when no answer came.
    pub status: Option<u16>,
    pub duration_ms: u32,
    /// `Tl-Trace-Id` (else the correlation id).
    pub trace_id: Option<String>,
    pub correlation_id: Option<String>,
    /// Why it failed: the transport error, else TrueLayer's error code or problem title.
    pub error: Option<String>,
}

/// One exchange in full (recorded after redaction: no secret is in it).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestDetail {
    pub summary: RequestSummary,
    pub request_headers: Vec<(String, String)>,
    /// JSON when the body is JSON, a form as an object, else the text; `null` when empty.
    #[ts(type = "unknown")]
    pub request_body: Value,
    pub response_headers: Vec<(String, String)>,
    #[ts(type = "unknown")]
    pub response_body: Value,
    /// The request as a curl command, with `$ACCESS_TOKEN`, `$CLIENT_SECRET`,
    /// `$REFRESH_TOKEN`, `$CODE`, `$CODE_VERIFIER` where secrets were.
    pub curl: String,
}

/// The format of a transactions export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Json,
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
        Card,
        CardBalance,
        CardWithBalance,
        TransactionSource,
        FetchTransactionsInput,
        Transaction,
        BalancePoint,
        TransactionFetchSummary,
        TransactionSortField,
        TransactionQuery,
        TransactionPage,
        FetchProgressEvent,
        StandingOrder,
        DirectDebit,
        Address,
        Identity,
        SignupPlusIdentity,
        SignupPlusAccount,
        SignupPlusResult,
        AccountHolderMatch,
        VerificationReportItem,
        VerificationResult,
        ExtendAction,
        ExtendOutcome,
        RequestStatusFilter,
        RequestFilter,
        RequestSummary,
        RequestDetail,
        ExportFormat,
        crate::workbench::dto::PersonaCatalog,
        crate::workbench::dto::PersonaGroupInfo,
        crate::workbench::dto::PersonaInfo,
        crate::workbench::dto::ExpectedCheck,
        crate::workbench::dto::OutcomeView,
        crate::workbench::dto::ArmedFault,
        crate::workbench::dto::CellStatus,
        crate::workbench::dto::CoverageCell,
        crate::workbench::dto::CoverageRow,
        crate::workbench::dto::RunStatus,
        crate::workbench::dto::CaseResult,
        crate::workbench::dto::PersonaRun,
        crate::workbench::dto::LinkAsPersonaInput,
        crate::workbench::dto::SandboxClock,
        crate::workbench::dto::FaultInput,
        crate::workbench::dto::SandboxFaults,
        crate::workbench::dto::SandboxJournal,
        crate::workbench::dto::CoverageReport,
        crate::workbench::dto::CoverageProgressEvent,
        crate::workbench::dto::ScenarioRunInput,
        crate::workbench::dto::ScenarioRun,
        crate::workbench::dto::ScenarioProgressEvent,
        crate::workbench::dto::ReportFormat,
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
