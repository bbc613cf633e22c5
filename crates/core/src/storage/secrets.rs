//! Secrets at rest: the [`SecretStore`] trait, the OS keychain ([`KeyringStore`]), an in-memory
//! store ([`MemoryStore`]) and the [`Secrets`] facade the services use.
//!
//! Rules (DESIGN.md §6): secrets are [`SecretValue`]s (redacted `Debug`, no `Serialize`, no
//! `Clone`, no `PartialEq`); they go to the keychain, or, when it fails, to memory for this
//! session only (the facade records which connections are then "not saved"). Nothing here ever
//! writes a secret to a file.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::error::Error;

/// What the keychain stores (client secret, access token, refresh token): the one secret wrapper
/// core keeps, because the keychain holds several kinds. Prints as `SecretValue([REDACTED])`, the
/// TrueLayer client's redaction marker.
pub struct SecretValue(String);

impl SecretValue {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself; call only where it is sent to TrueLayer or the keychain.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A second copy, made on purpose (there is no `Clone`).
    pub fn duplicate(&self) -> Self {
        Self(self.0.clone())
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretValue({})", linkscope_truelayer::REDACTED)
    }
}

/// The name of a secret in the store: `env/{id}/client_secret`, `env/{id}/sandbox_control_token`,
/// `env/{id}/signing_key` (+ `signing_key_id`), `conn/{id}/access_token`, `conn/{id}/refresh_token`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretKey(String);

impl SecretKey {
    /// An environment's client secret.
    pub fn client_secret(environment_id: &str) -> Self {
        Self(format!("env/{environment_id}/client_secret"))
    }

    /// An environment's request-signing key (PEM) and, beside it, its key id.
    pub fn signing_key(environment_id: &str) -> Self {
        Self(format!("env/{environment_id}/signing_key"))
    }

    /// The key id of an environment's signing key (not a secret; kept beside the key).
    pub fn signing_key_id(environment_id: &str) -> Self {
        Self(format!("env/{environment_id}/signing_key_id"))
    }

    /// A connection's access token.
    pub fn access_token(connection_id: &str) -> Self {
        Self(format!("conn/{connection_id}/access_token"))
    }

    /// A connection's refresh token.
    pub fn refresh_token(connection_id: &str) -> Self {
        Self(format!("conn/{connection_id}/refresh_token"))
    }

    /// Every secret a connection can have (access token, refresh token).
    pub fn of_connection(connection_id: &str) -> [Self; 2] {
        [
            Self::access_token(connection_id),
            Self::refresh_token(connection_id),
        ]
    }

    /// The `X-Sandbox-Token` of a custom environment that points at a standalone sandbox.
    pub fn sandbox_control_token(environment_id: &str) -> Self {
        Self(format!("env/{environment_id}/sandbox_control_token"))
    }

    /// A key as the store's index of pending secrets wrote it ([`SecretKey::as_str`]).
    pub(crate) fn from_stored(key: String) -> Self {
        Self(key)
    }

    /// The key as a string (used as the keychain entry's user/account name).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The connection this key belongs to, if it is a `conn/…` key.
    pub fn connection_id(&self) -> Option<&str> {
        let rest = self.0.strip_prefix("conn/")?;
        rest.split_once('/').map(|(id, _)| id)
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A secret store failed (the keychain is locked, absent, refused…).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(pub String);

/// Where secrets are kept. "No entry" is `Ok(None)`, never an error.
pub trait SecretStore: Send + Sync + fmt::Debug {
    /// Reads a secret.
    fn get(&self, key: &SecretKey) -> Result<Option<SecretValue>, StoreError>;
    /// Writes (or replaces) a secret.
    fn set(&self, key: &SecretKey, value: &SecretValue) -> Result<(), StoreError>;
    /// Deletes a secret; deleting a missing one is fine.
    fn delete(&self, key: &SecretKey) -> Result<(), StoreError>;
    /// A short human name ("OS keychain", "in-memory store").
    fn describe(&self) -> String;
}

/// Secrets in process memory: the fallback when the keychain fails, and the tests' store.
/// Clones share the same map (tests keep a handle to restart `Core` on the same secrets).
#[derive(Clone, Default)]
pub struct MemoryStore {
    inner: Arc<Mutex<HashMap<String, String>>>,
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = self.inner.lock().map(|m| m.len()).unwrap_or(0);
        f.debug_struct("MemoryStore")
            .field("entries", &len)
            .finish()
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The keys present (for tests and diagnostics; never the values).
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .inner
            .lock()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        keys
    }

    fn map(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, String>>, StoreError> {
        self.inner
            .lock()
            .map_err(|_| StoreError("memory store poisoned".into()))
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, key: &SecretKey) -> Result<Option<SecretValue>, StoreError> {
        Ok(self
            .map()?
            .get(key.as_str())
            .map(|v| SecretValue(v.clone())))
    }

    fn set(&self, key: &SecretKey, value: &SecretValue) -> Result<(), StoreError> {
        self.map()?
            .insert(key.as_str().to_owned(), value.expose().to_owned());
        Ok(())
    }

    fn delete(&self, key: &SecretKey) -> Result<(), StoreError> {
        self.map()?.remove(key.as_str());
        Ok(())
    }

    fn describe(&self) -> String {
        "in-memory store".into()
    }
}

/// The OS keychain through the `keyring` crate (Secret Service on Linux, Keychain on macOS,
/// Credential Manager on Windows). Entries are `service = <namespace>`, `user = <key>`, where the
/// namespace is per build (e.g. `dev.linkscope.app` vs `dev.linkscope.app.dev`).
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    /// A store whose entries live under `service` (the app identifier, namespaced per build).
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, key: &SecretKey) -> Result<keyring::Entry, StoreError> {
        keyring::Entry::new(&self.service, key.as_str()).map_err(keyring_error)
    }
}

fn keyring_error(e: keyring::Error) -> StoreError {
    StoreError(e.to_string())
}

impl SecretStore for KeyringStore {
    fn get(&self, key: &SecretKey) -> Result<Option<SecretValue>, StoreError> {
        match self.entry(key)?.get_password() {
            Ok(v) => Ok(Some(SecretValue(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn set(&self, key: &SecretKey, value: &SecretValue) -> Result<(), StoreError> {
        self.entry(key)?
            .set_password(value.expose())
            .map_err(keyring_error)
    }

    fn delete(&self, key: &SecretKey) -> Result<(), StoreError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn describe(&self) -> String {
        format!("OS keychain ({})", self.service)
    }
}

/// Whether the primary store works, as found by [`probe`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeychainStatus {
    pub available: bool,
    /// Why not, or which store is in use.
    pub detail: Option<String>,
}

/// How long the probe may take before the keychain is declared unavailable (a locked Secret
/// Service can wait on an unlock prompt forever).
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// Writes, reads back and deletes a throw-away entry to learn whether `store` works.
pub async fn probe(store: Arc<dyn SecretStore>) -> KeychainStatus {
    let describe = store.describe();
    let work = tokio::task::spawn_blocking(move || -> Result<(), StoreError> {
        let key = SecretKey(format!("probe/{}", uuid::Uuid::new_v4()));
        let value = SecretValue::new("linkscope keychain probe");
        store.set(&key, &value)?;
        let back = store.get(&key)?;
        store.delete(&key)?;
        match back {
            Some(v) if v.expose() == value.expose() => Ok(()),
            Some(_) => Err(StoreError("the keychain returned a different value".into())),
            None => Err(StoreError("the keychain did not keep the entry".into())),
        }
    });
    match tokio::time::timeout(PROBE_TIMEOUT, work).await {
        Ok(Ok(Ok(()))) => KeychainStatus {
            available: true,
            detail: Some(describe),
        },
        Ok(Ok(Err(e))) => KeychainStatus {
            available: false,
            detail: Some(e.0),
        },
        Ok(Err(join)) => KeychainStatus {
            available: false,
            detail: Some(format!("probe failed: {join}")),
        },
        Err(_) => KeychainStatus {
            available: false,
            detail: Some(format!("no answer within {}s", PROBE_TIMEOUT.as_secs())),
        },
    }
}

/// How long one keychain call may take before it counts as a failure (a locked Secret Service
/// can wait on an unlock prompt forever; a D-Bus that went away can hang a call).
pub const KEYCHAIN_DEADLINE: Duration = Duration::from_secs(10);

/// The facade the services use: the primary store (the keychain, or an injected store) with a
/// memory fallback. When the primary fails (at the probe or later), secrets go to memory and the
/// connections concerned are reported as not saved.
///
/// A read that fails (an error, or no answer within the deadline) is
/// [`Error::KeychainUnavailable`], never "no entry": only the store's own `Ok(None)` means a secret
/// is gone, so a keychain that hiccups changes no connection's status and deletes nothing.
#[derive(Debug)]
pub struct Secrets {
    primary: Option<Arc<dyn SecretStore>>,
    memory: MemoryStore,
    status: KeychainStatus,
    /// Keys whose current value is only in memory.
    memory_only: Mutex<HashSet<String>>,
    /// The deadline of every keychain call.
    deadline: Duration,
}

/// What the banner should say when the keychain is unavailable.
pub const KEYCHAIN_UNAVAILABLE_BANNER: &str =
    "keychain unavailable: secrets kept in memory for this session; connections marked not saved";

impl Secrets {
    /// Probes `primary` and builds the facade; if the probe fails, everything goes to memory.
    pub async fn new(primary: Arc<dyn SecretStore>) -> Self {
        Self::with_deadline(primary, KEYCHAIN_DEADLINE).await
    }

    /// [`Self::new`] with another deadline per keychain call (tests use a short one).
    pub async fn with_deadline(primary: Arc<dyn SecretStore>, deadline: Duration) -> Self {
        let status = probe(primary.clone()).await;
        if !status.available {
            tracing::warn!(detail = ?status.detail, "{KEYCHAIN_UNAVAILABLE_BANNER}");
        }
        Self {
            primary: status.available.then_some(primary),
            memory: MemoryStore::new(),
            status,
            memory_only: Mutex::new(HashSet::new()),
            deadline,
        }
    }

    /// The probe's verdict, for `get_app_info`.
    pub fn status(&self) -> &KeychainStatus {
        &self.status
    }

    /// Reads a secret (memory first when its current value is only there). `Ok(None)` only when
    /// the store says there is no entry; a failed or timed-out read, or a read while the keychain
    /// is unavailable of a secret this session never wrote, is [`Error::KeychainUnavailable`].
    pub async fn get(&self, key: &SecretKey) -> Result<Option<SecretValue>, Error> {
        if self.is_memory_only(key) {
            return Ok(self.memory.get(key).ok().flatten());
        }
        let Some(primary) = self.primary.clone() else {
            return Err(Error::KeychainUnavailable(
                self.status
                    .detail
                    .clone()
                    .unwrap_or_else(|| "it did not answer at start".into()),
            ));
        };
        let k = key.clone();
        self.call(key, "read", move || primary.get(&k)).await
    }

    /// Writes a secret to the keychain, or to memory if the keychain fails. Returns whether it
    /// reached durable storage (false = memory only, this session).
    pub async fn set(&self, key: &SecretKey, value: &SecretValue) -> bool {
        if let Some(primary) = self.primary.clone() {
            let k = key.clone();
            let v = value.duplicate();
            if self
                .call(key, "write", move || primary.set(&k, &v))
                .await
                .is_ok()
            {
                self.forget_memory(key);
                return true;
            }
        }
        // MemoryStore::set cannot fail except on a poisoned lock.
        let _ = self.memory.set(key, value);
        if let Ok(mut set) = self.memory_only.lock() {
            set.insert(key.as_str().to_owned());
        }
        false
    }

    /// Deletes a secret everywhere; a keychain that fails or does not answer is
    /// [`Error::KeychainUnavailable`] (the entry may still be there).
    pub async fn delete(&self, key: &SecretKey) -> Result<(), Error> {
        self.forget_memory(key);
        match self.primary.clone() {
            Some(primary) => {
                let k = key.clone();
                self.call(key, "delete", move || primary.delete(&k)).await
            }
            None => Ok(()),
        }
    }

    /// One keychain call on a blocking thread, bounded by the deadline.
    async fn call<T: Send + 'static>(
        &self,
        key: &SecretKey,
        what: &str,
        work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, Error> {
        let failed = |detail: String| {
            tracing::warn!(key = %key, error = %detail, "keychain {what} failed");
            Error::KeychainUnavailable(detail)
        };
        match tokio::time::timeout(self.deadline, tokio::task::spawn_blocking(work)).await {
            Ok(Ok(Ok(v))) => Ok(v),
            Ok(Ok(Err(e))) => Err(failed(e.0)),
            Ok(Err(join)) => Err(failed(format!("the keychain call failed: {join}"))),
            Err(_) => Err(failed(format!(
                "no answer within {}s",
                self.deadline.as_secs_f32()
            ))),
        }
    }

    /// Whether all of this connection's secrets reached durable storage.
    pub fn is_connection_saved(&self, connection_id: &str) -> bool {
        if self.primary.is_none() {
            return false;
        }
        let set = match self.memory_only.lock() {
            Ok(s) => s,
            Err(_) => return false,
        };
        !set.iter()
            .any(|k| SecretKey(k.clone()).connection_id() == Some(connection_id))
    }

    fn is_memory_only(&self, key: &SecretKey) -> bool {
        self.memory_only
            .lock()
            .map(|s| s.contains(key.as_str()))
            .unwrap_or(false)
    }

    fn forget_memory(&self, key: &SecretKey) {
        let _ = self.memory.delete(key);
        if let Ok(mut set) = self.memory_only.lock() {
            set.remove(key.as_str());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store that fails every call: stands in for a locked or absent keychain.
    #[derive(Debug)]
    struct BrokenStore;

    impl SecretStore for BrokenStore {
        fn get(&self, _: &SecretKey) -> Result<Option<SecretValue>, StoreError> {
            Err(StoreError("no Secret Service on the bus".into()))
        }
        fn set(&self, _: &SecretKey, _: &SecretValue) -> Result<(), StoreError> {
            Err(StoreError("no Secret Service on the bus".into()))
        }
        fn delete(&self, _: &SecretKey) -> Result<(), StoreError> {
            Err(StoreError("no Secret Service on the bus".into()))
        }
        fn describe(&self) -> String {
            "broken".into()
        }
    }

    /// Works at the probe, then starts failing writes (the keychain got locked mid-session).
    #[derive(Debug, Default)]
    struct FailsAfterProbe {
        inner: MemoryStore,
        fail: std::sync::atomic::AtomicBool,
    }

    impl SecretStore for FailsAfterProbe {
        fn get(&self, key: &SecretKey) -> Result<Option<SecretValue>, StoreError> {
            self.inner.get(key)
        }
        fn set(&self, key: &SecretKey, value: &SecretValue) -> Result<(), StoreError> {
            if self.fail.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(StoreError("locked".into()));
            }
            self.inner.set(key, value)
        }
        fn delete(&self, key: &SecretKey) -> Result<(), StoreError> {
            self.inner.delete(key)
        }
        fn describe(&self) -> String {
            "flaky".into()
        }
    }

    #[test]
    fn a_secret_value_never_prints() {
        let v = SecretValue::new("eyJhbGciOi.secret");
        assert_eq!(format!("{v:?}"), "SecretValue([REDACTED])");
    }

    #[test]
    fn keys_are_namespaced_and_know_their_connection() {
        assert_eq!(
            SecretKey::client_secret("e1").as_str(),
            "env/e1/client_secret"
        );
        assert_eq!(
            SecretKey::access_token("c1").as_str(),
            "conn/c1/access_token"
        );
        assert_eq!(SecretKey::refresh_token("c1").connection_id(), Some("c1"));
        assert_eq!(SecretKey::client_secret("e1").connection_id(), None);
    }

    #[test]
    fn the_memory_store_answers_none_for_a_missing_entry() {
        let store = MemoryStore::new();
        assert!(store
            .get(&SecretKey::access_token("nope"))
            .unwrap()
            .is_none());
        store.delete(&SecretKey::access_token("nope")).unwrap();
    }

    #[test]
    fn memory_store_clones_share_their_entries() {
        let a = MemoryStore::new();
        let b = a.clone();
        a.set(&SecretKey::access_token("c"), &SecretValue::new("t"))
            .unwrap();
        assert_eq!(
            b.get(&SecretKey::access_token("c"))
                .unwrap()
                .unwrap()
                .expose(),
            "t"
        );
    }

    #[tokio::test]
    async fn a_working_store_passes_the_probe_and_leaves_no_entry_behind() {
        let store = MemoryStore::new();
        let status = probe(Arc::new(store.clone())).await;
        assert!(status.available);
        assert!(
            store.keys().is_empty(),
            "the probe must clean up: {:?}",
            store.keys()
        );
    }

    #[tokio::test]
    async fn a_broken_keychain_falls_back_to_memory_and_marks_connections_not_saved() {
        let secrets = Secrets::new(Arc::new(BrokenStore)).await;
        assert!(!secrets.status().available);
        assert_eq!(
            secrets.status().detail.as_deref(),
            Some("no Secret Service on the bus")
        );
        let durable = secrets
            .set(&SecretKey::access_token("c1"), &SecretValue::new("tok"))
            .await;
        assert!(!durable);
        assert_eq!(
            secrets
                .get(&SecretKey::access_token("c1"))
                .await
                .unwrap()
                .unwrap()
                .expose(),
            "tok"
        );
        assert!(!secrets.is_connection_saved("c1"));
    }

    #[tokio::test]
    async fn a_keychain_that_fails_mid_session_keeps_the_secret_in_memory() {
        let store = Arc::new(FailsAfterProbe::default());
        let secrets = Secrets::new(store.clone()).await;
        assert!(secrets.status().available);
        assert!(
            secrets
                .set(&SecretKey::refresh_token("c1"), &SecretValue::new("r1"))
                .await
        );
        assert!(secrets.is_connection_saved("c1"));

        store.fail.store(true, std::sync::atomic::Ordering::SeqCst);
        assert!(
            !secrets
                .set(&SecretKey::refresh_token("c1"), &SecretValue::new("r2"))
                .await
        );
        assert_eq!(
            secrets
                .get(&SecretKey::refresh_token("c1"))
                .await
                .unwrap()
                .unwrap()
                .expose(),
            "r2",
            "the newest value wins even though only memory has it"
        );
        assert!(!secrets.is_connection_saved("c1"));
        assert!(
            secrets.is_connection_saved("c2"),
            "other connections are unaffected"
        );
    }

    #[tokio::test]
    async fn deleting_removes_the_secret_from_both_stores() {
        let store = MemoryStore::new();
        let secrets = Secrets::new(Arc::new(store.clone())).await;
        let key = SecretKey::access_token("c1");
        secrets.set(&key, &SecretValue::new("t")).await;
        secrets.delete(&key).await.unwrap();
        assert!(secrets.get(&key).await.unwrap().is_none());
        assert!(store.keys().is_empty());
    }
}
