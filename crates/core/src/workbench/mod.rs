//! The QA workbench (issue 11): personas in one click, the coverage matrix, the scenario
//! runner and the sandbox's controls, as one service over the others. The expected outcomes
//! come from the sandbox crate's table (`linkscope_sandbox::workbench`); nothing here restates
//! them.

pub mod controls;
pub mod coverage;
pub mod dto;
pub mod personas;
pub mod scenarios;
pub mod store;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use self::controls::{BuiltinSandbox, SandboxControls};
use self::dto::{
    CoverageReport, LinkAsPersonaInput, PersonaCatalog, ReportFormat, ScenarioRun, ScenarioRunInput,
};
use self::scenarios::ScenarioService;
use self::store::RunStore;
use crate::connections::lifecycle::LifecycleService;
use crate::connections::ConnectionService;
use crate::context::Shared;
use crate::data::views::DataService;
use crate::dto::Connection;
use crate::error::{Error, Result};
use crate::inspect::export::ExportFile;
use crate::link::sessions::LinkService;

/// The workbench service. Clone freely.
#[derive(Debug, Clone)]
pub struct Workbench {
    shared: Arc<Shared>,
    links: LinkService,
    connections: ConnectionService,
    data: DataService,
    lifecycle: LifecycleService,
    controls: SandboxControls,
    scenarios: ScenarioService,
    /// The last coverage report per connection, for its export.
    reports: Arc<Mutex<HashMap<String, CoverageReport>>>,
}

/// The services the workbench drives.
pub(crate) struct WorkbenchParts {
    pub shared: Arc<Shared>,
    pub links: LinkService,
    pub connections: ConnectionService,
    pub data: DataService,
    pub lifecycle: LifecycleService,
    pub builtin: Option<BuiltinSandbox>,
    /// The token of the standalone sandbox custom environments point at.
    pub standalone_control_token: Option<String>,
}

impl Workbench {
    /// Call inside Core's runtime (from [`crate::Core::start`]): runs are spawned on it.
    pub(crate) fn new(parts: WorkbenchParts) -> Result<Self> {
        let controls = SandboxControls::new(
            parts.shared.clone(),
            parts.builtin,
            parts.standalone_control_token,
        )?;
        let runs = RunStore::open_in(&parts.shared.config.data_dir)?;
        Ok(Self {
            shared: parts.shared,
            links: parts.links,
            connections: parts.connections,
            data: parts.data,
            lifecycle: parts.lifecycle,
            controls,
            scenarios: ScenarioService::new(runs, tokio::runtime::Handle::current()),
            reports: Arc::new(Mutex::new(HashMap::new())),
        })
    }

    /// The sandbox's clock, faults and journal.
    pub fn controls(&self) -> &SandboxControls {
        &self.controls
    }

    /// `list_personas`.
    pub fn personas(&self, environment_id: &str) -> Result<PersonaCatalog> {
        personas::catalog(&self.shared.store, &self.controls, environment_id)
    }

    /// `link_as_persona`.
    pub async fn link_as_persona(&self, input: &LinkAsPersonaInput) -> Result<Connection> {
        personas::PersonaLinker {
            links: &self.links,
            connections: &self.connections,
            data: &self.data,
            controls: &self.controls,
        }
        .link(input)
        .await
    }

    /// `run_coverage`: the matrix of one connection (kept for `export_coverage`).
    pub async fn coverage(&self, connection_id: &str) -> Result<CoverageReport> {
        let report = coverage::CoverageRunner {
            shared: &self.shared,
            connections: &self.connections,
        }
        .run(connection_id)
        .await?;
        if let Ok(mut reports) = self.reports.lock() {
            reports.insert(connection_id.to_owned(), report.clone());
        }
        Ok(report)
    }

    /// `export_coverage`: the connection's last matrix as Markdown or JSON (masked in presenter
    /// mode like every export).
    pub fn export_coverage(&self, connection_id: &str, format: ReportFormat) -> Result<ExportFile> {
        let report = self
            .reports
            .lock()
            .ok()
            .and_then(|r| r.get(connection_id).cloned())
            .ok_or_else(|| {
                Error::Validation("Run the coverage matrix first, then export it.".into())
            })?;
        let text = match format {
            ReportFormat::Markdown => coverage::to_markdown(&report),
            ReportFormat::Json => serde_json::to_string_pretty(&report)
                .map_err(|e| Error::Internal(format!("the matrix could not be serialized: {e}")))?,
            ReportFormat::Junit => {
                return Err(Error::Validation(
                    "A coverage matrix exports as Markdown or JSON; JUnit is for scenario runs."
                        .into(),
                ))
            }
        };
        Ok(ExportFile {
            file_name: format!(
                "coverage-{}.{}",
                slug(&report.connection_label),
                extension(format)
            ),
            content: self.mask(text),
        })
    }

    /// `start_scenario_run`.
    pub fn start_run(&self, input: ScenarioRunInput) -> Result<ScenarioRun> {
        self.scenarios.start(self.clone(), input)
    }

    /// A whole run, awaited (a CLI's `linkscope scenarios`, and tests).
    pub async fn run_scenarios(&self, input: ScenarioRunInput) -> Result<ScenarioRun> {
        self.scenarios.run(self.clone(), input).await
    }

    /// `cancel_scenario_run`.
    pub fn cancel_run(&self, run_id: &str) -> Result<ScenarioRun> {
        self.scenarios.cancel(run_id)
    }

    /// `get_scenario_run`.
    pub fn get_run(&self, run_id: &str) -> Result<ScenarioRun> {
        self.scenarios.get(run_id)
    }

    /// `list_scenario_runs`.
    pub fn list_runs(&self, environment_id: &str) -> Result<Vec<ScenarioRun>> {
        self.scenarios.list(environment_id)
    }

    /// `export_scenario_run`.
    pub fn export_run(&self, run_id: &str, format: ReportFormat) -> Result<ExportFile> {
        let run = self.scenarios.get(run_id)?;
        let stamp: String = run
            .started_at
            .chars()
            .filter(char::is_ascii_digit)
            .take(14)
            .collect();
        Ok(ExportFile {
            file_name: format!("scenarios-{stamp}.{}", extension(format)),
            content: self.mask(self.scenarios.export(run_id, format)?),
        })
    }

    fn mask(&self, text: String) -> String {
        if self.shared.presenter_mode() {
            crate::inspect::mask::mask_text(&text)
        } else {
            text
        }
    }
}

/// A file extension per format (JUnit is XML).
fn extension(format: ReportFormat) -> &'static str {
    match format {
        ReportFormat::Markdown => "md",
        ReportFormat::Json => "json",
        ReportFormat::Junit => "xml",
    }
}

/// A label fit for a file name (`John Doe · Mock` → `john-doe-mock`).
fn slug(label: &str) -> String {
    let words: Vec<String> = label
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        "connection".to_owned()
    } else {
        words.join("-")
    }
}
