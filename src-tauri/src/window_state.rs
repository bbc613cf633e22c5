//! The main window reopens as large as, and where, it was: `tauri-plugin-window-state` restores
//! its size, position and maximized state at start and saves them when the app closes. We also
//! save shortly after the user stops resizing or moving it, so a crash or a kill keeps it too.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// What is kept: not visibility or decorations (the app always opens shown, with its frame).
const FLAGS: StateFlags = StateFlags::SIZE
    .union(StateFlags::POSITION)
    .union(StateFlags::MAXIMIZED);
/// How long a resize or move must have stopped before it is saved.
const SETTLE: Duration = Duration::from_millis(400);

/// The plugin, registered before the window is created so it can restore it.
pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new()
        .with_state_flags(FLAGS)
        .build()
}

/// Saves the main window's state once a resize or move has settled.
pub fn save_when_settled<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let changes = Arc::new(AtomicU64::new(0));
    let handle = app.clone();
    window.on_window_event(move |event| {
        if !matches!(event, WindowEvent::Resized(_) | WindowEvent::Moved(_)) {
            return;
        }
        let change = changes.fetch_add(1, Ordering::SeqCst) + 1;
        let (changes, handle) = (changes.clone(), handle.clone());
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(SETTLE).await;
            if changes.load(Ordering::SeqCst) == change {
                if let Err(err) = handle.save_window_state(FLAGS) {
                    tracing::warn!("could not save the window's size and position: {err}");
                }
            }
        });
    });
}
