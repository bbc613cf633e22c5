//! The standalone sandbox's command line, shared by the `linkscope-sandbox` binary and
//! `linkscope sandbox serve`: the flags ([`ServeArgs`]), the config they make, and [`serve`],
//! which starts the sandbox on 127.0.0.1, prints one JSON line describing it (its three URLs, demo client,
//! `control_token`) and serves until interrupted. Must not: print anything else on stdout.

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::{ClientConfig, Sandbox, SandboxConfig, CONTROL_TOKEN_ENV};

/// The standalone sandbox's flags.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServeArgs {
    /// Port of the auth server; the API server takes the next one and the client-tracking
    /// server the one after. 0 picks free ports.
    #[arg(long, conflicts_with_all = ["auth_port", "api_port", "tracking_port"])]
    pub port: Option<u16>,
    /// Port of the auth server (0: any free port).
    #[arg(long)]
    pub auth_port: Option<u16>,
    /// Port of the API server (0: any free port).
    #[arg(long)]
    pub api_port: Option<u16>,
    /// Port of the client-tracking server, `GET /v1/tracked-events` (0: any free port).
    #[arg(long)]
    pub tracking_port: Option<u16>,
    /// An extra client, `ID:SECRET:REDIRECT_URI[,REDIRECT_URI…]` (repeatable).
    #[arg(long = "client", value_name = "ID:SECRET:URIS")]
    pub clients: Vec<String>,
    /// A JSON file `{"clients": [{"client_id", "client_secret", "redirect_uris",
    /// "signing_key": {"key_id", "public_key_pem"}}], "seed": N}` (`signing_key` optional: the
    /// P-521 key verification v3 requests are signed with).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Persist the demo secret, connections (token hashes only) and the clock here.
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// Data seed (same seed, same data).
    #[arg(long)]
    pub seed: Option<u64>,
    /// The token the `/__sandbox/` controls require in `X-Sandbox-Token` (16 to 256 visible
    /// ASCII characters; also read from LINKSCOPE_SANDBOX_CONTROL_TOKEN). Default: a random
    /// one per launch, printed as `control_token`.
    #[arg(long, value_name = "TOKEN")]
    pub control_token: Option<String>,
}

fn loopback(port: u16) -> SocketAddr {
    SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))
}

impl ServeArgs {
    /// The sandbox these flags describe (the control token also from the environment).
    pub fn config(&self) -> Result<SandboxConfig, String> {
        let mut config = SandboxConfig::default();
        let (auth_port, api_port, tracking_port) = match self.port {
            Some(0) => (0, 0, 0),
            Some(port) => {
                let next = |n: u16| port.checked_add(n).ok_or("--port must be below 65534");
                (port, next(1)?, next(2)?)
            }
            None => (
                self.auth_port.unwrap_or(0),
                self.api_port.unwrap_or(0),
                self.tracking_port.unwrap_or(0),
            ),
        };
        config.auth_addr = loopback(auth_port);
        config.api_addr = loopback(api_port);
        config.tracking_addr = loopback(tracking_port);
        if let Some(path) = &self.config {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let file: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
            for client in file["clients"].as_array().into_iter().flatten() {
                let text = |k: &str| {
                    client[k]
                        .as_str()
                        .map(str::to_owned)
                        .ok_or(format!("each client needs a string '{k}'"))
                };
                config.clients.push(ClientConfig {
                    client_id: text("client_id")?,
                    client_secret: text("client_secret")?,
                    redirect_uris: client["redirect_uris"]
                        .as_array()
                        .map(|uris| {
                            uris.iter()
                                .filter_map(|u| u.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                    signing_key: match client.get("signing_key") {
                        None | Some(serde_json::Value::Null) => None,
                        Some(key) => {
                            let field = |k: &str| {
                                key[k]
                                    .as_str()
                                    .ok_or(format!("signing_key needs a string '{k}'"))
                            };
                            Some(
                                crate::keys::ClientSigningKey::from_public_pem(
                                    field("key_id")?,
                                    field("public_key_pem")?,
                                )
                                .map_err(|e| e.to_string())?,
                            )
                        }
                    },
                });
            }
            if let Some(seed) = file["seed"].as_u64() {
                config.seed = seed;
            }
        }
        for flag in &self.clients {
            config
                .clients
                .push(ClientConfig::parse_flag(flag).map_err(|e| e.to_string())?);
        }
        if let Some(seed) = self.seed {
            config.seed = seed;
        }
        config.state_path = self.state.clone();
        config.control_token = self.control_token.clone().or_else(|| {
            std::env::var(CONTROL_TOKEN_ENV)
                .ok()
                .filter(|token| !token.is_empty())
        });
        config.validate().map_err(|e| e.to_string())?;
        Ok(config)
    }
}

/// Starts the sandbox `args` describe, prints its JSON line on stdout and serves until Ctrl-C
/// (or SIGTERM). `name` prefixes the error lines on stderr. Exit codes: 0 after an interrupt,
/// 1 when it cannot start or print, 2 for bad flags.
pub async fn serve(args: &ServeArgs, name: &str) -> ExitCode {
    let config = match args.config() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{name}: {message}");
            return ExitCode::from(2);
        }
    };
    let sandbox = match Sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("{name}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let demo = sandbox.demo_client();
    let line = serde_json::json!({
        "auth_url": sandbox.auth_url(),
        "api_url": sandbox.api_url(),
        "tracking_url": sandbox.tracking_url(),
        "client_id": demo.client_id,
        // null after a restart from a state file: the file keeps only the secret's hash.
        "client_secret": sandbox.demo_client_secret(),
        "redirect_uris": demo.redirect_uris,
        // What the `/__sandbox/` controls require in `X-Sandbox-Token`.
        "control_token": sandbox.control_token(),
    });
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{line}")
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(stdout);
    if let Err(e) = interrupted().await {
        eprintln!("{name}: cannot wait for Ctrl-C: {e}");
    }
    drop(sandbox);
    ExitCode::SUCCESS
}

/// Ctrl-C, or (Unix) SIGTERM: what a CI job's `kill` sends.
async fn interrupted() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r,
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await
}
