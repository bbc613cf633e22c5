//! Running the sandbox: binds the auth, API and client-tracking listeners, serves them on the
//! current tokio runtime, and stops them when the [`Sandbox`] handle is dropped.

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::{ClientConfig, SandboxConfig};
use crate::error::{Error, Result};
use crate::state::SandboxState;

/// A running sandbox. Dropping it shuts its servers down.
#[derive(Debug)]
pub struct Sandbox {
    state: SandboxState,
    shutdown: watch::Sender<bool>,
}

impl Sandbox {
    /// Binds the listeners (`config.auth_addr`, `config.api_addr`, `config.tracking_addr`;
    /// `127.0.0.1:0` by default),
    /// loads the state file if any, and starts serving on the current runtime.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox> {
        config.validate()?;
        let bind = |addr| async move {
            TcpListener::bind(addr)
                .await
                .map_err(|source| Error::Bind { addr, source })
        };
        let auth_listener = bind(config.auth_addr).await?;
        let api_listener = bind(config.api_addr).await?;
        let tracking_listener = bind(config.tracking_addr).await?;
        let auth_url = format!("http://{}", auth_listener.local_addr()?);
        let api_url = format!("http://{}", api_listener.local_addr()?);
        let tracking_url = format!("http://{}", tracking_listener.local_addr()?);
        let state = SandboxState::new(&config, &auth_url, &api_url, &tracking_url)?;
        let (auth, api) = crate::routers(state.clone());
        let tracking = crate::tracking_router(state.clone());
        let (shutdown, signal) = watch::channel(false);
        for (listener, router) in [
            (auth_listener, auth),
            (api_listener, api),
            (tracking_listener, tracking),
        ] {
            let mut signal = signal.clone();
            tokio::spawn(async move {
                let stop = async move {
                    // Resolves when the handle sends `true` or is dropped.
                    let _ = signal.wait_for(|stop| *stop).await;
                };
                if let Err(e) = axum::serve(listener, router)
                    .with_graceful_shutdown(stop)
                    .await
                {
                    tracing::error!(error = %e, "sandbox server stopped with an error");
                }
            });
        }
        tracing::info!(%auth_url, %api_url, %tracking_url, "sandbox started");
        Ok(Sandbox { state, shutdown })
    }

    /// The auth server's base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn auth_url(&self) -> &str {
        &self.state.auth_url
    }

    /// The API server's base URL (no trailing slash).
    pub fn api_url(&self) -> &str {
        &self.state.api_url
    }

    /// The client-tracking server's base URL (`client-tracking.truelayer.com`'s role; no
    /// trailing slash).
    pub fn tracking_url(&self) -> &str {
        &self.state.tracking_url
    }

    /// The demo client. After a restart from a state file its `client_secret` is empty: the
    /// file keeps only the secret's hash (use [`Sandbox::demo_client_secret`]).
    pub fn demo_client(&self) -> &ClientConfig {
        self.state.demo_client()
    }

    /// The demo client's secret when this start knows it (fresh state or no state file);
    /// `None` after a restart from a state file.
    pub fn demo_client_secret(&self) -> Option<&str> {
        self.state.demo_client_secret()
    }

    /// The demo client's request-signing key; its private half (`private_key_pem`) is known
    /// when this start generated it or was given it, for the app's keychain.
    pub fn demo_signing_key(&self) -> Option<&crate::keys::ClientSigningKey> {
        self.state.demo_client().signing_key.as_ref()
    }

    /// The token the `/__sandbox/` controls require in `X-Sandbox-Token` (random per launch
    /// unless [`SandboxConfig::control_token`] pinned it). Keep it from logs and UIs.
    pub fn control_token(&self) -> &str {
        self.state.control_token()
    }

    /// Every registered client.
    pub fn clients(&self) -> &[ClientConfig] {
        &self.state.clients
    }

    /// The shared state (for tests and embedding).
    pub fn state(&self) -> &SandboxState {
        &self.state
    }

    /// Stops its servers now (also done on drop).
    pub fn shutdown(&self) {
        let _ = self.shutdown.send(true);
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.shutdown();
    }
}
