//! What is kept between runs: the SQLite database ([`store`], never a secret) and the secrets
//! ([`secrets`]: the OS keychain behind the `SecretStore` trait, or memory).

pub mod secrets;
pub mod store;
