//! Where the CLI keeps its data and secrets, and starting core there. Three profiles: its own
//! (`app.linkscope.cli`: data dir and keychain namespace, so scripts never touch the desktop
//! app's connections), `app` (the installed app's: `app.linkscope.desktop`) and `app-dev` (the
//! dev flavour's: `app.linkscope.desktop.dev`, as `BuildKind` is decided in the shell).
//! `--data-dir` moves the data and gives the keychain namespace a suffix of that folder, so two
//! data dirs never share a keychain entry. The secret store: `LINKSCOPE_SECRET_STORE=file:PATH`
//! (an explicitly chosen 0600 file), `=memory`, or the OS keychain, falling back to memory for
//! this process when there is none (said on stderr). Must not: write a secret anywhere else.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use linkscope_core::dto::BuildKind;
use linkscope_core::secrets::{MemoryStore, SecretStore};
use linkscope_core::{Core, CoreConfig};

use crate::args::{Global, Profile};
use crate::failure::Failure;
use crate::output::note;
use crate::secret_file::FileStore;

/// The variable that picks the secret store.
pub const SECRET_STORE_ENV: &str = "LINKSCOPE_SECRET_STORE";

/// The identifier (data dir name and keychain service) of a profile, and its flavour.
fn identity(profile: Profile) -> (&'static str, BuildKind) {
    match profile {
        Profile::Cli => ("app.linkscope.cli", BuildKind::Release),
        Profile::App => ("app.linkscope.desktop", BuildKind::Release),
        Profile::AppDev => ("app.linkscope.desktop.dev", BuildKind::Dev),
    }
}

/// Starts core for this invocation (store, secrets, the built-in sandbox in-process).
pub async fn start(global: &Global) -> Result<Core, Failure> {
    let (identifier, build) = identity(global.profile);
    let (data_dir, namespace) = match &global.data_dir {
        Some(dir) => (dir.clone(), format!("{identifier}.{}", folder_tag(dir))),
        None => (
            platform_dir(global.profile, identifier)?,
            identifier.to_owned(),
        ),
    };
    let secret_store = secret_store(global.quiet)?;
    let mut config = CoreConfig::new(&data_dir, namespace);
    config.build = build;
    config.secret_store = secret_store;
    let core = Core::start(config).await.map_err(|e| match e {
        linkscope_core::Error::Store(_) | linkscope_core::Error::Io(_) => Failure::Storage(
            format!("cannot open the data dir {}: {e}", data_dir.display()),
        ),
        other => Failure::Core(other),
    })?;
    let keychain = core.app_info().keychain;
    if !keychain.available && !global.quiet {
        note(&format!(
            "no keychain ({}): secrets stay in memory for this process only; set \
             {SECRET_STORE_ENV}=file:PATH to keep them between commands",
            keychain.detail.as_deref().unwrap_or("unavailable")
        ));
    }
    if global.mask {
        core.set_presenter_mode(true);
    }
    Ok(core)
}

/// The platform's data dir for the profile; the app's profiles honour `LINKSCOPE_DATA_DIR`
/// exactly as the app does.
fn platform_dir(profile: Profile, identifier: &str) -> Result<PathBuf, Failure> {
    let platform = dirs::data_dir().map(|d| d.join(identifier));
    match profile {
        Profile::Cli => platform.ok_or_else(|| {
            Failure::Usage("no data directory on this system: pass --data-dir".into())
        }),
        Profile::App | Profile::AppDev => {
            linkscope_core::store::resolve_data_dir(platform).map_err(Failure::Core)
        }
    }
}

/// The store `LINKSCOPE_SECRET_STORE` names; `None` = the OS keychain.
fn secret_store(quiet: bool) -> Result<Option<Arc<dyn SecretStore>>, Failure> {
    let Some(choice) = std::env::var_os(SECRET_STORE_ENV).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let choice = choice.to_string_lossy().into_owned();
    if choice == "memory" {
        return Ok(Some(Arc::new(MemoryStore::new())));
    }
    if choice == "keychain" {
        return Ok(None);
    }
    let Some(path) = choice.strip_prefix("file:").filter(|p| !p.is_empty()) else {
        return Err(Failure::Usage(format!(
            "{SECRET_STORE_ENV} must be file:PATH, memory or keychain, not {choice:?}"
        )));
    };
    let path = Path::new(path);
    let created = !path.exists();
    let store = FileStore::open(path).map_err(|e| Failure::Storage(e.0))?;
    if created && !quiet {
        note(&format!(
            "created {} (owner-only, 0600) to keep secrets in, as {SECRET_STORE_ENV} asks",
            path.display()
        ));
    }
    Ok(Some(Arc::new(store) as Arc<dyn SecretStore>))
}

/// A short stable tag of a folder (FNV-1a of its absolute path), for the keychain namespace.
fn folder_tag(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in absolute.to_string_lossy().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", hash >> 32)
}
