//! The crate's own error type: failures of the sandbox itself (config, binding, the state file).
//! Errors a client sees over HTTP are TrueLayer-shaped and live in `errors.rs`, not here.

use std::path::PathBuf;

/// Something went wrong starting or running the sandbox (not an HTTP answer).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration is unusable (bad client, bad redirect URI, bad flag).
    #[error("invalid sandbox configuration: {0}")]
    Config(String),
    /// A listener could not be bound.
    #[error("could not bind {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The state file could not be read or written.
    #[error("state file {path}: {source}")]
    StateIo {
        /// The state file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The state file exists but is not a sandbox state file we understand.
    #[error("state file {path} is not valid: {source}")]
    StateFormat {
        /// The state file.
        path: PathBuf,
        /// Why it could not be parsed.
        source: serde_json::Error,
    },
    /// Any other I/O failure (e.g. reading the local address of a listener).
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;
