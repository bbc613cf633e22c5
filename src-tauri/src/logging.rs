//! Logging through `tauri-plugin-log`: to stderr and to `linkscope.log` in the platform's log dir
//! (`app_log_dir()`, e.g. `~/.local/share/<identifier>/logs` on Linux), rotated at 5 MB with
//! the four newest old files kept. Support agents attach it to tickets; Settings reveals it.
//!
//! Guarantees kept from the hand-written log it replaced: the log dir is the owner's only (0700),
//! so every file in it, rotated ones included, is too, and the live file is made 0600 at start.
//! Nothing logged may contain a secret: core's secret types print as redacted, the shell never
//! logs a callback URL (it carries the code), and the webview's errors (target `webview`) come
//! from a UI that never holds one.

use std::path::{Path, PathBuf};

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_log::log::LevelFilter;
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};

/// The log file's name in the log dir, without `.log`.
const FILE_STEM: &str = "linkscope";
/// A file is rotated once it reaches this size.
const MAX_FILE_BYTES: u128 = 5 * 1024 * 1024;
/// Rotated files kept beside the live one.
const KEEP_ROTATED: usize = 4;
/// The level, from `LINKSCOPE_LOG` (`error`, `warn`, `info`, `debug`, `trace`; default `info`).
const LEVEL_ENV: &str = "LINKSCOPE_LOG";

/// The plugin, registered first so every later plugin's setup is logged.
pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets([
            Target::new(TargetKind::Stderr),
            Target::new(TargetKind::LogDir {
                file_name: Some(FILE_STEM.into()),
            }),
        ])
        .level(level(std::env::var(LEVEL_ENV).ok().as_deref()))
        .max_file_size(MAX_FILE_BYTES)
        .rotation_strategy(RotationStrategy::KeepSome(KEEP_ROTATED))
        .build()
}

/// The level a `LINKSCOPE_LOG` value asks for; anything else is `info`.
fn level(value: Option<&str>) -> LevelFilter {
    value
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(LevelFilter::Info)
}

/// The live log file (`<log dir>/linkscope.log`), when the platform has a log dir.
pub fn file<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    let dir = app.path().app_log_dir().ok()?;
    Some(dir.join(FILE_STEM).with_extension("log"))
}

/// Makes the log dir 0700 and the live file 0600 (the plugin creates them with the umask's modes).
pub fn make_private<R: Runtime>(app: &AppHandle<R>) {
    let Some(path) = file(app) else { return };
    if let Some(dir) = path.parent() {
        set_mode(dir, 0o700);
    }
    set_mode(&path, 0o600);
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    if let Err(err) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)) {
        tracing::warn!("cannot make {} private: {err}", path.display());
    }
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_comes_from_linkscope_log_and_falls_back_to_info() {
        assert_eq!(level(Some("debug")), LevelFilter::Debug);
        assert_eq!(level(Some(" WARN ")), LevelFilter::Warn);
        assert_eq!(
            level(Some("linkscope_core=debug")),
            LevelFilter::Info,
            "directives are not levels"
        );
        assert_eq!(level(None), LevelFilter::Info);
    }
}
