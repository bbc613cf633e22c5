//! Linking: where links are made ([`environments`]), the link sessions that build an auth link
//! and complete it ([`sessions`]), the strict redirect parser ([`callback`]), the one-shot
//! loopback listener ([`loopback`]), the redirect URI helper with its self-test
//! ([`redirects`]) and the link attempts' auth-journey trails ([`tracking`]).

pub mod callback;
pub mod environments;
pub mod loopback;
pub mod redirects;
pub mod sessions;
pub mod tracking;
