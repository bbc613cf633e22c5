//! Exit codes and error lines: usage 1, TrueLayer refused 2, network 3.

use crate::support::Scratch;

#[test]
fn an_error_persona_accounts_exits_2_with_provider_error_on_stderr() {
    let s = Scratch::new();
    s.ok(&["link", "--persona", "error.provider_error/error", "--quiet"]);
    let output = s.command().arg("accounts").output().unwrap();
    assert_eq!(output.status.code(), Some(2), "TrueLayer refused");
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with("linkscope: TrueLayer refused: provider_error (HTTP 503"),
        "{stderr}"
    );
    assert_eq!(
        lines.len(),
        2,
        "one line plus the explanation, no dump: {stderr}"
    );
    assert!(
        lines[1].contains("unavailable"),
        "the app's explanation: {stderr}"
    );
    assert!(output.stdout.is_empty(), "nothing on stdout");
}

#[test]
fn bad_usage_exits_1_with_a_one_line_reason() {
    let s = Scratch::new();
    for args in [
        &["transactions"][..],
        &["accounts", "--no-such-flag"],
        &["accounts", "--connection", "nobody"],
    ] {
        let output = s.command().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Error {"),
            "{stderr}"
        );
    }
}

#[test]
fn an_unreachable_server_exits_3() {
    let s = Scratch::new();
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    s.ok(&[
        "env",
        "add",
        "--name",
        "gone",
        "--auth-url",
        &url,
        "--api-url",
        &url,
        "--client-id",
        "sandbox-gone",
        "--use",
    ]);
    let output = s
        .command()
        .args(["providers", "--refresh"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn help_shows_examples_and_exit_codes_and_completions_are_generated() {
    let s = Scratch::new();
    let help = s.ok(&["--help"]);
    assert!(
        help.contains("Examples:") && help.contains("Exit codes:"),
        "{help}"
    );
    let bash = s.ok(&["completions", "bash"]);
    assert!(bash.contains("_linkscope()"), "a bash completion function");
}
