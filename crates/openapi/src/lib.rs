//! Test support: where TrueLayer's own OpenAPI files are, for the checks that read them.
//!
//! The files are never copied into this repository. A test that needs them asks [`dir_or_skip`]:
//! with the files present (`LINKSCOPE_OPENAPI_DIR`, else `../shared/truelayer/openapi` beside the
//! clone) it gets their folder; without them it is *skipped*: it says so on stderr, appends one line
//! to the file named by `LINKSCOPE_TEST_SKIPS` (the `npm test` summary counts and prints those), and
//! returns without failing. A `LINKSCOPE_OPENAPI_DIR` that names a missing folder is a mistake, not a
//! skip: it fails the test.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Why a spec check did not run on this machine; printed beside each skipped test.
pub const MISSING: &str = "TrueLayer's OpenAPI files are not here (set LINKSCOPE_OPENAPI_DIR, or \
     put them in ../shared/truelayer/openapi beside the clone)";

/// The folder holding TrueLayer's OpenAPI files, if this machine has them.
///
/// # Panics
/// When `LINKSCOPE_OPENAPI_DIR` is set to a folder that does not exist: an explicit setting that
/// is wrong must fail loudly instead of silently skipping every check.
pub fn dir() -> Option<PathBuf> {
    if let Some(explicit) = std::env::var_os("LINKSCOPE_OPENAPI_DIR") {
        let explicit = PathBuf::from(explicit);
        assert!(
            explicit.is_dir(),
            "LINKSCOPE_OPENAPI_DIR={} is not a folder",
            explicit.display()
        );
        return Some(explicit);
    }
    // `../shared` beside the checkout. Found at run time from the test's working directory, which
    // cargo sets to the package under test: a path baked in at compile time could name another
    // clone, because cargo reuses one clone's build in another when its sources are older.
    let cwd = std::env::current_dir().ok()?;
    let checkout = cwd
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())?;
    let beside = checkout.parent()?.join("shared/truelayer/openapi");
    beside.is_dir().then_some(beside)
}

/// The files' folder, or `None` after recording this test as skipped (see the module docs).
pub fn dir_or_skip() -> Option<PathBuf> {
    let found = dir();
    if found.is_none() {
        // libtest runs each test on a thread named after it.
        let test = std::thread::current()
            .name()
            .unwrap_or("a spec check")
            .to_owned();
        record_skip(&test);
    }
    found
}

fn record_skip(test: &str) {
    let line = format!("{test}: {MISSING}\n");
    eprint!("skipped {line}");
    if let Some(log) = std::env::var_os("LINKSCOPE_TEST_SKIPS") {
        // One short O_APPEND write per line: lines from parallel tests never interleave.
        let written = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .and_then(|mut file| file.write_all(line.as_bytes()));
        if let Err(err) = written {
            eprintln!(
                "could not record the skip in {}: {err}",
                Path::new(&log).display()
            );
        }
    }
}

/// One spec file, parsed.
///
/// # Panics
/// When the file is missing or is not JSON: the folder exists, so a missing file is a real error.
pub fn load(dir: &Path, file: &str) -> Value {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read TrueLayer's spec {}: {err}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|err| panic!("TrueLayer's spec {} is not JSON: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skip_is_one_line_naming_the_test_and_the_reason() {
        let log = std::env::temp_dir().join(format!("linkscope-skips-{}", std::process::id()));
        let _ = std::fs::remove_file(&log);
        std::env::set_var("LINKSCOPE_TEST_SKIPS", &log);
        record_skip("crate::some_check");
        record_skip("crate::another_check");
        let text = std::fs::read_to_string(&log).unwrap();
        let _ = std::fs::remove_file(&log);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "one line per skipped test: {text}");
        assert_eq!(lines[0], format!("crate::some_check: {MISSING}"));
    }
}
