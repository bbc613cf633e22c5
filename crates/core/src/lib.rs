//! The app's services. GUI-free: nothing here may depend on tauri.
//!
//! `src-tauri` is a thin shell over this crate: it starts one [`Core`] with [`CoreConfig`], and
//! every command calls one method of a service ([`Core::environments`], [`Core::links`],
//! [`Core::connections`], [`Core::accounts`], [`Core::cards`], [`Core::transactions`],
//! [`Core::data`], [`Core::lifecycle`], [`Core::requests`], [`Core::exports`],
//! [`Core::workbench`], [`Core::holder`], [`Core::snapshots`]) and turns an
//! [`Error`] into the IPC contract's `{code, message}` with [`Error::to_api_error`]. Events come
//! from [`Core::subscribe`].
//!
//! The folders are the domains, in layers; every import points down a layer or stays inside
//! its folder:
//! - [`app`](Core): the composition root. It builds the services; nothing imports it.
//! - the services: [`link`] (environments, link sessions, the redirect parser, the loopback
//!   listener), [`connections`] (rows, tokens, lifecycle), [`data`] (accounts, cards,
//!   transactions, the single-call views), [`inspect`] (request inspector, exports, masking),
//!   [`workbench`] (personas, coverage matrix, scenario runs, sandbox controls; over the others),
//!   [`holder`] (account holder verification v3 and bank lookup, signed requests), [`snapshots`]
//!   (a connection's data kept, and what changed since; over `data`).
//! - `context`: what the services share (the store, the secrets, the clients, events, the
//!   request recorder). It imports no service.
//! - [`storage`]: SQLite and the secret stores.
//! - [`dto`] and [`error`]: the IPC contract and core's error type.

mod app;
pub mod bindings;
pub mod connections;
mod context;
pub mod data;
pub mod dto;
pub mod error;
pub mod holder;
pub mod inspect;
pub mod link;
pub mod snapshots;
pub mod storage;
pub mod workbench;

// Short paths for the shell, the tests and the benches.
pub use data::transactions;
pub use inspect::export;
pub use storage::{secrets, store};

pub use app::{
    Core, CoreConfig, DEFAULT_LINK_TTL, DEFAULT_REFRESH_DEADLINE, DEFAULT_REFRESH_MARGIN,
    SANDBOX_STATE_FILE,
};
pub use context::{CoreEvent, LinkCheckpoint, LinkStep};
pub use error::{Error, Result};

/// Now, as RFC 3339 (seconds, `Z`).
pub(crate) fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
