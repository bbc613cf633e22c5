//! `linkscope`, the real binary, against the built-in sandbox (started in-process by core) and
//! a standalone one (`linkscope sandbox serve`). Every test has its own data dir and an
//! explicitly chosen secret file, so none touches the real keychain or data.

// Tests may unwrap: a panic is a failed test (clippy.toml allows it in #[test] functions, this
// also covers the helpers of this test-only crate).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod data;
mod errors;
mod scenarios;
mod secrets;
mod snapshots;
mod support;
