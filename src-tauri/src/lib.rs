//! The Tauri shell: wires the plugins (single-instance first, then deep-link and opener), the
//! managed state and the command handler. It holds no logic of its own: every command is a thin
//! call into `linkscope-core`, and every error leaves through `error::IpcError`.

mod commands;
mod deep_link;
mod error;
mod logging;
mod state;

use tauri::Manager;

pub use state::LinkscopeExt;

/// Builds and runs the app until its last window closes.
pub fn run() {
    logging::init_stderr();
    let app = tauri::Builder::default()
        // Must be registered first: when the OS starts a second process for a `linkscope://` link,
        // this hands the URL to the running instance (its deep-link feature routes it to
        // `on_open_url`) and the second process exits.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            state::manage(app.handle())?;
            deep_link::wire(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::get_app_info,
            commands::environments::list_environments,
            commands::environments::save_environment,
            commands::environments::select_environment,
            commands::environments::list_providers,
            commands::environments::get_scope_catalog,
            commands::links::start_link,
            commands::links::open_link,
            commands::links::cancel_link,
            commands::links::complete_link,
            commands::connections::list_connections,
            commands::connections::get_connection,
            commands::connections::rename_connection,
            commands::connections::refresh_connection,
            commands::connections::extend_connection,
            commands::connections::revoke_connection,
            commands::connections::forget_connection,
            commands::connections::set_live_unlocked,
            commands::accounts::list_accounts,
            commands::data::list_cards,
            commands::data::fetch_transactions,
            commands::data::query_transactions,
            commands::data::cancel_fetch,
            commands::data::list_standing_orders,
            commands::data::list_direct_debits,
            commands::data::get_identity,
            commands::data::get_signup_plus,
            commands::data::verify_name,
            commands::inspector::list_requests,
            commands::inspector::get_request,
            commands::inspector::export_transactions,
            commands::inspector::export_support_bundle,
            commands::inspector::set_presenter_mode,
            commands::workbench::list_personas,
            commands::workbench::link_as_persona,
            commands::workbench::run_coverage,
            commands::workbench::export_coverage,
            commands::workbench::start_scenario_run,
            commands::workbench::cancel_scenario_run,
            commands::workbench::get_scenario_run,
            commands::workbench::list_scenario_runs,
            commands::workbench::export_scenario_run,
            commands::workbench::get_sandbox_clock,
            commands::workbench::advance_sandbox_clock,
            commands::workbench::list_sandbox_faults,
            commands::workbench::add_sandbox_fault,
            commands::workbench::clear_sandbox_faults,
            commands::workbench::get_sandbox_journal,
        ])
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(err) => {
            tracing::error!("Linkscope could not start: {err}");
            std::process::exit(1);
        }
    }
}
