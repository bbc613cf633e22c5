//! `snapshot take|list|compare|delete` as a QA pipeline runs them: compare exits 0 while nothing
//! changed and 6 once the sandbox's clock moved a day (new settled transactions); bad input
//! exits 1 with the reason and stores nothing.

use serde_json::Value;

use crate::support::Scratch;

fn status_of(s: &Scratch, args: &[&str]) -> (Option<i32>, String, String) {
    let output = s.command().args(args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn compare_exits_six_once_a_sandbox_day_brought_new_transactions() {
    let s = Scratch::new();
    s.json(&["link", "--persona", "john/doe"]);
    let taken = s.json(&["snapshot", "take", "--label", "before"]);
    let id = taken["id"].as_str().unwrap().to_owned();
    assert_eq!(taken["label"], "before");
    assert!(taken["transactions"].as_u64().unwrap() > 0, "{taken}");

    let (code, out, _) = status_of(&s, &["snapshot", "compare", &id]);
    assert_eq!(code, Some(0), "nothing changed yet: {out}");
    assert!(out.contains("nothing changed"), "{out}");

    s.ok(&["sandbox", "clock", "--advance", "86400"]);
    let (code, out, err) = status_of(&s, &["snapshot", "compare", &id]);
    assert_eq!(code, Some(6), "{err}");
    assert!(out.contains("transaction added"), "{out}");
    assert!(err.contains("found differences"), "{err}");
    let (code, out, _) = status_of(&s, &["snapshot", "compare", &id, "--json"]);
    assert_eq!(code, Some(6));
    let diff: Value = serde_json::from_str(&out).unwrap();
    assert!(
        diff["counts"]["transactionsAdded"].as_u64().unwrap() > 0,
        "{diff}"
    );
    assert_eq!(diff["against"]["kind"], "fresh");

    let listed = s.json(&["snapshot", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    s.ok(&["snapshot", "delete", &id]);
    assert_eq!(s.json(&["snapshot", "list"]), Value::Array(vec![]));
}

#[test]
fn an_empty_range_and_an_unknown_snapshot_exit_one_with_the_reason() {
    let s = Scratch::new();
    s.json(&["link", "--persona", "john/doe"]);
    let (code, _, err) = status_of(
        &s,
        &[
            "snapshot",
            "take",
            "--from",
            "2024-02-01",
            "--to",
            "2024-01-01",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("range is empty"), "{err}");
    assert_eq!(
        s.json(&["snapshot", "list"]),
        Value::Array(vec![]),
        "nothing stored"
    );
    let (code, _, err) = status_of(&s, &["snapshot", "compare", "no-such-snapshot"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("snapshot not found"), "{err}");
}
