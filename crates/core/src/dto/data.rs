//! Data-view DTOs: [`Fetched`] (the data plus the exact bodies and trace ids), accounts, cards and
//! their balances, standing orders, direct debits, identity, Signup+ and name verification.

use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

use super::ApiError;

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
