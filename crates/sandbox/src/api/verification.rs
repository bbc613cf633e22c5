//! Name verification `POST /verification/v1/verify` (API.md §9): the submitted name is scored
//! against each shared account's holders (`data::verify_name`), with a per-account report;
//! credit cards are reported as not verifiable. Errors are problem+json with `traceId`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::{authenticate, AuthFailure, Ctx};
use crate::data;
use crate::errors::Problem;
use crate::scopes::Scope;
use crate::state::SandboxState;

/// The longest name accepted.
pub const MAX_NAME_CHARS: usize = 200;

fn validation(message: &str) -> Problem {
    Problem::verification(
        StatusCode::BAD_REQUEST,
        "One or more validation errors occurred.",
        None,
    )
    .with_errors(json!({ "name": [message] }))
}

/// `POST /verification/v1/verify` `{"name": "…"}`.
pub async fn verify(
    State(state): State<SandboxState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = match authenticate(&state, &headers) {
        Ok(ctx) => ctx,
        Err(AuthFailure::ConsentExpired(_) | AuthFailure::NotAUser) => {
            return Problem::verification(
                StatusCode::FORBIDDEN,
                "Forbidden",
                Some("Access to the connection's data has been denied."),
            )
            .into_response()
        }
        Err(_) => {
            return Problem::verification(
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                Some("Access token missing or invalid."),
            )
            .into_response()
        }
    };
    match answer(&state, &ctx, &body).await {
        Ok(body) => axum::Json(body).into_response(),
        Err(problem) => problem.into_response(),
    }
}

async fn answer(state: &SandboxState, ctx: &Ctx, body: &[u8]) -> Result<Value, Problem> {
    // TrueLayer's newer docs ask for `verification` alone; the older page for info + accounts.
    let scopes = &ctx.connection.scopes;
    if !(scopes.contains(Scope::Verification)
        || scopes.contains_all(&[Scope::Info, Scope::Accounts]))
    {
        return Err(Problem::verification(
            StatusCode::FORBIDDEN,
            "Forbidden",
            Some(
                "The token was granted neither the 'verification' scope nor 'info' and 'accounts'.",
            ),
        ));
    }
    let name = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => {
            if object.keys().any(|k| k != "name") {
                return Err(validation("The request may only contain the field Name."));
            }
            match object.get("name") {
                Some(Value::String(name)) if !name.trim().is_empty() => name.clone(),
                Some(Value::String(_)) | None | Some(Value::Null) => {
                    return Err(validation("The Name field is required."))
                }
                Some(_) => return Err(validation("The field Name must be a string.")),
            }
        }
        _ => {
            return Err(validation(
                "The request body must be a JSON object with a Name.",
            ))
        }
    };
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(validation(
            "The field Name must be a string with a maximum length of 200.",
        ));
    }
    if let Some(failure) = ctx.persona.data_error() {
        let status =
            StatusCode::from_u16(failure.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let title = status.canonical_reason().unwrap_or("Error");
        return Err(Problem::verification(
            status,
            title,
            Some(failure.description),
        ));
    }
    let bank = ctx.bank(state).await.map_err(|_| {
        Problem::verification(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            None,
        )
    })?;

    let mut report = Vec::new();
    let mut best: Option<(bool, u8, String)> = None;
    for account in bank.accounts().iter().filter(|a| ctx.shared(&a.account_id)) {
        let holders: Vec<Value> = bank
            .holders(&account.account_id)
            .unwrap_or(&[])
            .iter()
            .map(|holder| {
                let (verified, score) = data::verify_name(holder, &name);
                if best.as_ref().is_none_or(|(_, s, _)| score > *s) {
                    best = Some((verified, score, holder.clone()));
                }
                json!({"name": holder, "verified": verified, "match_score": score})
            })
            .collect();
        report.push(json!({
            "verifiable": true,
            "currency": account.currency,
            "provider_id": account.provider.provider_id,
            "account_type": account.account_type.signup_word(),
            "account_holders": holders,
            "display_name": account.display_name,
            "iban": account.account_number.iban,
            "swift_bic": account.account_number.swift_bic,
            "account_number": account.account_number.number,
            "sort_code": account.account_number.sort_code,
        }));
    }
    for card in bank.cards().iter().filter(|c| ctx.shared(&c.account_id)) {
        report.push(json!({
            "verifiable": false,
            "failure_description": "Credit cards cannot be verified by this service.",
            "failure_code": "CREDIT_CARD",
            "provider_id": card.provider.provider_id,
            "account_type": "CREDIT_CARD",
            "display_name": card.display_name,
        }));
    }
    let Some((verified, score, holder)) = best else {
        return Err(Problem::verification(
            StatusCode::BAD_REQUEST,
            "No suitable accounts to verify.",
            Some("No Current or Savings account's found to verify."),
        ));
    };
    Ok(json!({
        "verified": verified,
        "account_holder_name": holder,
        "match_score": score,
        "report": report,
    }))
}
