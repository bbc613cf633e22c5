//! The single-call data views of a connection: standing orders and direct debits of an account,
//! identity (`GET /info`), Signup+ (`GET /signup-plus/accounts`, asked again with `account_id`
//! after `multiple_accounts_linked`) and name verification (`POST /verification/v1/verify`).
//!
//! Each answer is a [`Fetched`]: the DTOs plus the exact body under its endpoint path and its
//! trace id. Errors go through the connection's call path (refresh once on `invalid_token`,
//! explained TrueLayer errors with their trace id). Must not: reinterpret data beyond naming.

use linkscope_truelayer as tl;
use serde_json::{Map, Value};

use crate::connections::ConnectionService;
use crate::context::push_trace;
use crate::data::fetched::raw_json;
use crate::dto::{
    AccountHolderMatch, Address, DirectDebit, Fetched, Identity, SignupPlusAccount,
    SignupPlusIdentity, SignupPlusResult, StandingOrder, VerificationReportItem,
    VerificationResult,
};
use crate::error::{Error, Result};

/// Standing orders, direct debits, identity, Signup+ and verification.
#[derive(Debug, Clone)]
pub struct DataService {
    connections: ConnectionService,
}

impl DataService {
    pub(crate) fn new(connections: ConnectionService) -> Self {
        Self { connections }
    }

    /// `list_standing_orders`: an account's standing orders.
    pub async fn standing_orders(
        &self,
        connection_id: &str,
        account_id: &str,
    ) -> Result<Fetched<Vec<StandingOrder>>> {
        let id = non_empty("account id", account_id)?;
        let answer = self
            .connections
            .call(connection_id, |client, token| async move {
                client.standing_orders(&token, id).await
            })
            .await?;
        let path = format!("/data/v1/accounts/{id}/standing_orders");
        Ok(fetched(path, answer, |items| {
            items.into_iter().map(standing_order_dto).collect()
        }))
    }

    /// `list_direct_debits`: an account's direct debit mandates.
    pub async fn direct_debits(
        &self,
        connection_id: &str,
        account_id: &str,
    ) -> Result<Fetched<Vec<DirectDebit>>> {
        let id = non_empty("account id", account_id)?;
        let answer = self
            .connections
            .call(connection_id, |client, token| async move {
                client.direct_debits(&token, id).await
            })
            .await?;
        let path = format!("/data/v1/accounts/{id}/direct_debits");
        Ok(fetched(path, answer, |items| {
            items.into_iter().map(direct_debit_dto).collect()
        }))
    }

    /// `get_identity`: `GET /info`.
    pub async fn identity(&self, connection_id: &str) -> Result<Fetched<Vec<Identity>>> {
        let answer = self
            .connections
            .call(connection_id, |client, token| async move {
                client.info(&token).await
            })
            .await?;
        Ok(fetched("/data/v1/info".into(), answer, |items| {
            items.into_iter().map(identity_dto).collect()
        }))
    }

    /// `get_signup_plus`: the Signup+ identity, or the accounts to choose from; with
    /// `account_id` (one of those), the identity read through that account.
    pub async fn signup_plus(
        &self,
        connection_id: &str,
        account_id: Option<&str>,
    ) -> Result<Fetched<SignupPlusResult>> {
        let account_id = account_id.map(|a| non_empty("account id", a)).transpose()?;
        let answer = self
            .connections
            .call(connection_id, |client, token| async move {
                client.signup_plus_accounts(&token, account_id).await
            })
            .await?;
        let path = match account_id {
            Some(id) => format!("/signup-plus/accounts?account_id={id}"),
            None => "/signup-plus/accounts".to_owned(),
        };
        Ok(fetched(path, answer, signup_plus_dto))
    }

    /// `verify_name`: does `name` match the account holder? (1 to 200 characters.)
    pub async fn verify_name(
        &self,
        connection_id: &str,
        name: &str,
    ) -> Result<Fetched<VerificationResult>> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > tl::MAX_NAME_CHARS {
            return Err(Error::Validation(format!(
                "Enter a name of 1 to {} characters to verify.",
                tl::MAX_NAME_CHARS
            )));
        }
        let answer = self
            .connections
            .call(connection_id, |client, token| async move {
                client.verify_name(&token, name).await
            })
            .await?;
        Ok(fetched(
            "/verification/v1/verify".into(),
            answer,
            verification_dto,
        ))
    }
}

fn non_empty<'a>(what: &str, value: &'a str) -> Result<&'a str> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::Validation(format!("The {what} is missing.")));
    }
    Ok(value)
}

/// One answer as a [`Fetched`]: its body under `path`, its trace id.
fn fetched<T, U>(
    path: String,
    answer: tl::ApiResponse<T>,
    convert: impl FnOnce(T) -> U,
) -> Fetched<U> {
    let mut raw = Map::new();
    raw.insert(path, raw_json(&answer.raw));
    let mut trace_ids = Vec::new();
    push_trace(&mut trace_ids, &answer.trace_ids);
    Fetched {
        data: convert(answer.data),
        raw: Value::Object(raw),
        trace_ids,
        fetched_at: crate::now_rfc3339(),
    }
}

fn ts(t: Option<tl::Timestamp>) -> Option<String> {
    t.map(|t| t.as_str().to_owned())
}

fn standing_order_dto(s: tl::StandingOrder) -> StandingOrder {
    StandingOrder {
        frequency: s.frequency.unwrap_or_default(),
        status: s.status,
        timestamp: ts(s.timestamp).unwrap_or_default(),
        currency: s.currency,
        payee: s.payee,
        reference: s.reference,
        next_payment_date: ts(s.next_payment_date),
        next_payment_amount: s.next_payment_amount,
        first_payment_date: ts(s.first_payment_date),
        first_payment_amount: s.first_payment_amount,
        final_payment_date: ts(s.final_payment_date),
        final_payment_amount: s.final_payment_amount,
    }
}

fn direct_debit_dto(d: tl::DirectDebit) -> DirectDebit {
    DirectDebit {
        direct_debit_id: d.direct_debit_id,
        name: d.name.unwrap_or_default(),
        status: d.status,
        timestamp: ts(d.timestamp).unwrap_or_default(),
        previous_payment_timestamp: ts(d.previous_payment_timestamp),
        previous_payment_amount: d.previous_payment_amount,
        currency: d.currency,
    }
}

/// An address; Signup+'s two lines are joined into `address` (`/info` sends one line).
pub(crate) fn address_dto(a: &tl::Address) -> Address {
    let lines: Vec<&str> = [
        a.address.as_deref(),
        a.address_line1.as_deref(),
        a.address_line2.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .filter(|l| !l.is_empty())
    .collect();
    Address {
        address: (!lines.is_empty()).then(|| lines.join(", ")),
        city: a.city.clone(),
        state: a.state.clone(),
        zip: a.zip.clone(),
        country: a.country().map(str::to_owned),
    }
}

fn identity_dto(i: tl::Info) -> Identity {
    Identity {
        full_name: i.full_name,
        date_of_birth: ts(i.date_of_birth),
        emails: i.emails,
        phones: i.phones,
        addresses: i.addresses.iter().map(address_dto).collect(),
        update_timestamp: ts(i.update_timestamp),
    }
}

fn signup_plus_dto(answer: tl::SignupPlusAccounts) -> SignupPlusResult {
    match answer {
        tl::SignupPlusAccounts::Identity(i) => {
            let details = i.account_details.unwrap_or_default();
            SignupPlusResult::Identity {
                identity: Box::new(SignupPlusIdentity {
                    title: i.title,
                    first_name: i.first_name,
                    last_name: i.last_name,
                    date_of_birth: i.date_of_birth,
                    address: i.address.as_ref().map(address_dto),
                    account_number: details.account_number,
                    sort_code: details.sort_code,
                    iban: details.iban,
                    provider_id: details.provider_id,
                }),
            }
        }
        tl::SignupPlusAccounts::MultipleAccounts(m) => SignupPlusResult::MultipleAccounts {
            detail: m.detail.unwrap_or_default(),
            accounts: m
                .accounts
                .into_iter()
                .map(|a| SignupPlusAccount {
                    account_id: a.account_id,
                    display_name: a.display_name,
                    account_type: a.account_type,
                    currency: a.currency,
                    account_number: a.account_number,
                    sort_code: a.sort_code,
                    iban: a.iban,
                })
                .collect(),
        },
    }
}

fn verification_dto(v: tl::Verification) -> VerificationResult {
    VerificationResult {
        verified: v.verified,
        account_holder_name: v.account_holder_name,
        match_score: v.match_score,
        failure_code: v.failure_code,
        failure_description: v.failure_description,
        report: v
            .report
            .into_iter()
            .map(|r| VerificationReportItem {
                verifiable: r.verifiable,
                failure_code: r.failure_code,
                failure_description: r.failure_description,
                display_name: r.display_name,
                account_type: r.account_type,
                currency: r.currency,
                provider_id: r.provider_id,
                account_number: r.account_number,
                sort_code: r.sort_code,
                iban: r.iban,
                account_holders: r
                    .account_holders
                    .into_iter()
                    .map(|h| AccountHolderMatch {
                        name: h.name.unwrap_or_default(),
                        verified: h.verified,
                        match_score: h.match_score,
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_joins_its_lines_and_reads_either_country_field() {
        let cases: Vec<(&str, Address)> = vec![
            (
                r#"{"address_line1":"221B Baker St","address_line2":"Flat 2","city":"London","zip":"NW1 6XE","country_code":"GB"}"#,
                Address {
                    address: Some("221B Baker St, Flat 2".into()),
                    city: Some("London".into()),
                    state: None,
                    zip: Some("NW1 6XE".into()),
                    country: Some("GB".into()),
                },
            ),
            (
                r#"{"address":"1 High St","city":"Leeds","country":"GB"}"#,
                Address {
                    address: Some("1 High St".into()),
                    city: Some("Leeds".into()),
                    state: None,
                    zip: None,
                    country: Some("GB".into()),
                },
            ),
            (
                r#"{"address_line1":"  ","city":"York"}"#,
                Address {
                    address: None,
                    city: Some("York".into()),
                    state: None,
                    zip: None,
                    country: None,
                },
            ),
        ];
        for (json, expected) in cases {
            let address: tl::Address = serde_json::from_str(json).unwrap();
            assert_eq!(address_dto(&address), expected, "{json}");
        }
    }

    #[test]
    fn a_signup_plus_identity_flattens_the_account_it_was_read_from() {
        let value = serde_json::json!({"title":"Mr","first_name":"John","last_name":"Doe",
            "date_of_birth":"1980-01-01","account_details":{"account_number":10000000,
            "sort_code":"01-21-31","provider_id":"mock"}});
        let answer: tl::SignupPlusIdentity = serde_json::from_value(value).unwrap();
        let SignupPlusResult::Identity { identity } =
            signup_plus_dto(tl::SignupPlusAccounts::Identity(Box::new(answer)))
        else {
            panic!("an identity answer stays an identity");
        };
        assert_eq!(identity.account_number.as_deref(), Some("10000000"));
        assert_eq!(identity.provider_id.as_deref(), Some("mock"));
        let json = serde_json::to_value(SignupPlusResult::Identity { identity }).unwrap();
        assert_eq!(json["kind"], "identity", "the union is tagged by kind");
        assert_eq!(json["identity"]["firstName"], "John");
    }
}
