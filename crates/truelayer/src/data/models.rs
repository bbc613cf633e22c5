//! Typed models of Data API v1 results (S-DATA schemas). Every model keeps the fields it does not
//! name in `extra` (a real bank sends fields the spec does not list; the raw view shows them) and
//! tolerates the spec's known inconsistencies (numbers as strings, `country` vs `country_code`,
//! offset-less timestamps). Only the fields without which a result is meaningless are required.
//! Models hold no secrets and serialize back to TrueLayer's field names.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::lenient::{self, Timestamp};

/// Unknown fields, kept verbatim.
pub type Extra = Map<String, Value>;

/// The provider an account, card or connection belongs to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Provider {
    /// e.g. `mock`, `ob-monzo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
    /// Deprecated by TrueLayer, still sent by some.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Deprecated by TrueLayer (note: `logo_uri` here, `logo_url` in `/api/providers`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_uri: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /me`: the connection's metadata.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Me {
    /// The client_id the token was issued to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The connection's id (base64, 44 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials_id: Option<String>,
    /// `Authorised`, … (other values undocumented).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_status: Option<String>,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_status_updated_at: Option<Timestamp>,
    /// When the user consented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_created_at: Option<Timestamp>,
    /// When the consent ends (banks need not send it: keep your own record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_expires_at: Option<Timestamp>,
    /// The bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    /// Granted scopes.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// e.g. `Feb2019`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_policy: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A postal address (`/info` and Signup+). The spec's schema says `country_code`, its examples
/// say `country`: both are read into `country`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Address {
    /// Free-form address (`/info`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// First line (Signup+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line1: Option<String>,
    /// Second line (Signup+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line2: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State or county.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Postcode.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub zip: Option<String>,
    /// Country, as the spec's examples send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Country, as the spec's schema names it. Use [`Address::country`] to read either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Address {
    /// The country, whichever of `country` and `country_code` was sent.
    pub fn country(&self) -> Option<&str> {
        self.country.as_deref().or(self.country_code.as_deref())
    }
}

/// `GET /info`: the account holder's identity ("almost all providers only populate full_name").
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Info {
    /// Full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// Date of birth (legacy field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<Timestamp>,
    /// Addresses (legacy field).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    /// Emails (rarely populated).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
    /// Phones (rarely populated).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<String>,
    /// Branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_id: Option<String>,
    /// When the bank last updated it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_timestamp: Option<Timestamp>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Account identifiers (UK, EU, US, AU variants).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AccountNumber {
    /// UK account number.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub number: Option<String>,
    /// UK sort code (`12-34-56`).
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub sort_code: Option<String>,
    /// BIC, or `NOT_SUPPORTED_BY_GEO` / `NOT_SUPPORTED_BY_PROVIDER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swift_bic: Option<String>,
    /// IBAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iban: Option<String>,
    /// US routing number.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub routing_number: Option<String>,
    /// AU BSB.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub bsb: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /accounts` item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// The account's id on this connection.
    pub account_id: String,
    /// `TRANSACTION`, `SAVINGS`, `BUSINESS_TRANSACTION`, `BUSINESS_SAVINGS`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    /// The name the bank shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// ISO 4217 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Identifiers.
    #[serde(default)]
    pub account_number: AccountNumber,
    /// The bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    /// When the bank last updated it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_timestamp: Option<Timestamp>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /accounts/{id}/balance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountBalance {
    /// ISO 4217 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Takes pending transactions into account and includes any overdraft.
    #[serde(
        default,
        deserialize_with = "lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub available: Option<f64>,
    /// The booked balance.
    #[serde(deserialize_with = "lenient::number")]
    pub current: f64,
    /// Arranged overdraft (transaction accounts).
    #[serde(
        default,
        deserialize_with = "lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub overdraft: Option<f64>,
    /// When the bank last updated it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_timestamp: Option<Timestamp>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An amount with its currency (`running_balance`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Money {
    /// The amount.
    #[serde(deserialize_with = "lenient::number")]
    pub amount: f64,
    /// ISO 4217 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A transaction on an account or a card (`AccountTransaction`, `CardTransaction`: the same
/// shape; card `meta` adds `cardNumber` and `location`, kept in `meta`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    /// TrueLayer: "may change between requests".
    pub transaction_id: String,
    /// TrueLayer: "will not change" (the stable id, when the provider supports it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normalised_provider_transaction_id: Option<String>,
    /// The bank's own id.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub provider_transaction_id: Option<String>,
    /// When it happened (often without an offset).
    pub timestamp: Timestamp,
    /// Free text from the bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Negative for debits.
    #[serde(deserialize_with = "lenient::number")]
    pub amount: f64,
    /// ISO 4217 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// `DEBIT` or `CREDIT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<String>,
    /// `PURCHASE`, `DIRECT_DEBIT`, … (open vocabulary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_category: Option<String>,
    /// Up to two levels, e.g. `["Entertainment", "Games"]`.
    #[serde(default)]
    pub transaction_classification: Vec<String>,
    /// Merchant, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_name: Option<String>,
    /// Balance after this transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_balance: Option<Money>,
    /// Provider-specific details (`provider_transaction_category`, `cardNumber`, …), verbatim.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub meta: Extra,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Transaction {
    /// The most stable identity available: the normalised id, else the provider's id, else
    /// `transaction_id`.
    pub fn stable_id(&self) -> &str {
        self.normalised_provider_transaction_id
            .as_deref()
            .or(self.provider_transaction_id.as_deref())
            .unwrap_or(&self.transaction_id)
    }
}

/// `GET /accounts/{id}/standing_orders` item. Amounts are strings in the schema and numbers in
/// the examples: both are read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StandingOrder {
    /// `EvryDay`, `IntrvlMnthDay:01:15`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
    /// `Active` or `Inactive`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// When the data was fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// ISO 4217 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Next payment date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_payment_date: Option<Timestamp>,
    /// Next payment amount.
    #[serde(
        default,
        deserialize_with = "lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_payment_amount: Option<f64>,
    /// First payment date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_payment_date: Option<Timestamp>,
    /// First payment amount.
    #[serde(
        default,
        deserialize_with = "lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub first_payment_amount: Option<f64>,
    /// Final payment date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_payment_date: Option<Timestamp>,
    /// Final payment amount.
    #[serde(
        default,
        deserialize_with = "lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub final_payment_amount: Option<f64>,
    /// Who is paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<String>,
    /// Payment reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// `provider_account_id`, verbatim.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub meta: Extra,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /accounts/{id}/direct_debits` item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectDebit {
    /// The mandate's id.
    pub direct_debit_id: String,
    /// When the data was fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// The originator's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Active` or `Inactive`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// When the last payment was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_payment_timestamp: Option<Timestamp>,
    /// The last payment's amount.
    #[serde(
        default,
        deserialize_with = "lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub previous_payment_amount: Option<f64>,
    /// ISO 4217 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// `provider_mandate_identification`, `provider_account_id`, …, verbatim.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub meta: Extra,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /cards` item (the path parameter of card endpoints is still called `account_id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// The card's id on this connection.
    pub account_id: String,
    /// `VISA`, `MASTERCARD`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_network: Option<String>,
    /// `CREDIT`, `CHARGE`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_type: Option<String>,
    /// ISO 4217 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The name the bank shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Last digits.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub partial_card_number: Option<String>,
    /// Name embossed (may have trailing spaces; kept as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_on_card: Option<String>,
    /// e.g. `2017-01`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// e.g. `2020-01`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<String>,
    /// When the bank last updated it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_timestamp: Option<Timestamp>,
    /// The bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /cards/{id}/balance` (`available` is a string in the schema, a number in examples).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardBalance {
    /// ISO 4217 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Available credit.
    #[serde(
        default,
        deserialize_with = "lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub available: Option<f64>,
    /// Current balance.
    #[serde(deserialize_with = "lenient::number")]
    pub current: f64,
    /// Credit limit.
    #[serde(
        default,
        deserialize_with = "lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub credit_limit: Option<f64>,
    /// Last statement balance.
    #[serde(
        default,
        deserialize_with = "lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_statement_balance: Option<f64>,
    /// Last statement date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_statement_date: Option<Timestamp>,
    /// Amount due.
    #[serde(
        default,
        deserialize_with = "lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_due: Option<f64>,
    /// Due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_due_date: Option<Timestamp>,
    /// When the bank last updated it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_timestamp: Option<Timestamp>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /batch/results`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchResults {
    /// `Succeeded`, `Queued`, `Running`, `Failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The batch task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// The range asked for (`from`, `to`), verbatim.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub request: Extra,
    /// Per account and card.
    #[serde(default)]
    pub results: BatchData,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The data of a batch.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BatchData {
    /// Per account.
    #[serde(default)]
    pub accounts: Vec<BatchItem<AccountBalance>>,
    /// Per card.
    #[serde(default)]
    pub cards: Vec<BatchItem<CardBalance>>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One account's or card's batch data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "B: Deserialize<'de>"))]
pub struct BatchItem<B> {
    /// The account or card id.
    pub account_id: String,
    /// Booked transactions.
    #[serde(default)]
    pub transactions: Vec<Transaction>,
    /// Pending transactions.
    #[serde(default)]
    pub pending_transactions: Vec<Transaction>,
    /// Balance (when asked for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<B>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One provider of `GET /api/providers` (a bare JSON array).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderInfo {
    /// e.g. `mock`, `ob-monzo`.
    pub provider_id: String,
    /// Bank name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Logo (`logo_url` here, unlike `logo_uri` on accounts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// Lower-case 2-letter country (`uk`, not `gb`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Scopes the provider supports.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Health, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<Availability>,
    /// Input steps (branch selection, …), verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Value>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A provider's health.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Availability {
    /// e.g. `healthy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended_status: Option<String>,
    /// When it was assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_keeps_unknown_fields_and_reads_a_numeric_account_number() {
        let json = r#"{"update_timestamp":"2017-02-07T17:29:24.740802Z","account_id":"f1234560abf9f57287637624def390871","account_type":"TRANSACTION","display_name":"Club Lloyds","currency":"GBP","account_number":{"iban":"GB35LOYD30963212345678","number":12345678,"sort_code":"30-96-32","swift_bic":"LOYDGB21F09","bank_extension":"x"},"provider":{"provider_id":"lloyds"},"nickname":"Bills"}"#;
        let account: Account = serde_json::from_str(json).unwrap();
        assert_eq!(account.account_number.number.as_deref(), Some("12345678"));
        assert_eq!(account.extra.get("nickname"), Some(&Value::from("Bills")));
        assert_eq!(
            account.account_number.extra.get("bank_extension"),
            Some(&Value::from("x"))
        );
        assert_eq!(
            account.provider.unwrap().provider_id.as_deref(),
            Some("lloyds")
        );
    }

    #[test]
    fn a_transaction_reads_the_spec_example_and_string_amounts() {
        let json = r#"{"transaction_id":"03c333979b729315545816aaa365c33f","timestamp":"2018-03-06T00:00:00","description":"GOOGLE PLAY STORE","amount":"-2.99","currency":"GBP","transaction_type":"DEBIT","transaction_category":"PURCHASE","transaction_classification":["Entertainment","Games"],"merchant_name":"Google play","running_balance":{"amount":"1238.60","currency":"GBP"},"meta":{"bank_transaction_id":"9882ks-00js","provider_transaction_category":"DEB"},"new_field":1}"#;
        let t: Transaction = serde_json::from_str(json).unwrap();
        assert_eq!(t.amount, -2.99);
        assert_eq!(t.running_balance.as_ref().unwrap().amount, 1238.60);
        assert_eq!(
            t.meta.get("provider_transaction_category"),
            Some(&Value::from("DEB"))
        );
        assert_eq!(t.extra.get("new_field"), Some(&Value::from(1)));
        assert_eq!(t.stable_id(), "03c333979b729315545816aaa365c33f");
        assert!(t.timestamp.to_utc().is_some());
    }

    #[test]
    fn a_transaction_without_an_amount_is_rejected() {
        let json = r#"{"transaction_id":"x","timestamp":"2018-03-06T00:00:00"}"#;
        assert!(serde_json::from_str::<Transaction>(json).is_err());
    }

    #[test]
    fn a_card_balance_reads_available_as_a_string() {
        let json = r#"{"available":"3279.0","currency":"GBP","current":20.0,"credit_limit":3300,"last_statement_balance":420.0,"last_statement_date":"2017-01-28","payment_due":"5.0","payment_due_date":"2017-02-24","update_timestamp":"2017-02-07T17:33:30.001222Z"}"#;
        let b: CardBalance = serde_json::from_str(json).unwrap();
        assert_eq!(b.available, Some(3279.0));
        assert_eq!(b.payment_due, Some(5.0));
        assert_eq!(b.credit_limit, Some(3300.0));
    }

    #[test]
    fn a_standing_order_reads_amounts_as_strings_or_numbers() {
        let json = r#"{"frequency":"IntrvlMnthDay:01:15","status":"Active","timestamp":"2018-03-06T00:00:00","currency":"GBP","meta":{"provider_account_id":"1"},"next_payment_date":"2018-03-15","next_payment_amount":"10.0","first_payment_amount":10,"payee":"Mr Landlord","reference":"Rent"}"#;
        let s: StandingOrder = serde_json::from_str(json).unwrap();
        assert_eq!(s.next_payment_amount, Some(10.0));
        assert_eq!(s.first_payment_amount, Some(10.0));
        assert_eq!(s.final_payment_amount, None);
    }

    #[test]
    fn an_address_reads_country_or_country_code() {
        let a: Address = serde_json::from_str(r#"{"city":"London","country":"GB"}"#).unwrap();
        let b: Address = serde_json::from_str(r#"{"city":"London","country_code":"GB"}"#).unwrap();
        let both: Address =
            serde_json::from_str(r#"{"country":"GB","country_code":"GB"}"#).unwrap();
        assert_eq!(a.country(), Some("GB"));
        assert_eq!(b.country(), Some("GB"));
        assert_eq!(
            both.country(),
            Some("GB"),
            "both spellings at once must not fail"
        );
    }

    #[test]
    fn providers_keep_steps_and_availability() {
        let json = r#"[{"provider_id":"mock","display_name":"Mock","country":"uk","logo_url":"https://x/mock.svg","scopes":["accounts"],"availability":{"recommended_status":"healthy","updated_at":"2023-05-23T10:11:54.501Z"}},{"provider_id":"stet-credit-agricole","steps":[{"title":"OAuthRedirect"}],"release_stage":"beta"}]"#;
        let providers: Vec<ProviderInfo> = serde_json::from_str(json).unwrap();
        assert_eq!(
            providers[0]
                .availability
                .as_ref()
                .unwrap()
                .recommended_status
                .as_deref(),
            Some("healthy")
        );
        assert_eq!(providers[1].steps.len(), 1);
        assert_eq!(
            providers[1].extra.get("release_stage"),
            Some(&Value::from("beta"))
        );
    }

    #[test]
    fn serializing_keeps_unknown_fields() {
        let json = r#"{"account_id":"a","account_number":{},"odd":{"x":[1,2]}}"#;
        let account: Account = serde_json::from_str(json).unwrap();
        let back = serde_json::to_value(&account).unwrap();
        assert_eq!(back["odd"], serde_json::json!({"x": [1, 2]}));
    }
}
