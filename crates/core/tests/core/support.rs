//! Shared helpers: start a Core, drive the sandbox's QA controls, link an account.

use std::sync::Arc;
use std::time::Duration;

use linkscope_core::dto::{Connection, LinkPreview, LinkRequest, RedirectKind, ResponseMode};
use linkscope_core::secrets::{MemoryStore, SecretKey, SecretStore, SecretValue, StoreError};
use linkscope_core::{Core, CoreConfig};
use serde_json::{json, Value};

/// A running Core with its data dir and secret store (kept to restart on the same ones).
pub struct Harness {
    pub core: Core,
    pub dir: Arc<tempfile::TempDir>,
    pub secrets: MemoryStore,
}

/// A free loopback port, so parallel tests do not share 3947.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

pub fn config(dir: &tempfile::TempDir, secrets: &MemoryStore) -> CoreConfig {
    let mut config = CoreConfig::new(dir.path(), "test.linkscope.core");
    config.secret_store = Some(Arc::new(secrets.clone()));
    config.loopback_port = free_port();
    config
}

pub async fn start() -> Harness {
    start_with(|_| {}).await
}

pub async fn start_with(tweak: impl FnOnce(&mut CoreConfig)) -> Harness {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let secrets = MemoryStore::new();
    let mut cfg = config(&dir, &secrets);
    tweak(&mut cfg);
    let core = Core::start(cfg).await.unwrap();
    Harness { core, dir, secrets }
}

/// The default link request: Mock, the default scopes, back by deep link.
pub fn request(redirect: RedirectKind) -> LinkRequest {
    LinkRequest {
        environment_id: "builtin".into(),
        provider_id: Some("mock".into()),
        scopes: [
            "info",
            "accounts",
            "balance",
            "cards",
            "transactions",
            "direct_debits",
            "standing_orders",
            "offline_access",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
        redirect,
        response_mode: ResponseMode::Query,
        ..Default::default()
    }
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A request to one of the built-in sandbox's `/__sandbox/` controls, with its control token.
pub fn control(core: &Core, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
    let sandbox = core.sandbox().expect("the built-in sandbox runs");
    http()
        .request(method, format!("{}{path}", sandbox.auth_url()))
        .header("x-sandbox-token", sandbox.control_token())
}

pub fn auth_url(core: &Core) -> String {
    core.sandbox()
        .expect("the built-in sandbox runs")
        .auth_url()
        .to_owned()
}

/// Walks the sandbox's consent headlessly; the whole answer (`redirect`, maybe `form`).
pub async fn authorize_raw(core: &Core, link: &str, username: &str, password: &str) -> Value {
    let response = control(core, reqwest::Method::POST, "/__sandbox/authorize")
        .json(&json!({"auth_link": link, "username": username, "password": password}))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        status, 200,
        "the sandbox refused the headless authorization: {body}"
    );
    body
}

/// The redirect the bank would send the browser to.
pub async fn authorize(core: &Core, link: &str, username: &str, password: &str) -> String {
    let body = authorize_raw(core, link, username, password).await;
    body["redirect"].as_str().unwrap().to_owned()
}

/// Starts a link for the Mock bank with this redirect.
pub async fn start_link(core: &Core, redirect: RedirectKind) -> LinkPreview {
    core.links().start(request(redirect)).await.unwrap()
}

/// Links john/doe through the deep-link path.
pub async fn link(core: &Core) -> Connection {
    let preview = start_link(core, RedirectKind::DeepLink).await;
    let url = core.links().open(&preview.session_id).unwrap();
    let redirect = authorize(core, &url, "john", "doe").await;
    core.links()
        .complete_authorization(&redirect)
        .await
        .unwrap()
}

/// `GET {auth}/__sandbox/requests`: what reached the sandbox, oldest first.
pub async fn sandbox_requests(core: &Core) -> Vec<Value> {
    let body: Value = control(core, reqwest::Method::GET, "/__sandbox/requests")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["requests"].as_array().unwrap().clone()
}

pub async fn clear_sandbox_requests(core: &Core) {
    let status = control(core, reqwest::Method::DELETE, "/__sandbox/requests")
        .send()
        .await
        .unwrap()
        .status();
    assert!(status.is_success());
}

pub async fn advance_clock(core: &Core, seconds: u64) {
    let response = control(core, reqwest::Method::POST, "/__sandbox/clock")
        .json(&json!({"advance_seconds": seconds}))
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );
}

pub async fn arm_fault(core: &Core, fault: Value) {
    let response = control(core, reqwest::Method::POST, "/__sandbox/faults")
        .json(&fault)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );
}

/// How many recorded requests hit `path` (with a status, if given).
pub fn count(requests: &[Value], path: &str, status: Option<u64>) -> usize {
    requests
        .iter()
        .filter(|r| r["path"] == path && status.is_none_or(|s| r["status"] == s))
        .count()
}

/// A link request with these scopes (Mock, deep link).
pub fn request_with(scopes: &[&str]) -> LinkRequest {
    let mut r = request(RedirectKind::DeepLink);
    r.scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
    r
}

/// What a link went through: the connection, the auth link and the bank's redirect (the test
/// keeps them to search for the code and the PKCE verifier later).
pub struct Linked {
    pub connection: Connection,
    pub auth_link: String,
    pub redirect: String,
}

/// Links a mock user with these scopes through the deep-link path.
pub async fn link_as(core: &Core, scopes: &[&str], username: &str, password: &str) -> Linked {
    link_accounts(core, scopes, username, password, None).await
}

/// Links a mock user, sharing only `account_ids` when given.
pub async fn link_accounts(
    core: &Core,
    scopes: &[&str],
    username: &str,
    password: &str,
    account_ids: Option<Vec<String>>,
) -> Linked {
    let preview = core.links().start(request_with(scopes)).await.unwrap();
    let url = core.links().open(&preview.session_id).unwrap();
    let mut body = json!({"auth_link": url, "username": username, "password": password});
    if let Some(ids) = account_ids {
        body["account_ids"] = json!(ids);
    }
    let response = control(core, reqwest::Method::POST, "/__sandbox/authorize")
        .json(&body)
        .send()
        .await
        .unwrap();
    let answer: Value = response.json().await.unwrap();
    let redirect = answer["redirect"]
        .as_str()
        .unwrap_or_else(|| panic!("no redirect: {answer}"))
        .to_owned();
    let connection = core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap();
    Linked {
        connection,
        auth_link: url,
        redirect,
    }
}

/// Every `name="…" value="…"` of an HTML page, for one name.
fn form_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!("name=\"{name}\" value=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .collect()
}

/// Walks the sandbox's HTML dialog at a `user_input_link` (`{auth}/?session_id=…`) the way a
/// browser would: log in, keep every account, continue. Returns the redirect it ends with.
pub async fn complete_user_input(
    core: &Core,
    link: &str,
    username: &str,
    password: &str,
) -> String {
    let client = http();
    let page = client.get(link).send().await.unwrap();
    assert_eq!(page.status(), 200, "the user_input_link opens the dialog");
    let html = page.text().await.unwrap();
    let session_id = form_values(&html, "session_id")
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no session in the page: {html}"));
    let step = form_values(&html, "step").into_iter().next().unwrap();
    assert_eq!(
        step, "login",
        "a re-authentication starts at the bank's login"
    );
    let dialog = format!("{}/dialog", auth_url(core));
    let accounts = client
        .post(&dialog)
        .form(&[
            ("session_id", session_id.as_str()),
            ("step", "login"),
            ("action", "login"),
            ("username", username),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let ids = form_values(&accounts, "account_id");
    assert!(
        !ids.is_empty(),
        "the accounts page lists accounts: {accounts}"
    );
    let mut form: Vec<(&str, &str)> = vec![
        ("session_id", session_id.as_str()),
        ("step", "accounts"),
        ("action", "continue"),
    ];
    form.extend(ids.iter().map(|id| ("account_id", id.as_str())));
    let done = client.post(&dialog).form(&form).send().await.unwrap();
    assert_eq!(done.status(), 303, "the dialog redirects back to the app");
    done.headers()["location"].to_str().unwrap().to_owned()
}

/// `POST /__sandbox/faults {"latency_ms": …}`: every answer is delayed.
pub async fn set_latency(core: &Core, latency_ms: u64) {
    arm_fault(core, json!({ "latency_ms": latency_ms })).await;
}

/// The secret stored under a key, if any.
pub fn stored(secrets: &MemoryStore, key: &SecretKey) -> Option<String> {
    secrets.get(key).unwrap().map(|v| v.expose().to_owned())
}

/// What a [`FaultyStore`] does to the calls it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    /// Every call works.
    #[default]
    None,
    /// Every call fails (the keychain is locked, D-Bus went away).
    Fail,
    /// Deletes fail; reads and writes work.
    FailDeletes,
    /// Every call hangs until the fault changes (an unlock prompt nobody answers).
    Hang,
}

/// A secret store whose faults a test turns on and off; its entries are a [`MemoryStore`].
#[derive(Debug, Clone, Default)]
pub struct FaultyStore {
    pub entries: MemoryStore,
    fault: Arc<std::sync::Mutex<Fault>>,
}

impl FaultyStore {
    pub fn set_fault(&self, fault: Fault) {
        *self.fault.lock().unwrap() = fault;
    }

    fn fault(&self) -> Fault {
        *self.fault.lock().unwrap()
    }

    /// Fails or hangs as the fault says, before a call (a delete, or not) goes on.
    fn enter(&self, delete: bool) -> Result<(), StoreError> {
        let failed = || Err(StoreError("the keychain is locked".into()));
        match self.fault() {
            Fault::None => Ok(()),
            Fault::Fail => failed(),
            Fault::FailDeletes if delete => failed(),
            Fault::FailDeletes => Ok(()),
            Fault::Hang => {
                while self.fault() == Fault::Hang {
                    std::thread::sleep(Duration::from_millis(10));
                }
                failed()
            }
        }
    }
}

impl SecretStore for FaultyStore {
    fn get(&self, key: &SecretKey) -> Result<Option<SecretValue>, StoreError> {
        self.enter(false)?;
        self.entries.get(key)
    }
    fn set(&self, key: &SecretKey, value: &SecretValue) -> Result<(), StoreError> {
        self.enter(false)?;
        self.entries.set(key, value)
    }
    fn delete(&self, key: &SecretKey) -> Result<(), StoreError> {
        self.enter(true)?;
        self.entries.delete(key)
    }
    fn describe(&self) -> String {
        "faulty store".into()
    }
}

/// A Core on a [`FaultyStore`] (and the data dir, to restart on the same ones).
pub async fn start_faulty(
    dir: &Arc<tempfile::TempDir>,
    store: &FaultyStore,
    tweak: impl FnOnce(&mut CoreConfig),
) -> Core {
    let unused = MemoryStore::new();
    let mut cfg = config(dir, &unused);
    cfg.secret_store = Some(Arc::new(store.clone()));
    tweak(&mut cfg);
    Core::start(cfg).await.unwrap()
}
