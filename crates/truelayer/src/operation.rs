//! [`Operation`]: the name of every call this client makes, used in errors, recordings and the
//! app's coverage matrix. Owns only names; must not carry data.

use std::fmt;

use serde::Serialize;

/// Every call the client makes to TrueLayer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Operation {
    /// `POST /connect/token`, `grant_type=authorization_code`.
    ExchangeCode,
    /// `POST /connect/token`, `grant_type=refresh_token`.
    RefreshToken,
    /// `POST /connect/token`, `grant_type=client_credentials`.
    ClientCredentials,
    /// `GET /api/providers`.
    Providers,
    /// `GET /.well-known/openid-configuration/jwks` (the auth server's token-signing keys).
    TokenJwks,
    /// `GET {jku}`: the keys a webhook's `Tl-Signature` names (see `webhook.rs`).
    WebhookJwks,
    /// `DELETE /api/delete`.
    DeleteConnection,
    /// `POST /data/v1/connections/extend`.
    ExtendConnection,
    /// `GET /data/v1/me`.
    Me,
    /// `GET /data/v1/info`.
    Info,
    /// `GET /data/v1/accounts`.
    Accounts,
    /// `GET /data/v1/accounts/{id}`.
    Account,
    /// `GET /data/v1/accounts/{id}/balance`.
    AccountBalance,
    /// `GET /data/v1/accounts/{id}/transactions`.
    AccountTransactions,
    /// `GET /data/v1/accounts/{id}/transactions/pending`.
    AccountPendingTransactions,
    /// `GET /data/v1/accounts/{id}/standing_orders`.
    StandingOrders,
    /// `GET /data/v1/accounts/{id}/direct_debits`.
    DirectDebits,
    /// `GET /data/v1/cards`.
    Cards,
    /// `GET /data/v1/cards/{id}`.
    Card,
    /// `GET /data/v1/cards/{id}/balance`.
    CardBalance,
    /// `GET /data/v1/cards/{id}/transactions`.
    CardTransactions,
    /// `GET /data/v1/cards/{id}/transactions/pending`.
    CardPendingTransactions,
    /// `POST /data/v1/batch/transactions`.
    BatchTransactions,
    /// `GET /data/v1/batch/results`.
    BatchResults,
    /// `GET {results_uri}` of an async task.
    AsyncResults,
    /// `GET /signup-plus/accounts`.
    SignupPlusAccounts,
    /// `POST /verification/v1/verify`.
    VerifyName,
    /// `POST /v3/account-holder-verifications/requests` (signed).
    CreateHolderVerification,
    /// `GET /v3/account-holder-verifications/requests/{id}`.
    HolderVerification,
    /// `POST /v3/bank-lookup`.
    BankLookup,
    /// `GET {tracking}/v1/tracked-events` (Client Tracking API).
    TrackedEvents,
}

impl Operation {
    /// The snake_case name (`exchange_code`, `account_balance`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::ExchangeCode => "exchange_code",
            Operation::RefreshToken => "refresh_token",
            Operation::ClientCredentials => "client_credentials",
            Operation::Providers => "providers",
            Operation::TokenJwks => "token_jwks",
            Operation::WebhookJwks => "webhook_jwks",
            Operation::DeleteConnection => "delete_connection",
            Operation::ExtendConnection => "extend_connection",
            Operation::Me => "me",
            Operation::Info => "info",
            Operation::Accounts => "accounts",
            Operation::Account => "account",
            Operation::AccountBalance => "account_balance",
            Operation::AccountTransactions => "account_transactions",
            Operation::AccountPendingTransactions => "account_pending_transactions",
            Operation::StandingOrders => "standing_orders",
            Operation::DirectDebits => "direct_debits",
            Operation::Cards => "cards",
            Operation::Card => "card",
            Operation::CardBalance => "card_balance",
            Operation::CardTransactions => "card_transactions",
            Operation::CardPendingTransactions => "card_pending_transactions",
            Operation::BatchTransactions => "batch_transactions",
            Operation::BatchResults => "batch_results",
            Operation::AsyncResults => "async_results",
            Operation::SignupPlusAccounts => "signup_plus_accounts",
            Operation::VerifyName => "verify_name",
            Operation::CreateHolderVerification => "create_holder_verification",
            Operation::HolderVerification => "holder_verification",
            Operation::BankLookup => "bank_lookup",
            Operation::TrackedEvents => "tracked_events",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
