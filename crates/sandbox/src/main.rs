//! The `linkscope-sandbox` binary: the flags and the serving live in [`linkscope_sandbox::serve`]
//! (shared with `linkscope sandbox serve`); this only parses them and sets up logging.

use clap::Parser;
use linkscope_sandbox::serve::{serve, ServeArgs};

/// A local emulator of TrueLayer's sandbox (auth server + Data API).
#[derive(Debug, Parser)]
#[command(name = "linkscope-sandbox", version)]
struct Args {
    #[command(flatten)]
    serve: ServeArgs,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber_init();
    serve(&Args::parse().serve, "linkscope-sandbox").await
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
