//! Test-only: every example answer in TrueLayer's own OpenAPI files is read by this crate. 2xx
//! examples must parse into the models of their operation; error examples must give an
//! [`ApiError`] whose code (when it has one) has a sentence in [`explain`]. The files are read
//! at test time from `shared/truelayer/openapi/` (or `LINKSCOPE_OPENAPI_DIR`), never copied; a
//! clone without them reports both checks as skipped, with the reason.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth_link::PendingAuthorization;
use crate::connections::parse_extend;
use crate::data::async_mode::AsyncTask;
use crate::data::models::*;
use crate::data::parse_results;
use crate::error::{explain, ApiError};
use crate::http::tests_support::reply;
use crate::operation::Operation;
use crate::secret::{CsrfState, PkceVerifier};
use crate::signup_plus::SignupPlusAccounts;
use crate::token::TokenSet;
use crate::types::{RedirectUri, ResponseMode};
use crate::verification::Verification;

fn load(file: &str) -> Value {
    let dir = linkscope_openapi::dir().expect("the spec checks start with dir_or_skip");
    linkscope_openapi::load(&dir, file)
}

/// Every example of every response: (path, method, status, example name, value).
fn examples(spec: &Value) -> Vec<(String, String, u16, String, Value)> {
    let shared = &spec["components"]["examples"];
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
                continue;
            };
            for (status, response) in responses {
                let Ok(status) = status.parse::<u16>() else {
                    continue;
                };
                let response = resolve(spec, response);
                let Some(content) = response.get("content").and_then(Value::as_object) else {
                    continue;
                };
                for media in content.values() {
                    let Some(examples) = media.get("examples").and_then(Value::as_object) else {
                        continue;
                    };
                    for (name, example) in examples {
                        let example = match example.get("$ref").and_then(Value::as_str) {
                            Some(r) => &shared[r.rsplit('/').next().unwrap()],
                            None => example,
                        };
                        if let Some(value) = example.get("value") {
                            out.push((
                                path.clone(),
                                method.clone(),
                                status,
                                name.clone(),
                                value.clone(),
                            ));
                        }
                    }
                }
            }
        }
    }
    out
}

fn resolve<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let mut node = spec;
            for part in r.trim_start_matches("#/").split('/') {
                node = &node[part];
            }
            node
        }
        None => v,
    }
}

fn results<T: DeserializeOwned>(body: &str) -> Result<(), String> {
    parse_results::<T>(&reply(200, body))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn whole<T: DeserializeOwned>(body: &str) -> Result<(), String> {
    serde_json::from_str::<T>(body)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn pending() -> PendingAuthorization {
    PendingAuthorization::new(
        CsrfState::new_random(),
        PkceVerifier::new_random_s256().0,
        RedirectUri::new("linkscope://callback").unwrap(),
        ResponseMode::Query,
    )
}

/// Parses a 2xx example with the model of its operation; `None` for operations this client
/// does not call.
fn parse_success(file: &str, path: &str, status: u16, body: &str) -> Option<Result<(), String>> {
    if status == 202 {
        return Some(whole::<AsyncTask>(body));
    }
    Some(match (file, path) {
        ("data-api-v1.json", "/me") => results::<Me>(body),
        ("data-api-v1.json", "/info") => results::<Info>(body),
        ("data-api-v1.json", "/accounts" | "/accounts/{account_id}") => results::<Account>(body),
        ("data-api-v1.json", "/accounts/{account_id}/balance") => results::<AccountBalance>(body),
        (
            "data-api-v1.json",
            "/accounts/{account_id}/transactions"
            | "/accounts/{account_id}/transactions/pending"
            | "/cards/{account_id}/transactions"
            | "/cards/{account_id}/transactions/pending",
        ) => results::<Transaction>(body),
        ("data-api-v1.json", "/accounts/{account_id}/standing_orders") => {
            results::<StandingOrder>(body)
        }
        ("data-api-v1.json", "/accounts/{account_id}/direct_debits") => {
            results::<DirectDebit>(body)
        }
        ("data-api-v1.json", "/cards" | "/cards/{account_id}") => results::<Card>(body),
        ("data-api-v1.json", "/cards/{account_id}/balance") => results::<CardBalance>(body),
        ("data-api-v1.json", "/batch/results") => whole::<BatchResults>(body),
        ("data-api-v1.json", "/connections/extend") => parse_extend(&reply(200, body), pending())
            .map(|_| ())
            .map_err(|e| e.to_string()),
        ("auth-server.json", "/connect/token") => TokenSet::parse(&reply(200, body))
            .map(|_| ())
            .map_err(|e| e.to_string()),
        ("auth-server.json", "/api/providers") => whole::<Vec<ProviderInfo>>(body),
        ("signup-plus.json", "/accounts") => serde_json::from_str::<Value>(body)
            .and_then(SignupPlusAccounts::parse)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        ("verification.json", "/verification/v1/verify") => whole::<Verification>(body),
        _ => return None,
    })
}

#[test]
fn every_success_example_in_truelayers_specs_parses_into_the_models() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in [
        "data-api-v1.json",
        "auth-server.json",
        "signup-plus.json",
        "verification.json",
    ] {
        let spec = load(file);
        for (path, method, status, name, value) in examples(&spec) {
            if !(200..300).contains(&status) {
                continue;
            }
            if let Some(result) = parse_success(file, &path, status, &value.to_string()) {
                checked += 1;
                if let Err(e) = result {
                    failures.push(format!("{file} {method} {path} {status} {name}: {e}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        checked >= 30,
        "only {checked} examples found: is the spec directory right?"
    );
}

/// Whether this client calls the operation (the error test covers only those).
fn called(file: &str, path: &str) -> bool {
    match file {
        "data-api-v1.json" => true,
        "auth-server.json" => matches!(path, "/connect/token" | "/api/providers" | "/api/delete"),
        "signup-plus.json" => path == "/accounts",
        "verification.json" => path == "/verification/v1/verify",
        _ => false,
    }
}

#[test]
fn every_error_example_of_the_operations_called_is_parsed_and_explained() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let mut checked = 0;
    let mut unexplained = Vec::new();
    for file in [
        "data-api-v1.json",
        "auth-server.json",
        "signup-plus.json",
        "verification.json",
    ] {
        let spec = load(file);
        for (path, method, status, name, value) in examples(&spec) {
            if status < 400 || !called(file, &path) {
                continue;
            }
            let body = value.to_string();
            let e = ApiError::parse(
                Operation::Accounts,
                status,
                &http::HeaderMap::new(),
                body.as_bytes(),
                body.clone(),
            );
            checked += 1;
            assert_eq!(e.status, status);
            assert!(
                e.code.is_some() || e.description.is_some(),
                "{file} {path} {name}: nothing read from {body}"
            );
            if let Some(code) = &e.code {
                if explain(code).is_none() {
                    unexplained.push(format!("{file} {method} {path} {status} {name}: {code}"));
                }
            }
            assert!(e.explain().ends_with('.'), "{name}");
        }
    }
    assert!(
        unexplained.is_empty(),
        "codes without a sentence: {unexplained:#?}"
    );
    assert!(checked >= 25, "only {checked} error examples found");
}
