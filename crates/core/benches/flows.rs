//! `npm run bench` (`cargo bench -p linkscope-core --bench flows`): the app's long operations
//! through core's real services against the built-in sandbox with injected latency, each
//! reported as a ratio to its network floor — the time the round trips alone must take given
//! the concurrency the design allows. A ratio near 1.0 means the app adds little; the absolute
//! times depend on the machine, the ratios much less.
//!
//! Floors (L = the injected latency per request):
//! - link (exchange + /me): 2 sequential requests → 2·L
//! - accounts with balances: /accounts, then the balances concurrently → 2·L
//! - 5 years of transactions: ⌈windows / WINDOW_CONCURRENCY⌉ rounds, plus pending → (rounds+1)·L
//! - 5 years of every account (the All source): /accounts, then ⌈windows / WINDOW_CONCURRENCY⌉
//!   rounds over every account's windows → (rounds+1)·L
//!
//! With `LINKSCOPE_BENCH_OUT=FILE` the figures are also written there as JSON
//! (`[{name, value, unit, floor, ratio, goal}]`), for `scripts/bench` to gather.

// A benchmark is a program that reports on stdout and stops loudly on any failure.
#![allow(clippy::expect_used, clippy::print_stdout)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use linkscope_core::dto::{
    FetchAllTransactionsInput, FetchTransactionsInput, LinkRequest, RedirectKind, ResponseMode,
    TransactionSource,
};
use linkscope_core::secrets::MemoryStore;
use linkscope_core::transactions::WINDOW_CONCURRENCY;
use linkscope_core::{Core, CoreConfig};
use serde_json::{json, Value};

const LATENCY_MS: u64 = 100;
const RUNS: usize = 5;
/// The goal every flow is held to: at most this many times its network floor.
const GOAL_RATIO: f64 = 1.1;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut config = CoreConfig::new(dir.path(), "bench.linkscope.core");
    config.secret_store = Some(Arc::new(MemoryStore::new()));
    config.loopback_port = free_port();
    let core = Core::start(config).await.expect("core starts");
    let latency = Duration::from_millis(LATENCY_MS);

    println!("linkscope bench: {RUNS} runs each, {LATENCY_MS} ms injected per sandbox request");
    println!(
        "{:<34} {:>10} {:>10} {:>7}",
        "operation", "median", "floor", "ratio"
    );

    // Linking: everything after the bank's redirect (code exchange, /me, saving).
    let mut link_times = Vec::new();
    let mut connection = String::new();
    for _ in 0..RUNS {
        let redirect = authorize(&core, "john.dense", "dense").await;
        faults(&core, json!({ "latency_ms": LATENCY_MS })).await;
        let started = Instant::now();
        let linked = core
            .links()
            .complete_authorization(&redirect)
            .await
            .expect("linked");
        link_times.push(started.elapsed());
        faults_clear(&core).await;
        connection = linked.id;
    }
    let mut figures = Vec::new();
    figures.push(report(
        "link: exchange, /me, save",
        &link_times,
        latency * 2,
    ));

    faults(&core, json!({ "latency_ms": LATENCY_MS })).await;
    let mut account_times = Vec::new();
    let mut account_id = String::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let fetched = core.accounts().list(&connection).await.expect("accounts");
        account_times.push(started.elapsed());
        account_id = fetched.data[0].account.account_id.clone();
        let n = fetched.data.len();
        assert!(n >= 10, "the dense user has 10 accounts, got {n}");
    }
    figures.push(report(
        "accounts + 10 balances",
        &account_times,
        latency * 2,
    ));

    let today = chrono::Utc::now().date_naive();
    let from = today - chrono::Duration::days(5 * 365);
    let mut tx_times = Vec::new();
    let mut windows = 0;
    let mut total = 0;
    for run in 0..RUNS {
        let started = Instant::now();
        let summary = core
            .transactions()
            .fetch(FetchTransactionsInput {
                fetch_id: format!("bench-{run}"),
                connection_id: connection.clone(),
                source: TransactionSource::Account,
                account_id: account_id.clone(),
                from: from.to_string(),
                to: today.to_string(),
            })
            .await
            .expect("transactions");
        tx_times.push(started.elapsed());
        windows = summary.windows;
        total = summary.total;
    }
    let rounds = (windows as usize).div_ceil(WINDOW_CONCURRENCY) as u32;
    figures.push(report(
        &format!("5 years: {total} txns, {windows} windows"),
        &tx_times,
        latency * (rounds + 1),
    ));

    let mut all_times = Vec::new();
    for run in 0..RUNS {
        let started = Instant::now();
        let summary = core
            .transactions()
            .fetch_all(FetchAllTransactionsInput {
                fetch_id: format!("bench-all-{run}"),
                connection_id: connection.clone(),
                from: from.to_string(),
                to: today.to_string(),
            })
            .await
            .expect("every account's transactions");
        all_times.push(started.elapsed());
        windows = summary.windows;
        total = summary.total;
    }
    let rounds = (windows as usize).div_ceil(WINDOW_CONCURRENCY) as u32;
    figures.push(report(
        &format!("All: 5 years, {total} txns, {windows} win"),
        &all_times,
        latency * (rounds + 1),
    ));

    if let Some(out) = std::env::var_os("LINKSCOPE_BENCH_OUT") {
        let text = serde_json::to_string_pretty(&figures).expect("figures as JSON");
        std::fs::write(&out, text).expect("the figures file is writable");
    }
}

/// Prints one flow's median against its floor and returns it as a results.json figure.
fn report(name: &str, times: &[Duration], floor: Duration) -> Value {
    let mut sorted = times.to_vec();
    sorted.sort();
    let median = sorted[sorted.len() / 2];
    let ratio = median.as_secs_f64() / floor.as_secs_f64();
    let (median_ms, floor_ms) = (median.as_secs_f64() * 1000.0, floor.as_secs_f64() * 1000.0);
    println!("{name:<34} {median_ms:>8.0}ms {floor_ms:>8.0}ms {ratio:>7.2}");
    json!({
        "name": format!("flow: {name}"),
        "value": median_ms.round(),
        "unit": "ms",
        "floor": floor_ms.round(),
        "ratio": (ratio * 100.0).round() / 100.0,
        "goal": format!("ratio ≤ {GOAL_RATIO}"),
    })
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

/// A request to one of the built-in sandbox's `/__sandbox/` controls, with its control token.
fn control(core: &Core, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
    let sandbox = core.sandbox().expect("the built-in sandbox");
    http()
        .request(method, format!("{}{path}", sandbox.auth_url()))
        .header("x-sandbox-token", sandbox.control_token())
}

/// A fresh link for the user, authorized headlessly; returns the bank's redirect.
async fn authorize(core: &Core, username: &str, password: &str) -> String {
    let request = LinkRequest {
        environment_id: "builtin".into(),
        provider_id: Some("mock".into()),
        scopes: [
            "info",
            "accounts",
            "balance",
            "transactions",
            "offline_access",
        ]
        .map(String::from)
        .to_vec(),
        redirect: RedirectKind::DeepLink,
        response_mode: ResponseMode::Query,
        ..Default::default()
    };
    let preview = core.links().start(request).await.expect("a link");
    let url = core
        .links()
        .open(&preview.session_id)
        .expect("an open link");
    let body: Value = control(core, reqwest::Method::POST, "/__sandbox/authorize")
        .json(&json!({"auth_link": url, "username": username, "password": password}))
        .send()
        .await
        .expect("the sandbox answers")
        .json()
        .await
        .expect("a JSON answer");
    body["redirect"].as_str().expect("a redirect").to_owned()
}

async fn faults(core: &Core, body: Value) {
    control(core, reqwest::Method::POST, "/__sandbox/faults")
        .json(&body)
        .send()
        .await
        .expect("faults set");
}

async fn faults_clear(core: &Core) {
    control(core, reqwest::Method::DELETE, "/__sandbox/faults")
        .send()
        .await
        .expect("faults cleared");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
