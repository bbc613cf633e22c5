//! The app's managed state, created once at start-up and reached through [`LinkscopeExt`].

use tauri::{AppHandle, Manager, Runtime};

/// Everything the commands need, owned by Tauri's state manager.
#[derive(Debug)]
pub struct AppState {
    /// The deep-link scheme of this build (`linkscope` or `linkscope-dev`).
    pub scheme: String,
}

/// `app.linkscope()` from any handle, window or command context.
pub trait LinkscopeExt<R: Runtime> {
    fn linkscope(&self) -> &AppState;
}

impl<R: Runtime, T: Manager<R>> LinkscopeExt<R> for T {
    fn linkscope(&self) -> &AppState {
        self.state::<AppState>().inner()
    }
}

/// Builds the state and hands it to Tauri.
pub fn manage<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let scheme = crate::deep_link::scheme(app);
    app.manage(AppState { scheme });
    Ok(())
}
