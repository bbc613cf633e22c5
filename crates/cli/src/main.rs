//! `linkscope`, the command line: the same core as the desktop app, for scripts and CI. Parses
//! the flags, starts core in the chosen profile (or, for `sandbox serve` and `completions`,
//! nothing), runs one command and turns its failure into one line, an explanation and a
//! documented exit code ([`failure`]). GUI-free and HTTP-free: every call goes through core.

mod args;
mod commands;
mod failure;
mod output;
mod profile;
mod secret_file;

use std::process::ExitCode;

use clap::{CommandFactory as _, Parser as _};

use crate::args::{Cli, Command, SandboxCommand};
use crate::commands::Ctx;
use crate::failure::Failure;
use crate::output::Out;

fn main() -> ExitCode {
    init_logging();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print and succeed; usage errors exit 1 (clap's own says 2,
            // which is this tool's "TrueLayer refused").
            let code = if e.use_stderr() {
                failure::code::USAGE
            } else {
                0
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let failure = Failure::Storage(format!("cannot start the async runtime: {e}"));
            failure.report();
            return failure.exit_code();
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(failure) => {
            failure.report();
            failure.exit_code()
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "linkscope",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Sandbox(SandboxCommand::Serve(args)) => {
            Ok(linkscope_sandbox::serve::serve(&args, "linkscope sandbox serve").await)
        }
        command => {
            let core = profile::start(&cli.global).await?;
            let ctx = Ctx {
                core: core.clone(),
                out: Out::new(&cli.global),
                global: &cli.global,
            };
            let result = commands::run(&ctx, command).await;
            // Every exchange reaches the request log before the process ends.
            core.flush_request_log().await;
            result.map(|()| ExitCode::SUCCESS)
        }
    }
}

/// Core's logs on stderr, errors only unless `RUST_LOG` says otherwise (the CLI explains a
/// missing keychain itself).
fn init_logging() {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error")),
        )
        .try_init();
}
