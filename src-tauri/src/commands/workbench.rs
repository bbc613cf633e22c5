//! The QA workbench: personas in one click, the coverage matrix, scenario runs and the
//! sandbox's controls (clock, faults, journal).

use linkscope_core::dto::Connection;
use linkscope_core::workbench::dto::{
    CoverageReport, FaultInput, LinkAsPersonaInput, PersonaCatalog, ReportFormat, SandboxClock,
    SandboxFaults, SandboxJournal, ScenarioRun, ScenarioRunInput,
};
use tauri::{AppHandle, Runtime};

use super::exports::save;
use crate::error::Result;
use crate::LinkscopeExt;

#[tauri::command(async)]
pub fn list_personas<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
) -> Result<PersonaCatalog> {
    Ok(app.linkscope().workbench().personas(&environment_id)?)
}

#[tauri::command]
pub async fn link_as_persona<R: Runtime>(
    app: AppHandle<R>,
    input: LinkAsPersonaInput,
) -> Result<Connection> {
    Ok(app.linkscope().workbench().link_as_persona(&input).await?)
}

/// Progress arrives as `coverage://progress` events.
#[tauri::command]
pub async fn run_coverage<R: Runtime>(
    app: AppHandle<R>,
    connection_id: String,
) -> Result<CoverageReport> {
    Ok(app.linkscope().workbench().coverage(&connection_id).await?)
}

/// Saves the connection's last matrix; `None` when the user cancels the save dialog.
#[tauri::command]
pub async fn export_coverage<R: Runtime>(
    app: AppHandle<R>,
    connection_id: String,
    format: ReportFormat,
) -> Result<Option<String>> {
    let file = app
        .linkscope()
        .workbench()
        .export_coverage(&connection_id, format)?;
    save(&app, file).await
}

/// Starts a run in the background; progress arrives as `scenarios://progress` events.
#[tauri::command(async)]
pub fn start_scenario_run<R: Runtime>(
    app: AppHandle<R>,
    input: ScenarioRunInput,
) -> Result<ScenarioRun> {
    Ok(app.linkscope().workbench().start_run(input)?)
}

#[tauri::command(async)]
pub fn cancel_scenario_run<R: Runtime>(app: AppHandle<R>, run_id: String) -> Result<ScenarioRun> {
    Ok(app.linkscope().workbench().cancel_run(&run_id)?)
}

#[tauri::command(async)]
pub fn get_scenario_run<R: Runtime>(app: AppHandle<R>, run_id: String) -> Result<ScenarioRun> {
    Ok(app.linkscope().workbench().get_run(&run_id)?)
}

#[tauri::command(async)]
pub fn list_scenario_runs<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
) -> Result<Vec<ScenarioRun>> {
    Ok(app.linkscope().workbench().list_runs(&environment_id)?)
}

/// Saves a run as JUnit XML, Markdown or JSON; `None` when the user cancels the save dialog.
#[tauri::command]
pub async fn export_scenario_run<R: Runtime>(
    app: AppHandle<R>,
    run_id: String,
    format: ReportFormat,
) -> Result<Option<String>> {
    let file = app.linkscope().workbench().export_run(&run_id, format)?;
    save(&app, file).await
}

#[tauri::command]
pub async fn get_sandbox_clock<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
) -> Result<SandboxClock> {
    Ok(app
        .linkscope()
        .workbench()
        .controls()
        .clock(&environment_id)
        .await?)
}

#[tauri::command]
pub async fn advance_sandbox_clock<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
    seconds: u64,
) -> Result<SandboxClock> {
    let controls = app.linkscope().workbench().controls();
    Ok(controls.advance_clock(&environment_id, seconds).await?)
}

#[tauri::command]
pub async fn list_sandbox_faults<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
) -> Result<SandboxFaults> {
    Ok(app
        .linkscope()
        .workbench()
        .controls()
        .faults(&environment_id)
        .await?)
}

#[tauri::command]
pub async fn add_sandbox_fault<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
    fault: FaultInput,
) -> Result<SandboxFaults> {
    let controls = app.linkscope().workbench().controls();
    Ok(controls.add_fault(&environment_id, fault).await?)
}

#[tauri::command]
pub async fn clear_sandbox_faults<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
) -> Result<SandboxFaults> {
    Ok(app
        .linkscope()
        .workbench()
        .controls()
        .clear_faults(&environment_id)
        .await?)
}

#[tauri::command]
pub async fn get_sandbox_journal<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
) -> Result<SandboxJournal> {
    Ok(app
        .linkscope()
        .workbench()
        .controls()
        .journal(&environment_id)
        .await?)
}

#[tauri::command]
pub async fn tamper_next_webhook<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
) -> Result<bool> {
    Ok(app
        .linkscope()
        .workbench()
        .controls()
        .tamper_next_webhook(&environment_id)
        .await?)
}

#[tauri::command]
pub async fn register_console_webhook<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
) -> Result<String> {
    Ok(app
        .linkscope()
        .workbench()
        .controls()
        .register_console_webhook(&environment_id)
        .await?)
}
