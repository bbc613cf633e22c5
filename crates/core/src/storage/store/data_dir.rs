//! Where the data dir is: `LINKSCOPE_DATA_DIR` when set, else the platform's dir the shell gives.

use std::path::PathBuf;

use crate::error::{Error, Result};

/// The environment variable that overrides the data dir (tests, e2e, portable installs).
pub const DATA_DIR_ENV: &str = "LINKSCOPE_DATA_DIR";

/// The data dir: `LINKSCOPE_DATA_DIR` when set and not empty, else `platform_dir` (the shell
/// passes Tauri's app data dir). The directory is created if needed.
pub fn resolve_data_dir(platform_dir: Option<PathBuf>) -> Result<PathBuf> {
    let from_env = std::env::var_os(DATA_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let dir = from_env.or(platform_dir).ok_or_else(|| {
        Error::Validation(format!("no data directory: set {DATA_DIR_ENV} or pass one"))
    })?;
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_dir_override_wins_over_the_platform_dir() {
        // Only this test touches the variable in this binary.
        let dir = tempfile::tempdir().unwrap();
        let platform = dir.path().join("platform");
        let override_dir = dir.path().join("override");
        let original = std::env::var_os(DATA_DIR_ENV);
        std::env::set_var(DATA_DIR_ENV, &override_dir);
        let chosen = resolve_data_dir(Some(platform.clone()));
        std::env::remove_var(DATA_DIR_ENV);
        let fallback = resolve_data_dir(Some(platform.clone()));
        if let Some(v) = original {
            std::env::set_var(DATA_DIR_ENV, v);
        }
        assert_eq!(chosen.unwrap(), override_dir);
        assert!(override_dir.is_dir(), "the chosen dir is created");
        assert_eq!(fallback.unwrap(), platform);
    }
}
