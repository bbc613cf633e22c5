//! The scenario runner: for every persona of the sandbox's table, link it in one click, run the
//! coverage matrix, then refresh, extend and revoke, and compare each check's outcome with the
//! outcome the table expects. Runs in the background (progress events, cancel), persisted with
//! the app version and the sandbox seed, compared with the previous run, exported as JUnit XML,
//! Markdown or JSON. GUI-free, so a CLI can drive [`ScenarioService::run`] as well.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use linkscope_sandbox::workbench::{self as table, Check, Outcome, PersonaSpec};
use tokio::task::JoinHandle;

use super::coverage::CoverageRunner;
use super::dto::{
    CaseResult, CellStatus, CoverageReport, LinkAsPersonaInput, OutcomeView, PersonaRun,
    ReportFormat, RunStatus, ScenarioProgressEvent, ScenarioRun, ScenarioRunInput,
};
use super::store::RunStore;
use super::Workbench;
use crate::context::CoreEvent;
use crate::dto::{ExtendOutcome, RedirectKind};
use crate::error::{Error, Result};

/// The scenario runs. Clone freely.
#[derive(Debug, Clone)]
pub struct ScenarioService {
    inner: Arc<ScenarioInner>,
}

#[derive(Debug)]
struct ScenarioInner {
    store: RunStore,
    /// Core's runtime: runs are spawned on it whichever thread starts them (the shell's
    /// synchronous commands run outside any runtime).
    runtime: tokio::runtime::Handle,
    running: Mutex<HashMap<String, Running>>,
}

#[derive(Debug)]
struct Running {
    run: Arc<Mutex<ScenarioRun>>,
    task: JoinHandle<()>,
}

impl ScenarioService {
    pub(crate) fn new(store: RunStore, runtime: tokio::runtime::Handle) -> Self {
        Self {
            inner: Arc::new(ScenarioInner {
                store,
                runtime,
                running: Mutex::new(HashMap::new()),
            }),
        }
    }

    fn running(&self) -> std::sync::MutexGuard<'_, HashMap<String, Running>> {
        match self.inner.running.lock() {
            Ok(r) => r,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// `start_scenario_run`: checks the input, saves the run as running and works through it
    /// in the background (`scenarios://progress` after each persona).
    pub(crate) fn start(&self, bench: Workbench, input: ScenarioRunInput) -> Result<ScenarioRun> {
        let personas = chosen(&input)?;
        if !bench.controls.available(&input.environment_id)? {
            return Err(Error::Validation(
                "Scenario runs need a Linkscope sandbox (built-in, or a custom environment \
                 pointing at linkscope-sandbox): they link every persona without a browser."
                    .into(),
            ));
        }
        let run = Arc::new(Mutex::new(new_run(&bench, &input)));
        let snapshot = lock(&run).clone();
        self.inner.store.save(&snapshot)?;
        let this = self.clone();
        let shared_run = run.clone();
        let task = self.inner.runtime.spawn(async move {
            this.work(&bench, &shared_run, personas).await;
        });
        self.running()
            .insert(snapshot.id.clone(), Running { run, task });
        Ok(snapshot)
    }

    /// Runs a suite to the end (for a CLI and tests): same work as [`Self::start`], awaited.
    pub(crate) async fn run(
        &self,
        bench: Workbench,
        input: ScenarioRunInput,
    ) -> Result<ScenarioRun> {
        let started = self.start(bench, input)?;
        let task = self.running().remove(&started.id).map(|r| r.task);
        if let Some(task) = task {
            task.await
                .map_err(|e| Error::Internal(format!("the scenario run stopped: {e}")))?;
        }
        self.get(&started.id)
    }

    /// `cancel_scenario_run`: stops the run where it is; what finished is kept. Cancelling a
    /// finished run changes nothing.
    pub fn cancel(&self, run_id: &str) -> Result<ScenarioRun> {
        let Some(running) = self.running().remove(run_id) else {
            return self.get(run_id);
        };
        running.task.abort();
        let mut run = lock(&running.run).clone();
        if run.status == RunStatus::Running {
            run.status = RunStatus::Cancelled;
            run.finished_at = Some(crate::now_rfc3339());
            self.inner.store.save(&run)?;
        }
        Ok(run)
    }

    /// `get_scenario_run`: the run as it is now (live while it runs).
    pub fn get(&self, run_id: &str) -> Result<ScenarioRun> {
        if let Some(running) = self.running().get(run_id) {
            return Ok(lock(&running.run).clone());
        }
        self.inner
            .store
            .get(run_id)?
            .ok_or_else(|| Error::NotFound {
                what: "scenario run",
                id: run_id.to_owned(),
            })
    }

    /// `list_scenario_runs`: an environment's runs, newest first.
    pub fn list(&self, environment_id: &str) -> Result<Vec<ScenarioRun>> {
        self.inner.store.list(environment_id)
    }

    /// `export_scenario_run`.
    pub fn export(&self, run_id: &str, format: ReportFormat) -> Result<String> {
        let run = self.get(run_id)?;
        Ok(match format {
            ReportFormat::Junit => to_junit(&run),
            ReportFormat::Markdown => to_markdown(&run),
            ReportFormat::Json => serde_json::to_string_pretty(&run)
                .map_err(|e| Error::Internal(format!("the run could not be serialized: {e}")))?,
        })
    }

    async fn work(
        &self,
        bench: &Workbench,
        run: &Arc<Mutex<ScenarioRun>>,
        personas: Vec<PersonaSpec>,
    ) {
        let started = Instant::now();
        let (run_id, environment_id) = {
            let r = lock(run);
            (r.id.clone(), r.environment_id.clone())
        };
        let total = u32::try_from(personas.len()).unwrap_or(u32::MAX);
        for (done, spec) in personas.iter().enumerate() {
            let result = persona_run(bench, &environment_id, spec).await;
            let snapshot = {
                let mut r = lock(run);
                r.total += u32::try_from(result.cases.len()).unwrap_or(u32::MAX);
                r.failures += u32::try_from(result.cases.iter().filter(|c| !c.passed).count())
                    .unwrap_or(u32::MAX);
                r.personas.push(result);
                r.duration_ms = millis(started);
                r.clone()
            };
            if let Err(e) = self.inner.store.save(&snapshot) {
                tracing::warn!(error = %e, "could not save a scenario run's progress");
            }
            bench
                .shared
                .emit(CoreEvent::ScenarioProgress(ScenarioProgressEvent {
                    run_id: run_id.clone(),
                    done: u32::try_from(done + 1).unwrap_or(u32::MAX),
                    total,
                    persona_key: spec.key(),
                    status: RunStatus::Running,
                }));
        }
        let finished = {
            let mut r = lock(run);
            r.status = if r.failures == 0 {
                RunStatus::Passed
            } else {
                RunStatus::Failed
            };
            r.finished_at = Some(crate::now_rfc3339());
            r.duration_ms = millis(started);
            if let Ok(Some(previous)) = self.inner.store.previous(&r.environment_id, &r.id) {
                r.changed_since_previous = Some(changed(&previous, &r));
                r.previous_run_id = Some(previous.id);
            }
            r.clone()
        };
        if let Err(e) = self.inner.store.save(&finished) {
            tracing::warn!(error = %e, "could not save a finished scenario run");
        }
        self.running().remove(&run_id);
        bench
            .shared
            .emit(CoreEvent::ScenarioProgress(ScenarioProgressEvent {
                run_id,
                done: total,
                total,
                persona_key: String::new(),
                status: finished.status,
            }));
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

fn millis(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The personas asked for, in table order; an unknown key is refused.
fn chosen(input: &ScenarioRunInput) -> Result<Vec<PersonaSpec>> {
    let all = table::personas();
    if input.persona_keys.is_empty() {
        return Ok(all);
    }
    if let Some(unknown) = input
        .persona_keys
        .iter()
        .find(|k| !all.iter().any(|p| &p.key() == *k))
    {
        return Err(Error::Validation(format!(
            "\"{unknown}\" is not one of the sandbox's personas."
        )));
    }
    Ok(all
        .into_iter()
        .filter(|p| input.persona_keys.contains(&p.key()))
        .collect())
}

fn new_run(bench: &Workbench, input: &ScenarioRunInput) -> ScenarioRun {
    ScenarioRun {
        id: uuid::Uuid::new_v4().to_string(),
        environment_id: input.environment_id.clone(),
        status: RunStatus::Running,
        started_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        finished_at: None,
        duration_ms: 0,
        app_version: bench.shared.config.version.clone(),
        sandbox_seed: bench.controls.seed(&input.environment_id),
        personas: Vec::new(),
        total: 0,
        failures: 0,
        changed_since_previous: None,
        previous_run_id: None,
    }
}

/// One persona: link → matrix → refresh → extend → revoke (then forget the connection; its
/// exchanges stay in the inspector), every check compared with the table.
async fn persona_run(bench: &Workbench, environment_id: &str, spec: &PersonaSpec) -> PersonaRun {
    let started = Instant::now();
    let key = spec.key();
    let linked = bench
        .link_as_persona(&LinkAsPersonaInput {
            environment_id: environment_id.to_owned(),
            persona_key: key.clone(),
            scopes: Vec::new(),
        })
        .await;
    let connection = match linked {
        Ok(c) => c,
        Err(e) => {
            let why = format!("could not link: {e}");
            let cases = Check::ALL
                .iter()
                .map(|c| {
                    case(
                        spec,
                        *c,
                        failed_outcome(&e),
                        0,
                        Vec::new(),
                        Some(why.clone()),
                    )
                })
                .collect();
            return PersonaRun {
                persona_key: key,
                label: spec.username(),
                passed: false,
                duration_ms: millis(started),
                cases,
                link_error: Some(why),
            };
        }
    };
    let id = connection.id.clone();
    let mut cases = Vec::new();

    let matrix_started = Instant::now();
    let matrix = CoverageRunner {
        shared: &bench.shared,
        connections: &bench.connections,
    }
    .run(&id)
    .await;
    let matrix_ms = millis(matrix_started);
    for check in Check::DATA {
        cases.push(match &matrix {
            Ok(report) => data_case(spec, check, report),
            Err(e) => case(
                spec,
                check,
                failed_outcome(e),
                matrix_ms,
                Vec::new(),
                Some(e.to_string()),
            ),
        });
    }

    let t = Instant::now();
    let refreshed = bench.connections.refresh(&id).await;
    cases.push(match refreshed {
        Ok(_) => case(
            spec,
            Check::Refresh,
            Outcome::Ok,
            millis(t),
            Vec::new(),
            None,
        ),
        Err(e) => lifecycle_failure(spec, Check::Refresh, &e, millis(t)),
    });

    let t = Instant::now();
    let extended = bench.lifecycle.extend(&id, RedirectKind::DeepLink).await;
    cases.push(match extended {
        Ok(outcome) => {
            let result = match outcome {
                ExtendOutcome::Renewed { .. } => "no_action_needed".to_owned(),
                ExtendOutcome::UserInputNeeded { action, preview } => {
                    // Nobody will act on the user-input link: end its session now.
                    if let Err(e) = bench.links.cancel(&preview.session_id).await {
                        tracing::debug!(error = %e, "an extend link could not be cancelled");
                    }
                    serde_json::to_value(action)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                }
            };
            case(
                spec,
                Check::Extend,
                Outcome::Answered { result },
                millis(t),
                Vec::new(),
                None,
            )
        }
        Err(e) => lifecycle_failure(spec, Check::Extend, &e, millis(t)),
    });

    let t = Instant::now();
    let revoked = bench.lifecycle.revoke(&id).await;
    cases.push(match revoked {
        Ok(_) => case(
            spec,
            Check::Revoke,
            Outcome::Ok,
            millis(t),
            Vec::new(),
            None,
        ),
        Err(e) => lifecycle_failure(spec, Check::Revoke, &e, millis(t)),
    });
    if let Err(e) = bench.lifecycle.forget(&id).await {
        tracing::warn!(error = %e, "a scenario's connection could not be forgotten");
    }

    PersonaRun {
        persona_key: key,
        label: connection.label,
        passed: cases.iter().all(|c| c.passed),
        duration_ms: millis(started),
        cases,
        link_error: None,
    }
}

/// What a check's row of the matrix amounts to: the first cell that did not succeed, else ok
/// (or the answer, for Signup+).
fn data_case(spec: &PersonaSpec, check: Check, report: &CoverageReport) -> CaseResult {
    let row = report.rows.iter().find(|r| r.check == check.id());
    let Some(row) = row else {
        return case(spec, check, Outcome::NotRun, 0, Vec::new(), None);
    };
    let trace_ids: Vec<String> = row
        .cells
        .iter()
        .filter_map(|c| c.trace_id.clone())
        .collect();
    let duration_ms = row.cells.iter().map(|c| c.duration_ms).max().unwrap_or(0);
    let failing = row
        .cells
        .iter()
        .find(|c| !matches!(c.status, CellStatus::Supported));
    let (actual, message) = match failing {
        None => match row.cells.iter().find_map(|c| c.result.clone()) {
            Some(result) => (Outcome::Answered { result }, None),
            None => (Outcome::Ok, None),
        },
        Some(cell) => match cell.status {
            CellStatus::NotRun | CellStatus::ScopeMissing => (Outcome::NotRun, None),
            _ => (
                Outcome::Error {
                    status: cell.http_status.unwrap_or(0),
                    code: cell.error_code.clone().unwrap_or_default(),
                },
                cell.message.clone(),
            ),
        },
    };
    case(spec, check, actual, duration_ms, trace_ids, message)
}

fn lifecycle_failure(spec: &PersonaSpec, check: Check, e: &Error, duration_ms: u64) -> CaseResult {
    let trace = e
        .to_api_error()
        .detail
        .and_then(|d| d.trace_id)
        .into_iter()
        .collect();
    case(
        spec,
        check,
        failed_outcome(e),
        duration_ms,
        trace,
        Some(e.to_string()),
    )
}

/// An error as an outcome: TrueLayer's status and code when it has them.
fn failed_outcome(e: &Error) -> Outcome {
    let api = e.to_api_error();
    let detail = api.detail.unwrap_or_default();
    Outcome::Error {
        status: detail.status.unwrap_or(0),
        code: detail.tl_error.unwrap_or_else(|| {
            serde_json::to_value(api.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        }),
    }
}

fn case(
    spec: &PersonaSpec,
    check: Check,
    actual: Outcome,
    duration_ms: u64,
    trace_ids: Vec<String>,
    message: Option<String>,
) -> CaseResult {
    let expected = spec.expected(check);
    let passed = expected == actual;
    CaseResult {
        check: check.id().to_owned(),
        endpoint: check.endpoint().to_owned(),
        expected: OutcomeView::from(&expected),
        actual: OutcomeView::from(&actual),
        passed,
        duration_ms,
        trace_ids,
        message: if passed { None } else { message },
    }
}

/// How many (persona, check) cases passed in one run and failed in the other, or the reverse.
fn changed(previous: &ScenarioRun, run: &ScenarioRun) -> u32 {
    let before: HashMap<(&str, &str), bool> = previous
        .personas
        .iter()
        .flat_map(|p| {
            p.cases
                .iter()
                .map(move |c| ((p.persona_key.as_str(), c.check.as_str()), c.passed))
        })
        .collect();
    let n = run
        .personas
        .iter()
        .flat_map(|p| {
            p.cases
                .iter()
                .map(move |c| ((p.persona_key.as_str(), c.check.as_str()), c.passed))
        })
        .filter(|(k, passed)| before.get(k).is_some_and(|b| b != passed))
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn seconds(ms: u64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

/// JUnit XML: one `testsuite` per persona, one `testcase` per check.
pub fn to_junit(run: &ScenarioRun) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"Linkscope scenarios\" tests=\"{}\" failures=\"{}\" time=\"{}\">\n",
        run.total,
        run.failures,
        seconds(run.duration_ms)
    );
    for persona in &run.personas {
        let failures = persona.cases.iter().filter(|c| !c.passed).count();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" time=\"{}\">\n",
            xml(&persona.persona_key),
            persona.cases.len(),
            seconds(persona.duration_ms)
        ));
        out.push_str(&format!(
            "    <properties><property name=\"app_version\" value=\"{}\"/><property name=\"sandbox_seed\" value=\"{}\"/><property name=\"label\" value=\"{}\"/></properties>\n",
            xml(&run.app_version),
            run.sandbox_seed.map(|s| s.to_string()).unwrap_or_default(),
            xml(&persona.label)
        ));
        for c in &persona.cases {
            let name = format!("{} {}", c.check, c.endpoint);
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"",
                xml(&persona.persona_key),
                xml(&name),
                seconds(c.duration_ms)
            ));
            if c.passed {
                out.push_str("/>\n");
            } else {
                out.push_str(&format!(
                    ">\n      <failure message=\"expected {}, got {}\">expected: {}\nactual: {}\ntrace ids: {}\n{}</failure>\n    </testcase>\n",
                    xml(&c.expected.text),
                    xml(&c.actual.text),
                    xml(&c.expected.text),
                    xml(&c.actual.text),
                    xml(&c.trace_ids.join(", ")),
                    xml(c.message.as_deref().unwrap_or_default())
                ));
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Markdown: a summary line, then one table per persona (failures first in each).
pub fn to_markdown(run: &ScenarioRun) -> String {
    let mut out = format!(
        "# Scenario run {}\n\n{} · {} of {} checks passed · {} ms · app {} · sandbox seed {}\n",
        run.started_at,
        run.status.as_str(),
        run.total.saturating_sub(run.failures),
        run.total,
        run.duration_ms,
        run.app_version,
        run.sandbox_seed
            .map(|s| s.to_string())
            .unwrap_or_else(|| "unknown".into())
    );
    if let Some(n) = run.changed_since_previous {
        out.push_str(&format!("{n} changed since the previous run.\n"));
    }
    for persona in &run.personas {
        out.push_str(&format!(
            "\n## {} `{}` · {} · {} ms\n\n| Check | Expected | Actual | Result | Trace ids |\n|---|---|---|---|---|\n",
            persona.label,
            persona.persona_key,
            if persona.passed { "pass" } else { "FAIL" },
            persona.duration_ms
        ));
        let mut cases: Vec<&CaseResult> = persona.cases.iter().collect();
        cases.sort_by_key(|c| c.passed);
        for c in cases {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                c.check,
                c.expected.text,
                c.actual.text,
                if c.passed { "pass" } else { "FAIL" },
                c.trace_ids.join(" ")
            ));
        }
    }
    out
}
