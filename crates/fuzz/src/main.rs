//! `linkscope-fuzz [--inputs N] [--seed S] [--target NAME]…`: runs the harness and prints one
//! line per target; exits 1 if any input panicked or broke an invariant.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut inputs: u64 = 1_000_000;
    let mut seed = linkscope_fuzz::DEFAULT_SEED;
    let mut only: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        let parsed = match (arg.as_str(), value) {
            ("--inputs", Some(v)) => v.parse().map(|n| inputs = n).is_ok(),
            ("--seed", Some(v)) => v.parse().map(|s| seed = s).is_ok(),
            ("--target", Some(v)) => {
                only.push(v);
                true
            }
            _ => false,
        };
        if !parsed {
            eprintln!(
                "usage: linkscope-fuzz [--inputs N] [--seed S] [--target callback|loopback|lint|authlink]..."
            );
            return ExitCode::from(2);
        }
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "linkscope-fuzz: {inputs} inputs per target, seed {seed}"
    );
    let mut clean = true;
    for mut target in linkscope_fuzz::targets::all() {
        if !only.is_empty() && !only.iter().any(|t| t == target.name()) {
            continue;
        }
        let report = linkscope_fuzz::run(target.as_mut(), inputs, seed);
        clean &= report.is_clean();
        let _ = writeln!(out, "{report}");
    }
    if clean {
        ExitCode::SUCCESS
    } else {
        let _ = writeln!(
            out,
            "linkscope-fuzz: FAILED (panics or broken invariants above)"
        );
        ExitCode::FAILURE
    }
}
