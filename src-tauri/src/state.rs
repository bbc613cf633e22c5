//! The app's managed state, created once at start-up and reached through [`LinkscopeExt`]: one
//! [`Core`], whose events are forwarded to the window as Tauri events.

use linkscope_core::dto::BuildKind;
use linkscope_core::{Core, CoreConfig};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::broadcast::error::RecvError;

/// Everything the commands need, owned by Tauri's state manager.
#[derive(Debug)]
pub struct AppState {
    pub core: Core,
}

/// `app.linkscope()` from any handle, window or command context.
pub trait LinkscopeExt<R: Runtime> {
    fn linkscope(&self) -> &Core;
}

impl<R: Runtime, T: Manager<R>> LinkscopeExt<R> for T {
    fn linkscope(&self) -> &Core {
        &self.state::<AppState>().inner().core
    }
}

/// Starts core (store, keychain, built-in sandbox, loopback) and hands it to Tauri.
pub fn manage<R: Runtime>(app: &AppHandle<R>) -> Result<(), Box<dyn std::error::Error>> {
    let data_dir = linkscope_core::store::resolve_data_dir(app.path().app_data_dir().ok())?;
    let mut config = CoreConfig::new(&data_dir, app.config().identifier.clone());
    // The flavour is the Tauri config's (tauri.dev.conf.json gives the dev identifier), not the
    // Cargo profile: a debug-profile package of the release flavour is still the release app.
    config.build = if app.config().identifier.ends_with(".dev") {
        BuildKind::Dev
    } else {
        BuildKind::Release
    };
    config.version = app.package_info().version.to_string();
    let core = tauri::async_runtime::block_on(Core::start(config))?;
    tracing::info!(data_dir = %data_dir.display(), "Linkscope core started");
    forward_events(app, &core);
    app.manage(AppState { core });
    Ok(())
}

fn forward_events<R: Runtime>(app: &AppHandle<R>, core: &Core) {
    let mut events = core.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let Err(err) = app.emit(event.name(), &event) {
                        tracing::warn!("could not emit {}: {err}", event.name());
                    }
                }
                Err(RecvError::Lagged(n)) => tracing::warn!("the UI missed {n} events"),
                Err(RecvError::Closed) => break,
            }
        }
    });
}
