//! The commands, one file per domain; each is a thin call into core.

pub mod app;
