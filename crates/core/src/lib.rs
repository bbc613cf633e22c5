//! The app's services. GUI-free: nothing here may depend on tauri.
//!
//! `src-tauri` is a thin shell over this crate: it starts one [`Core`] with [`CoreConfig`], and
//! every command calls one method of a service ([`Core::environments`], [`Core::links`],
//! [`Core::connections`], [`Core::accounts`], [`Core::cards`], [`Core::transactions`],
//! [`Core::data`], [`Core::lifecycle`], [`Core::requests`], [`Core::exports`], [`Core::workbench`]) and turns an
//! [`Error`] into the IPC contract's `{code, message}` with [`Error::to_api_error`]. Events come
//! from [`Core::subscribe`].

pub mod accounts;
mod app;
pub mod callback;
pub mod cards;
pub mod connections;
pub mod data;
pub mod dto;
pub mod environments;
pub mod error;
pub mod export;
mod fetched;
pub mod lifecycle;
pub mod links;
pub mod loopback;
pub mod mask;
pub mod requests;
pub mod secrets;
pub mod store;
pub mod transactions;
pub mod workbench;

pub use app::{
    Core, CoreConfig, CoreEvent, DEFAULT_LINK_TTL, DEFAULT_REFRESH_MARGIN, SANDBOX_STATE_FILE,
};
pub use error::{Error, Result};

/// Now, as RFC 3339 (seconds, `Z`).
pub(crate) fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
