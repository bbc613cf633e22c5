//! One function per command, each a few calls to core's services and one print. Shared here:
//! the context every command gets ([`Ctx`]) and the two lookups every data command makes (the
//! environment: `--env` or the active one; the connection: `--connection ID|LABEL` or the most
//! recently linked). Must not: make an HTTP call (core does), or print a secret.

mod data;
mod env;
mod inspect;
mod link;
mod sandbox;
mod scenarios;
mod snapshots;
mod transactions;

use linkscope_core::dto::{Connection, Environment};
use linkscope_core::Core;

use crate::args::{Command, ConnectionsCommand, Global, Target};
use crate::failure::Failure;
use crate::output::Out;

/// What a command runs with.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub core: Core,
    pub out: Out,
    pub global: &'a Global,
}

impl Ctx<'_> {
    /// `--env ID|NAME`, else the active environment.
    pub async fn environment(&self) -> Result<Environment, Failure> {
        let all = self.core.environments().list().await?;
        match &self.global.environment {
            Some(wanted) => find_environment(all, wanted),
            None => all.into_iter().find(|e| e.active).ok_or_else(|| {
                Failure::Usage("no environment is active: pick one with `linkscope env use`".into())
            }),
        }
    }

    /// `--connection ID|LABEL`, else the most recently linked connection.
    pub async fn connection(&self, target: &Target) -> Result<Connection, Failure> {
        self.connection_named(target.connection.as_deref()).await
    }

    pub async fn connection_named(&self, wanted: Option<&str>) -> Result<Connection, Failure> {
        let all = self.core.connections().list().await?;
        let Some(wanted) = wanted.map(str::trim) else {
            // Core lists them newest first.
            return all.into_iter().next().ok_or_else(|| {
                Failure::Usage(
                    "no connection yet: link one first (`linkscope link --persona john/doe`)"
                        .into(),
                )
            });
        };
        if let Some(c) = all.iter().find(|c| c.id == wanted) {
            return Ok(c.clone());
        }
        let mut by_label: Vec<Connection> = all
            .into_iter()
            .filter(|c| c.label.eq_ignore_ascii_case(wanted))
            .collect();
        match by_label.len() {
            0 => Err(Failure::Usage(format!(
                "no connection has the id or label {wanted:?} (see `linkscope connections ls`)"
            ))),
            1 => Ok(by_label.remove(0)),
            n => Err(Failure::Usage(format!(
                "{n} connections are labelled {wanted:?}: pass its id instead"
            ))),
        }
    }
}

/// An environment by id, else by name (case-insensitive).
pub fn find_environment(all: Vec<Environment>, wanted: &str) -> Result<Environment, Failure> {
    let wanted = wanted.trim();
    if let Some(e) = all.iter().find(|e| e.id == wanted) {
        return Ok(e.clone());
    }
    all.into_iter()
        .find(|e| e.name.eq_ignore_ascii_case(wanted))
        .ok_or_else(|| {
            Failure::Usage(format!(
                "no environment has the id or name {wanted:?} (see `linkscope env list`)"
            ))
        })
}

/// A persona as the CLI writes it (`john/doe`) as the sandbox's key (`john:doe`).
pub fn persona_key(persona: &str) -> String {
    persona.trim().replacen('/', ":", 1)
}

/// Runs one command that needs core.
pub async fn run(ctx: &Ctx<'_>, command: Command) -> Result<(), Failure> {
    match command {
        Command::Env(command) => env::run(ctx, command).await,
        Command::Providers(args) => env::providers(ctx, &args).await,
        Command::Link(args) => link::run(ctx, &args).await,
        Command::Attempts => link::attempts(ctx).await,
        Command::Trail { attempt } => link::trail(ctx, attempt.as_deref()).await,
        Command::Connections { action } => {
            data::connections(ctx, action.unwrap_or(ConnectionsCommand::Ls)).await
        }
        Command::Accounts(target) => data::accounts(ctx, &target).await,
        Command::Balances(target) => data::balances(ctx, &target).await,
        Command::Cards(target) => data::cards(ctx, &target).await,
        Command::Transactions(args) => transactions::run(ctx, &args).await,
        Command::StandingOrders(target) => data::standing_orders(ctx, &target).await,
        Command::DirectDebits(target) => data::direct_debits(ctx, &target).await,
        Command::Identity(target) => data::identity(ctx, &target).await,
        Command::Me(target) => data::me(ctx, &target).await,
        Command::SignupPlus(args) => data::signup_plus(ctx, &args).await,
        Command::Verify(args) => data::verify(ctx, &args).await,
        Command::Coverage(target) => scenarios::coverage(ctx, &target).await,
        Command::Scenarios(command) => scenarios::run(ctx, command).await,
        Command::Requests(args) => inspect::requests(ctx, &args).await,
        Command::Bundle(args) => inspect::bundle(ctx, &args).await,
        Command::Snapshot(command) => snapshots::run(ctx, command).await,
        Command::Sandbox(command) => sandbox::controls(ctx, command).await,
        Command::Completions { .. } => Ok(()),
    }
}
