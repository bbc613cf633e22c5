//! What the tests share: a scratch home per test, the binary with it, and a standalone sandbox
//! that stops when dropped.

use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// The control token the standalone sandbox and the CLI share in these tests.
pub const CONTROL_TOKEN: &str = "cli-tests-control-token-0123456789";

/// One test's scratch folder: the data dir and the secret file live in it.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn secret_file(&self) -> PathBuf {
        self.dir.path().join("secrets.json")
    }

    /// `linkscope --data-dir … <args>` with this scratch's secret file and no outside settings.
    pub fn command(&self) -> Command {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("linkscope"));
        command
            .arg("--data-dir")
            .arg(self.data_dir())
            .env(
                "LINKSCOPE_SECRET_STORE",
                format!("file:{}", self.secret_file().display()),
            )
            .env("LINKSCOPE_SANDBOX_CONTROL_TOKEN", CONTROL_TOKEN)
            .env_remove("LINKSCOPE_DATA_DIR")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null());
        command
    }

    /// Runs `args`, expecting success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.command().args(args).output().unwrap();
        assert!(
            output.status.success(),
            "linkscope {args:?} failed ({:?}): {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Runs `args` with `--json` and parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).unwrap()
    }
}

/// A `linkscope sandbox serve` child, killed on drop.
pub struct Standalone {
    child: Child,
    pub line: Value,
}

impl Standalone {
    pub fn start() -> Self {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("linkscope"))
            .args(["sandbox", "serve", "--control-token", CONTROL_TOKEN])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let line: Value = serde_json::from_str(&first).expect("serve prints one JSON line");
        Self { child, line }
    }

    /// Adds it to `scratch` as the active custom environment `ci` (secret through stdin).
    pub fn add_to(&self, scratch: &Scratch) {
        let text = |k: &str| self.line[k].as_str().unwrap().to_owned();
        let mut child = scratch
            .command()
            .args([
                "env",
                "add",
                "--name",
                "ci",
                "--kind",
                "custom",
                "--use",
                "--secret-stdin",
            ])
            .args([
                "--auth-url",
                &text("auth_url"),
                "--api-url",
                &text("api_url"),
            ])
            .args(["--client-id", &text("client_id")])
            .args(["--redirect-uri", "linkscope://callback"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        writeln!(child.stdin.take().unwrap(), "{}", text("client_secret")).unwrap();
        assert!(child.wait().unwrap().success(), "env add succeeded");
    }
}

impl Drop for Standalone {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
