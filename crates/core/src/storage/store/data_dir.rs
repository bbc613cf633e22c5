//! Where the data dir is: `LINKSCOPE_DATA_DIR` when set, else the platform's dir the shell gives,
//! and who may read it: the owner only (dir 0700, files 0600 on Unix).

use std::path::{Path, PathBuf};

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
    private_dir(&dir)?;
    Ok(dir)
}

/// Creates `dir` if needed and makes it the owner's only (0700).
pub(super) fn private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    set_mode(dir, 0o700)
}

/// Creates `file` empty if missing, and makes it the owner's only (0600).
pub(super) fn private_file(file: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(file)?;
    set_mode(file, 0o600)
}

/// Makes `file` the owner's only (0600) if it exists.
pub(super) fn restrict_if_present(file: &Path) -> Result<()> {
    if file.exists() {
        set_mode(file, 0o600)?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

/// Windows: the per-user app data dir is already private to its user.
#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> Result<()> {
    Ok(())
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
