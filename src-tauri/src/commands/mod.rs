//! The commands, one file per domain. Each is a thin call into `linkscope-core` (no logic here),
//! named `verb_noun`, one per operation so capabilities can allow or deny each.

pub mod accounts;
pub mod app;
pub mod connections;
pub mod data;
pub mod environments;
pub mod inspector;
pub mod links;
pub mod workbench;
