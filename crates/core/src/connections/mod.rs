//! Connections: their rows and DTOs, their tokens (refresh, single-flight, the call path every
//! data call takes), their lifecycle beyond refresh ([`lifecycle`]: extend, revoke, forget) and
//! the access token's signature check ([`signature`]).

pub mod lifecycle;
mod service;
pub mod signature;
mod tokens;

pub use service::*;
pub(crate) use tokens::{data_error, Caller};
