//! Linking: where links are made ([`environments`]), the link sessions that build an auth link
//! and complete it ([`sessions`]), the strict redirect parser ([`callback`]) and the one-shot
//! loopback listener ([`loopback`]).

pub mod callback;
pub mod environments;
pub mod loopback;
pub mod sessions;
