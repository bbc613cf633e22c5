//! The app's managed state, created once at start-up and reached through [`LinkscopeExt`]: one
//! [`Core`], whose events are forwarded to the window as Tauri events.
//!
//! Core starts on a thread of its own while the window loads the UI: Tauri serves the UI's files
//! from the main thread, so a core started inside `setup` (store, keychain probe, built-in
//! sandbox) held the first screen back by its whole start-up. A command that arrives before core
//! is up waits for it.

use std::sync::{Condvar, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use linkscope_core::dto::BuildKind;
use linkscope_core::{Core, CoreConfig};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::broadcast::error::RecvError;

/// Everything the commands need, owned by Tauri's state manager: core, once it has started.
#[derive(Debug, Default)]
pub struct AppState {
    core: OnceLock<Core>,
    started: Mutex<()>,
    ready: Condvar,
}

impl AppState {
    /// Core; until it has started (the first moments of the app), waits for it. On a runtime
    /// thread the wait is `block_in_place`, so the runtime's other tasks (core's start among
    /// them) go on meanwhile.
    fn core(&self) -> &Core {
        loop {
            if let Some(core) = self.core.get() {
                return core;
            }
            let wait = || {
                let guard = self.started.lock().unwrap_or_else(PoisonError::into_inner);
                if self.core.get().is_none() {
                    let _ = self.ready.wait_timeout(guard, Duration::from_millis(50));
                }
            };
            if tokio::runtime::Handle::try_current().is_ok() {
                tokio::task::block_in_place(wait);
            } else {
                wait();
            }
        }
    }

    fn set(&self, core: Core) {
        let _guard = self.started.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = self.core.set(core);
        self.ready.notify_all();
    }
}

/// `app.linkscope()` from any handle, window or command context.
pub trait LinkscopeExt<R: Runtime> {
    fn linkscope(&self) -> &Core;
}

impl<R: Runtime, T: Manager<R>> LinkscopeExt<R> for T {
    fn linkscope(&self) -> &Core {
        self.state::<AppState>().inner().core()
    }
}

/// Starts core (store, keychain, built-in sandbox, loopback) on its own thread and hands it to
/// Tauri's state once it is up (see the module docs).
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
    app.manage(AppState::default());
    let app = app.clone();
    std::thread::Builder::new()
        .name("core-start".into())
        .spawn(move || {
            let started = Instant::now();
            match tauri::async_runtime::block_on(Core::start(config)) {
                Ok(core) => {
                    tracing::info!(
                        data_dir = %data_dir.display(),
                        ms = started.elapsed().as_millis(),
                        "Linkscope core started"
                    );
                    forward_events(&app, &core);
                    app.state::<AppState>().set(core);
                }
                Err(err) => {
                    tracing::error!("Linkscope could not start: {err}");
                    std::process::exit(1);
                }
            }
        })?;
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
