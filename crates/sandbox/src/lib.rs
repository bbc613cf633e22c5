//! The built-in sandbox: a local emulator of TrueLayer's sandbox (auth server + Data API,
//! Signup+, verification) with deterministic mock data and QA controls. GUI-free: nothing here
//! may depend on tauri.
//!
//! Three servers, like TrueLayer's hosts: [`routers`] builds the auth and API servers and
//! [`tracking_router`] the client-tracking one, for in-process tests; [`Sandbox::start`] binds
//! all three on loopback and serves them until dropped. The crate README
//! lists every behaviour chosen where TrueLayer's documentation is silent.

pub mod api;
pub mod auth;
pub mod authlink;
pub mod banks;
pub mod clock;
pub mod config;
pub mod data;
pub mod error;
pub mod errors;
pub mod faults;
pub mod guard;
pub mod journal;
pub mod keys;
pub mod middleware;
pub mod request;
pub mod scopes;
pub mod serve;
pub mod server;
pub mod state;
pub mod tokens;
pub mod tracking;
pub mod webhooks;
pub mod workbench;

pub use config::{
    ClientConfig, SandboxConfig, CONTROL_TOKEN_ENV, DEMO_CLIENT_ID, DEMO_REDIRECT_URIS,
};
pub use error::{Error, Result};
pub use server::Sandbox;
pub use state::SandboxState;

use axum::Router;

/// The auth server's and the API server's routers, sharing one state. Serve them on two
/// listeners (the state's `auth_url`/`api_url` must point at them), or call them with
/// `tower::ServiceExt::oneshot` in tests.
pub fn routers(state: SandboxState) -> (Router, Router) {
    let auth = auth::router()
        .layer(axum::middleware::from_fn_with_state(
            (state.clone(), middleware::Server::Auth),
            middleware::sandbox_layer,
        ))
        .with_state(state.clone());
    let api = api::router()
        .layer(axum::middleware::from_fn_with_state(
            (state.clone(), middleware::Server::Api),
            middleware::sandbox_layer,
        ))
        .with_state(state);
    (auth, api)
}

/// The client-tracking server's router (`client-tracking.truelayer.com`'s role: `GET
/// /v1/tracked-events`), sharing the state of [`routers`]; serve it on the listener the state's
/// `tracking_url` points at.
pub fn tracking_router(state: SandboxState) -> Router {
    tracking::router()
        .layer(axum::middleware::from_fn_with_state(
            (state.clone(), middleware::Server::Tracking),
            middleware::sandbox_layer,
        ))
        .with_state(state)
}
