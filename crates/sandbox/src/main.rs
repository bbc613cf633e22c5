//! The `linkscope-sandbox` binary: parses flags, starts the sandbox on 127.0.0.1, prints one JSON
//! line describing it (URLs, demo client, `control_token`), then serves until interrupted.

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::path::PathBuf;

use clap::Parser;
use linkscope_sandbox::{ClientConfig, Sandbox, SandboxConfig, CONTROL_TOKEN_ENV};

/// A local emulator of TrueLayer's sandbox (auth server + Data API).
#[derive(Debug, Parser)]
#[command(name = "linkscope-sandbox", version)]
struct Args {
    /// Port of the auth server; the API server takes the next one. 0 picks free ports.
    #[arg(long, conflicts_with_all = ["auth_port", "api_port"])]
    port: Option<u16>,
    /// Port of the auth server (0: any free port).
    #[arg(long)]
    auth_port: Option<u16>,
    /// Port of the API server (0: any free port).
    #[arg(long)]
    api_port: Option<u16>,
    /// An extra client, `ID:SECRET:REDIRECT_URI[,REDIRECT_URI…]` (repeatable).
    #[arg(long = "client", value_name = "ID:SECRET:URIS")]
    clients: Vec<String>,
    /// A JSON file `{"clients": [{"client_id", "client_secret", "redirect_uris",
    /// "signing_key": {"key_id", "public_key_pem"}}], "seed": N}` (`signing_key` optional: the
    /// P-521 key verification v3 requests are signed with).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Persist the demo secret, connections (token hashes only) and the clock here.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Data seed (same seed, same data).
    #[arg(long)]
    seed: Option<u64>,
    /// The token the `/__sandbox/` controls require in `X-Sandbox-Token` (16 to 256 visible
    /// ASCII characters; also read from LINKSCOPE_SANDBOX_CONTROL_TOKEN). Default: a random
    /// one per launch, printed as `control_token`.
    #[arg(long, value_name = "TOKEN")]
    control_token: Option<String>,
}

fn loopback(port: u16) -> SocketAddr {
    SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))
}

fn config_from(args: &Args) -> Result<SandboxConfig, String> {
    let mut config = SandboxConfig::default();
    let (auth_port, api_port) = match args.port {
        Some(0) => (0, 0),
        Some(port) => (
            port,
            port.checked_add(1).ok_or("--port must be below 65535")?,
        ),
        None => (args.auth_port.unwrap_or(0), args.api_port.unwrap_or(0)),
    };
    config.auth_addr = loopback(auth_port);
    config.api_addr = loopback(api_port);
    if let Some(path) = &args.config {
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
                            linkscope_sandbox::keys::ClientSigningKey::from_public_pem(
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
    for flag in &args.clients {
        config
            .clients
            .push(ClientConfig::parse_flag(flag).map_err(|e| e.to_string())?);
    }
    if let Some(seed) = args.seed {
        config.seed = seed;
    }
    config.state_path = args.state.clone();
    config.control_token = args.control_token.clone().or_else(|| {
        std::env::var(CONTROL_TOKEN_ENV)
            .ok()
            .filter(|token| !token.is_empty())
    });
    config.validate().map_err(|e| e.to_string())?;
    Ok(config)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber_init();
    let args = Args::parse();
    let config = match config_from(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("linkscope-sandbox: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    let sandbox = match Sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("linkscope-sandbox: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let demo = sandbox.demo_client();
    let line = serde_json::json!({
        "auth_url": sandbox.auth_url(),
        "api_url": sandbox.api_url(),
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
        return std::process::ExitCode::FAILURE;
    }
    drop(stdout);
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("linkscope-sandbox: cannot wait for Ctrl-C: {e}");
    }
    drop(sandbox);
    std::process::ExitCode::SUCCESS
}

/// Logs to stderr (stdout carries only the JSON line), filtered by `RUST_LOG`.
fn tracing_subscriber_init() {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .try_init();
}
