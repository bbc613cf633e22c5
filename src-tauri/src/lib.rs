//! The Tauri shell: picks the webview's renderer, wires the plugins (single-instance first, then
//! the log, deep-link, opener, dialog, notification and window state), the native menu, the
//! managed state and the command handler. It holds no logic of its own: every command is a thin
//! call into `linkscope-core`, and every error leaves through `error::IpcError`.

mod commands;
#[cfg(test)]
mod config_tests;
mod deep_link;
mod error;
mod logging;
mod menu;
mod renderer;
mod state;
mod window_state;

use tauri::Manager;

pub use state::LinkscopeExt;

/// Builds and runs the app until its last window closes.
pub fn run() {
    // First, while the process has one thread: it may set an environment variable for WebKit.
    let renderer = renderer::choose();
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
        .plugin(logging::plugin())
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(window_state::plugin())
        .menu(menu::build)
        .on_menu_event(|app, event| menu::route(app, event.id().as_ref()))
        .setup(move |app| {
            logging::make_private(app.handle());
            tracing::info!(?renderer, "webview renderer");
            state::manage(app.handle())?;
            deep_link::wire(app.handle());
            window_state::save_when_settled(app.handle());
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(err) => {
            tracing::error!("Linkscope could not start: {err}");
            std::process::exit(1);
        }
    }
}
