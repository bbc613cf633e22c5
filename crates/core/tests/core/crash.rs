//! Kill -9 mid-link: core runs in a child process (this test binary again, running only
//! [`child_links_until_killed_at_its_step`]) that stops at one step of saving a link (after the
//! exchange, after the keychain write, after the row insert) and is killed with SIGKILL there.
//! Started again on the same data dir and secret file: no half connection, no orphaned secret,
//! and the next link works. The secret store is a file ([`FileStore`]) so it outlives the child.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use linkscope_core::dto::{EnvironmentInput, EnvironmentKind, RedirectKind};
use linkscope_core::secrets::{SecretKey, SecretStore, SecretValue, StoreError};
use linkscope_core::{Core, CoreConfig, LinkCheckpoint, LinkStep};
use linkscope_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

use crate::support::{free_port, http, request};

/// Where the child gets its orders (set only for the child process).
const CHILD_DIR: &str = "LINKSCOPE_CRASH_TEST_DIR";
const CHILD_STEP: &str = "LINKSCOPE_CRASH_TEST_STEP";
const CHILD_SANDBOX: &str = "LINKSCOPE_CRASH_TEST_SANDBOX";
const CHILD_TOKEN: &str = "LINKSCOPE_CRASH_TEST_CONTROL_TOKEN";
/// What the child prints once it stands at its step.
const AT_STEP: &str = "crash-test: stopped at";

/// A secret store kept in a JSON file, written whole (temp file, fsync, rename) on every change:
/// a keychain that survives the process it was written by.
#[derive(Debug, Clone)]
struct FileStore {
    path: PathBuf,
    lock: Arc<Mutex<()>>,
}

impl FileStore {
    fn new(path: PathBuf) -> Self {
        Self {
            path,
            lock: Arc::default(),
        }
    }

    fn load(&self) -> BTreeMap<String, String> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str(&text).unwrap(),
            Err(_) => BTreeMap::new(),
        }
    }

    fn change(&self, edit: impl FnOnce(&mut BTreeMap<String, String>)) {
        let _guard = self.lock.lock().unwrap();
        let mut map = self.load();
        edit(&mut map);
        let tmp = self.path.with_extension("tmp");
        {
            let file = std::fs::File::create(&tmp).unwrap();
            serde_json::to_writer(&file, &map).unwrap();
            file.sync_all().unwrap();
        }
        std::fs::rename(&tmp, &self.path).unwrap();
    }

    fn keys(&self) -> Vec<String> {
        self.load().into_keys().collect()
    }
}

impl SecretStore for FileStore {
    fn get(&self, key: &SecretKey) -> Result<Option<SecretValue>, StoreError> {
        let _guard = self.lock.lock().unwrap();
        Ok(self.load().get(key.as_str()).map(SecretValue::new))
    }
    fn set(&self, key: &SecretKey, value: &SecretValue) -> Result<(), StoreError> {
        self.change(|m| {
            m.insert(key.as_str().to_owned(), value.expose().to_owned());
        });
        Ok(())
    }
    fn delete(&self, key: &SecretKey) -> Result<(), StoreError> {
        self.change(|m| {
            m.remove(key.as_str());
        });
        Ok(())
    }
    fn describe(&self) -> String {
        "file store".into()
    }
}

fn core_config(dir: &Path) -> CoreConfig {
    let mut config = CoreConfig::new(dir.join("data"), "test.linkscope.crash");
    config.secret_store = Some(Arc::new(FileStore::new(dir.join("secrets.json"))));
    config.start_builtin_sandbox = false;
    config.loopback_port = free_port();
    config
}

fn step_name(step: LinkStep) -> &'static str {
    match step {
        LinkStep::Exchanged => "exchanged",
        LinkStep::SecretsWritten => "secrets-written",
        LinkStep::RowWritten => "row-written",
    }
}

/// Links john/doe on the environment through the sandbox's headless consent.
async fn link_once(core: &Core, environment_id: &str, auth_url: &str, token: &str) {
    let mut req = request(RedirectKind::DeepLink);
    req.environment_id = environment_id.to_owned();
    let preview = core.links().start(req).await.unwrap();
    let answer: Value = http()
        .post(format!("{auth_url}/__sandbox/authorize"))
        .header("x-sandbox-token", token)
        .json(&json!({"auth_link": preview.url, "username": "john", "password": "doe"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let redirect = answer["redirect"].as_str().unwrap();
    core.links().complete_authorization(redirect).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "the kill -9 test's child process: runs only when that test starts it"]
async fn child_links_until_killed_at_its_step() {
    let dir = PathBuf::from(std::env::var(CHILD_DIR).unwrap());
    let step = std::env::var(CHILD_STEP).unwrap();
    let auth_url = std::env::var(CHILD_SANDBOX).unwrap();
    let token = std::env::var(CHILD_TOKEN).unwrap();
    let mut config = core_config(&dir);
    config.link_checkpoint = LinkCheckpoint::new(move |reached| {
        if step_name(reached) == step {
            println!("{AT_STEP} {step}");
            loop {
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    });
    let core = Core::start(config).await.unwrap();
    let env = core.environments().list().await.unwrap().remove(0);
    link_once(&core, &env.id, &auth_url, &token).await;
    unreachable!("the link passed its step without stopping");
}

/// Runs the child until it stands at `step`, then kills it with SIGKILL.
fn run_child_and_kill_at(dir: &Path, step: LinkStep, auth_url: &str, token: &str) {
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash::child_links_until_killed_at_its_step",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DIR, dir)
        .env(CHILD_STEP, step_name(step))
        .env(CHILD_SANDBOX, auth_url)
        .env(CHILD_TOKEN, token)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            // The harness may print the test's name on the same line first.
            if let Some(at) = line.find(AT_STEP) {
                let _ = tx.send(line[at..].to_owned());
            }
        }
    });
    let reached = rx.recv_timeout(Duration::from_secs(60));
    child.kill().unwrap(); // SIGKILL: no destructor, no flush, no cleanup runs.
    child.wait().unwrap();
    assert_eq!(
        reached.unwrap(),
        format!("{AT_STEP} {}", step_name(step)),
        "the child reached its step"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_killed_at_any_step_leaves_a_whole_connection_or_nothing_and_the_next_link_works() {
    let token = "crash-test-control-token-0123456789";
    let sandbox = Sandbox::start(SandboxConfig {
        control_token: Some(token.into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let auth_url = sandbox.auth_url().to_owned();
    for step in [
        LinkStep::Exchanged,
        LinkStep::SecretsWritten,
        LinkStep::RowWritten,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let env_id = {
            let core = Core::start(core_config(dir.path())).await.unwrap();
            core.environments()
                .save(EnvironmentInput {
                    id: None,
                    name: "Standalone sandbox".into(),
                    kind: EnvironmentKind::Custom,
                    auth_url: auth_url.clone(),
                    api_url: sandbox.api_url().into(),
                    client_id: sandbox.demo_client().client_id.clone(),
                    client_secret: Some(linkscope_truelayer::ClientSecret::new(
                        sandbox.demo_client().client_secret.clone(),
                    )),
                    redirect_uris: vec!["linkscope-dev://callback".into()],
                    marked_live: false,
                    sandbox_control_token: None,
                    confirm_secrets_reset: false,
                })
                .await
                .unwrap()
                .id
        };

        // On a blocking thread: the sandbox keeps answering the child meanwhile.
        let (path, url) = (dir.path().to_owned(), auth_url.clone());
        tokio::task::spawn_blocking(move || run_child_and_kill_at(&path, step, &url, token))
            .await
            .unwrap();

        let core = Core::start(core_config(dir.path())).await.unwrap();
        let connections = core.connections().list().await.unwrap();
        let expected = usize::from(step == LinkStep::RowWritten);
        assert_eq!(
            connections.len(),
            expected,
            "{step:?}: a whole connection or none"
        );
        for connection in &connections {
            core.accounts()
                .list(&connection.id)
                .await
                .unwrap_or_else(|e| panic!("{step:?}: the saved connection has its tokens: {e}"));
        }
        let secrets = FileStore::new(dir.path().join("secrets.json")).keys();
        let orphans: Vec<&String> = secrets
            .iter()
            .filter(|k| k.starts_with("conn/"))
            .filter(|k| {
                !connections
                    .iter()
                    .any(|c| k.starts_with(&format!("conn/{}/", c.id)))
            })
            .collect();
        assert!(orphans.is_empty(), "{step:?}: orphaned secrets {orphans:?}");
        assert!(
            core.store().pending_secrets().unwrap().is_empty(),
            "{step:?}"
        );

        link_once(&core, &env_id, &auth_url, token).await;
        assert_eq!(
            core.connections().list().await.unwrap().len(),
            expected + 1,
            "{step:?}: the next link works"
        );
    }
}
