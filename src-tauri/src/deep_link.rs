//! Deep links: registers this build's scheme with the OS and routes every incoming
//! `linkscope(-dev)://callback?...` URL to core's `receive_deep_link` (a link's redirect, or a
//! redirect self-test's probe). Both routes are handled: a URL that arrives while the app runs
//! (`on_open_url`, also fed by single-instance from a second process) and one that launched the
//! app (`get_current`).

use tauri::{AppHandle, Runtime};
use tauri_plugin_deep_link::DeepLinkExt;

use crate::LinkscopeExt;

/// Registers the scheme (Linux and Windows register at runtime, so an unbundled dev build works
/// too) and starts listening. The registration runs on a thread of its own: on Linux it runs
/// `xdg-mime` and `update-desktop-database`, which held the first screen back while it ran on
/// the main thread.
pub fn wire<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(any(target_os = "linux", windows))]
    {
        let handle = app.clone();
        std::thread::spawn(move || {
            let started = std::time::Instant::now();
            match handle.deep_link().register_all() {
                Ok(()) => tracing::info!(
                    ms = started.elapsed().as_millis(),
                    "deep-link scheme registered"
                ),
                Err(err) => {
                    tracing::warn!("could not register the deep-link scheme with the OS: {err}")
                }
            }
        });
    }
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            receive(&handle, url.to_string());
        }
    });
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        for url in urls {
            receive(app, url.to_string());
        }
    }
}

/// Core parses strictly, emits `link://completed` or `link://failed`, and stores nothing on
/// failure (a redirect self-test's probe is only recorded); the URL itself is never logged (it
/// carries the authorization code).
fn receive<R: Runtime>(app: &AppHandle<R>, url: String) {
    tracing::info!("a deep link arrived");
    // Core may still be starting (a link that launched the app): wait for it off the main thread.
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let core = app.linkscope().clone();
        if let Err(err) = core.links().receive_deep_link(&url).await {
            tracing::info!(code = ?err.code(), "a deep link was refused");
        }
    });
}
