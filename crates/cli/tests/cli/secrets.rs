//! Secrets: a client secret given on stdin never shows in `ps`, the data dir, stdout or the
//! logs; without a keychain, secrets stay in memory and stderr says so.

use std::io::Write as _;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::Scratch;

const SECRET: &str = "s3cret-only-on-stdin-7f1c2b";

/// Every process's command line on this machine, as `ps` reads it.
fn all_command_lines() -> Vec<String> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).replace('\0', " "))
        .collect()
}

/// Every file under `dir`, read as bytes.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

#[test]
fn a_client_secret_given_on_stdin_never_reaches_ps_the_data_dir_or_the_logs() {
    let s = Scratch::new();
    let mut child = s
        .command()
        .env("RUST_LOG", "debug")
        .args([
            "env",
            "add",
            "--name",
            "qa",
            "--auth-url",
            "http://127.0.0.1:9",
            "--api-url",
        ])
        .args([
            "http://127.0.0.1:9",
            "--client-id",
            "sandbox-qa",
            "--secret-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // While it waits for the secret, it is running: look at every command line. (Right after
    // spawn the child can still be the forked test process, before its exec: wait for the exec.)
    let waited = Instant::now();
    let cmdline =
        || std::fs::read_to_string(format!("/proc/{}/cmdline", child.id())).unwrap_or_default();
    while !cmdline().contains("--secret-stdin") && waited.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let own = cmdline();
    assert!(
        own.contains("--secret-stdin"),
        "this is the running linkscope: {own:?}"
    );
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{SECRET}").unwrap();
    assert!(
        all_command_lines().iter().all(|c| !c.contains(SECRET)),
        "no process's command line holds the secret"
    );
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let said = [output.stdout, output.stderr].concat();
    assert!(
        !String::from_utf8_lossy(&said).contains(SECRET),
        "stdout and the debug log on stderr never show it"
    );

    let listed = s.json(&["env", "list"]);
    let qa = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "qa")
        .unwrap();
    assert_eq!(qa["hasClientSecret"], true, "the secret was stored");
    assert!(!listed.to_string().contains(SECRET), "and is never shown");
    let files = files_under(&s.data_dir());
    assert!(!files.is_empty(), "the data dir was written");
    for (path, bytes) in files {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "{} holds the secret",
            path.display()
        );
    }
    assert!(
        std::fs::read_to_string(s.secret_file())
            .unwrap()
            .contains(SECRET),
        "it is in the secret file that was explicitly chosen, and only there"
    );
}

#[test]
fn without_a_keychain_secrets_stay_in_memory_and_stderr_says_so() {
    let s = Scratch::new();
    let output = s
        .command()
        .env_remove("LINKSCOPE_SECRET_STORE")
        // No Secret Service can answer here: a bus address that leads nowhere.
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/linkscope-test-bus",
        )
        .args(["env", "list", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("no keychain") && stderr.contains("in memory for this process"),
        "{stderr}"
    );
    assert!(!s.secret_file().exists(), "no secret file unless asked for");
}
