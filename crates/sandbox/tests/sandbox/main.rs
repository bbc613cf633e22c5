//! The sandbox's integration tests: one binary, real servers on 127.0.0.1:0, driven over HTTP
//! with reqwest (redirects off), as a client of TrueLayer would drive them.

// Tests may unwrap: a panic is a failed test (clippy.toml allows it in #[test] functions; these
// helpers are not #[test] functions, hence the crate-level allow).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod access;
mod async_mode;
mod auth_link;
mod conformance;
mod controls;
mod data_api;
mod dialog;
mod in_process;
mod lifecycle;
mod persistence;
mod personas;
mod signup_plus;
mod token_rules;
mod tracking;
mod verification;
