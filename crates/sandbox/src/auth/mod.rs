//! The auth server (`auth.truelayer.com`'s role): the auth dialog, the token endpoint, the
//! provider list, connection lifecycle and the `/__sandbox/` controls. Only routing lives here.

pub mod controls;
pub mod dialog;
pub mod discovery;
pub mod lifecycle;
pub mod pages;
pub mod providers;
pub mod session;
pub mod token;

use axum::routing::{delete, get, post};
use axum::Router;

use crate::state::SandboxState;

/// The auth server's routes.
pub fn router() -> Router<SandboxState> {
    Router::new()
        .route("/", get(dialog::open))
        .route("/dialog", post(dialog::step))
        .route("/assets/dialog.css", get(dialog::stylesheet))
        .route("/img/banks/logos/{file}", get(dialog::logo))
        .route("/connect/token", post(token::token))
        .route(
            "/.well-known/openid-configuration",
            get(discovery::configuration),
        )
        .route(crate::keys::TOKEN_JWKS_PATH, get(discovery::jwks))
        .route("/api/providers", get(providers::list))
        .route("/api/delete", delete(lifecycle::delete))
        .route("/v1/reauthuri", post(lifecycle::reauth_uri))
        .route("/v1/authuri", post(lifecycle::auth_uri))
        .route("/__sandbox/authorize", post(controls::authorize))
        .route(
            "/__sandbox/clock",
            get(controls::get_clock).post(controls::advance_clock),
        )
        .route(
            "/__sandbox/faults",
            get(controls::get_faults)
                .post(controls::add_fault)
                .delete(controls::clear_faults),
        )
        .route(
            "/__sandbox/webhooks",
            get(crate::webhooks::get_controls).post(crate::webhooks::set_controls),
        )
        .route(
            "/__sandbox/requests",
            get(controls::list_requests).delete(controls::clear_requests),
        )
}
