//! The QA workbench against the real built-in sandbox: personas linked in one click, the
//! coverage matrix, scenario runs compared with the sandbox's table, and the sandbox controls.

use linkscope_core::dto::{EnvironmentInput, EnvironmentKind, RequestFilter, RequestStatusFilter};
use linkscope_core::workbench::dto::{
    CellStatus, FaultInput, LinkAsPersonaInput, ReportFormat, RunStatus, ScenarioRunInput,
};
use linkscope_sandbox::workbench::{self as table, Check};

use crate::support::{self, start};

fn persona(key: &str) -> LinkAsPersonaInput {
    LinkAsPersonaInput {
        environment_id: "builtin".into(),
        persona_key: key.into(),
        scopes: Vec::new(),
    }
}

fn suite(keys: &[&str]) -> ScenarioRunInput {
    ScenarioRunInput {
        environment_id: "builtin".into(),
        persona_keys: keys.iter().map(|k| (*k).to_owned()).collect(),
    }
}

#[tokio::test]
async fn the_persona_list_is_the_sandbox_table_grouped_and_automated_in_the_builtin_sandbox() {
    let h = start().await;
    let catalog = h.core.workbench().personas("builtin").unwrap();
    assert!(
        catalog.automated,
        "the built-in sandbox has the authorize control"
    );
    let keys: Vec<String> = catalog
        .groups
        .iter()
        .flat_map(|g| g.personas.iter().map(|p| p.key.clone()))
        .collect();
    let table_keys: Vec<String> = table::personas().iter().map(|p| p.key()).collect();
    assert_eq!(keys, table_keys, "one source of truth, in table order");
    let provider_error = catalog
        .groups
        .iter()
        .flat_map(|g| &g.personas)
        .find(|p| p.key == "error.provider_error:error")
        .unwrap();
    let accounts = provider_error
        .expected
        .iter()
        .find(|e| e.check == "accounts")
        .unwrap();
    assert_eq!(accounts.outcome.text, "503 provider_error");
}

#[tokio::test]
async fn linking_as_a_persona_needs_no_browser_and_labels_the_connection_by_who_it_is() {
    let h = start().await;
    let wb = h.core.workbench();
    let john = wb.link_as_persona(&persona("john:doe")).await.unwrap();
    assert_eq!(
        john.label, "John Doe · Mock",
        "the holder's name from /info"
    );
    let failing = wb
        .link_as_persona(&persona("error.provider_error:error"))
        .await
        .unwrap();
    assert_eq!(
        failing.label, "error.provider_error · Mock",
        "/info fails for an error user: the login names it"
    );
    let dense = wb
        .link_as_persona(&persona("john.dense:dense"))
        .await
        .unwrap();
    assert!(dense.label.ends_with(" · Mock"), "{}", dense.label);

    h.core.flush_request_log().await;
    let requests = h
        .core
        .requests()
        .list(RequestFilter {
            connection_id: None,
            status: RequestStatusFilter::All,
            endpoint: Some("/__sandbox/authorize".into()),
            text: None,
            limit: 100,
        })
        .await
        .unwrap();
    let automated: Vec<_> = requests
        .iter()
        .filter(|r| r.endpoint == "/__sandbox/authorize")
        .collect();
    assert_eq!(
        automated.len(),
        3,
        "each automated dialog is in the inspector"
    );
    let detail = h.core.requests().get(&automated[0].id).await.unwrap();
    let text = serde_json::to_string(&detail).unwrap();
    assert!(
        text.contains("x-linkscope-automation"),
        "marked as automated"
    );
    for (at, _) in text.match_indices("code=") {
        let value = &text[at + 5..];
        assert!(
            value.starts_with("%5Bredacted%5D") || value.starts_with("[redacted]"),
            "the code never reaches the inspector: {text}"
        );
    }
    assert!(
        text.contains("redacted"),
        "the redirect was recorded, redacted"
    );
}

#[tokio::test]
async fn an_unknown_persona_or_an_environment_without_controls_is_refused_and_nothing_is_linked() {
    let h = start().await;
    let tl_sandbox = h
        .core
        .environments()
        .save(EnvironmentInput {
            id: None,
            name: "TrueLayer sandbox".into(),
            kind: EnvironmentKind::TruelayerSandbox,
            auth_url: "https://auth.truelayer-sandbox.com".into(),
            api_url: "https://api.truelayer-sandbox.com".into(),
            client_id: "sandbox-linkscope".into(),
            client_secret: None,
            redirect_uris: vec!["linkscope-dev://callback".into()],
            marked_live: false,
            sandbox_control_token: None,
            confirm_secrets_reset: false,
        })
        .await
        .unwrap()
        .id;
    let wb = h.core.workbench();
    let err = wb.link_as_persona(&persona("jane:doe")).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("not one of the sandbox's personas"),
        "{err}"
    );
    let err = wb
        .link_as_persona(&LinkAsPersonaInput {
            environment_id: tl_sandbox.clone(),
            ..persona("john:doe")
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Linkscope sandbox"), "{err}");
    assert!(h.core.connections().list().await.unwrap().is_empty());
    let tl = wb.personas(&tl_sandbox).unwrap();
    assert!(!tl.automated, "TrueLayer's sandbox: copy, not automate");
    assert!(
        tl.groups.iter().all(|g| g.id != "dense_history"),
        "john.dense is a Linkscope addition"
    );
}

#[tokio::test]
async fn the_coverage_matrix_counts_every_endpoint_and_marks_missing_scopes_without_calling() {
    let h = start().await;
    let wb = h.core.workbench();
    let john = wb.link_as_persona(&persona("john:doe")).await.unwrap();
    let report = wb.coverage(&john.id).await.unwrap();
    assert_eq!(report.rows.len(), Check::DATA.len());
    for row in &report.rows {
        assert_eq!(row.status, CellStatus::Supported, "{row:?}");
    }
    let balance = report.rows.iter().find(|r| r.check == "balance").unwrap();
    let accounts = report.rows.iter().find(|r| r.check == "accounts").unwrap();
    assert_eq!(
        balance.cells.len() as u32,
        accounts.cells[0].count.unwrap(),
        "one balance call per account"
    );

    let no_cards = wb
        .link_as_persona(&LinkAsPersonaInput {
            scopes: vec!["info".into(), "accounts".into(), "balance".into()],
            ..persona("john:doe")
        })
        .await
        .unwrap();
    support::clear_sandbox_requests(&h.core).await;
    let report = wb.coverage(&no_cards.id).await.unwrap();
    for check in ["cards", "card_balance", "card_transactions", "transactions"] {
        let row = report.rows.iter().find(|r| r.check == check).unwrap();
        assert_eq!(row.status, CellStatus::ScopeMissing, "{check}");
    }
    let seen = support::sandbox_requests(&h.core).await;
    assert_eq!(
        support::count(&seen, "/data/v1/cards", None),
        0,
        "not called"
    );
    let md = String::from(
        wb.export_coverage(&no_cards.id, ReportFormat::Markdown)
            .unwrap()
            .content
            .as_str(),
    );
    assert!(md.contains("scope missing"), "{md}");
}

#[tokio::test]
async fn an_error_persona_cell_carries_its_code_and_trace_id() {
    let h = start().await;
    let wb = h.core.workbench();
    let c = wb
        .link_as_persona(&persona("error.internal_error:error"))
        .await
        .unwrap();
    let report = wb.coverage(&c.id).await.unwrap();
    let accounts = report.rows.iter().find(|r| r.check == "accounts").unwrap();
    assert_eq!(accounts.status, CellStatus::Error);
    let cell = &accounts.cells[0];
    assert_eq!(
        (cell.http_status, cell.error_code.as_deref()),
        (Some(500), Some("internal_error"))
    );
    assert!(
        cell.trace_id.is_some(),
        "to find the exchange in the inspector"
    );
    let balance = report.rows.iter().find(|r| r.check == "balance").unwrap();
    assert_eq!(
        balance.status,
        CellStatus::NotRun,
        "no accounts to call it on"
    );
}

#[tokio::test]
async fn the_full_scenario_suite_passes_against_the_table_and_exports_junit() {
    let h = start().await;
    let wb = h.core.workbench();
    let started = std::time::Instant::now();
    let run = wb.run_scenarios(suite(&[])).await.unwrap();
    eprintln!(
        "scenario suite: {} personas, {} checks, {:?}",
        run.personas.len(),
        run.total,
        started.elapsed()
    );
    let failures: Vec<String> = run
        .personas
        .iter()
        .flat_map(|p| {
            p.cases.iter().filter(|c| !c.passed).map(move |c| {
                format!(
                    "{} {}: expected {}, got {} ({:?})",
                    p.persona_key, c.check, c.expected.text, c.actual.text, c.message
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(run.status, RunStatus::Passed);
    let personas = table::personas().len();
    assert_eq!(run.total as usize, personas * Check::ALL.len());
    assert_eq!(run.sandbox_seed, h.core.sandbox().map(|s| s.state().seed));
    let junit = wb.export_run(&run.id, ReportFormat::Junit).unwrap().content;
    assert!(junit.contains(&format!(
        "tests=\"{}\" failures=\"0\"",
        personas * Check::ALL.len()
    )));
    assert_eq!(
        junit.matches("<testcase ").count(),
        personas * Check::ALL.len()
    );
    assert!(
        h.core.connections().list().await.unwrap().is_empty(),
        "every scenario's connection is revoked and forgotten"
    );
    assert_eq!(wb.list_runs("builtin").unwrap()[0].id, run.id, "persisted");
}

#[tokio::test]
async fn an_injected_503_fails_the_scenario_with_expected_and_actual_then_a_rerun_passes() {
    let h = start().await;
    let wb = h.core.workbench();
    let controls = wb.controls();
    controls
        .add_fault(
            "builtin",
            FaultInput {
                path: "/data/v1/accounts".into(),
                status: Some(503),
                error: None,
                retry_after: None,
                times: Some(50),
                latency_ms: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(controls.faults("builtin").await.unwrap().faults.len(), 1);
    let failed = wb.run_scenarios(suite(&["john:doe"])).await.unwrap();
    assert_eq!(failed.status, RunStatus::Failed);
    let case = failed.personas[0]
        .cases
        .iter()
        .find(|c| c.check == "accounts")
        .unwrap();
    assert!(!case.passed);
    assert_eq!(case.expected.text, "ok");
    assert!(case.actual.text.starts_with("503 "), "{}", case.actual.text);
    let junit = wb
        .export_run(&failed.id, ReportFormat::Junit)
        .unwrap()
        .content;
    assert!(
        junit.contains("<failure message=\"expected ok, got 503"),
        "{junit}"
    );

    assert!(controls
        .clear_faults("builtin")
        .await
        .unwrap()
        .faults
        .is_empty());
    let passed = wb.run_scenarios(suite(&["john:doe"])).await.unwrap();
    assert_eq!(passed.status, RunStatus::Passed);
    assert_eq!(passed.previous_run_id.as_deref(), Some(failed.id.as_str()));
    assert!(
        passed.changed_since_previous.unwrap() >= 1,
        "the fixed cases changed"
    );
}

#[tokio::test]
async fn a_cancelled_run_stops_and_says_so() {
    let h = start().await;
    let wb = h.core.workbench();
    let run = wb.start_run(suite(&[])).unwrap();
    assert_eq!(run.status, RunStatus::Running);
    let cancelled = wb.cancel_run(&run.id).unwrap();
    assert_eq!(cancelled.status, RunStatus::Cancelled);
    assert_eq!(wb.get_run(&run.id).unwrap().status, RunStatus::Cancelled);
    let err = wb.start_run(suite(&["nobody:doe"])).unwrap_err();
    assert!(err.to_string().contains("not one of"), "{err}");
}

#[tokio::test]
async fn the_clock_moves_forward_only_and_an_expired_token_is_refreshed_once_on_the_next_call() {
    let h = start().await;
    let wb = h.core.workbench();
    let john = wb.link_as_persona(&persona("john:doe")).await.unwrap();
    let before = wb.controls().clock("builtin").await.unwrap();
    let after = wb
        .controls()
        .advance_clock("builtin", 61 * 60)
        .await
        .unwrap();
    assert_eq!(after.offset_seconds - before.offset_seconds, 61 * 60);
    support::clear_sandbox_requests(&h.core).await;
    h.core.accounts().list(&john.id).await.unwrap();
    let seen = support::sandbox_requests(&h.core).await;
    assert_eq!(
        support::count(&seen, "/connect/token", None),
        1,
        "one refresh after the token expired in sandbox time"
    );
    let journal = wb.controls().journal("builtin").await.unwrap();
    assert!(!journal.requests.is_empty());
    let err = wb
        .controls()
        .add_fault(
            "builtin",
            FaultInput {
                path: "data/v1/accounts".into(),
                status: Some(503),
                error: None,
                retry_after: None,
                times: None,
                latency_ms: None,
            },
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("must start with /"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_started_from_a_thread_outside_any_runtime_runs_on_cores_runtime() {
    let h = start().await;
    let wb = h.core.workbench().clone();
    // The shell's synchronous commands run on a thread with no Tokio runtime.
    let started = std::thread::spawn(move || wb.start_run(suite(&["john:eternal"])))
        .join()
        .unwrap()
        .unwrap();
    let wb = h.core.workbench();
    let mut run = wb.get_run(&started.id).unwrap();
    for _ in 0..200 {
        if run.status != RunStatus::Running {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        run = wb.get_run(&started.id).unwrap();
    }
    assert_eq!(run.status, RunStatus::Passed, "{run:?}");
    let extend = run.personas[0]
        .cases
        .iter()
        .find(|c| c.check == "extend")
        .unwrap();
    assert_eq!(extend.actual.text, "no_action_needed");
}

#[tokio::test]
async fn a_custom_environment_on_a_standalone_sandbox_drives_its_controls_with_the_stored_token() {
    let token = "standalone-control-token-0123456789";
    let standalone = linkscope_sandbox::Sandbox::start(linkscope_sandbox::SandboxConfig {
        control_token: Some(token.into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let h = start().await;
    let save = |sandbox_control_token: Option<&str>, id: Option<String>| EnvironmentInput {
        id,
        name: "Standalone sandbox".into(),
        kind: EnvironmentKind::Custom,
        auth_url: standalone.auth_url().into(),
        api_url: standalone.api_url().into(),
        client_id: standalone.demo_client().client_id.clone(),
        client_secret: None,
        redirect_uris: vec!["linkscope-dev://callback".into()],
        marked_live: false,
        sandbox_control_token: sandbox_control_token.map(linkscope_truelayer::ClientSecret::new),
        confirm_secrets_reset: false,
    };
    let env = h.core.environments().save(save(None, None)).await.unwrap();
    assert!(!env.has_sandbox_control_token);
    let controls = h.core.workbench().controls();
    let refused = controls.clock(&env.id).await.unwrap_err().to_string();
    assert!(
        refused.contains("X-Sandbox-Token"),
        "without the token: {refused}"
    );

    let env = h
        .core
        .environments()
        .save(save(Some(token), Some(env.id.clone())))
        .await
        .unwrap();
    assert!(env.has_sandbox_control_token);
    controls.advance_clock(&env.id, 3600).await.unwrap();
    let clock = controls.clock(&env.id).await.unwrap();
    assert!(clock.offset_seconds >= 3600, "{clock:?}");
    assert_eq!(
        standalone.state().clock.offset_seconds(),
        clock.offset_seconds,
        "the standalone sandbox's own clock moved"
    );

    // The token went to the secret store, and to nothing the UI or the database sees.
    assert_eq!(
        crate::support::stored(
            &h.secrets,
            &linkscope_core::secrets::SecretKey::sandbox_control_token(&env.id)
        )
        .as_deref(),
        Some(token)
    );
    let listed = serde_json::to_string(&h.core.environments().list().await.unwrap()).unwrap();
    assert!(!listed.contains(token));
    let db = std::fs::read(h.dir.path().join(linkscope_core::store::DATABASE_FILE)).unwrap();
    assert!(!db.windows(token.len()).any(|w| w == token.as_bytes()));
}
