//! [`Client`]: one environment plus the configured HTTP path, cheap to clone and safe to share
//! between tasks. The calls themselves live in their own modules (`token`, `data`,
//! `connections`, `signup_plus`, `verification`) as `impl Client` blocks; this module only
//! builds and configures.

use std::net::IpAddr;
use std::sync::Arc;

use http::header::{HeaderName, HeaderValue};

use crate::auth_link::AuthLinkBuilder;
use crate::data::async_mode::AsyncMode;
use crate::environment::Environment;
use crate::error::{Error, Result};
use crate::http::{Http, ReqwestTransport, RetryPolicy, Timeouts, Transport};
use crate::record::Observer;
use crate::types::RedirectUri;

/// The TrueLayer client for one [`Environment`].
///
/// Clone it freely: clones share the environment, the HTTP connection pool and the observer.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// When set, every Data read that has an async mode is made async (see `data::async_mode`).
    async_mode: Option<Arc<AsyncMode>>,
}

#[derive(Debug)]
struct Inner {
    environment: Environment,
    http: Http,
}

impl Client {
    /// A client with the default transport, timeouts and retry policy, and no observer.
    pub fn new(environment: Environment) -> Result<Self> {
        Self::builder(environment).build()
    }

    /// Starts configuring a client.
    pub fn builder(environment: Environment) -> ClientBuilder {
        ClientBuilder {
            environment,
            transport: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            observer: None,
            user_agent: None,
            psu_ip: None,
        }
    }

    /// This client with every Data read that has an async mode made async: started with
    /// `async=true` (and `mode`'s webhook URI), polled to its end, answered with the results
    /// body as if it had been synchronous; `mode`'s observer sees each task's timeline.
    pub fn in_async_mode(&self, mode: AsyncMode) -> Client {
        Client {
            inner: self.inner.clone(),
            async_mode: Some(Arc::new(mode)),
        }
    }

    pub(crate) fn async_mode(&self) -> Option<&AsyncMode> {
        self.async_mode.as_deref()
    }

    /// The environment this client talks to.
    pub fn environment(&self) -> &Environment {
        &self.inner.environment
    }

    /// Starts an auth link for this environment (see [`AuthLinkBuilder`]).
    pub fn auth_link(&self, redirect_uri: RedirectUri) -> AuthLinkBuilder {
        AuthLinkBuilder::new(&self.inner.environment, redirect_uri)
    }

    pub(crate) fn http(&self) -> &Http {
        &self.inner.http
    }
}

/// Configures a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    environment: Environment,
    transport: Option<Arc<dyn Transport>>,
    timeouts: Timeouts,
    retry: RetryPolicy,
    observer: Option<Arc<dyn Observer>>,
    user_agent: Option<String>,
    psu_ip: Option<IpAddr>,
}

impl ClientBuilder {
    /// Replaces the HTTP transport (default: [`ReqwestTransport`] with [`Timeouts`]). The
    /// transport must not follow redirects.
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Timeouts of the default transport (ignored with a custom transport).
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The retry policy for transient failures.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The recording hook: receives every exchange, redacted.
    pub fn observer(mut self, observer: Arc<dyn Observer>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// The `User-Agent` (default `linkscope-truelayer/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends `X-PSU-IP` (the end user's IP address) on every call: TrueLayer counts calls made
    /// while the user is present separately from the 4-a-day unattended limit.
    pub fn psu_ip(mut self, ip: IpAddr) -> Self {
        self.psu_ip = Some(ip);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        let transport: Arc<dyn Transport> = match self.transport {
            Some(t) => t,
            None => Arc::new(ReqwestTransport::new(self.timeouts)?),
        };
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| format!("linkscope-truelayer/{}", env!("CARGO_PKG_VERSION")));
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| {
            Error::invalid(
                "user agent",
                "it contains characters not allowed in a header",
            )
        })?;
        let mut extra_headers = Vec::new();
        if let Some(ip) = self.psu_ip {
            let value = HeaderValue::from_str(&ip.to_string())
                .map_err(|_| Error::invalid("PSU IP", "it is not a valid header value"))?;
            extra_headers.push((HeaderName::from_static("x-psu-ip"), value));
        }
        Ok(Client {
            inner: Arc::new(Inner {
                environment: self.environment,
                http: Http {
                    transport,
                    observer: self.observer,
                    retry: self.retry,
                    user_agent,
                    extra_headers,
                },
            }),
            async_mode: None,
        })
    }
}
