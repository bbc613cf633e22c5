//! Shared helpers: start a sandbox, build auth links with PKCE, walk the headless authorisation,
//! exchange codes, call the APIs.

use base64::Engine as _;
use linkscope_sandbox::{Sandbox, SandboxConfig};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::Digest as _;

/// The demo client's loopback redirect URI.
pub const REDIRECT: &str = "http://127.0.0.1:3947/callback";
/// Every Data API scope.
pub const ALL_SCOPES: &str =
    "info accounts balance cards transactions direct_debits standing_orders offline_access";

/// A running sandbox and an HTTP client that never follows redirects and, like a QA script,
/// holds the sandbox's control token (sent as `X-Sandbox-Token` on every request).
pub struct Env {
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
}

/// An HTTP client that never follows redirects and holds no control token (a web page's view).
pub fn plain_http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// An HTTP answer, body parsed as JSON when it is JSON.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Answer {
    pub async fn from(response: reqwest::Response) -> Answer {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            text,
            json,
        }
    }

    /// The `error` of a TrueLayer error body.
    pub fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or("")
    }
}

/// A PKCE pair.
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

pub fn pkce() -> Pkce {
    let verifier: String = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    Pkce {
        verifier,
        challenge,
    }
}

/// Tokens from a successful exchange.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: String,
    pub refresh: Option<String>,
    pub body: Value,
}

/// An auth link under construction (the demo client's defaults, PKCE included).
#[derive(Clone)]
pub struct Link {
    pub params: Vec<(String, String)>,
    pub verifier: String,
}

impl Link {
    pub fn new(scope: &str) -> Link {
        let pkce = pkce();
        let params = [
            ("response_type", "code"),
            ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
            ("redirect_uri", REDIRECT),
            ("scope", scope),
            ("providers", "uk-cs-mock uk-ob-all"),
            ("state", "state-123"),
            ("code_challenge", pkce.challenge.as_str()),
            ("code_challenge_method", "S256"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        Link {
            params,
            verifier: pkce.verifier,
        }
    }

    pub fn set(mut self, key: &str, value: &str) -> Link {
        self.params.retain(|(k, _)| k != key);
        self.params.push((key.to_owned(), value.to_owned()));
        self
    }

    pub fn without(mut self, key: &str) -> Link {
        self.params.retain(|(k, _)| k != key);
        self
    }

    pub fn with_duplicate(mut self, key: &str, value: &str) -> Link {
        self.params.push((key.to_owned(), value.to_owned()));
        self
    }

    pub fn query(&self) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.params)
            .finish()
            .replace('+', "%20")
    }

    pub fn url(&self, env: &Env) -> String {
        format!("{}/?{}", env.sandbox.auth_url(), self.query())
    }

    pub fn redirect_uri(&self) -> String {
        self.params
            .iter()
            .find(|(k, _)| k == "redirect_uri")
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// The query parameters of a redirect URL.
pub fn redirect_params(url: &str) -> Vec<(String, String)> {
    let parsed = url::Url::parse(url).unwrap();
    parsed
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub fn param<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

impl Env {
    pub async fn start() -> Env {
        Env::start_with(SandboxConfig::default()).await
    }

    pub async fn start_with(config: SandboxConfig) -> Env {
        let sandbox = Sandbox::start(config).await.unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-sandbox-token", sandbox.control_token().parse().unwrap());
        let http = reqwest::Client::builder()
            // The sandbox's redirects are what the tests look at, so they are never followed.
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap();
        Env { sandbox, http }
    }

    pub fn auth(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.auth_url())
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.api_url())
    }

    pub fn secret(&self) -> String {
        self.sandbox.demo_client().client_secret.clone()
    }

    pub async fn post_json(&self, url: &str, body: &Value) -> Answer {
        Answer::from(self.http.post(url).json(body).send().await.unwrap()).await
    }

    pub async fn get_url(&self, url: &str) -> Answer {
        Answer::from(self.http.get(url).send().await.unwrap()).await
    }

    /// `GET {api}{path}` with a bearer token.
    pub async fn get(&self, token: &str, path: &str) -> Answer {
        Answer::from(
            self.http
                .get(self.api(path))
                .bearer_auth(token)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// `POST /__sandbox/authorize`.
    pub async fn authorize(&self, link: &Link, username: &str, password: &str) -> Answer {
        self.post_json(
            &self.auth("/__sandbox/authorize"),
            &json!({"auth_link": link.url(self), "username": username, "password": password}),
        )
        .await
    }

    /// The code of a successful headless authorisation.
    pub async fn code(&self, link: &Link, username: &str, password: &str) -> String {
        let answer = self.authorize(link, username, password).await;
        assert_eq!(answer.status, 200, "authorize failed: {}", answer.text);
        let params = redirect_params(answer.json["redirect"].as_str().unwrap());
        param(&params, "code")
            .expect("a code in the redirect")
            .to_owned()
    }

    /// `POST /connect/token` with a form body.
    pub async fn token_form(&self, form: &[(&str, &str)]) -> Answer {
        Answer::from(
            self.http
                .post(self.auth("/connect/token"))
                .form(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Exchanges a code with the demo client's credentials.
    pub async fn exchange(&self, code: &str, link: &Link) -> Answer {
        let secret = self.secret();
        let redirect = link.redirect_uri();
        self.token_form(&[
            ("grant_type", "authorization_code"),
            ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
            ("client_secret", &secret),
            ("code", code),
            ("redirect_uri", &redirect),
            ("code_verifier", &link.verifier),
        ])
        .await
    }

    /// A `client_credentials` token of the demo client with `scope`.
    pub async fn client_token(&self, scope: &str) -> String {
        let secret = self.secret();
        let answer = self
            .token_form(&[
                ("grant_type", "client_credentials"),
                ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
                ("client_secret", &secret),
                ("scope", scope),
            ])
            .await;
        assert_eq!(
            answer.status, 200,
            "client_credentials failed: {}",
            answer.text
        );
        answer.json["access_token"].as_str().unwrap().to_owned()
    }

    /// `GET {tracking}/v1/tracked-events` with `query` (already encoded) and a bearer token.
    pub async fn tracked_events(&self, token: Option<&str>, query: &str) -> Answer {
        let url = format!("{}/v1/tracked-events{query}", self.sandbox.tracking_url());
        let mut request = self.http.get(url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Answer::from(request.send().await.unwrap()).await
    }

    /// Refreshes with the demo client's credentials.
    pub async fn refresh(&self, refresh_token: &str) -> Answer {
        let secret = self.secret();
        self.token_form(&[
            ("grant_type", "refresh_token"),
            ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
            ("client_secret", &secret),
            ("refresh_token", refresh_token),
        ])
        .await
    }

    /// Links a mock user end to end and returns the tokens.
    pub async fn connect_link(&self, link: &Link, username: &str, password: &str) -> Tokens {
        let code = self.code(link, username, password).await;
        let answer = self.exchange(&code, link).await;
        assert_eq!(answer.status, 200, "token exchange failed: {}", answer.text);
        Tokens {
            access: answer.json["access_token"].as_str().unwrap().to_owned(),
            refresh: answer.json["refresh_token"].as_str().map(str::to_owned),
            body: answer.json,
        }
    }

    pub async fn connect(&self, username: &str, password: &str, scope: &str) -> Tokens {
        self.connect_link(&Link::new(scope), username, password)
            .await
    }

    /// Moves the sandbox clock forward.
    pub async fn advance(&self, seconds: i64) {
        let answer = self
            .post_json(
                &self.auth("/__sandbox/clock"),
                &json!({ "advance_seconds": seconds }),
            )
            .await;
        assert_eq!(answer.status, 200, "{}", answer.text);
    }

    /// The ids of the connection's accounts.
    pub async fn account_ids(&self, token: &str) -> Vec<String> {
        let answer = self.get(token, "/data/v1/accounts").await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        answer.json["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["account_id"].as_str().unwrap().to_owned())
            .collect()
    }

    pub async fn card_ids(&self, token: &str) -> Vec<String> {
        let answer = self.get(token, "/data/v1/cards").await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        answer.json["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["account_id"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// Decodes the claims of a JWT-shaped token.
pub fn claims(token: &str) -> Value {
    let part = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}
