//! Signup+ `GET /signup-plus/accounts` (API.md §8): the account holder's identity read through
//! one linked current account; with several, `multiple_accounts_linked` and the list, and the
//! call repeated with `?account_id=`. Errors are Signup+ problem bodies (`application/json`).

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::{authenticate, AuthFailure, Ctx};
use crate::data::SignupUnavailable;
use crate::errors::Problem;
use crate::scopes::Scope;
use crate::state::SandboxState;

fn invalid_parameters(detail: &str) -> Problem {
    Problem::signup(
        StatusCode::BAD_REQUEST,
        "invalid-parameters",
        "Invalid Parameters",
        Some(detail),
    )
}

fn joint_account() -> Problem {
    Problem::signup(
        StatusCode::UNPROCESSABLE_ENTITY,
        "joint-account",
        "Joint Accounts Not Supported",
        Some("Joint accounts not supported"),
    )
}

/// `GET /signup-plus/accounts[?account_id=]`.
pub async fn accounts(
    State(state): State<SandboxState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let ctx = match authenticate(&state, &headers) {
        Ok(ctx) => ctx,
        Err(AuthFailure::ConsentExpired(_) | AuthFailure::NotAUser) => {
            return Problem::signup(StatusCode::FORBIDDEN, "forbidden", "Forbidden", None)
                .into_response()
        }
        Err(_) => {
            return Problem::signup(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Unauthorized",
                Some("Access token missing or invalid"),
            )
            .into_response()
        }
    };
    match answer(&state, &ctx, query.as_deref()).await {
        Ok(body) => {
            let mut response = axum::Json(body).into_response();
            if let Ok(value) = uuid::Uuid::new_v4().to_string().parse() {
                response.headers_mut().insert("tl-trace-id", value);
            }
            response
        }
        Err(problem) => problem.into_response(),
    }
}

async fn answer(state: &SandboxState, ctx: &Ctx, query: Option<&str>) -> Result<Value, Problem> {
    if !ctx.connection.scopes.contains(Scope::SignupPlus) {
        return Err(Problem::signup(
            StatusCode::FORBIDDEN,
            "missing-claims",
            "Missing Claims",
            None,
        ));
    }
    let mut account_id: Option<String> = None;
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if key != "account_id" || account_id.is_some() || value.is_empty() {
            return Err(invalid_parameters(
                "The only parameter is one non-empty account_id.",
            ));
        }
        account_id = Some(value.into_owned());
    }
    if ctx.provider.country != "uk" {
        return Err(Problem::signup(
            StatusCode::BAD_REQUEST,
            "provider-not-supported",
            "Provider not supported",
            Some("The provider is not supported for this operation."),
        ));
    }
    if let Some(failure) = ctx.persona.data_error() {
        return Err(if failure.status >= 500 {
            Problem::signup(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal-server-error",
                "Internal Server Error",
                Some(failure.description),
            )
        } else {
            Problem::signup(
                StatusCode::UNPROCESSABLE_ENTITY,
                "user-data-not-found",
                "User Data Not Found",
                Some("User data could not be found"),
            )
        });
    }
    let bank = ctx.bank(state).await.map_err(|_| {
        Problem::signup(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal-server-error",
            "Internal Server Error",
            None,
        )
    })?;
    let current: Vec<&str> = bank
        .accounts()
        .iter()
        .filter(|a| ctx.shared(&a.account_id) && a.account_type.is_current())
        .map(|a| a.account_id.as_str())
        .collect();
    let identity = |id: &str| -> Result<Value, Problem> {
        match bank.signup_identity(id) {
            Ok(identity) => serde_json::to_value(identity).map_err(|_| {
                Problem::signup(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal-server-error",
                    "Internal Server Error",
                    None,
                )
            }),
            Err(SignupUnavailable::JointAccount) => Err(joint_account()),
            Err(SignupUnavailable::UnknownAccount) => Err(invalid_parameters(
                "account_id is not a linked current account.",
            )),
        }
    };
    if let Some(id) = account_id {
        if !current.contains(&id.as_str()) {
            return Err(invalid_parameters(
                "account_id is not a linked current account.",
            ));
        }
        return identity(&id);
    }
    let usable: Vec<&str> = current
        .iter()
        .copied()
        .filter(|id| bank.holders(id).is_some_and(|h| h.len() <= 1))
        .collect();
    match usable.as_slice() {
        [] if !current.is_empty() => Err(joint_account()),
        [] => Err(Problem::signup(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no-valid-accounts",
            "No Valid Accounts",
            Some("No valid accounts linked, could not process request."),
        )),
        [only] => identity(only),
        several => {
            let mut links = Map::new();
            let mut accounts = Vec::new();
            for id in several {
                links.insert(
                    (*id).to_owned(),
                    Value::String(format!(
                        "{}/signup-plus/accounts?account_id={id}",
                        state.api_url
                    )),
                );
                if let Some(account) = bank.signup_account(id) {
                    accounts.push(serde_json::to_value(account).unwrap_or(Value::Null));
                }
            }
            Ok(json!({
                "result": "multiple_accounts_linked",
                "detail": "Multiple valid accounts linked, please resend the request specifying an account_id.",
                "links": links,
                "accounts": accounts,
            }))
        }
    }
}
