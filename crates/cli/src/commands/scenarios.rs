//! `scenarios run` (core's scenario runner, awaited; JUnit and Markdown reports written by
//! core's exporters; exit 4 when any check failed) and `coverage` (the matrix of one
//! connection).

use linkscope_core::workbench::dto::{ReportFormat, RunStatus, ScenarioRunInput};

use super::{persona_key, Ctx};
use crate::args::{ScenariosCommand, Target};
use crate::failure::Failure;
use crate::output::{cell, note, Table};

pub async fn run(ctx: &Ctx<'_>, command: ScenariosCommand) -> Result<(), Failure> {
    let ScenariosCommand::Run(args) = command;
    let env = ctx.environment().await?;
    let workbench = ctx.core.workbench();
    let run = workbench
        .run_scenarios(ScenarioRunInput {
            environment_id: env.id.clone(),
            persona_keys: args.personas.iter().map(|p| persona_key(p)).collect(),
        })
        .await?;
    for (path, format) in [
        (&args.junit, ReportFormat::Junit),
        (&args.markdown, ReportFormat::Markdown),
    ] {
        if let Some(path) = path {
            workbench
                .export_run(&run.id, format)?
                .save(path)
                .map_err(|e| Failure::Storage(format!("cannot write {}: {e}", path.display())))?;
            if !ctx.out.quiet {
                note(&format!("wrote {}", path.display()));
            }
        }
    }
    ctx.out.show(&run, |v| {
        let mut t = Table::new(
            &["PERSONA", "LABEL", "RESULT", "CHECKS", "FAILED"],
            "no persona ran",
        );
        for p in v["personas"].as_array().into_iter().flatten() {
            let cases = p["cases"].as_array().map_or(0, Vec::len);
            let failed = p["cases"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|c| c["passed"] == false)
                .count();
            t.push(vec![
                cell(p.get("personaKey")),
                cell(p.get("label")),
                if p["passed"] == true {
                    "passed"
                } else {
                    "FAILED"
                }
                .into(),
                cases.to_string(),
                failed.to_string(),
            ]);
        }
        t
    })?;
    if run.status == RunStatus::Passed {
        Ok(())
    } else {
        Err(Failure::ScenariosFailed {
            failures: run.failures,
            total: run.total,
        })
    }
}

pub async fn coverage(ctx: &Ctx<'_>, target: &Target) -> Result<(), Failure> {
    let c = ctx.connection(target).await?;
    let report = ctx.core.workbench().coverage(&c.id).await?;
    ctx.out.show(&report, |v| {
        Table::of(
            &[
                ("CHECK", "/check"),
                ("ENDPOINT", "/endpoint"),
                ("STATUS", "/status"),
                ("SCOPES", "/scopes"),
            ],
            &v["rows"],
            "nothing to check",
        )
    })
}
