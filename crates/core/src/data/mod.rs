//! A connection's data views: accounts and cards with their balances, transactions (windowed
//! fetches and the in-memory query engine), and the single-call views (standing orders, direct
//! debits, identity, Signup+, verification), each answered as a [`crate::dto::Fetched`]; and
//! async mode (any of them through TrueLayer's `async=true`, with each task's timeline).

pub mod accounts;
pub mod async_mode;
pub mod cards;
pub(crate) mod fetched;
pub mod transactions;
pub mod views;
