//! A connection's data views: accounts and cards with their balances, transactions (windowed
//! fetches and the in-memory query engine), and the single-call views (standing orders, direct
//! debits, identity, Signup+, verification), each answered as a [`crate::dto::Fetched`].

pub mod accounts;
pub mod cards;
pub(crate) mod fetched;
pub mod transactions;
pub mod views;
