//! Build script: runs tauri-build with the app's permission manifest.
//!
//! The build *flavour* is not chosen here: the dev flavour (its own identifier, data dir, keychain
//! namespace and `linkscope-dev://` scheme) is `tauri.dev.conf.json`, merged by the Tauri CLI
//! (`tauri dev|build --config src-tauri/tauri.dev.conf.json`, see `scripts/`).

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
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    if let Err(err) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
    {
        // A build script reports failure by panicking; cargo shows the message.
        panic!("tauri-build failed: {err:#}");
    }
}
