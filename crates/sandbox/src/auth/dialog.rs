//! The auth dialog's HTTP handlers: `GET /` (an auth link, or `?session_id=` to resume a
//! re-authentication), `POST /dialog` (each step's form), the stylesheet and provider logos.
//! The steps' rules live in `session`, the HTML in `pages`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::pages;
use super::session::{DialogSession, Purpose, Step, MAX_FAILED_LOGINS};
use crate::authlink::{AuthLink, LinkError};
use crate::data;
use crate::state::SandboxState;

fn link_error_page(error: &LinkError) -> Response {
    let status = if error.error == "unauthorized_client" {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::BAD_REQUEST
    };
    pages::error_page(status, error.error, &error.description)
}

fn unknown_session() -> Response {
    pages::error_page(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "This login session has expired, was already completed, or does not exist. Start again from the app.",
    )
}

/// `GET /`: validates the auth link and shows the first page, or resumes a session.
pub async fn open(State(state): State<SandboxState>, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if let [(key, session_id)] = pairs.as_slice() {
        if key == "session_id" {
            let session = state.store().dialogs.get(session_id).cloned();
            return match session.filter(|s| !s.expired(state.now())) {
                Some(session) => render(&state, &session, None).await,
                None => unknown_session(),
            };
        }
    }
    match AuthLink::parse(&pairs, &state) {
        Ok(link) => {
            let session = DialogSession::new(&state, link, Purpose::Link);
            session.save(&state);
            render(&state, &session, None).await
        }
        Err(error) => link_error_page(&error),
    }
}

fn forget(state: &SandboxState, session: &DialogSession) {
    state.store().dialogs.remove(&session.id);
}

/// Shows the page of the session's current step.
async fn render(state: &SandboxState, session: &DialogSession, error: Option<&str>) -> Response {
    let provider = session.provider();
    match (session.step, provider) {
        (Step::Consent, provider) => pages::consent_page(session, provider.as_ref()),
        (Step::Provider, _) => {
            pages::provider_page(session, &session.link.eligible_providers(), error)
        }
        (Step::Login, Some(provider)) => pages::login_page(session, &provider, error),
        (Step::Accounts, Some(provider)) => {
            let choices = session.account_choices(state).await;
            pages::accounts_page(session, &provider, &choices, error)
        }
        (Step::Login | Step::Accounts, None) => unknown_session(),
    }
}

/// The fields of a dialog form (`account_id` may repeat).
#[derive(Debug, Default)]
struct DialogForm {
    session_id: Option<String>,
    step: Option<String>,
    action: Option<String>,
    provider_id: Option<String>,
    username: Option<String>,
    password: Option<String>,
    account_ids: Vec<String>,
}

fn parse_form(body: &[u8]) -> DialogForm {
    let mut form = DialogForm::default();
    for (key, value) in url::form_urlencoded::parse(body) {
        let value = value.into_owned();
        match key.as_ref() {
            "session_id" => form.session_id = Some(value),
            "step" => form.step = Some(value),
            "action" => form.action = Some(value),
            "provider_id" => form.provider_id = Some(value),
            "username" => form.username = Some(value),
            "password" => form.password = Some(value),
            "account_id" => form.account_ids.push(value),
            _ => {}
        }
    }
    form
}

/// `POST /dialog`: one step of the dialog.
pub async fn step(State(state): State<SandboxState>, body: Bytes) -> Response {
    let form = parse_form(&body);
    let Some(session_id) = form.session_id.as_deref() else {
        return unknown_session();
    };
    let now = state.now();
    let Some(mut session) = state
        .store()
        .dialogs
        .get(session_id)
        .cloned()
        .filter(|s| !s.expired(now))
    else {
        return unknown_session();
    };
    if form.action.as_deref() == Some("cancel") {
        forget(&state, &session);
        let redirect = session.refusal("The user cancelled the authorisation.");
        return pages::redirect_response(&redirect);
    }
    if form.step.as_deref() != Some(session.step.as_str()) {
        // A stale form (back button, double submit): show where the session really is.
        return render(&state, &session, None).await;
    }
    match session.step {
        Step::Consent => {
            if form.action.as_deref() != Some("allow") {
                return render(&state, &session, Some("Choose Allow or Cancel.")).await;
            }
            session.allow(&state);
            session.save(&state);
            render(&state, &session, None).await
        }
        Step::Provider => {
            let chosen = form.provider_id.as_deref().unwrap_or_default();
            match session.choose_provider(&state, chosen) {
                Ok(()) => {
                    session.save(&state);
                    render(&state, &session, None).await
                }
                Err(message) => render(&state, &session, Some(&message)).await,
            }
        }
        Step::Login => {
            let username = form.username.as_deref().unwrap_or_default();
            let password = form.password.as_deref().unwrap_or_default();
            match session.login(&state, username, password) {
                Ok(_) => {
                    session.save(&state);
                    render(&state, &session, None).await
                }
                Err(_) if session.failed_logins >= MAX_FAILED_LOGINS => {
                    forget(&state, &session);
                    pages::redirect_response(
                        &session
                            .refusal("The bank refused the login after too many failed attempts."),
                    )
                }
                Err(refusal) => {
                    session.save(&state);
                    let message = match &session.purpose {
                        Purpose::Reauth { persona_key, .. } => format!(
                            "Log in again as the same user ({}).",
                            persona_key.split(':').next().unwrap_or_default()
                        ),
                        _ => refusal.message().to_owned(),
                    };
                    render(&state, &session, Some(&message)).await
                }
            }
        }
        Step::Accounts => {
            let choices = session.account_choices(&state).await;
            match session.finish(&state, &choices, &form.account_ids) {
                Ok(redirect) => {
                    forget(&state, &session);
                    pages::redirect_response(&redirect)
                }
                Err(message) => render(&state, &session, Some(&message)).await,
            }
        }
    }
}

/// `GET /assets/dialog.css`.
pub async fn stylesheet() -> Response {
    let mut response = pages::STYLESHEET.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=3600"),
    );
    response
}

/// `GET /img/banks/logos/{provider_id}.svg`: provider logos, served by the sandbox itself.
pub async fn logo(Path(file): Path<String>) -> Response {
    let svg = file.strip_suffix(".svg").and_then(data::logo_svg);
    match svg {
        Some(svg) => {
            let mut response = svg.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            );
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=86400"),
            );
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
            );
            response
        }
        None => crate::errors::TlError::new(StatusCode::NOT_FOUND, "not_found", "No such logo.")
            .into_response(),
    }
}
