//! Name verification: `POST {api}/verification/v1/verify` with the user's token (scope
//! `verification`) and `{"name": …}`; the answer says whether the name matches the account
//! holder, with a per-account report. Errors are problem+json with `traceId` (camelCase here),
//! parsed by `error.rs`. Must not: retry the POST after a timeout or a 504 (it is not
//! idempotent; see [`Retry::UnprocessedOnly`]).

use http::Method;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::data::models::Extra;
use crate::data::ApiResponse;
use crate::error::{Error, Result};
use crate::http::{Body, Call, Retry};
use crate::lenient;
use crate::operation::Operation;
use crate::secret::AccessToken;

/// TrueLayer's limit on `name`.
pub const MAX_NAME_CHARS: usize = 200;

/// The answer of `/verification/v1/verify`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    /// Whether the name matched.
    pub verified: bool,
    /// The holder's name as the bank has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_holder_name: Option<String>,
    /// 0–100.
    #[serde(
        default,
        deserialize_with = "lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub match_score: Option<f64>,
    /// Why it could not be verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_description: Option<String>,
    /// e.g. `CREDIT_CARD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_code: Option<String>,
    /// Per account.
    #[serde(default)]
    pub report: Vec<VerificationReport>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One account in the report.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VerificationReport {
    /// Whether this account could be checked.
    #[serde(default)]
    pub verifiable: bool,
    /// Why not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_description: Option<String>,
    /// e.g. `CREDIT_CARD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_code: Option<String>,
    /// ISO 4217 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
    /// `CURRENT`, `CREDIT_CARD`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    /// The holders and how each matched.
    #[serde(default)]
    pub account_holders: Vec<AccountHolder>,
    /// Name shown by the bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// IBAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iban: Option<String>,
    /// BIC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swift_bic: Option<String>,
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
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One account holder's match.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AccountHolder {
    /// The holder's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether it matched.
    #[serde(default)]
    pub verified: bool,
    /// 0–100.
    #[serde(
        default,
        deserialize_with = "lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub match_score: Option<f64>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Client {
    /// `POST /verification/v1/verify`: does `name` match the account holder? The name must be
    /// non-empty and at most 200 characters (checked here, as TrueLayer would).
    pub async fn verify_name(
        &self,
        token: &AccessToken,
        name: &str,
    ) -> Result<ApiResponse<Verification>> {
        if name.trim().is_empty() {
            return Err(Error::invalid("name", "it is empty"));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(Error::invalid(
                "name",
                format!("it is longer than {MAX_NAME_CHARS} characters"),
            ));
        }
        let reply = self
            .http()
            .send(Call {
                operation: Operation::VerifyName,
                method: Method::POST,
                url: self.environment().verification_url(),
                bearer: Some(token),
                body: Body::Json(serde_json::json!({ "name": name })),
                // A POST that runs a check at the bank each time: a 504 or a timeout may have
                // been answered there, so only what cannot have reached it is retried.
                retry: Retry::UnprocessedOnly,
                secrets: Vec::new(),
            })
            .await?
            .ensure_success()?;
        let data = reply.json()?;
        ApiResponse::from_reply(&reply, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::tests_support::capture_client;

    #[test]
    fn the_documented_match_answer_is_read() {
        let json = r#"{"verified":true,"account_holder_name":"Jack Johnson","match_score":89,"report":[{"verifiable":true,"currency":"GBP","provider_id":"ob-monzo","account_type":"CURRENT","account_holders":[{"name":"Jack Johnson","verified":true,"match_score":89}],"display_name":"Current","iban":"GB71MONZ04435141923452","swift_bic":"MONZGB2L","account_number":"41921234","sort_code":"04-01-02"},{"verifiable":false,"failure_code":"CREDIT_CARD","failure_description":"Credit cards cannot be verified","currency":"GBP","provider_id":"ob-monzo","account_type":"CREDIT_CARD","account_holders":[]}]}"#;
        let v: Verification = serde_json::from_str(json).unwrap();
        assert!(v.verified);
        assert_eq!(v.match_score, Some(89.0));
        assert_eq!(v.report.len(), 2);
        assert_eq!(v.report[1].failure_code.as_deref(), Some("CREDIT_CARD"));
        assert_eq!(v.report[0].account_holders[0].match_score, Some(89.0));
    }

    #[tokio::test]
    async fn the_request_is_a_json_name_and_bad_names_are_refused_before_sending() {
        let (client, captured) = capture_client();
        let token = AccessToken::new("tok-123456");
        let _ = client.verify_name(&token, "Jack Johnson").await;
        assert_eq!(captured.requests()[0].body, r#"{"name":"Jack Johnson"}"#);
        assert_eq!(
            captured.requests()[0].uri,
            "https://api.truelayer-sandbox.com/verification/v1/verify"
        );
        let before = captured.requests().len();
        assert!(client.verify_name(&token, " ").await.is_err());
        assert!(client.verify_name(&token, &"x".repeat(201)).await.is_err());
        assert_eq!(
            captured.requests().len(),
            before,
            "nothing is sent for an invalid name"
        );
    }
}
