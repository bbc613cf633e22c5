//! Connections: their rows and DTOs, their tokens (refresh, single-flight, the call path every
//! data call takes) and their lifecycle beyond refresh ([`lifecycle`]: extend, revoke, forget).

pub mod lifecycle;
mod service;

pub use service::*;
