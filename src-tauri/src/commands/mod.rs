//! The commands, one file per core service they call (`links.rs` → `core.links()`, …). Each is a
//! thin call into `linkscope-core` (no logic here), named `verb_noun`, one per operation so
//! capabilities can allow or deny each; `desktop.rs` is the desktop itself (log, notifications).
//! Which commands exist is said once, in `table.rs`.
//!
//! None runs on the main thread: one that is not `async fn` is `#[tauri::command(async)]`
//! (Tauri's thread pool). The main thread serves the window's files, paints it and answers
//! WebDriver, and a command may wait for core while it starts: the UI's first `get_app_info`,
//! run on the main thread, held the first screen back for core's whole start-up.

pub mod accounts;
pub mod app;
pub mod async_mode;
pub mod cards;
pub mod connections;
pub mod data;
pub mod desktop;
pub mod environments;
pub mod exports;
pub mod holder;
pub mod lifecycle;
pub mod links;
pub mod requests;
pub mod snapshots;
pub mod tracking;
pub mod transactions;
pub mod workbench;

#[cfg(test)]
mod contract;

use tauri::ipc::Invoke;
use tauri::Runtime;

/// Expands the command table into the invoke handler (and, for the contract tests, the names).
macro_rules! command_table {
    ($($file:ident::$command:ident),* $(,)?) => {
        /// Routes every command of the table to its function.
        pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($file::$command),*]
        }

        /// Every command of the table, in its order.
        #[cfg(test)]
        pub const NAMES: &[&str] = &[$(stringify!($command)),*];
    };
}

include!("table.rs");
