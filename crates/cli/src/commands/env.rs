//! `env list|add|use|remove` and `providers`. A client secret (and a standalone sandbox's control
//! token) is read from stdin or a named environment variable, never from argv (where `ps` would
//! show it), and goes straight to core in the client's secret type.

use std::io::BufRead as _;

use linkscope_core::dto::{EnvironmentInput, EnvironmentKind};
use linkscope_truelayer::ClientSecret;

use super::{find_environment, Ctx};
use crate::args::{EnvAddArgs, EnvCommand, EnvKind, ProvidersArgs};
use crate::failure::Failure;
use crate::output::Table;

pub async fn run(ctx: &Ctx<'_>, command: EnvCommand) -> Result<(), Failure> {
    let environments = ctx.core.environments();
    match command {
        EnvCommand::List => {
            let all = environments.list().await?;
            ctx.out.show(&all, |v| {
                Table::of(
                    &[
                        ("ID", "/id"),
                        ("NAME", "/name"),
                        ("KIND", "/kind"),
                        ("AUTH URL", "/authUrl"),
                        ("CLIENT ID", "/clientId"),
                        ("SECRET", "/hasClientSecret"),
                        ("ACTIVE", "/active"),
                    ],
                    v,
                    "no environment",
                )
            })
        }
        EnvCommand::Add(args) => {
            let secret = read_secret(&args)?;
            let control_token = read_control_token(&args)?;
            let saved = environments
                .save(EnvironmentInput {
                    id: None,
                    name: args.name.clone(),
                    kind: match args.kind {
                        EnvKind::Custom => EnvironmentKind::Custom,
                        EnvKind::TruelayerSandbox => EnvironmentKind::TruelayerSandbox,
                        EnvKind::TruelayerLive => EnvironmentKind::TruelayerLive,
                    },
                    auth_url: args.auth_url.clone(),
                    api_url: args.api_url.clone(),
                    client_id: args.client_id.clone(),
                    client_secret: secret,
                    redirect_uris: args.redirect_uris.clone(),
                    marked_live: args.live,
                    sandbox_control_token: control_token,
                    confirm_secrets_reset: false,
                })
                .await?;
            let saved = if args.activate {
                environments.select(&saved.id).await?
            } else {
                saved
            };
            ctx.out.show(&saved, |v| {
                let mut t = Table::new(&["ADDED", "ID", "ACTIVE"], "");
                t.push(vec![
                    crate::output::cell(v.get("name")),
                    crate::output::cell(v.get("id")),
                    crate::output::cell(v.get("active")),
                ]);
                t
            })
        }
        EnvCommand::Use { environment } => {
            let env = find_environment(environments.list().await?, &environment)?;
            let env = environments.select(&env.id).await?;
            ctx.out.show(&env, |v| {
                let mut t = Table::new(&["ACTIVE", "ID"], "");
                t.push(vec![
                    crate::output::cell(v.get("name")),
                    crate::output::cell(v.get("id")),
                ]);
                t
            })
        }
        EnvCommand::Remove { environment } => {
            let env = find_environment(environments.list().await?, &environment)?;
            environments.remove(&env.id).await?;
            ctx.out.say(&format!("removed {} ({})", env.name, env.id))
        }
    }
}

/// The client secret from stdin (its first line) or from the named variable; none = keep.
fn read_secret(args: &EnvAddArgs) -> Result<Option<ClientSecret>, Failure> {
    if args.secret_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::Usage(format!("cannot read the secret from stdin: {e}")))?;
        let secret = line.trim_end_matches(['\r', '\n']).to_owned();
        if secret.trim().is_empty() {
            return Err(Failure::Usage("--secret-stdin read an empty line".into()));
        }
        return Ok(Some(ClientSecret::new(secret)));
    }
    if let Some(var) = &args.secret_env {
        let secret = std::env::var(var).map_err(|_| {
            Failure::Usage(format!(
                "--secret-env {var}: the variable is not set (or not UTF-8)"
            ))
        })?;
        if secret.trim().is_empty() {
            return Err(Failure::Usage(format!(
                "--secret-env {var}: the variable is empty"
            )));
        }
        return Ok(Some(ClientSecret::new(secret)));
    }
    Ok(None)
}

/// The standalone sandbox's control token: from `--control-token-env VAR` (which must be set), else
/// from `LINKSCOPE_SANDBOX_CONTROL_TOKEN` when it is set; none = no token.
fn read_control_token(args: &EnvAddArgs) -> Result<Option<ClientSecret>, Failure> {
    let value = match &args.control_token_env {
        Some(var) => Some(std::env::var(var).map_err(|_| {
            Failure::Usage(format!(
                "--control-token-env {var}: the variable is not set (or not UTF-8)"
            ))
        })?),
        None => std::env::var(linkscope_sandbox::CONTROL_TOKEN_ENV).ok(),
    };
    Ok(value
        .filter(|t| !t.trim().is_empty())
        .map(ClientSecret::new))
}

pub async fn providers(ctx: &Ctx<'_>, args: &ProvidersArgs) -> Result<(), Failure> {
    let env = ctx.environment().await?;
    let mut list = ctx
        .core
        .environments()
        .providers(&env.id, args.refresh)
        .await?;
    if let Some(country) = &args.country {
        list.providers
            .retain(|p| p.country.eq_ignore_ascii_case(country.trim()));
    }
    if let Some(scope) = &args.scope {
        list.providers.retain(|p| {
            p.scopes
                .iter()
                .any(|s| s.eq_ignore_ascii_case(scope.trim()))
        });
    }
    ctx.out.show(&list, |v| {
        Table::of(
            &[
                ("PROVIDER", "/providerId"),
                ("NAME", "/displayName"),
                ("COUNTRY", "/country"),
                ("SCOPES", "/scopes"),
            ],
            v.get("providers").unwrap_or(&serde_json::Value::Null),
            "no provider matches",
        )
    })
}
