//! Account holder verification v3 and bank lookup (API.md §9, `verification.json`): no end user;
//! a `client_credentials` token with the `verification` scope. `POST
//! /v3/account-holder-verifications/requests` needs an `Idempotency-Key` and a `Tl-Signature`
//! (ES512 detached JWS, checked with TrueLayer's `truelayer-signing` against the client's
//! registered public key) and answers 202 `{id}`; `GET …/requests/{id}` shows it `pending` at
//! the first read and until one second of the sandbox clock has passed, then `completed` with a
//! match result, or `failed`. `POST
//! /v3/bank-lookup` names the bank of an account. Outcomes are the mock bank's (john's data) and
//! deterministic per input: the rules are [`outcome`]'s, listed in the crate README.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};
use sha2::{Digest as _, Sha256};

use crate::config::ClientConfig;
use crate::data::{self, Persona, UserNumber};
use crate::errors::Problem;
use crate::request;
use crate::state::{lock, SandboxState};
use crate::tokens::TokenHash;

/// How long a verification stays `pending` at least (sandbox clock; the first read is always
/// `pending`, so a client's polling is seen whatever the machine's speed).
pub const PENDING_FOR: Duration = Duration::seconds(1);
/// The Mock bank's sort code (digits only, as v3 takes it).
pub const MOCK_SORT_CODE: &str = "012131";
/// The sort code of the sandbox's "unreachable bank": verifications there end `failed`.
pub const FAILING_SORT_CODE: &str = "000000";
/// How many verifications are remembered.
const CAPACITY: usize = 500;

/// An account identifier of the request (`SortCodeAccountNumber` or `Iban`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identifier {
    /// UK sort code (6 digits) and account number (8 digits).
    SortCodeAccountNumber {
        /// Six digits.
        sort_code: String,
        /// Eight digits.
        account_number: String,
    },
    /// An IBAN.
    Iban(String),
}

impl Identifier {
    /// The UK sort code and account number it names: the pair itself, or a GB IBAN's
    /// `GBkk BBBB SSSSSS NNNNNNNN`.
    fn uk_account(&self) -> Option<(String, String)> {
        match self {
            Identifier::SortCodeAccountNumber {
                sort_code,
                account_number,
            } => Some((sort_code.clone(), account_number.clone())),
            Identifier::Iban(iban) if iban.starts_with("GB") && iban.len() == 22 => {
                Some((iban[8..14].to_owned(), iban[14..].to_owned()))
            }
            Identifier::Iban(_) => None,
        }
    }
}

/// How a verification ends (decided when it is created).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// `status: completed` with this `match_result`.
    Completed(Value),
    /// `status: failed` with this `failure_reason`.
    Failed(&'static str),
}

#[derive(Debug, Clone)]
struct Check {
    client_id: String,
    created_at: DateTime<Utc>,
    outcome: Outcome,
    /// Whether it was read once (the first read answers `pending`).
    seen: bool,
}

/// Verifications and the idempotency keys that created them.
#[derive(Debug, Default)]
pub struct HolderChecks {
    checks: HashMap<String, Check>,
    order: Vec<String>,
    /// (client, Idempotency-Key) → (SHA-256 of the body, verification id).
    idempotency: HashMap<(String, String), (String, String)>,
}

fn problem(status: StatusCode, title: &str, detail: &str, instance: &str) -> Problem {
    let mut problem = Problem::verification(status, title, Some(detail));
    problem.instance = Some(instance.to_owned());
    problem
}

fn validation(field: &str, message: &str, instance: &str) -> Problem {
    let mut problem = Problem::verification(
        StatusCode::BAD_REQUEST,
        "One or more validation errors occurred.",
        None,
    )
    .with_errors(json!({ field: [message] }));
    problem.instance = Some(instance.to_owned());
    problem
}

/// The client of a `client_credentials` token granted `verification`.
fn client_of<'a>(
    state: &'a SandboxState,
    headers: &HeaderMap,
    instance: &str,
) -> Result<&'a ClientConfig, Problem> {
    let unauthorized = || {
        problem(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Access token missing or invalid.",
            instance,
        )
    };
    let token = request::bearer_token(headers).ok_or_else(unauthorized)?;
    let now = state.now();
    let grant = state
        .store()
        .access_tokens
        .get(&TokenHash::of(token))
        .filter(|g| g.expires_at > now)
        .cloned()
        .ok_or_else(unauthorized)?;
    let forbidden = |detail: &str| problem(StatusCode::FORBIDDEN, "Forbidden", detail, instance);
    if grant.credentials_id.is_some() {
        return Err(forbidden(
            "Account holder verification takes a client_credentials token, not a user's.",
        ));
    }
    if !grant.client_scopes.iter().any(|s| s == "verification") {
        return Err(forbidden(
            "The token was not granted the 'verification' scope.",
        ));
    }
    state
        .client(&grant.client_id)
        .ok_or_else(|| forbidden("Client not allowed."))
}

/// Checks the request's `Tl-Signature` against the client's registered public key (method,
/// path, the `Idempotency-Key` header and the body are signed).
fn check_signature(
    client: &ClientConfig,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), Problem> {
    let refuse = |detail: String| problem(StatusCode::UNAUTHORIZED, "Unauthorized", &detail, path);
    let Some(key) = &client.signing_key else {
        return Err(problem(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "No signing key is registered for this client.",
            path,
        ));
    };
    let signature = headers
        .get("tl-signature")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| refuse("The Tl-Signature header is required.".to_owned()))?;
    let all: Vec<(&str, &[u8])> = headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_bytes()))
        .collect();
    truelayer_signing::verify_with_pem(key.public_key_pem.as_bytes())
        .method(truelayer_signing::Method::Post)
        .path(path)
        .require_header("Idempotency-Key")
        .headers(all)
        .body(body)
        .build_verifier()
        .verify(signature)
        .map_err(|e| refuse(format!("The Tl-Signature is invalid: {e}")))
}

fn parse_identifier(value: Option<&Value>, instance: &str) -> Result<Identifier, Problem> {
    let bad = |message: &str| validation("account_identifier", message, instance);
    let object = value
        .and_then(Value::as_object)
        .ok_or_else(|| bad("The account_identifier field is required."))?;
    let text = |key: &str| object.get(key).and_then(Value::as_str);
    let only = |keys: &[&str]| object.keys().all(|k| keys.contains(&k.as_str()));
    match text("type") {
        Some("sort_code_account_number") if only(&["type", "sort_code", "account_number"]) => {
            let digits = |v: Option<&str>, n: usize| {
                v.filter(|s| s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
                    .map(str::to_owned)
            };
            match (
                digits(text("sort_code"), 6),
                digits(text("account_number"), 8),
            ) {
                (Some(sort_code), Some(account_number)) => {
                    Ok(Identifier::SortCodeAccountNumber {
                        sort_code,
                        account_number,
                    })
                }
                _ => Err(bad(
                    "sort_code must be 6 digits and account_number 8 digits, without spaces or dashes.",
                )),
            }
        }
        Some("iban") if only(&["type", "iban"]) => {
            let iban = text("iban").unwrap_or_default();
            let bytes = iban.as_bytes();
            let well_formed = (15..=34).contains(&iban.len())
                && bytes[..2].iter().all(u8::is_ascii_uppercase)
                && bytes[2..4].iter().all(u8::is_ascii_digit)
                && bytes[4..]
                    .iter()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if well_formed {
                Ok(Identifier::Iban(iban.to_owned()))
            } else {
                Err(bad("The IBAN structure is not correct."))
            }
        }
        _ => Err(bad(
            "account_identifier must be {type: sort_code_account_number, sort_code, account_number} or {type: iban, iban}.",
        )),
    }
}

/// The outcome for a name and an account, from the mock bank's data (john's five accounts at
/// sort code 01-21-31; a GB IBAN is read as its sort code and number):
/// - one of those accounts: the name scored against its holders (`data::verify_name`): 100 →
///   `match`; 88–99 → `partial_match` with the holder's name; below → `no_match`
///   (TrueLayer's score bands, `NameMatch` in the spec);
/// - sort code 01-21-31 with another number, or any other account → `match_not_possible`;
/// - sort code 00-00-00 → `failed` with `provider_error`.
pub async fn outcome(state: &SandboxState, name: &str, identifier: &Identifier) -> Outcome {
    let Some((sort_code, number)) = identifier.uk_account() else {
        return not_possible(
            "Bank unable to match: the sandbox's mock bank holds UK accounts only",
        );
    };
    if sort_code == FAILING_SORT_CODE {
        return Outcome::Failed("provider_error");
    }
    if sort_code != MOCK_SORT_CODE {
        return not_possible("Bank unable to match: the account is not at the sandbox's mock bank");
    }
    let (Some(persona), Some(provider)) = (
        UserNumber::new(0).map(Persona::Standard),
        data::provider("mock"),
    ) else {
        return Outcome::Failed("internal_error");
    };
    let today = state.now().date_naive();
    let Some(bank) = crate::banks::provider_bank(state, &persona, today, &provider).await else {
        return Outcome::Failed("internal_error");
    };
    let Some(account) = bank
        .accounts()
        .iter()
        .find(|a| a.account_number.number == number)
    else {
        return not_possible("Bank unable to match: no such account");
    };
    let best = bank
        .holders(&account.account_id)
        .unwrap_or(&[])
        .iter()
        .map(|holder| (data::verify_name(holder, name).1, holder))
        .max_by_key(|(score, _)| *score);
    Outcome::Completed(match best {
        Some((100, _)) => json!({"type": "match"}),
        Some((88..=99, holder)) => json!({"type": "partial_match", "account_holder_name": holder}),
        _ => json!({"type": "no_match"}),
    })
}

fn not_possible(reason: &str) -> Outcome {
    Outcome::Completed(json!({"type": "match_not_possible", "reason": reason}))
}

const REQUESTS_PATH: &str = "/v3/account-holder-verifications/requests";

/// `POST /v3/account-holder-verifications/requests`.
pub async fn create(
    State(state): State<SandboxState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match start(&state, &headers, &body).await {
        Ok(id) => (StatusCode::ACCEPTED, axum::Json(json!({ "id": id }))).into_response(),
        Err(problem) => problem.into_response(),
    }
}

async fn start(state: &SandboxState, headers: &HeaderMap, body: &[u8]) -> Result<String, Problem> {
    let client = client_of(state, headers, REQUESTS_PATH)?;
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.trim().is_empty())
        .ok_or_else(|| {
            validation(
                "Idempotency-Key",
                "The Idempotency-Key header is required.",
                REQUESTS_PATH,
            )
        })?
        .to_owned();
    check_signature(client, REQUESTS_PATH, headers, body)?;
    let object: Map<String, Value> = match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => object,
        _ => {
            return Err(validation(
                "body",
                "The request body must be a JSON object.",
                REQUESTS_PATH,
            ))
        }
    };
    if let Some(unknown) = object
        .keys()
        .find(|k| !["account_holder_name", "account_identifier"].contains(&k.as_str()))
    {
        return Err(validation(
            unknown,
            &format!("The field '{unknown}' is not part of the request."),
            REQUESTS_PATH,
        ));
    }
    let name = match object.get("account_holder_name") {
        Some(Value::String(name))
            if !name.trim().is_empty()
                && name.chars().count() <= super::verification::MAX_NAME_CHARS =>
        {
            name.clone()
        }
        _ => {
            return Err(validation(
                "account_holder_name",
                "The account_holder_name field is required: 1 to 200 characters.",
                REQUESTS_PATH,
            ))
        }
    };
    let identifier = parse_identifier(object.get("account_identifier"), REQUESTS_PATH)?;
    let body_hash = hex::encode(Sha256::digest(body));
    let slot = (client.client_id.clone(), key);
    if let Some((hash, id)) = lock(&state.holder_checks).idempotency.get(&slot).cloned() {
        return if hash == body_hash {
            Ok(id)
        } else {
            let mut reuse = problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Idempotency-Key Reuse",
                "The provided Idempotency-Key has been used before with different request data.",
                REQUESTS_PATH,
            );
            reuse.type_uri =
                "https://docs.truelayer.com/docs/error-codes#idempotency-key-reuse".to_owned();
            Err(reuse)
        };
    }
    let outcome = outcome(state, &name, &identifier).await;
    let id = uuid::Uuid::new_v4().to_string();
    let mut checks = lock(&state.holder_checks);
    if checks.order.len() >= CAPACITY {
        let old = checks.order.remove(0);
        checks.checks.remove(&old);
        checks.idempotency.retain(|_, (_, id)| *id != old);
    }
    checks.order.push(id.clone());
    checks.checks.insert(
        id.clone(),
        Check {
            client_id: client.client_id.clone(),
            created_at: state.now(),
            outcome,
            seen: false,
        },
    );
    checks.idempotency.insert(slot, (body_hash, id.clone()));
    drop(checks);
    if let Some(webhook_uri) = state.webhooks.console_uri() {
        tokio::spawn(notify(state.clone(), id.clone(), webhook_uri));
    }
    Ok(id)
}

/// Waits until the verification has ended (sandbox clock), then has the Console webhook
/// delivered (`webhooks.rs`).
async fn notify(state: SandboxState, id: String, webhook_uri: String) {
    let outcome = loop {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let Some(check) = lock(&state.holder_checks).checks.get(&id).cloned() else {
            return;
        };
        if state.now() - check.created_at >= PENDING_FOR {
            break check.outcome;
        }
    };
    let mut body = json!({
        "event_version": 1,
        "event_id": uuid::Uuid::new_v4().to_string(),
        "account_holder_verification_id": id,
    });
    match outcome {
        Outcome::Completed(result) => {
            body["type"] = json!("account_holder_verification_completed");
            body["match_result"] = result;
        }
        Outcome::Failed(reason) => {
            body["type"] = json!("account_holder_verification_failed");
            body["failure_reason"] = json!(reason);
        }
    }
    crate::webhooks::deliver(&state, crate::webhooks::Notification { webhook_uri, body }).await;
}

/// `GET /v3/account-holder-verifications/requests/{id}`.
pub async fn get(
    State(state): State<SandboxState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let instance = format!("{REQUESTS_PATH}/{id}");
    let client = match client_of(&state, &headers, &instance) {
        Ok(client) => client,
        Err(problem) => return problem.into_response(),
    };
    let check = lock(&state.holder_checks)
        .checks
        .get_mut(&id)
        .filter(|c| c.client_id == client.client_id)
        .map(|c| {
            let first_read = !c.seen;
            c.seen = true;
            (c.clone(), first_read)
        });
    let Some((check, first_read)) = check else {
        return problem(
            StatusCode::NOT_FOUND,
            "Not Found",
            "Verification request not found.",
            &instance,
        )
        .into_response();
    };
    let body = if first_read || state.now() - check.created_at < PENDING_FOR {
        json!({"id": id, "status": "pending"})
    } else {
        match check.outcome {
            Outcome::Completed(result) => {
                json!({"id": id, "status": "completed", "match_result": result})
            }
            Outcome::Failed(reason) => {
                json!({"id": id, "status": "failed", "failure_reason": reason})
            }
        }
    };
    axum::Json(body).into_response()
}

/// `POST /v3/bank-lookup` `{account_identifier}` → `{bic, name}` for the mock bank's sort code
/// (or a GB IBAN at it); anything else is a 400, since the sandbox knows no other bank.
pub async fn bank_lookup(
    State(state): State<SandboxState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    const PATH: &str = "/v3/bank-lookup";
    let result = client_of(&state, &headers, PATH).and_then(|_| {
        let object: Map<String, Value> = match serde_json::from_slice(&body) {
            Ok(Value::Object(object)) if object.keys().all(|k| k == "account_identifier") => object,
            _ => {
                return Err(validation(
                    "body",
                    "The request body must be {\"account_identifier\": …}.",
                    PATH,
                ))
            }
        };
        let identifier = parse_identifier(object.get("account_identifier"), PATH)?;
        match identifier.uk_account() {
            Some((sort_code, _)) if sort_code == MOCK_SORT_CODE => {
                Ok(json!({"bic": "CPBKGB00XXX", "name": "MOCK BANK LIMITED"}))
            }
            _ => Err(validation(
                "account_identifier",
                "No bank found for this account identifier.",
                PATH,
            )),
        }
    });
    match result {
        Ok(body) => axum::Json(body).into_response(),
        Err(problem) => problem.into_response(),
    }
}
