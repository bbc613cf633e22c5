//! Account holder verification v3 and bank lookup: what the UI sends (the name and the account,
//! the signing key for an environment) and what it gets back (the verification's polls and its
//! match result, the bank). The one inbound secret, the private signing key, is the TrueLayer
//! client's `SigningKey` (no `Serialize`, redacted `Debug`).

use linkscope_truelayer as tl;
use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

/// The account to check, as typed (spaces and dashes are dropped before sending).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AccountInput {
    SortCodeAccountNumber {
        #[serde(rename = "sortCode")]
        sort_code: String,
        #[serde(rename = "accountNumber")]
        account_number: String,
    },
    Iban {
        iban: String,
    },
}

/// `verify_account_holder`'s input.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HolderVerificationInput {
    pub environment_id: String,
    pub name: String,
    pub account: AccountInput,
}

/// One look at the verification while it ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HolderPoll {
    pub at: String,
    /// `pending`, `completed` or `failed`.
    pub status: String,
}

/// A completed verification's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HolderMatch {
    /// `match`, `partial_match`, `no_match` or `match_not_possible`.
    pub kind: String,
    /// The name on file (`partial_match`).
    pub account_holder_name: Option<String>,
    /// Why no match was possible.
    pub reason: Option<String>,
}

/// `verify_account_holder`'s answer: the verification as it ended, and how it got there.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HolderVerificationResult {
    pub id: String,
    /// The `Idempotency-Key` the request was created with.
    pub idempotency_key: String,
    /// The key id its `Tl-Signature` named.
    pub key_id: String,
    /// `completed` or `failed` (`pending` if it did not end while polled).
    pub status: String,
    pub match_result: Option<HolderMatch>,
    pub failure_reason: Option<String>,
    pub polls: Vec<HolderPoll>,
    pub trace_id: Option<String>,
    /// Its webhooks, when this app's listener is the environment's Console webhook URI
    /// (`register_console_webhook`), with their signature checks; empty otherwise.
    pub webhooks: Vec<crate::dto::WebhookArrival>,
}

/// `bank_lookup`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BankLookupResult {
    pub bic: String,
    pub name: String,
}

/// `set_signing_key`'s input: the environment's request-signing key from TrueLayer Console.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SigningKeyInput {
    pub environment_id: String,
    pub key_id: String,
    #[ts(type = "string")]
    #[serde(deserialize_with = "signing_key_input")]
    pub private_key_pem: tl::SigningKey,
}

fn signing_key_input<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<tl::SigningKey, D::Error> {
    Ok(tl::SigningKey::new(String::deserialize(deserializer)?))
}

/// Whether an environment has a signing key (its id only; the key never leaves core).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SigningKeyStatus {
    pub environment_id: String,
    pub key_id: Option<String>,
}
