//! The command line's grammar (clap derive): global flags, every command and its flags, and the
//! examples `--help` shows. Parsing only; what each command does is in [`crate::commands`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use linkscope_sandbox::serve::ServeArgs;

const EXAMPLES: &str = "\
Examples:
  linkscope link --persona john/doe             link the built-in sandbox's mock user, no browser
  linkscope accounts --json | jq '.data[].account.displayName'
  linkscope transactions --all --from 2024-01-01 --to 2024-12-31 --ndjson > rows.ndjson
  linkscope scenarios run --persona john/doe --junit report.xml
  linkscope snapshot take --label before    later: linkscope snapshot compare ID (exit 6: it changed)
  printf %s \"$SECRET\" | linkscope env add --name qa --kind custom \\
      --auth-url http://127.0.0.1:9000 --api-url http://127.0.0.1:9001 --client-id sandbox-qa \\
      --redirect-uri http://127.0.0.1:3947/callback --secret-stdin
  linkscope completions bash > /etc/bash_completion.d/linkscope

Exit codes:
  0 ok · 1 usage or bad input · 2 TrueLayer refused (its error code on stderr) · 3 network ·
  4 a scenario failed · 5 keychain or storage · 6 snapshot compare found differences

Profiles: by default linkscope keeps its own data and keychain entries (never the desktop app's);
--profile app shares the installed app's, --profile app-dev the dev build's; --data-dir picks a
folder (CI). Without a keychain, secrets live in memory for the process unless
LINKSCOPE_SECRET_STORE=file:PATH names a file (created 0600).";

/// Linkscope for scripts and CI: link, read and check TrueLayer Data API connections.
#[derive(Debug, Parser)]
#[command(name = "linkscope", version, after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes, before or after its name.
#[derive(Debug, Args)]
pub struct Global {
    /// Keep data (and, without a keychain, nothing else) in this folder instead of the profile's.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Whose data and keychain entries: linkscope's own, or the desktop app's.
    #[arg(long, global = true, value_enum, default_value_t = Profile::Cli)]
    pub profile: Profile,
    /// The environment to use (id or name); default: the active one.
    #[arg(long = "env", global = true, value_name = "ID|NAME")]
    pub environment: Option<String>,
    /// One JSON document on stdout instead of a table.
    #[arg(long, global = true, conflicts_with = "ndjson")]
    pub json: bool,
    /// Transactions as one JSON object per line, streamed (constant memory).
    #[arg(long, global = true)]
    pub ndjson: bool,
    /// Transactions as CSV, streamed.
    #[arg(long, global = true, conflicts_with_all = ["json", "ndjson"])]
    pub csv: bool,
    /// Mask names, account numbers, sort codes, IBANs, addresses and tokens (presenter mode).
    #[arg(long, global = true)]
    pub mask: bool,
    /// No progress and no notes on stderr (errors still are).
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

/// Whose data: see `--help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    /// linkscope's own data dir and keychain namespace.
    Cli,
    /// The installed desktop app's (release flavour).
    App,
    /// The dev flavour's (`npm start`).
    AppDev,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Environments: where links are made.
    #[command(subcommand)]
    Env(EnvCommand),
    /// The providers (banks) of the environment.
    Providers(ProvidersArgs),
    /// Links a connection: headless as a sandbox persona, or through the browser.
    Link(LinkArgs),
    /// The environment's recent link attempts (abandoned ones too), newest first.
    Attempts,
    /// The auth-journey trail of a link attempt (default: the newest): where its user got to
    /// in the auth dialog, and where it stopped (Client Tracking API).
    Trail {
        /// The attempt's id, or its tracking_id.
        attempt: Option<String>,
    },
    /// Connections: list, show, rename, refresh, extend, revoke, forget.
    Connections {
        #[command(subcommand)]
        action: Option<ConnectionsCommand>,
    },
    /// Accounts with their balances.
    Accounts(Target),
    /// The balances of every account and card.
    Balances(Target),
    /// Cards with their balances.
    Cards(Target),
    /// Transactions of an account, a card, or all of them (streamed).
    Transactions(TransactionsArgs),
    /// Standing orders of every account.
    StandingOrders(Target),
    /// Direct debits of every account.
    DirectDebits(Target),
    /// The account holder's identity (`/info`).
    Identity(Target),
    /// What `/me` says of the connection now: client_id, credentials_id, consent status and
    /// dates, provider (read again, and stored).
    Me(Target),
    /// Signup+ identity (`--account` when several accounts are linked).
    SignupPlus(SignupPlusArgs),
    /// Name verification: does this name hold the accounts?
    Verify(VerifyArgs),
    /// The coverage matrix: every endpoint the scopes allow, called once.
    Coverage(Target),
    /// The scenario suite.
    #[command(subcommand)]
    Scenarios(ScenariosCommand),
    /// The request inspector: every HTTP exchange, redacted.
    Requests(RequestsArgs),
    /// A support bundle (Markdown, no secrets) for a connection.
    Bundle(BundleArgs),
    /// The standalone sandbox, and the controls of a running one.
    #[command(subcommand)]
    Sandbox(SandboxCommand),
    /// Snapshots of a connection, and what changed since one (exit 6 when anything did).
    #[command(subcommand)]
    Snapshot(SnapshotCommand),
    /// Shell completions: `linkscope completions bash > …`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum EnvCommand {
    /// Lists the environments (the active one marked).
    List,
    /// Adds an environment; its client secret comes from stdin or a variable, never argv.
    Add(EnvAddArgs),
    /// Makes an environment the active one.
    Use { environment: String },
    /// Removes an environment (and its client secret).
    Remove { environment: String },
}

#[derive(Debug, Args)]
pub struct EnvAddArgs {
    #[arg(long)]
    pub name: String,
    #[arg(long, value_enum, default_value_t = EnvKind::Custom)]
    pub kind: EnvKind,
    /// The auth server (custom only).
    #[arg(long, default_value = "")]
    pub auth_url: String,
    /// The Data API (custom only).
    #[arg(long, default_value = "")]
    pub api_url: String,
    #[arg(long)]
    pub client_id: String,
    /// A registered redirect URI (repeatable).
    #[arg(long = "redirect-uri")]
    pub redirect_uris: Vec<String>,
    /// Read the client secret from stdin (one line).
    #[arg(long, conflicts_with = "secret_env")]
    pub secret_stdin: bool,
    /// Read the client secret from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub secret_env: Option<String>,
    /// Read the `X-Sandbox-Token` of the standalone sandbox this environment points at from this
    /// variable (default: `LINKSCOPE_SANDBOX_CONTROL_TOKEN`, when it is set). Kept in the keychain
    /// like the client secret, so `sandbox clock|faults` and scenario runs can use the controls.
    #[arg(long, value_name = "VAR")]
    pub control_token_env: Option<String>,
    /// Mark the environment live (the live chrome and the extend/revoke interlock apply).
    #[arg(long)]
    pub live: bool,
    /// Make it the active environment.
    #[arg(long = "use")]
    pub activate: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EnvKind {
    Custom,
    TruelayerSandbox,
    TruelayerLive,
}

#[derive(Debug, Args)]
pub struct ProvidersArgs {
    /// Only this country (`uk`, `ie`, …).
    #[arg(long)]
    pub country: Option<String>,
    /// Only providers that offer this scope.
    #[arg(long)]
    pub scope: Option<String>,
    /// Fetch again instead of reading the cache.
    #[arg(long)]
    pub refresh: bool,
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    /// A sandbox persona, `USER/PASSWORD` (`john/doe`, `error.provider_error/error`): linked
    /// headlessly through the sandbox's controls.
    #[arg(long, value_name = "USER/PASSWORD")]
    pub persona: Option<String>,
    /// The provider to preselect.
    #[arg(long)]
    pub provider: Option<String>,
    /// A permission to ask for (repeatable); default: every scope the checks use (persona) or
    /// `info accounts balance cards transactions offline_access`.
    #[arg(long = "scope")]
    pub scopes: Vec<String>,
    /// Print the link (and its QR code) without opening the browser.
    #[arg(long)]
    pub no_browser: bool,
    /// Read the redirect URL from stdin instead of listening on the loopback.
    #[arg(long, conflicts_with = "persona")]
    pub paste: bool,
    /// The link's `tracking_id` (default: a generated one); `linkscope trail` reads its events.
    #[arg(long, conflicts_with = "persona")]
    pub tracking_id: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ConnectionsCommand {
    /// Lists the connections, most recent first.
    Ls,
    /// One connection, with its token's claims (never the token).
    Show(Target),
    /// Gives a connection a new label.
    Rename {
        #[command(flatten)]
        target: Target,
        label: String,
    },
    /// Refreshes the access token now.
    Refresh(Target),
    /// Extends the consent (`/connections/extend`).
    Extend(Target),
    /// Revokes the consent at TrueLayer.
    Revoke(Target),
    /// Forgets the connection here (its tokens are deleted).
    Forget(Target),
}

/// Which connection: `--connection ID|LABEL`, else the most recently linked.
#[derive(Debug, Args, Clone, Default)]
pub struct Target {
    #[arg(long, value_name = "ID|LABEL")]
    pub connection: Option<String>,
}

#[derive(Debug, Args)]
pub struct TransactionsArgs {
    #[command(flatten)]
    pub target: Target,
    /// An account's id.
    #[arg(long, conflicts_with_all = ["card", "all"])]
    pub account: Option<String>,
    /// A card's id.
    #[arg(long, conflicts_with = "all")]
    pub card: Option<String>,
    /// Every account, then every card.
    #[arg(long)]
    pub all: bool,
    /// First day, YYYY-MM-DD (default: 90 days ago).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub to: Option<String>,
    /// Through TrueLayer's async mode (`async=true`, a loopback webhook, results polled); each
    /// task's timeline and its webhook's signature check go in the summary (stderr, or `--json`).
    #[arg(long = "async")]
    pub async_mode: bool,
}

#[derive(Debug, Subcommand)]
pub enum SnapshotCommand {
    /// Reads the connection now (accounts, cards, balances, the settled transactions of a range)
    /// and keeps it.
    Take(SnapshotTakeArgs),
    /// The connection's snapshots, newest first.
    List(Target),
    /// What changed since snapshot BASE: up to snapshot AGAINST, or to a fresh read of BASE's
    /// range. Exit 6 when anything changed (a regression check).
    Compare(SnapshotCompareArgs),
    /// Deletes a snapshot.
    Delete {
        /// The snapshot's id (`linkscope snapshot list`).
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct SnapshotTakeArgs {
    #[command(flatten)]
    pub target: Target,
    /// A name for the list (default: "Snapshot of <date and time>").
    #[arg(long)]
    pub label: Option<String>,
    /// The transactions' first day, YYYY-MM-DD (default: 30 days ago).
    #[arg(long)]
    pub from: Option<String>,
    /// Their last day, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct SnapshotCompareArgs {
    /// The older snapshot's id.
    pub base: String,
    /// The newer snapshot's id; default: read the connection now.
    pub against: Option<String>,
}

#[derive(Debug, Args)]
pub struct SignupPlusArgs {
    #[command(flatten)]
    pub target: Target,
    /// The account to ask about (after `multiple_accounts_linked`).
    #[arg(long)]
    pub account: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub target: Target,
    /// The name to check against the account holders.
    #[arg(long)]
    pub name: String,
}

#[derive(Debug, Subcommand)]
pub enum ScenariosCommand {
    /// Runs the suite: link → coverage → lifecycle per persona, expected vs actual.
    Run(ScenariosRunArgs),
}

#[derive(Debug, Args)]
pub struct ScenariosRunArgs {
    /// Only these personas, `USER/PASSWORD` (repeatable); default: the whole table.
    #[arg(long = "persona", value_name = "USER/PASSWORD")]
    pub personas: Vec<String>,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a Markdown report here.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RequestsArgs {
    /// Only failed exchanges (status ≥ 400 or no answer).
    #[arg(long)]
    pub failed: bool,
    /// Only the exchange with this trace id (shown in full).
    #[arg(long, value_name = "ID")]
    pub trace: Option<String>,
    /// Only this connection's (id or label).
    #[arg(long, value_name = "ID|LABEL")]
    pub connection: Option<String>,
    /// At most this many, newest first.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct BundleArgs {
    /// The connection (id or label); default: the most recently linked.
    pub connection: Option<String>,
    /// Write it here instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// Runs a standalone sandbox (the flags of `linkscope-sandbox`); prints one JSON line.
    Serve(ServeArgs),
    /// The environment's sandbox clock; `--advance` moves it forward.
    Clock {
        /// Seconds to move the clock forward.
        #[arg(long, value_name = "SECONDS")]
        advance: Option<u64>,
    },
    /// The environment's sandbox faults.
    #[command(subcommand)]
    Faults(FaultsCommand),
}

#[derive(Debug, Subcommand)]
pub enum FaultsCommand {
    /// What is armed.
    List,
    /// Arms a fault: the next `--times` calls under `--path` fail with `--status`.
    Add {
        /// A path prefix (`/data/v1/accounts`).
        #[arg(long, default_value = "")]
        path: String,
        #[arg(long)]
        status: Option<u16>,
        /// A documented error code (default: TrueLayer's usual one for the status).
        #[arg(long)]
        error: Option<String>,
        #[arg(long)]
        times: Option<u64>,
        #[arg(long, value_name = "SECONDS")]
        retry_after: Option<u64>,
        /// Slow every call down by this much instead.
        #[arg(long, value_name = "MS")]
        latency_ms: Option<u64>,
    },
    /// Disarms every fault.
    Clear,
}
