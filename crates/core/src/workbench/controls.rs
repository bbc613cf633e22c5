//! The sandbox's QA controls (`/__sandbox/*`: headless authorisation, clock, faults, journal)
//! for the built-in sandbox and for a custom environment that points at a standalone
//! `linkscope-sandbox`. Every control call goes through [`SandboxControls::send`], the one place
//! that knows how to reach and authenticate to a sandbox. Must not: reach TrueLayer's hosts
//! (they have no such controls), or record a code or a `state` in the inspector.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use super::dto::{FaultInput, SandboxClock, SandboxFaults, SandboxJournal};
use crate::context::Shared;
use crate::dto::EnvironmentKind;
use crate::error::{Error, Result};
use crate::link::environments::BUILTIN_ENVIRONMENT_ID;
use crate::storage::secrets::SecretKey;
use crate::storage::store::RequestRecord;

/// The header marking an exchange the workbench made for the user (shown in the inspector).
pub const AUTOMATION_HEADER: &str = "x-linkscope-automation";

/// How long one control call may take (the sandbox is local; a hang is a bug).
const CONTROL_TIMEOUT: Duration = Duration::from_secs(30);

/// Query parameters and fields whose values never reach the inspector.
const SECRET_PARAMS: [&str; 3] = ["code", "state", "code_challenge"];

/// Calls a sandbox's controls. Clone freely.
#[derive(Debug, Clone)]
pub struct SandboxControls {
    shared: Arc<Shared>,
    http: reqwest::Client,
    /// The built-in sandbox's auth URL and data seed, when Core runs one.
    builtin: Option<BuiltinSandbox>,
}

/// Where the built-in sandbox listens, the token its controls want and which seed its data comes
/// from.
#[derive(Clone)]
pub(crate) struct BuiltinSandbox {
    pub auth_url: String,
    /// The embedded sandbox's per-launch `X-Sandbox-Token` (never leaves core).
    pub control_token: String,
    pub seed: u64,
}

impl std::fmt::Debug for BuiltinSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuiltinSandbox")
            .field("auth_url", &self.auth_url)
            .field("control_token", &"[REDACTED]")
            .field("seed", &self.seed)
            .finish()
    }
}

/// One control call's answer, with what the inspector needs to record it.
pub(crate) struct ControlReply {
    pub body: Value,
    pub status: u16,
    pub duration: Duration,
    pub url: String,
}

impl SandboxControls {
    pub(crate) fn new(shared: Arc<Shared>, builtin: Option<BuiltinSandbox>) -> Result<Self> {
        // Redirects are not followed: a control answers JSON, never a redirect.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(CONTROL_TIMEOUT)
            .build()
            .map_err(|e| Error::Internal(format!("could not build the controls client: {e}")))?;
        Ok(Self {
            shared,
            http,
            builtin,
        })
    }

    /// Whether an environment has controls: the built-in sandbox, or a custom environment
    /// (which may point at a standalone `linkscope-sandbox`).
    pub fn available(&self, environment_id: &str) -> Result<bool> {
        Ok(self.target(environment_id).is_ok())
    }

    /// The sandbox's seed, when Core runs it (a standalone sandbox does not say).
    pub(crate) fn seed(&self, environment_id: &str) -> Option<u64> {
        let builtin = self.builtin.as_ref()?;
        (environment_id == BUILTIN_ENVIRONMENT_ID).then_some(builtin.seed)
    }

    /// Where an environment's controls are, and the built-in sandbox's `X-Sandbox-Token` (core
    /// holds it); a custom environment's token is its setting, read by [`Self::send`].
    fn target(&self, environment_id: &str) -> Result<(String, Option<String>)> {
        let env = self.shared.environment(environment_id)?;
        match env.kind {
            EnvironmentKind::Builtin => self
                .builtin
                .as_ref()
                .map(|b| (b.auth_url.clone(), Some(b.control_token.clone())))
                .ok_or_else(|| {
                    Error::Validation("The built-in sandbox is not running in this session.".into())
                }),
            EnvironmentKind::Custom if !crate::link::environments::is_live(&env) => {
                Ok((env.auth_url.trim_end_matches('/').to_owned(), None))
            }
            _ => Err(Error::Validation(format!(
                "\"{}\" is not a Linkscope sandbox: only the built-in sandbox and custom \
                 environments pointing at linkscope-sandbox have a clock, faults and a journal.",
                env.name
            ))),
        }
    }

    /// Every control call: `method {auth}/__sandbox/{path}` with a JSON body. A refusal (4xx)
    /// becomes a validation error with the sandbox's own words; no answer, a network error.
    pub(crate) async fn send(
        &self,
        environment_id: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<ControlReply> {
        let (base, token) = self.target(environment_id)?;
        // A standalone sandbox's token is kept in the keychain like a client secret; without
        // one its controls refuse the call, and the refusal says so.
        let token = match token {
            Some(token) => Some(token),
            None => self
                .shared
                .secrets
                .get(&SecretKey::sandbox_control_token(environment_id))
                .await?
                .map(|t| t.expose().to_owned()),
        };
        let url = format!("{base}/__sandbox/{path}");
        let mut request = self
            .http
            .request(method, &url)
            .header(AUTOMATION_HEADER, "workbench");
        if let Some(token) = token {
            request = request.header(linkscope_sandbox::guard::CONTROL_TOKEN_HEADER, token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let started = Instant::now();
        let response = request.send().await.map_err(|e| {
            Error::Network(format!(
                "the sandbox's controls did not answer ({}): {e}",
                redact_url(&url)
            ))
        })?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(|e| {
            Error::Network(format!("the sandbox's controls answer was cut off: {e}"))
        })?;
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        if status >= 400 {
            let said = body
                .get("error_description")
                .or_else(|| body.get("error"))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| body.to_string());
            return Err(Error::Validation(format!(
                "The sandbox refused the control ({status}): {said}"
            )));
        }
        Ok(ControlReply {
            body,
            status,
            duration: started.elapsed(),
            url,
        })
    }

    /// Walks the auth dialog of `auth_link` as `username` without a browser and returns the
    /// redirect URL (with its code). The exchange is recorded, redacted, under `connection_id`
    /// once the caller knows it ([`Self::record_authorize`]).
    pub(crate) async fn authorize(
        &self,
        environment_id: &str,
        auth_link: &str,
        username: &str,
        password: &str,
    ) -> Result<(String, ControlReply)> {
        let body = json!({"auth_link": auth_link, "username": username, "password": password});
        let reply = self
            .send(environment_id, Method::POST, "authorize", Some(body))
            .await?;
        let redirect = reply
            .body
            .get("redirect")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| {
                Error::Internal("the sandbox's authorize control gave no redirect".into())
            })?;
        Ok((redirect, reply))
    }

    /// Records a headless authorisation in the request inspector, marked as automated, with
    /// the link's `state`, the challenge and the returned code redacted.
    pub(crate) fn record_authorize(
        &self,
        environment_id: &str,
        connection_id: Option<&str>,
        auth_link: &str,
        username: &str,
        redirect: &str,
        reply: &ControlReply,
    ) {
        let request = json!({"auth_link": redact_url(auth_link), "username": username, "password": "(the mock user's documented password)"});
        let response = json!({"redirect": redact_url(redirect)});
        let headers = |pairs: &[(&str, &str)]| serde_json::to_string(pairs).unwrap_or_default();
        let record = RequestRecord {
            at: crate::now_rfc3339(),
            connection_id: connection_id.map(str::to_owned),
            environment_id: Some(environment_id.to_owned()),
            method: "POST".to_owned(),
            url: reply.url.clone(),
            endpoint: "/__sandbox/authorize".to_owned(),
            status: Some(reply.status),
            duration_ms: u64::try_from(reply.duration.as_millis()).unwrap_or(u64::MAX),
            trace_id: None,
            correlation_id: None,
            request_headers: headers(&[
                ("content-type", "application/json"),
                (AUTOMATION_HEADER, "link as persona (no browser)"),
            ]),
            request_body: Some(request.to_string()),
            response_headers: headers(&[("content-type", "application/json")]),
            response_body: Some(response.to_string()),
            error: None,
        };
        self.shared.record(record);
    }

    /// `get_sandbox_clock`.
    pub async fn clock(&self, environment_id: &str) -> Result<SandboxClock> {
        let reply = self
            .send(environment_id, Method::GET, "clock", None)
            .await?;
        SandboxClock::from_control(&reply.body)
    }

    /// `advance_sandbox_clock`: moves the sandbox's clock forward (never back).
    pub async fn advance_clock(&self, environment_id: &str, seconds: u64) -> Result<SandboxClock> {
        let body = json!({ "advance_seconds": seconds });
        let reply = self
            .send(environment_id, Method::POST, "clock", Some(body))
            .await?;
        SandboxClock::from_control(&reply.body)
    }

    /// `list_sandbox_faults`.
    pub async fn faults(&self, environment_id: &str) -> Result<SandboxFaults> {
        let reply = self
            .send(environment_id, Method::GET, "faults", None)
            .await?;
        SandboxFaults::from_control(&reply.body)
    }

    /// `add_sandbox_fault`: arms a fault (the sandbox checks every field).
    pub async fn add_fault(
        &self,
        environment_id: &str,
        fault: FaultInput,
    ) -> Result<SandboxFaults> {
        let reply = self
            .send(
                environment_id,
                Method::POST,
                "faults",
                Some(fault.to_control()?),
            )
            .await?;
        SandboxFaults::from_control(&reply.body)
    }

    /// `clear_sandbox_faults`: removes every fault and the latency.
    pub async fn clear_faults(&self, environment_id: &str) -> Result<SandboxFaults> {
        let reply = self
            .send(environment_id, Method::DELETE, "faults", None)
            .await?;
        SandboxFaults::from_control(&reply.body)
    }

    /// `tamper_next_webhook`: the sandbox's next webhook delivery carries a body other than the
    /// one it signed, so its signature check fails; answers whether that is armed.
    pub async fn tamper_next_webhook(&self, environment_id: &str) -> Result<bool> {
        let body = json!({ "tamper_next": true });
        let reply = self
            .send(environment_id, Method::POST, "webhooks", Some(body))
            .await?;
        Ok(reply.body["tamper_next"] == json!(true))
    }

    /// `register_console_webhook`: this app's webhook listener becomes the sandbox's Console
    /// webhook URI, so account holder verifications v3 are notified to it (and their webhooks
    /// shown with their signature checks); answers the URI.
    pub async fn register_console_webhook(&self, environment_id: &str) -> Result<String> {
        let uri = self.shared.async_runs.listener_uri().await?;
        let body = json!({ "console_webhook_uri": uri });
        self.send(environment_id, Method::POST, "webhooks", Some(body))
            .await?;
        self.shared.async_runs.set_console_webhook(environment_id);
        Ok(uri)
    }

    /// `get_sandbox_journal`: what the sandbox received, newest last.
    pub async fn journal(&self, environment_id: &str) -> Result<SandboxJournal> {
        let reply = self
            .send(environment_id, Method::GET, "requests", None)
            .await?;
        Ok(SandboxJournal::from_control(reply.body))
    }
}

/// `url` with its secret query values replaced (for the inspector and error messages).
fn redact_url(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return "(a URL)".to_owned();
    };
    if parsed.query().is_none() {
        return url.to_owned();
    }
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| {
            let value = if SECRET_PARAMS.contains(&k.as_ref()) {
                "[redacted]".to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), value)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.to_string()
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn codes_states_and_challenges_are_redacted_from_recorded_urls() {
        let url = redact_url("linkscope-dev://callback?code=abc123&state=s3cr3t&scope=info");
        assert!(!url.contains("abc123") && !url.contains("s3cr3t"), "{url}");
        assert!(url.contains("scope=info"), "{url}");
        let link = redact_url("http://127.0.0.1:1/?code_challenge=xyz&client_id=demo");
        assert!(
            !link.contains("xyz") && link.contains("client_id=demo"),
            "{link}"
        );
        assert_eq!(redact_url("not a url"), "(a URL)");
    }
}
