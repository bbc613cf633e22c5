//! Build script: picks the build flavour's identity, then runs tauri-build.
//!
//! Debug builds are the *dev* flavour: their own identifier (so their own keychain namespace, data
//! dir and single-instance bus name) and the `linkscope-dev://` scheme, so a dev build never steals
//! the release app's `linkscope://` links. Tauri merges the `TAURI_CONFIG` JSON over
//! `tauri.conf.json` both here and in `generate_context!`, so we hand the dev overrides to both.

/// Every command the shell exposes. Each gets its own `allow-…`/`deny-…` permission, so
/// `capabilities/` can grant exactly what the window uses.
const COMMANDS: &[&str] = &[
    "get_app_info",
    "list_environments",
    "save_environment",
    "select_environment",
    "list_providers",
    "get_scope_catalog",
    "start_link",
    "open_link",
    "cancel_link",
    "complete_link",
    "list_connections",
    "get_connection",
    "rename_connection",
    "refresh_connection",
    "extend_connection",
    "revoke_connection",
    "forget_connection",
    "set_live_unlocked",
    "list_accounts",
    "list_cards",
    "fetch_transactions",
    "query_transactions",
    "cancel_fetch",
    "list_standing_orders",
    "list_direct_debits",
    "get_identity",
    "get_signup_plus",
    "verify_name",
    "list_requests",
    "get_request",
    "export_transactions",
    "export_support_bundle",
    "set_presenter_mode",
    "list_personas",
    "link_as_persona",
    "run_coverage",
    "export_coverage",
    "start_scenario_run",
    "cancel_scenario_run",
    "get_scenario_run",
    "list_scenario_runs",
    "export_scenario_run",
    "get_sandbox_clock",
    "advance_sandbox_clock",
    "list_sandbox_faults",
    "add_sandbox_fault",
    "clear_sandbox_faults",
    "get_sandbox_journal",
];

fn main() {
    println!("cargo:rerun-if-changed=tauri.dev.conf.json");
    let is_debug = std::env::var("PROFILE").as_deref() == Ok("debug");
    if is_debug && std::env::var_os("TAURI_CONFIG").is_none() {
        let dev = include_str!("tauri.dev.conf.json").replace(['\n', '\r'], " ");
        // Seen by tauri-build below (same process) ...
        std::env::set_var("TAURI_CONFIG", &dev);
        // ... and by the `generate_context!` macro when rustc compiles this crate.
        println!("cargo:rustc-env=TAURI_CONFIG={dev}");
    }
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    if let Err(err) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
    {
        // A build script reports failure by panicking; cargo shows the message.
        panic!("tauri-build failed: {err:#}");
    }
}
