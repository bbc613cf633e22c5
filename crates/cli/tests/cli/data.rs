//! Linking a persona headlessly and reading its data as JSON and as a stream.

use std::collections::HashSet;
use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

use chrono::{Days, Utc};
use linkscope_sandbox::data::{login, Bank};
use serde_json::Value;

use crate::support::Scratch;

#[test]
fn link_as_a_persona_then_accounts_as_json_matches_the_sandbox_bank() {
    let s = Scratch::new();
    let linked = s.json(&["link", "--persona", "john/doe"]);
    assert_eq!(linked["label"], "John Doe · Mock", "{linked}");
    // Global flags work after the command too.
    let out = s.ok(&["accounts", "--json"]);
    let accounts: Value = serde_json::from_str(&out).unwrap();
    let listed: Vec<(String, String, String)> = accounts["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let t = |k: &str| a["account"][k].as_str().unwrap().to_owned();
            (t("accountId"), t("displayName"), t("number"))
        })
        .collect();
    let persona = login("john", "doe").unwrap();
    let bank = Bank::generate(
        &persona,
        Utc::now().date_naive(),
        linkscope_sandbox::config::DEFAULT_SEED,
    );
    let expected: Vec<(String, String, String)> = bank
        .accounts()
        .iter()
        .map(|a| {
            (
                a.account_id.clone(),
                a.display_name.clone(),
                a.account_number.number.clone(),
            )
        })
        .collect();
    assert_eq!(
        listed, expected,
        "the CLI lists exactly the sandbox's accounts"
    );
    assert!(
        accounts["data"][0]["balance"]["current"].is_number(),
        "balances came with them"
    );
}

#[test]
fn me_reads_the_connections_client_id_and_consent_status_as_json_and_as_a_table() {
    let s = Scratch::new();
    let linked = s.json(&["link", "--persona", "john/doe"]);
    let me = s.json(&["me"]);
    assert!(
        me["clientId"].as_str().is_some_and(|c| !c.is_empty()),
        "{me}"
    );
    assert_eq!(me["credentialsId"], linked["credentialsId"], "{me}");
    assert!(me["consentStatus"].is_string(), "{me}");
    assert!(me["consentEndsAt"].is_string(), "{me}");
    let table = s.ok(&["me"]);
    assert!(
        table.contains("clientId") && table.contains("consentStatus"),
        "{table}"
    );
}

/// VmRSS of a running process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[test]
fn all_transactions_of_the_dense_user_stream_as_ndjson_in_flat_memory() {
    let s = Scratch::new();
    s.ok(&["link", "--persona", "john.dense/dense", "--quiet"]);
    let today = Utc::now().date_naive();
    let from = today
        .checked_sub_days(Days::new(7 * 365))
        .unwrap()
        .to_string();
    let mut child = s
        .command()
        .args([
            "transactions",
            "--all",
            "--from",
            &from,
            "--to",
            &today.to_string(),
            "--ndjson",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut ids = HashSet::new();
    let (mut rows, mut early, mut peak) = (0u64, 0u64, 0u64);
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let row: Value = serde_json::from_str(&line.unwrap()).expect("every line is one JSON row");
        assert!(
            row["accountId"].is_string() && row["amount"].is_number(),
            "{row}"
        );
        ids.insert(row["transactionId"].as_str().unwrap().to_owned());
        rows += 1;
        if rows % 2000 == 0 {
            let now = rss_kib(pid);
            peak = peak.max(now);
            if rows == 10_000 {
                early = now;
            }
        }
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "the stream ended well");
    assert!(
        rows > 90_000,
        "the dense user has about 97k transactions, got {rows}"
    );
    assert_eq!(ids.len() as u64, rows, "no transaction was delivered twice");
    // Holding the rows would grow by their size (≈60 MB for 97k); streaming stays where it was
    // after the first windows.
    let growth = peak.saturating_sub(early);
    eprintln!("dense stream: {rows} rows, RSS after 10k rows {early} KiB, peak {peak} KiB");
    assert!(
        growth < 25 * 1024,
        "memory grew by {growth} KiB between 10k rows and the end: the rows are being kept"
    );
}

#[test]
fn a_linked_persona_leaves_a_full_auth_journey_that_trail_prints_from_another_process() {
    let s = Scratch::new();
    s.ok(&["link", "--persona", "john/doe", "--quiet"]);
    let attempts = s.json(&["attempts"]);
    let newest = &attempts[0];
    assert_eq!(newest["outcome"], "completed", "{attempts}");
    let tracking_id = newest["trackingId"].as_str().unwrap();

    // A new process, a new built-in sandbox: the trail was kept in its state file.
    let trail = s.json(&["trail", tracking_id]);
    assert_eq!(trail["complete"], true, "{trail}");
    let steps: Vec<&str> = trail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "dialog_started",
            "consent_granted",
            "provider_selected",
            "provider_auth_started",
            "provider_authorized",
            "code_exchanged"
        ]
    );
    let table = s.ok(&["trail"]);
    assert!(table.contains("complete: a code came back"), "{table}");
    let err = s
        .command()
        .args(["trail", "no-such-attempt"])
        .output()
        .unwrap();
    assert_eq!(
        err.status.code(),
        Some(1),
        "an unknown attempt is bad input"
    );
}

#[test]
fn transactions_async_streams_the_same_rows_and_reports_each_tasks_timeline_with_a_verified_webhook(
) {
    let s = Scratch::new();
    s.json(&["link", "--persona", "john/doe"]);
    let from = Utc::now()
        .date_naive()
        .checked_sub_days(Days::new(20))
        .unwrap()
        .to_string();
    let args = ["transactions", "--all", "--from", from.as_str(), "--json"];
    let sync: Value = serde_json::from_str(&s.ok(&args)).unwrap();
    let with_async: Value =
        serde_json::from_str(&s.ok(&[&args[..], &["--async"]].concat())).unwrap();
    assert_eq!(
        with_async["transactions"], sync["transactions"],
        "async mode returns the same rows"
    );
    let tasks = with_async["summary"]["asyncTasks"].as_array().unwrap();
    assert!(!tasks.is_empty(), "{with_async}");
    for task in tasks {
        let steps: Vec<&str> = task["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["status"].as_str().unwrap())
            .collect();
        assert_eq!(steps.first(), Some(&"Queued"), "{task}");
        assert_eq!(steps.last(), Some(&"Succeeded"), "{task}");
        assert!(task["resultsFetchedAt"].is_string(), "{task}");
        assert_eq!(
            task["webhooks"][0]["signature"]["kind"], "valid",
            "the sandbox's signed webhook verifies: {task}"
        );
    }
    assert!(
        sync["summary"].get("asyncTasks").is_none(),
        "without --async nothing goes async"
    );
    let table = s
        .command()
        .args(["transactions", "--all", "--from", &from, "--async"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&table.stderr);
    assert!(
        stderr.contains("Queued")
            && stderr.contains("Succeeded")
            && stderr.contains("signature valid"),
        "the table's timeline goes to stderr: {stderr}"
    );
}
