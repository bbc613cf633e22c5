//! The app's services. GUI-free: nothing here may depend on tauri.
//!
//! `src-tauri` is a thin shell over this crate: every command calls one function here and turns
//! an [`Error`] into the IPC contract's `{code, message}` with [`Error::to_api_error`].

pub mod callback;
pub mod dto;
pub mod error;
pub mod loopback;
pub mod mask;
pub mod secrets;
pub mod store;

pub use error::{Error, Result};
