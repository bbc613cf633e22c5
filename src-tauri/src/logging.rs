//! Logging: to stderr from the first line, and to `linkscope.log` in the data dir once it is
//! known (support agents attach it to tickets). Nothing logged may contain a secret: core's
//! secret types print as redacted and the shell never logs a callback URL (it carries the code).

use std::fs::OpenOptions;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use tracing_subscriber::fmt::writer::MakeWriterExt;
use tracing_subscriber::EnvFilter;

/// The log file, opened when the data dir is known.
static LOG_FILE: OnceLock<Mutex<std::fs::File>> = OnceLock::new();

/// Where the log goes: stderr, plus the file once [`open_file`] ran.
#[derive(Debug, Clone, Copy)]
struct Sink;

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(file) = LOG_FILE.get() {
            if let Ok(mut file) = file.lock() {
                let _ = file.write_all(buf);
            }
        }
        std::io::stderr().write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// Starts logging to stderr (level from `LINKSCOPE_LOG`, default `info`).
pub fn init_stderr() {
    let filter =
        EnvFilter::try_from_env("LINKSCOPE_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer((|| Sink).and(std::io::sink))
        .try_init();
}

/// From now on, also appends to `<data_dir>/linkscope.log`.
pub fn open_file(data_dir: &Path) {
    let path = data_dir.join("linkscope.log");
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    // The owner's only, like everything in the data dir (0600).
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(file) => {
            let _ = LOG_FILE.set(Mutex::new(file));
        }
        Err(err) => tracing::warn!("cannot write the log file {}: {err}", path.display()),
    }
}
