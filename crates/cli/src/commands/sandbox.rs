//! `sandbox clock|faults`: the controls of the environment's sandbox (the built-in one, or the
//! standalone `linkscope sandbox serve` a custom environment points at, with the token `env add`
//! stored for it). `sandbox serve` itself needs no core: see `main.rs`.

use linkscope_core::workbench::dto::FaultInput;

use super::Ctx;
use crate::args::{FaultsCommand, SandboxCommand};
use crate::failure::Failure;
use crate::output::{cell, Table};

pub async fn controls(ctx: &Ctx<'_>, command: SandboxCommand) -> Result<(), Failure> {
    let env = ctx.environment().await?;
    let controls = ctx.core.workbench().controls();
    match command {
        SandboxCommand::Serve(_) => Ok(()),
        SandboxCommand::Clock { advance } => {
            let clock = match advance {
                Some(seconds) => controls.advance_clock(&env.id, seconds).await?,
                None => controls.clock(&env.id).await?,
            };
            ctx.out.show(&clock, |v| {
                let mut t = Table::new(&["NOW", "OFFSET (s)"], "");
                t.push(vec![cell(v.get("now")), cell(v.get("offsetSeconds"))]);
                t
            })
        }
        SandboxCommand::Faults(command) => {
            let faults = match command {
                FaultsCommand::List => controls.faults(&env.id).await?,
                FaultsCommand::Clear => controls.clear_faults(&env.id).await?,
                FaultsCommand::Add {
                    path,
                    status,
                    error,
                    times,
                    retry_after,
                    latency_ms,
                } => {
                    controls
                        .add_fault(
                            &env.id,
                            FaultInput {
                                path,
                                status,
                                error,
                                retry_after,
                                times,
                                latency_ms,
                            },
                        )
                        .await?
                }
            };
            ctx.out.show(&faults, |v| {
                let mut t = Table::of(
                    &[
                        ("PATH", "/path"),
                        ("STATUS", "/status"),
                        ("ERROR", "/error"),
                        ("TIMES LEFT", "/times"),
                    ],
                    &v["faults"],
                    "no fault armed",
                );
                if v["latencyMs"].as_u64().unwrap_or(0) > 0 {
                    t.push(vec![
                        format!("(every call +{} ms)", v["latencyMs"]),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]);
                }
                t
            })
        }
    }
}
