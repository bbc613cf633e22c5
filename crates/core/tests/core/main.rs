//! Core against the real built-in sandbox (started in-process by `Core::start`, on 127.0.0.1:0),
//! with an in-memory secret store and a temporary data dir: never the real keychain or data dir.

// Tests may unwrap: a panic is a failed test (clippy.toml allows it in #[test] functions, this
// also covers the helpers of this test-only crate).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod async_mode;
mod crash;
mod data_views;
mod durability;
mod environments;
mod holder;
mod inspector;
mod keychain_faults;
mod lifecycle;
mod link_builder;
mod link_flow;
mod link_tracking;
mod loopback_flow;
mod reconfirmation;
mod reconsent;
mod redirects;
mod restart;
mod secrets_at_rest;
mod snapshots;
mod token_signature;
mod tokens;
mod transactions_flow;
mod workbench;
