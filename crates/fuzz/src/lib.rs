//! `linkscope-fuzz`: a fuzz harness that runs on the stable toolchain (no nightly, no
//! cargo-fuzz). Seeded, structure-aware generators and byte/char mutations over a fixed corpus
//! of real redirect URLs, loopback requests and auth links are fed to the four parsers of
//! outside input: core's callback parser, the loopback listener's request handling,
//! truelayer's auth-link linter and the sandbox's auth-link validator. Each input must not
//! panic (caught with `catch_unwind`) and must keep its parser's invariants (see `targets`).
//!
//! Owns only the harness; must not change the parsers it drives. `npm run fuzz` runs a million
//! inputs per target in release mode; the crate's test runs 10,000 per target in `npm test`.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::time::{Duration, Instant};

pub mod corpus;
pub mod mutate;
pub mod targets;

use mutate::Mutator;
use targets::{Outcome, Target};

/// The default seed (any `u64` works; the same seed replays the same inputs).
pub const DEFAULT_SEED: u64 = 20_261_201;
/// How many failing inputs a report keeps.
const KEPT_FAILURES: usize = 5;
/// How much of a failing input a report keeps.
const KEPT_INPUT_CHARS: usize = 400;

/// What one target did with its inputs.
#[derive(Debug, Clone)]
pub struct Report {
    /// The target's name.
    pub target: &'static str,
    /// Inputs tried.
    pub inputs: u64,
    /// Inputs the parser accepted (invariants held).
    pub accepted: u64,
    /// Inputs the parser refused cleanly.
    pub rejected: u64,
    /// Inputs that panicked.
    pub panics: u64,
    /// Inputs that broke an invariant.
    pub violations: u64,
    /// The first few failures: the input (escaped, cut short) and what went wrong.
    pub failures: Vec<String>,
    /// Wall time.
    pub elapsed: Duration,
}

impl Report {
    /// Whether nothing panicked and every invariant held.
    pub fn is_clean(&self) -> bool {
        self.panics == 0 && self.violations == 0
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        write!(
            f,
            "{:<9} inputs {:>9}  accepted {:>8}  rejected {:>8}  panics {}  violations {}  time {:.1} s ({:.0} inputs/s)",
            self.target,
            self.inputs,
            self.accepted,
            self.rejected,
            self.panics,
            self.violations,
            secs,
            self.inputs as f64 / secs.max(1e-9),
        )?;
        for failure in &self.failures {
            write!(f, "\n    {failure}")?;
        }
        Ok(())
    }
}

thread_local! {
    /// Set while a fuzz input runs on this thread: its panic message goes here, not to stderr.
    static CAUGHT: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that keeps quiet about panics of fuzz inputs and leaves every
/// other panic (a failing test's assertion) to the default hook.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let caught = CAUGHT.with(|c| {
                let mut slot = c.borrow_mut();
                match slot.as_mut() {
                    Some(message) => {
                        *message = Some(info.to_string());
                        true
                    }
                    None => false,
                }
            });
            if !caught {
                default(info);
            }
        }));
    });
}

/// Feeds `inputs` inputs to `target`, from `seed`.
pub fn run(target: &mut dyn Target, inputs: u64, seed: u64) -> Report {
    install_quiet_hook();
    let mut m = Mutator::new(seed);
    let mut report = Report {
        target: target.name(),
        inputs: 0,
        accepted: 0,
        rejected: 0,
        panics: 0,
        violations: 0,
        failures: Vec::new(),
        elapsed: Duration::ZERO,
    };
    let started = Instant::now();
    for _ in 0..inputs {
        let input = target.next_input(&mut m);
        CAUGHT.with(|c| *c.borrow_mut() = Some(None));
        let result = panic::catch_unwind(AssertUnwindSafe(|| target.check(&input)));
        let message = CAUGHT.with(|c| c.borrow_mut().take().flatten());
        report.inputs += 1;
        let failure = match result {
            Ok(Outcome::Accepted) => {
                report.accepted += 1;
                None
            }
            Ok(Outcome::Rejected) => {
                report.rejected += 1;
                None
            }
            Ok(Outcome::Violation(why)) => {
                report.violations += 1;
                Some(format!("violation: {why}"))
            }
            Err(_) => {
                report.panics += 1;
                Some(format!("panic: {}", message.unwrap_or_default()))
            }
        };
        if let Some(failure) = failure {
            if report.failures.len() < KEPT_FAILURES {
                let shown: String = String::from_utf8_lossy(&input)
                    .chars()
                    .take(KEPT_INPUT_CHARS)
                    .collect();
                report
                    .failures
                    .push(format!("{failure}\n      input: {shown:?}"));
            }
        }
    }
    report.elapsed = started.elapsed();
    report
}
