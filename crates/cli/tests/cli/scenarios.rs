//! The scenario suite against a standalone sandbox, as the README's CI job runs it.

use crate::support::{Scratch, Standalone};

/// Counts `<testcase` elements and checks the document's tags nest and close.
fn junit_cases(xml: &str) -> usize {
    assert!(xml.starts_with("<?xml"), "an XML declaration first");
    let mut open: Vec<String> = Vec::new();
    let mut cases = 0;
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("every tag closes") + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect();
        if tag.starts_with('/') {
            assert_eq!(open.pop().as_deref(), Some(name.as_str()), "tags nest");
        } else {
            if name == "testcase" {
                cases += 1;
            }
            if !tag.ends_with('/') {
                open.push(name);
            }
        }
    }
    assert!(open.is_empty(), "every element closes: {open:?}");
    cases
}

#[test]
fn scenarios_run_writes_valid_junit_and_exits_0_then_4_once_a_fault_is_injected() {
    let sandbox = Standalone::start();
    let s = Scratch::new();
    sandbox.add_to(&s);
    let junit = s.dir.path().join("junit.xml");
    let junit_arg = junit.to_str().unwrap();

    s.ok(&[
        "scenarios",
        "run",
        "--persona",
        "john/doe",
        "--junit",
        junit_arg,
        "--quiet",
    ]);
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(junit_cases(&xml) > 5, "one test case per check: {xml}");
    assert!(xml.contains("failures=\"0\""), "no failure: {xml}");

    s.ok(&[
        "sandbox",
        "faults",
        "add",
        "--path",
        "/data/v1/accounts",
        "--status",
        "503",
        "--times",
        "50",
    ]);
    let output = s
        .command()
        .args([
            "scenarios",
            "run",
            "--persona",
            "john/doe",
            "--junit",
            junit_arg,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4), "a scenario failed");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("scenarios failed"), "{stderr}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    junit_cases(&xml);
    assert!(
        xml.contains("<failure"),
        "the report names the failure: {xml}"
    );
}
