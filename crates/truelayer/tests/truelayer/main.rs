//! Integration tests: the client against the real built-in sandbox (`linkscope-sandbox`) served
//! on 127.0.0.1:0, one sandbox per test. No test stubs TrueLayer.

// Tests may unwrap and expect: a failure there is the test failing (clippy.toml allows it in
// #[test] functions; these helpers live outside them).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod async_mode;
mod connections;
mod endpoints;
mod holder_verification;
mod link_flow;
mod recording;
mod reliability;
mod signup_and_verification;
mod support;
mod tokens;
mod tracking;
mod windowed;
