//! Account holder verification v3 and bank lookup (`verification.json`): no end user, a
//! `client_credentials` token with the `verification` scope. Creating a verification is signed
//! with `Tl-Signature` by TrueLayer's own `truelayer-signing` (ES512 detached JWS over method,
//! path, `Idempotency-Key` and body) and carries an `Idempotency-Key`, which also makes the POST
//! safe to retry; the answer is an id to poll until it is `completed` or `failed`. Must not:
//! send the signing key anywhere (only the signature leaves).

use http::header::{HeaderName, HeaderValue};
use http::Method;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::data::ApiResponse;
use crate::error::{Error, Result};
use crate::http::{Body, Call, Retry};
use crate::operation::Operation;
use crate::secret::{AccessToken, SigningKey};
use crate::verification::MAX_NAME_CHARS;

/// The account to check: a UK sort code + account number, or an IBAN (spec `SortCodeAccountNumber`
/// / `Iban`, tagged by `type`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AccountIdentifier {
    /// `{type: sort_code_account_number, sort_code: "123456", account_number: "12345678"}`.
    SortCodeAccountNumber {
        /// Six digits, no dashes.
        sort_code: String,
        /// Eight digits.
        account_number: String,
    },
    /// `{type: iban, iban}`.
    Iban {
        /// No spaces.
        iban: String,
    },
}

impl AccountIdentifier {
    /// Normalises what a person types (`01-21-31`, `GB08 CLRB …`) and checks the spec's shapes:
    /// sort code 6 digits, account number 8 digits, IBAN 15–34 characters starting with a
    /// country code and check digits.
    pub fn normalized(self) -> Result<Self> {
        let compact = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect()
        };
        match self {
            Self::SortCodeAccountNumber {
                sort_code,
                account_number,
            } => {
                let (sort_code, account_number) = (compact(&sort_code), compact(&account_number));
                let digits =
                    |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
                if !digits(&sort_code, 6) {
                    return Err(Error::invalid("sort code", "it must be 6 digits"));
                }
                if !digits(&account_number, 8) {
                    return Err(Error::invalid("account number", "it must be 8 digits"));
                }
                Ok(Self::SortCodeAccountNumber {
                    sort_code,
                    account_number,
                })
            }
            Self::Iban { iban } => {
                let iban = compact(&iban).to_ascii_uppercase();
                let b = iban.as_bytes();
                let ok = (15..=34).contains(&b.len())
                    && b[..2].iter().all(u8::is_ascii_uppercase)
                    && b[2..4].iter().all(u8::is_ascii_digit)
                    && b.iter().all(u8::is_ascii_alphanumeric);
                if !ok {
                    return Err(Error::invalid(
                        "IBAN",
                        "it must be 15 to 34 letters and digits, starting with a country code and two check digits",
                    ));
                }
                Ok(Self::Iban { iban })
            }
        }
    }
}

/// `GET …/requests/{id}`: a verification as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderVerification {
    /// The verification's id.
    pub id: String,
    /// `pending`, `completed` or `failed`.
    pub status: String,
    /// Present once `completed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_result: Option<MatchResult>,
    /// Present once `failed` (e.g. `provider_error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
}

impl HolderVerification {
    /// Whether it has ended (`completed` or `failed`).
    pub fn is_final(&self) -> bool {
        self.status != "pending"
    }
}

/// A completed verification's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchResult {
    /// `match`, `partial_match`, `no_match` or `match_not_possible`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The name on file (`partial_match`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_holder_name: Option<String>,
    /// Why no match was possible (`match_not_possible`; the schema says `reason`, the spec's
    /// example `failure_reason`: both are read).
    #[serde(
        default,
        alias = "failure_reason",
        skip_serializing_if = "Option::is_none"
    )]
    pub reason: Option<String>,
}

/// `POST /v3/bank-lookup`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankLookup {
    /// The bank's BIC.
    pub bic: String,
    /// The bank's name.
    pub name: String,
}

#[derive(Deserialize)]
struct Created {
    id: String,
}

/// The key a request is signed with: its id in TrueLayer Console and the private key.
#[derive(Debug)]
pub struct RequestSigner {
    key_id: String,
    key: SigningKey,
}

impl RequestSigner {
    /// Checks that `key` is a P-521 private key in PEM by signing a probe with it.
    pub fn new(key_id: &str, key: SigningKey) -> Result<Self> {
        if key_id.trim().is_empty() {
            return Err(Error::invalid("signing key id", "it is empty"));
        }
        truelayer_signing::sign_with_pem(key_id, key.secret().as_bytes())
            .method(truelayer_signing::Method::Post)
            .path("/probe")
            .body(b"{}")
            .build_signer()
            .sign()
            .map_err(|e| {
                Error::invalid(
                    "signing key",
                    format!("it must be a P-521 (ES512) private key in PEM: {e}"),
                )
            })?;
        Ok(Self {
            key_id: key_id.trim().to_owned(),
            key,
        })
    }

    /// The key id.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The private key (to keep it in the keychain).
    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    fn sign(&self, path: &str, idempotency_key: &str, body: &[u8]) -> Result<String> {
        truelayer_signing::sign_with_pem(&self.key_id, self.key.secret().as_bytes())
            .method(truelayer_signing::Method::Post)
            .path(path)
            .header("Idempotency-Key", idempotency_key.as_bytes())
            .body(body)
            .build_signer()
            .sign()
            .map_err(|e| Error::invalid("signing key", e.to_string()))
    }
}

fn header(name: &'static str, value: &str) -> Result<(HeaderName, HeaderValue)> {
    let value = HeaderValue::from_str(value)
        .map_err(|_| Error::invalid(name, "it contains characters not allowed in a header"))?;
    Ok((HeaderName::from_static(name), value))
}

impl Client {
    /// `POST /v3/account-holder-verifications/requests`, signed: starts checking `name` against
    /// the holder of `account`; answers the verification's id. The same `idempotency_key` with
    /// the same body gets the same id (so a retry is safe).
    pub async fn create_holder_verification(
        &self,
        token: &AccessToken,
        signer: &RequestSigner,
        idempotency_key: &str,
        name: &str,
        account: &AccountIdentifier,
    ) -> Result<ApiResponse<String>> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(Error::invalid(
                "name",
                format!("it must be 1 to {MAX_NAME_CHARS} characters"),
            ));
        }
        let url =
            self.environment()
                .api_url_of(&["v3", "account-holder-verifications", "requests"]);
        let bytes = serde_json::to_vec(&serde_json::json!({
            "account_holder_name": name,
            "account_identifier": account,
        }))
        .map_err(|e| Error::invalid("request body", e.to_string()))?;
        let signature = signer.sign(url.path(), idempotency_key, &bytes)?;
        let reply = self
            .http()
            .send(Call {
                operation: Operation::CreateHolderVerification,
                method: Method::POST,
                url,
                bearer: Some(token),
                body: Body::SignedJson {
                    bytes,
                    headers: vec![
                        header("idempotency-key", idempotency_key)?,
                        header("tl-signature", &signature)?,
                    ],
                },
                retry: Retry::Idempotent,
                secrets: Vec::new(),
            })
            .await?
            .ensure_success()?;
        let created: Created = reply.json()?;
        ApiResponse::from_reply(&reply, created.id)
    }

    /// `GET /v3/account-holder-verifications/requests/{id}`.
    pub async fn holder_verification(
        &self,
        token: &AccessToken,
        id: &str,
    ) -> Result<ApiResponse<HolderVerification>> {
        let url =
            self.environment()
                .api_url_of(&["v3", "account-holder-verifications", "requests", id]);
        let reply = self
            .http()
            .send(Call {
                operation: Operation::HolderVerification,
                method: Method::GET,
                url,
                bearer: Some(token),
                body: Body::Empty,
                retry: Retry::Idempotent,
                secrets: Vec::new(),
            })
            .await?
            .ensure_success()?;
        let data = reply.json()?;
        ApiResponse::from_reply(&reply, data)
    }

    /// `POST /v3/bank-lookup`: the bank that holds `account`.
    pub async fn bank_lookup(
        &self,
        token: &AccessToken,
        account: &AccountIdentifier,
    ) -> Result<ApiResponse<BankLookup>> {
        let reply = self
            .http()
            .send(Call {
                operation: Operation::BankLookup,
                method: Method::POST,
                url: self.environment().api_url_of(&["v3", "bank-lookup"]),
                bearer: Some(token),
                body: Body::Json(serde_json::json!({ "account_identifier": account })),
                retry: Retry::Idempotent,
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

    #[test]
    fn typed_identifiers_are_normalised_and_bad_ones_refused() {
        let scan = AccountIdentifier::SortCodeAccountNumber {
            sort_code: "01-21-31".into(),
            account_number: "1000 0000".into(),
        };
        assert_eq!(
            scan.normalized().unwrap(),
            AccountIdentifier::SortCodeAccountNumber {
                sort_code: "012131".into(),
                account_number: "10000000".into()
            }
        );
        let iban = AccountIdentifier::Iban {
            iban: "gb08 clrb 0406 6800 0034 35".into(),
        };
        assert_eq!(
            iban.normalized().unwrap(),
            AccountIdentifier::Iban {
                iban: "GB08CLRB04066800003435".into()
            }
        );
        for bad in [
            AccountIdentifier::SortCodeAccountNumber {
                sort_code: "1234".into(),
                account_number: "10000000".into(),
            },
            AccountIdentifier::SortCodeAccountNumber {
                sort_code: "012131".into(),
                account_number: "1000000x".into(),
            },
            AccountIdentifier::Iban {
                iban: "GB08".into(),
            },
            AccountIdentifier::Iban {
                iban: "0808CLRB04066800003435".into(),
            },
        ] {
            assert!(bad.clone().normalized().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_signer_refuses_what_is_not_a_p521_private_key() {
        assert!(RequestSigner::new("kid", SigningKey::new("not a pem")).is_err());
        assert!(RequestSigner::new(" ", SigningKey::new("x")).is_err());
    }

    #[test]
    fn both_spellings_of_the_match_not_possible_reason_are_read() {
        for body in [
            r#"{"type":"match_not_possible","reason":"Bank unable to match"}"#,
            r#"{"type":"match_not_possible","failure_reason":"Bank unable to match"}"#,
        ] {
            let result: MatchResult = serde_json::from_str(body).unwrap();
            assert_eq!(result.reason.as_deref(), Some("Bank unable to match"));
        }
    }
}
