//! Shared helpers: start a Core, drive the sandbox's QA controls, link an account.

use std::sync::Arc;
use std::time::Duration;

use linkscope_core::dto::{Connection, LinkRequest, RedirectKind, ResponseMode};
use linkscope_core::secrets::MemoryStore;
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
        language_id: None,
        country_id: None,
        user_email: None,
    }
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

pub fn auth_url(core: &Core) -> String {
    core.sandbox()
        .expect("the built-in sandbox runs")
        .auth_url()
        .to_owned()
}

/// Walks the sandbox's consent headlessly; the whole answer (`redirect`, maybe `form`).
pub async fn authorize_raw(core: &Core, link: &str, username: &str, password: &str) -> Value {
    let response = http()
        .post(format!("{}/__sandbox/authorize", auth_url(core)))
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

/// Links john/doe through the deep-link path.
pub async fn link(core: &Core) -> Connection {
    let preview = core
        .links()
        .start(request(RedirectKind::DeepLink))
        .await
        .unwrap();
    let url = core.links().open(&preview.session_id).unwrap();
    let redirect = authorize(core, &url, "john", "doe").await;
    core.links()
        .complete_authorization(&redirect)
        .await
        .unwrap()
}

/// `GET {auth}/__sandbox/requests`: what reached the sandbox, oldest first.
pub async fn sandbox_requests(core: &Core) -> Vec<Value> {
    let body: Value = http()
        .get(format!("{}/__sandbox/requests", auth_url(core)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["requests"].as_array().unwrap().clone()
}

pub async fn clear_sandbox_requests(core: &Core) {
    let status = http()
        .delete(format!("{}/__sandbox/requests", auth_url(core)))
        .send()
        .await
        .unwrap()
        .status();
    assert!(status.is_success());
}

pub async fn advance_clock(core: &Core, seconds: u64) {
    let response = http()
        .post(format!("{}/__sandbox/clock", auth_url(core)))
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
    let response = http()
        .post(format!("{}/__sandbox/faults", auth_url(core)))
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
