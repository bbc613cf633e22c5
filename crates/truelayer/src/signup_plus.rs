//! Signup+ data flow: `GET {api}/signup-plus/accounts[?account_id=]` with the user's token
//! (scope `signupplus`). The answer is either the identity of the account holder or, when
//! several accounts are linked, `result: multiple_accounts_linked` with the accounts to choose
//! from; the call is then repeated with `account_id`. Errors are RFC 7807 problem+json with a
//! `Tl-Trace-Id` header (parsed by `error.rs`).

use http::Method;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::data::models::{Address, Extra};
use crate::data::ApiResponse;
use crate::error::Result;
use crate::http::{Body, Call, Retry};
use crate::lenient;
use crate::operation::Operation;
use crate::secret::AccessToken;

/// The two shapes of a `/signup-plus/accounts` answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum SignupPlusAccounts {
    /// The account holder's identity.
    Identity(Box<SignupPlusIdentity>),
    /// Several accounts are linked: ask again with one of `accounts[].account_id`.
    MultipleAccounts(Box<MultipleAccountsLinked>),
}

/// A Signup+ `User`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SignupPlusIdentity {
    /// `Mr`, `Ms`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    /// Address (`country` or `country_code`: see [`Address::country`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Finland only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_identification_number: Option<String>,
    /// Finland only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    /// The account the identity was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_details: Option<SignupPlusAccountDetails>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The account an identity was read from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SignupPlusAccountDetails {
    /// Account number.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub account_number: Option<String>,
    /// Sort code.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub sort_code: Option<String>,
    /// IBAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iban: Option<String>,
    /// Provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `result: multiple_accounts_linked`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MultipleAccountsLinked {
    /// Always `multiple_accounts_linked`.
    pub result: String,
    /// A sentence from TrueLayer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// account_id → URL (TrueLayer's links use a path style; this client asks with
    /// `?account_id=` as the operation documents).
    #[serde(default)]
    pub links: Extra,
    /// The accounts to choose from.
    #[serde(default)]
    pub accounts: Vec<SignupPlusAccount>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One of the linked accounts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SignupPlusAccount {
    /// Pass it back as `account_id`.
    pub account_id: String,
    /// ISO 4217 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// `CURRENT`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    /// Name shown by the bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Account number (a number in the spec's example).
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub account_number: Option<String>,
    /// Sort code.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub sort_code: Option<String>,
    /// IBAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iban: Option<String>,
    /// BIC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swift_bic: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl SignupPlusAccounts {
    pub(crate) fn parse(value: serde_json::Value) -> std::result::Result<Self, serde_json::Error> {
        let multiple =
            value.get("result").and_then(|r| r.as_str()) == Some("multiple_accounts_linked");
        if multiple {
            serde_json::from_value(value).map(|m| SignupPlusAccounts::MultipleAccounts(Box::new(m)))
        } else {
            serde_json::from_value(value)
                .map(|identity| SignupPlusAccounts::Identity(Box::new(identity)))
        }
    }
}

impl Client {
    /// `GET /signup-plus/accounts`, with `account_id` after a `multiple_accounts_linked` answer.
    pub async fn signup_plus_accounts(
        &self,
        token: &AccessToken,
        account_id: Option<&str>,
    ) -> Result<ApiResponse<SignupPlusAccounts>> {
        let mut url = self.environment().signup_plus_accounts_url();
        if let Some(id) = account_id {
            url.query_pairs_mut().append_pair("account_id", id);
        }
        let reply = self
            .http()
            .send(Call {
                operation: Operation::SignupPlusAccounts,
                method: Method::GET,
                url,
                bearer: Some(token),
                body: Body::Empty,
                retry: Retry::Idempotent,
                secrets: Vec::new(),
            })
            .await?
            .ensure_success()?;
        let value: serde_json::Value = reply.json()?;
        let data =
            SignupPlusAccounts::parse(value).map_err(|e| reply.decode_error(e.to_string()))?;
        ApiResponse::from_reply(&reply, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_single_account_answer_is_an_identity_with_country_or_country_code() {
        for country_key in ["country", "country_code"] {
            let json = format!(
                r#"{{"title":"Mr","first_name":"Sherlock","last_name":"Holmes","date_of_birth":"1854-01-06","address":{{"address_line1":"221B Baker St","address_line2":"Flat 2","city":"London","state":"Greater London","zip":"NW1 6XE","{country_key}":"GB"}},"account_details":{{"account_number":"41921234","sort_code":"04-01-02","iban":"GB71MONZ04435141923452","provider_id":"ob-monzo"}}}}"#
            );
            let parsed = SignupPlusAccounts::parse(serde_json::from_str(&json).unwrap()).unwrap();
            let SignupPlusAccounts::Identity(identity) = parsed else {
                panic!("expected identity")
            };
            assert_eq!(identity.first_name.as_deref(), Some("Sherlock"));
            assert_eq!(identity.address.unwrap().country(), Some("GB"));
            assert_eq!(
                identity.account_details.unwrap().sort_code.as_deref(),
                Some("04-01-02")
            );
        }
    }

    #[test]
    fn the_multiple_accounts_answer_is_its_own_variant_with_numeric_account_numbers() {
        let json = r#"{"result":"multiple_accounts_linked","detail":"Multiple valid accounts linked, please resend the request specifying an account_id.","links":{"acc-123":"https://api.truelayer.com/signup-plus/accounts/acc-123"},"accounts":[{"account_id":"acc-123","currency":"GBP","account_type":"CURRENT","display_name":"1st Account","account_number":12345678,"sort_code":"00-11-22"}]}"#;
        let parsed = SignupPlusAccounts::parse(serde_json::from_str(json).unwrap()).unwrap();
        let SignupPlusAccounts::MultipleAccounts(m) = parsed else {
            panic!("expected multiple accounts")
        };
        assert_eq!(m.accounts[0].account_number.as_deref(), Some("12345678"));
        assert_eq!(m.accounts[0].account_id, "acc-123");
        assert!(m.links.contains_key("acc-123"));
    }
}
