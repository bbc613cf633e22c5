//! The harness: a real built-in sandbox on 127.0.0.1:0, a client pointed at it with a memory
//! recorder, and the sandbox's QA controls (`/__sandbox/…`: headless authorize, clock, faults),
//! reached with a plain reqwest client that holds the sandbox's control token. Nothing here imitates TrueLayer: every answer the tests
//! check comes from the sandbox.

use std::sync::Arc;
use std::time::Duration;

use linkscope_sandbox::{Sandbox, SandboxConfig};
use linkscope_truelayer::{
    AuthorizationCode, Client, ClientId, ClientSecret, Environment, MemoryRecorder,
    PendingAuthorization, RedirectUri, RetryPolicy, Scope, TokenSet,
};
use serde_json::{json, Value};
use url::Url;

/// The demo client's loopback redirect URI.
pub const REDIRECT: &str = "http://127.0.0.1:3947/callback";

/// Every Data API scope a full link asks for.
pub fn all_data_scopes() -> Vec<Scope> {
    vec![
        Scope::INFO,
        Scope::ACCOUNTS,
        Scope::BALANCE,
        Scope::CARDS,
        Scope::TRANSACTIONS,
        Scope::DIRECT_DEBITS,
        Scope::STANDING_ORDERS,
        Scope::OFFLINE_ACCESS,
        Scope::SIGNUP_PLUS,
    ]
}

/// A quick retry policy: same rules, short waits (Retry-After up to 5 s is honoured).
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(5),
    }
}

pub struct Harness {
    pub sandbox: Sandbox,
    pub client: Client,
    pub recorder: MemoryRecorder,
    control: reqwest::Client,
}

/// What a completed link leaves behind, with the secrets' values for leak checks.
pub struct Linked {
    pub tokens: TokenSet,
    pub code: String,
    pub verifier: String,
}

/// The client for the sandbox's controls: it sends `X-Sandbox-Token` on every request.
fn control_client(sandbox: &Sandbox) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-sandbox-token",
        sandbox
            .control_token()
            .parse()
            .expect("the control token is a header value"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("control client")
}

impl Harness {
    pub async fn start() -> Self {
        let sandbox = Sandbox::start(SandboxConfig::default())
            .await
            .expect("the sandbox starts on 127.0.0.1:0");
        let control = control_client(&sandbox);
        let recorder = MemoryRecorder::new();
        let client = Client::builder(environment(&sandbox))
            .observer(Arc::new(recorder.clone()))
            .retry_policy(quick_retries())
            .build()
            .expect("client");
        Harness {
            sandbox,
            client,
            recorder,
            control,
        }
    }

    /// Another client for the same sandbox (e.g. with another retry policy), same recorder.
    pub fn client_with_retry(&self, retry: RetryPolicy) -> Client {
        Client::builder(environment(&self.sandbox))
            .observer(Arc::new(self.recorder.clone()))
            .retry_policy(retry)
            .build()
            .expect("client")
    }

    pub fn redirect_uri(&self) -> RedirectUri {
        RedirectUri::new(REDIRECT).expect("redirect uri")
    }

    /// `POST /__sandbox/authorize`: the dialog walked headlessly; returns the redirect URL.
    pub async fn authorize(
        &self,
        link: &Url,
        username: &str,
        password: &str,
        account_ids: Option<&[String]>,
    ) -> Url {
        let mut body = json!({
            "auth_link": link.as_str(),
            "username": username,
            "password": password,
        });
        if let Some(ids) = account_ids {
            body["account_ids"] = json!(ids);
        }
        let answer: Value = self.control_post("/__sandbox/authorize", &body).await;
        let redirect = answer["redirect"]
            .as_str()
            .unwrap_or_else(|| panic!("no redirect in {answer}"));
        Url::parse(redirect).expect("redirect URL")
    }

    /// Builds a link for `scopes`, authorizes it as `username`/`password`, checks `state` and
    /// exchanges the code.
    pub async fn link(&self, username: &str, password: &str, scopes: &[Scope]) -> Linked {
        self.link_accounts(username, password, scopes, None).await
    }

    pub async fn link_accounts(
        &self,
        username: &str,
        password: &str,
        scopes: &[Scope],
        account_ids: Option<&[String]>,
    ) -> Linked {
        let link = self
            .client
            .auth_link(self.redirect_uri())
            .scopes(scopes.iter().cloned())
            .providers(["uk-cs-mock", "uk-ob-all", "uk-oauth-all"])
            .build();
        let (url, pending) = link.into_parts();
        let redirect = self.authorize(&url, username, password, account_ids).await;
        let (code, state) = code_and_state(&redirect);
        assert!(
            pending.state.matches(&state),
            "the redirect carries the link's state"
        );
        let verifier = pending.pkce_verifier.secret().to_owned();
        let tokens = self
            .exchange(code.clone(), pending)
            .await
            .expect("the code is exchanged");
        Linked {
            tokens,
            code,
            verifier,
        }
    }

    pub async fn exchange(
        &self,
        code: String,
        pending: PendingAuthorization,
    ) -> linkscope_truelayer::Result<TokenSet> {
        self.client
            .exchange_code(
                AuthorizationCode::new(code),
                pending.pkce_verifier,
                &pending.redirect_uri,
            )
            .await
    }

    /// `POST /__sandbox/clock`.
    pub async fn advance_clock(&self, seconds: i64) {
        let _: Value = self
            .control_post("/__sandbox/clock", &json!({ "advance_seconds": seconds }))
            .await;
    }

    /// `POST /__sandbox/faults`.
    pub async fn inject_fault(&self, fault: Value) {
        let _: Value = self.control_post("/__sandbox/faults", &fault).await;
    }

    /// `GET /__sandbox/requests`: how many requests the sandbox received for `path`.
    pub async fn journal_count(&self, method: &str, path: &str) -> usize {
        let response = self
            .control
            .get(format!("{}/__sandbox/requests", self.sandbox.auth_url()))
            .send()
            .await
            .expect("journal call");
        assert!(response.status().is_success(), "the journal answered");
        let journal: Value = response.json().await.expect("journal JSON");
        journal["requests"]
            .as_array()
            .expect("a requests array")
            .iter()
            .filter(|e| e["method"] == method && e["path"] == path)
            .count()
    }

    async fn control_post(&self, path: &str, body: &Value) -> Value {
        let response = self
            .control
            .post(format!("{}{path}", self.sandbox.auth_url()))
            .json(body)
            .send()
            .await
            .expect("control call");
        let status = response.status();
        let text = response.text().await.expect("control body");
        assert!(status.is_success(), "{path} answered {status}: {text}");
        serde_json::from_str(&text).expect("control JSON")
    }
}

/// The client's view of the sandbox: its base URLs and the demo client.
pub fn environment(sandbox: &Sandbox) -> Environment {
    let demo = sandbox.demo_client();
    Environment::new(
        sandbox.auth_url(),
        sandbox.api_url(),
        ClientId::new(demo.client_id.clone()).expect("client id"),
        ClientSecret::new(demo.client_secret.clone()),
    )
    .expect("environment")
    .with_tracking_url(sandbox.tracking_url())
    .expect("tracking URL")
    .with_redirect_uris(
        demo.redirect_uris
            .iter()
            .map(|u| RedirectUri::new(u.clone()).expect("registered redirect")),
    )
}

/// The single `code` and `state` of a redirect.
pub fn code_and_state(redirect: &Url) -> (String, String) {
    let get = |name: &str| {
        let values: Vec<String> = redirect
            .query_pairs()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .collect();
        assert_eq!(values.len(), 1, "exactly one {name} in {redirect}");
        values.into_iter().next().unwrap_or_default()
    };
    (get("code"), get("state"))
}
