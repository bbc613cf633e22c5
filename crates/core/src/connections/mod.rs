//! Connections: their rows and DTOs, their tokens (refresh, single-flight, the call path every
//! data call takes) and their lifecycle beyond refresh ([`lifecycle`]: extend, revoke, forget).

pub mod lifecycle;
mod service;
mod tokens;

pub use service::*;
pub(crate) use tokens::{data_error, Caller};
