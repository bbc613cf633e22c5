//! `LINKSCOPE_SECRET_STORE=file:PATH`: secrets in a JSON file the user chose explicitly, for CI
//! containers without a keychain whose steps are separate processes. The file is created with
//! mode 0600 (owner only) before anything is written to it, and rewritten whole (to a 0600
//! temporary beside it, then renamed) on every change. Must not: be used unless named, or hold
//! anything but the secret store's own keys and values.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use linkscope_core::secrets::{SecretKey, SecretStore, SecretValue, StoreError};

/// A secret store in one owner-only file.
pub struct FileStore {
    path: PathBuf,
    lock: Mutex<()>,
}

impl fmt::Debug for FileStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileStore")
            .field("path", &self.path)
            .finish()
    }
}

impl FileStore {
    /// Opens (creating it 0600 if missing) the file at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let store = Self {
            path: path.to_path_buf(),
            lock: Mutex::new(()),
        };
        if !path.exists() {
            store.write(&BTreeMap::new())?;
        }
        store.read()?;
        Ok(store)
    }

    fn read(&self) -> Result<BTreeMap<String, String>, StoreError> {
        let text = std::fs::read_to_string(&self.path).map_err(|e| self.error("read", &e))?;
        if text.trim().is_empty() {
            return Ok(BTreeMap::new());
        }
        serde_json::from_str(&text).map_err(|_| {
            StoreError(format!(
                "{} is not a Linkscope secret file (a JSON object of strings)",
                self.path.display()
            ))
        })
    }

    fn write(&self, map: &BTreeMap<String, String>) -> Result<(), StoreError> {
        let text = serde_json::to_string(map)
            .map_err(|e| StoreError(format!("the secrets could not be encoded: {e}")))?;
        let temp = self.path.with_extension("tmp");
        let mut file = owner_only(&temp).map_err(|e| self.error("create", &e))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| self.error("write", &e))?;
        std::fs::rename(&temp, &self.path).map_err(|e| self.error("replace", &e))
    }

    fn change(&self, f: impl FnOnce(&mut BTreeMap<String, String>)) -> Result<(), StoreError> {
        let _guard = self
            .lock
            .lock()
            .map_err(|_| StoreError("lock poisoned".into()))?;
        let mut map = self.read()?;
        f(&mut map);
        self.write(&map)
    }

    fn error(&self, what: &str, e: &std::io::Error) -> StoreError {
        StoreError(format!("cannot {what} {}: {e}", self.path.display()))
    }
}

/// A new file only its owner may read or write (0600 on Unix), truncated if it exists.
fn owner_only(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        options.mode(0o600);
        let file = options.open(path)?;
        // An existing file keeps its old mode through open(): set it.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

impl SecretStore for FileStore {
    fn get(&self, key: &SecretKey) -> Result<Option<SecretValue>, StoreError> {
        let _guard = self
            .lock
            .lock()
            .map_err(|_| StoreError("lock poisoned".into()))?;
        Ok(self.read()?.remove(key.as_str()).map(SecretValue::new))
    }

    fn set(&self, key: &SecretKey, value: &SecretValue) -> Result<(), StoreError> {
        self.change(|map| {
            map.insert(key.as_str().to_owned(), value.expose().to_owned());
        })
    }

    fn delete(&self, key: &SecretKey) -> Result<(), StoreError> {
        self.change(|map| {
            map.remove(key.as_str());
        })
    }

    fn describe(&self) -> String {
        format!("secret file {}", self.path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_created_owner_only_and_keeps_secrets_across_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        let store = FileStore::open(&path).unwrap();
        let key = SecretKey::access_token("c1");
        store.set(&key, &SecretValue::new("tok")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "only the owner may read the secrets");
        }
        let again = FileStore::open(&path).unwrap();
        assert_eq!(again.get(&key).unwrap().unwrap().expose(), "tok");
        again.delete(&key).unwrap();
        assert!(again.get(&key).unwrap().is_none(), "deleted means gone");
    }

    #[test]
    fn a_file_that_is_not_a_secret_file_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "shopping list").unwrap();
        let err = FileStore::open(&path).unwrap_err();
        assert!(err.0.contains("not a Linkscope secret file"), "{}", err.0);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "shopping list");
    }
}
