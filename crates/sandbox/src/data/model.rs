//! The shapes the mock bank hands out, serializing exactly as TrueLayer's Data API v1 and Signup+
//! schemas (`openapi/data-api-v1.json`, `signup-plus.json`). Plain data: no generation, no HTTP.
//!
//! Money is held in minor units (`i64` pence) so running balances add up exactly; it serializes
//! as a JSON number (`12.5`, `1000`) except where the schema types an amount as a string
//! (card `available`, standing-order amounts), where it is `"12.50"`.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use serde::{Serialize, Serializer};

/// A currency from the spec's enum (the mock bank only uses GBP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Currency {
    /// Pound sterling.
    #[serde(rename = "GBP")]
    Gbp,
    /// Euro.
    #[serde(rename = "EUR")]
    Eur,
}

/// An amount in minor units (pence), serialized as a JSON number of major units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Money(pub i64);

impl Money {
    /// The amount in major units, as TrueLayer's JSON number carries it.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 % 100 == 0 {
            serializer.serialize_i64(self.0 / 100)
        } else {
            // Correctly rounded division, printed shortest-round-trip: 1234 → 12.34 exactly.
            serializer.serialize_f64(self.as_f64())
        }
    }
}

/// An amount in minor units that the schema types as a *string*: serialized `"12.50"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct MoneyText(pub i64);

impl fmt::Display for MoneyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for MoneyText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Formats `YYYY-MM-DDTHH:MM:SS+00:00`, the posting-time style of TrueLayer's examples.
struct PostingTime<'a>(&'a DateTime<Utc>);

impl fmt::Display for PostingTime<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

/// Formats `YYYY-MM-DDTHH:MM:SS.mmmZ`, the style of `update_timestamp`.
struct UpdateTime<'a>(&'a DateTime<Utc>);

impl fmt::Display for UpdateTime<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.timestamp_subsec_millis().min(999)
        )
    }
}

/// Formats `YYYY-MM-DDT00:00:00+00:00` for a calendar date.
struct MidnightOf<'a>(&'a NaiveDate);

impl fmt::Display for MidnightOf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}T00:00:00+00:00",
            d.year(),
            d.month(),
            d.day()
        )
    }
}

fn ser_posting<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&PostingTime(t))
}

fn ser_opt_posting<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.collect_str(&PostingTime(t)),
        None => s.serialize_none(),
    }
}

fn ser_update<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&UpdateTime(t))
}

fn ser_midnight<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&MidnightOf(d))
}

fn ser_opt_midnight<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(&MidnightOf(d)),
        None => s.serialize_none(),
    }
}

fn ser_date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.format("%Y-%m-%d"))
}

macro_rules! hex_id {
    ($(#[$doc:meta])* $name:ident, $digits:expr, $prefix:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u128);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                const DIGITS: usize = $digits;
                let mask = if DIGITS >= 32 { u128::MAX } else { (1u128 << (4 * DIGITS)) - 1 };
                write!(f, "{}{:0width$x}", $prefix, self.0 & mask, width = DIGITS)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    };
}

hex_id!(
    /// `transaction_id`: 32 lower-case hex digits.
    TransactionId,
    32,
    ""
);
hex_id!(
    /// `normalised_provider_transaction_id`: `txn-` and 17 hex digits, stable across calls.
    NormalisedTransactionId,
    17,
    "txn-"
);
hex_id!(
    /// `provider_transaction_id`: 18 hex digits, like the Mock bank's.
    ProviderTransactionId,
    18,
    ""
);

/// `account_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AccountType {
    /// Current account.
    Transaction,
    /// Savings account.
    Savings,
    /// Business current account.
    BusinessTransaction,
    /// Business savings account.
    BusinessSavings,
}

impl AccountType {
    /// True for the two current-account types (which have an overdraft).
    pub fn is_current(self) -> bool {
        matches!(
            self,
            AccountType::Transaction | AccountType::BusinessTransaction
        )
    }

    /// Signup+'s / verification's account type word (`CURRENT`, `SAVINGS`, …).
    pub fn signup_word(self) -> &'static str {
        match self {
            AccountType::Transaction => "CURRENT",
            AccountType::Savings => "SAVINGS",
            AccountType::BusinessTransaction => "BUSINESS_CURRENT",
            AccountType::BusinessSavings => "BUSINESS_SAVINGS",
        }
    }
}

/// `account.provider` / `card.provider`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderRef {
    /// e.g. `mock`.
    pub provider_id: String,
    /// Deprecated in the spec but present in the Mock bank's answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Deprecated in the spec; the sandbox may set it to its own logo URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_uri: Option<String>,
}

/// `account.account_number`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountNumber {
    /// 8 digits.
    pub number: String,
    /// `01-21-31`.
    pub sort_code: String,
    /// BIC.
    pub swift_bic: String,
    /// IBAN with valid check digits.
    pub iban: String,
}

/// One item of `GET /accounts` (schema `Account`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// When the data was last refreshed.
    #[serde(serialize_with = "ser_update")]
    pub update_timestamp: DateTime<Utc>,
    /// 32 hex digits, derived from persona and account index: stable across runs and seeds.
    pub account_id: String,
    /// Current or savings (personal or business).
    pub account_type: AccountType,
    /// `TRANSACTION ACCOUNT 1` etc., as the Mock bank names them.
    pub display_name: String,
    /// GBP.
    pub currency: Currency,
    /// Number, sort code, BIC, IBAN.
    pub account_number: AccountNumber,
    /// The provider the user connected through.
    pub provider: ProviderRef,
}

/// `GET /accounts/{id}/balance` (schema `AccountBalance`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountBalance {
    /// GBP.
    pub currency: Currency,
    /// `current` + pending amounts + overdraft.
    pub available: Money,
    /// The settled balance: the last transaction's running balance.
    pub current: Money,
    /// Arranged overdraft (current accounts only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overdraft: Option<Money>,
    /// When the data was last refreshed.
    #[serde(serialize_with = "ser_update")]
    pub update_timestamp: DateTime<Utc>,
}

/// `transaction_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TransactionType {
    /// Money out (accounts: negative amount; cards: positive amount).
    Debit,
    /// Money in (accounts: positive amount; cards: negative amount).
    Credit,
}

/// `transaction_category` (the spec's enum, complete; variants serialize as `ATM`,
/// `BILL_PAYMENT`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TransactionCategory {
    Atm,
    BillPayment,
    Cash,
    Cashback,
    Cheque,
    Correction,
    Credit,
    DirectDebit,
    Dividend,
    FeeCharge,
    Interest,
    Other,
    Purchase,
    StandingOrder,
    Transfer,
    Debit,
    Unknown,
}

/// `running_balance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RunningBalance {
    /// Balance after this transaction (cards: the amount owed).
    pub amount: Money,
    /// GBP.
    pub currency: Currency,
}

/// `meta` of a transaction (account or card).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransactionMeta {
    /// The bank's own code: `DEB`, `DD`, `SO`, `TFR`, `CSH`, `DEP`, `INT`, `CHG`, `CHQ`, …
    pub provider_transaction_category: &'static str,
    /// Reference of a standing order, direct debit or transfer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_reference: Option<Cow<'static, str>>,
    /// The other side of a transfer, standing order or direct debit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counter_party_preferred_name: Option<&'static str>,
    /// Card transactions only: masked card number (`5354********1000`).
    #[serde(rename = "cardNumber", skip_serializing_if = "Option::is_none")]
    pub card_number: Option<&'static str>,
    /// Card transactions only: `INTERNET` or a town.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<&'static str>,
}

/// One settled or pending transaction (schemas `AccountTransaction` and `CardTransaction`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transaction {
    /// 32 hex digits (stable in this sandbox, although TrueLayer says it may change).
    pub transaction_id: TransactionId,
    /// `txn-<17 hex>`, stable.
    pub normalised_provider_transaction_id: NormalisedTransactionId,
    /// 18 hex digits.
    pub provider_transaction_id: ProviderTransactionId,
    /// Posting time (UTC).
    #[serde(serialize_with = "ser_posting")]
    pub timestamp: DateTime<Utc>,
    /// The bank's description (`TESCO STORES 3217`).
    pub description: Cow<'static, str>,
    /// Signed amount (see [`TransactionType`] for the sign convention).
    pub amount: Money,
    /// GBP.
    pub currency: Currency,
    /// Debit or credit.
    pub transaction_type: TransactionType,
    /// The spec's category.
    pub transaction_category: TransactionCategory,
    /// Up to two levels (`["Shopping", "Groceries"]`), possibly empty.
    pub transaction_classification: &'static [&'static str],
    /// Merchant, when the description names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_name: Option<&'static str>,
    /// Balance after the transaction; absent on pending transactions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub running_balance: Option<RunningBalance>,
    /// Provider-specific extras.
    pub meta: TransactionMeta,
}

/// `status` of a standing order or direct debit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum MandateStatus {
    /// Still paying.
    Active,
    /// Cancelled or finished.
    Inactive,
}

/// `meta` of a standing order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StandingOrderMeta {
    /// The bank's id of the paying account.
    pub provider_account_id: String,
}

/// One item of `GET /accounts/{id}/standing_orders` (schema `AccountStandingOrder`).
/// Amounts are strings because the schema says so (its example uses numbers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StandingOrder {
    /// TrueLayer's frequency code (`IntrvlMnthDay:01:28`, `IntrvlWkDay:01:05`, …).
    pub frequency: String,
    /// Active or inactive.
    pub status: MandateStatus,
    /// "Date and time the request was made": the data's update time.
    #[serde(serialize_with = "ser_posting")]
    pub timestamp: DateTime<Utc>,
    /// GBP.
    pub currency: Currency,
    /// Paying account.
    pub meta: StandingOrderMeta,
    /// Next execution on or after the anchor day (absent when inactive).
    #[serde(
        serialize_with = "ser_opt_midnight",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_payment_date: Option<NaiveDate>,
    /// Its amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_payment_amount: Option<MoneyText>,
    /// First execution.
    #[serde(
        serialize_with = "ser_opt_midnight",
        skip_serializing_if = "Option::is_none"
    )]
    pub first_payment_date: Option<NaiveDate>,
    /// Its amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_payment_amount: Option<MoneyText>,
    /// Last execution; `9999-12-31` for an open-ended order, as in TrueLayer's example.
    #[serde(
        serialize_with = "ser_opt_midnight",
        skip_serializing_if = "Option::is_none"
    )]
    pub final_payment_date: Option<NaiveDate>,
    /// Its amount (absent for open-ended orders).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_payment_amount: Option<MoneyText>,
    /// Who is paid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee: Option<String>,
    /// The reference the user set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// `meta` of a direct debit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectDebitMeta {
    /// The mandate's reference as the merchant set it.
    pub provider_mandate_identification: String,
    /// The bank's id of the paying account.
    pub provider_account_id: String,
    /// The bank's id of the mandate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_direct_debit_id: Option<String>,
}

/// One item of `GET /accounts/{id}/direct_debits` (schema `AccountDirectDebit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectDebit {
    /// 32 hex digits.
    pub direct_debit_id: String,
    /// "Date and time the request was made": the data's update time.
    #[serde(serialize_with = "ser_posting")]
    pub timestamp: DateTime<Utc>,
    /// The collecting merchant (`EDF ENERGY`).
    pub name: String,
    /// Active or inactive.
    pub status: MandateStatus,
    /// The last collection in the history.
    #[serde(
        serialize_with = "ser_opt_posting",
        skip_serializing_if = "Option::is_none"
    )]
    pub previous_payment_timestamp: Option<DateTime<Utc>>,
    /// Its amount (positive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_payment_amount: Option<Money>,
    /// GBP.
    pub currency: Currency,
    /// Mandate reference and ids.
    pub meta: DirectDebitMeta,
}

/// One item of `GET /cards` (schema `Card`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    /// 32 hex digits, derived from persona and card index.
    pub account_id: String,
    /// `MASTERCARD` / `VISA`.
    pub card_network: String,
    /// `CREDIT`.
    pub card_type: String,
    /// GBP.
    pub currency: Currency,
    /// `CREDIT CARD 1`.
    pub display_name: String,
    /// Last four digits (`1000`, `2000` as the Mock bank's).
    pub partial_card_number: String,
    /// `John Doe ` (with the Mock bank's trailing space).
    pub name_on_card: String,
    /// `YYYY-MM`.
    pub valid_from: String,
    /// `YYYY-MM`.
    pub valid_to: String,
    /// When the data was last refreshed.
    #[serde(serialize_with = "ser_update")]
    pub update_timestamp: DateTime<Utc>,
    /// The provider the user connected through.
    pub provider: ProviderRef,
}

/// `GET /cards/{id}/balance` (schema `CardBalance`). `available` is a string because the schema
/// says so (its example uses a number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardBalance {
    /// Credit limit − current − pending.
    pub available: MoneyText,
    /// GBP.
    pub currency: Currency,
    /// Amount owed now (settled).
    pub current: Money,
    /// Credit limit.
    pub credit_limit: Money,
    /// Amount owed at the last statement.
    pub last_statement_balance: Money,
    /// Last statement day (`YYYY-MM-DD`, as in the spec's example).
    #[serde(serialize_with = "ser_date")]
    pub last_statement_date: NaiveDate,
    /// Minimum payment of the last statement (0 once paid).
    pub payment_due: Money,
    /// Its due day.
    #[serde(serialize_with = "ser_date")]
    pub payment_due_date: NaiveDate,
    /// When the data was last refreshed.
    #[serde(serialize_with = "ser_update")]
    pub update_timestamp: DateTime<Utc>,
}

/// One postal address of `/info` (the legacy fixture's shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InfoAddress {
    /// Street line(s).
    pub address: String,
    /// Town.
    pub city: String,
    /// County.
    pub state: String,
    /// Postcode.
    pub zip: String,
    /// `GB`.
    pub country: String,
}

/// `GET /info` (schema `Info`, plus the legacy `date_of_birth` and `addresses`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Info {
    /// `John Doe`.
    pub full_name: String,
    /// Email addresses.
    pub emails: Vec<String>,
    /// Phone numbers (E.164).
    pub phones: Vec<String>,
    /// Birth date at midnight (`YYYY-MM-DDT00:00:00+00:00`).
    #[serde(serialize_with = "ser_midnight")]
    pub date_of_birth: NaiveDate,
    /// Postal addresses.
    pub addresses: Vec<InfoAddress>,
    /// When the data was last refreshed.
    #[serde(serialize_with = "ser_update")]
    pub update_timestamp: DateTime<Utc>,
}

/// `address` of a Signup+ user. Both `country` (the spec's examples) and `country_code` (the
/// spec's schema) are sent, since the spec disagrees with itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignupAddress {
    /// House number and street.
    pub address_line1: String,
    /// Flat or building, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line2: Option<String>,
    /// Town.
    pub city: String,
    /// County.
    pub state: String,
    /// Postcode.
    pub zip: String,
    /// `GB`.
    pub country: String,
    /// `GB`.
    pub country_code: String,
}

/// `account_details` of a Signup+ user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignupAccountDetails {
    /// 8 digits.
    pub account_number: String,
    /// `01-21-31`.
    pub sort_code: String,
    /// IBAN.
    pub iban: String,
    /// The provider the user connected through.
    pub provider_id: String,
}

/// `GET /signup-plus/accounts` for one account (schema `User`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignupIdentity {
    /// `Mr`.
    pub title: String,
    /// `John`.
    pub first_name: String,
    /// `Doe`.
    pub last_name: String,
    /// `YYYY-MM-DD`.
    #[serde(serialize_with = "ser_date")]
    pub date_of_birth: NaiveDate,
    /// Home address.
    pub address: SignupAddress,
    /// The account the identity was read from.
    pub account_details: SignupAccountDetails,
}

/// One item of `accounts` in Signup+'s `multiple_accounts_linked` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignupAccount {
    /// The id to pass back as `?account_id=`.
    pub account_id: String,
    /// GBP.
    pub currency: Currency,
    /// `CURRENT` / `SAVINGS`.
    pub account_type: &'static str,
    /// The account's display name.
    pub display_name: String,
    /// IBAN.
    pub iban: String,
    /// BIC.
    pub swift_bic: String,
    /// 8 digits (a string, as the schema types it).
    pub account_number: String,
    /// `01-21-31`.
    pub sort_code: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn money_serializes_as_exact_numbers_and_schema_strings() {
        let cases = [
            (1234, "12.34"),
            (-299, "-2.99"),
            (100_000, "1000"),
            (-5, "-0.05"),
            (0, "0"),
            (10, "0.1"),
        ];
        for (pence, json) in cases {
            assert_eq!(
                serde_json::to_string(&Money(pence)).unwrap(),
                json,
                "{pence}"
            );
        }
        let texts = [
            (1234, "\"12.34\""),
            (-299, "\"-2.99\""),
            (50_000, "\"500.00\""),
            (-5, "\"-0.05\""),
        ];
        for (pence, json) in texts {
            assert_eq!(
                serde_json::to_string(&MoneyText(pence)).unwrap(),
                json,
                "{pence}"
            );
        }
    }

    #[test]
    fn ids_have_their_documented_widths() {
        let v = u128::MAX;
        assert_eq!(TransactionId(1).to_string(), format!("{:032x}", 1));
        assert_eq!(
            NormalisedTransactionId(v).to_string(),
            format!("txn-{}", "f".repeat(17))
        );
        assert_eq!(ProviderTransactionId(v).to_string().len(), 18);
        assert_eq!(
            serde_json::to_string(&NormalisedTransactionId(0xab)).unwrap(),
            "\"txn-000000000000000ab\""
        );
    }

    #[test]
    fn timestamps_use_truelayers_styles() {
        let t = Utc.with_ymd_and_hms(2024, 3, 6, 7, 8, 9).unwrap();
        assert_eq!(PostingTime(&t).to_string(), "2024-03-06T07:08:09+00:00");
        assert_eq!(UpdateTime(&t).to_string(), "2024-03-06T07:08:09.000Z");
        let d = NaiveDate::from_ymd_opt(1985, 11, 2).unwrap();
        assert_eq!(MidnightOf(&d).to_string(), "1985-11-02T00:00:00+00:00");
    }
}
