//! The app's services. GUI-free: nothing here may depend on tauri.
//!
//! `src-tauri` is a thin shell over this crate: it starts one [`Core`] with [`CoreConfig`], and
//! every command calls one method of a service ([`Core::environments`], [`Core::links`],
//! [`Core::connections`], [`Core::accounts`], [`Core::cards`], [`Core::transactions`],
//! [`Core::data`], [`Core::lifecycle`], [`Core::requests`], [`Core::exports`]) and turns an
//! [`Error`] into the IPC contract's `{code, message}` with [`Error::to_api_error`]. Events come
//! from [`Core::subscribe`].

mod app;
pub mod connections;
mod context;
pub mod data;
pub mod dto;
pub mod inspect;
pub mod link;
pub mod storage;

pub use connections::lifecycle;
pub use context::error;
pub(crate) use data::fetched;
pub use data::{accounts, cards, transactions};
pub use inspect::{export, mask, requests};
pub use link::{callback, environments, loopback, sessions as links};
pub use storage::{secrets, store};

pub use app::{Core, CoreConfig, DEFAULT_LINK_TTL, DEFAULT_REFRESH_MARGIN, SANDBOX_STATE_FILE};
pub use context::CoreEvent;
pub use error::{Error, Result};

/// Now, as RFC 3339 (seconds, `Z`).
pub(crate) fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
