//! Target `authlink`: the sandbox's auth-link validator (`AuthLink::parse_query`), fed the same
//! links as the linter. It must never panic, and where the two overlap it must refuse every link
//! the linter marks as an error (the linter promises to flag what TrueLayer's dialog rejects).

use linkscope_sandbox::authlink::AuthLink;
use linkscope_sandbox::{SandboxConfig, SandboxState};
use linkscope_truelayer::{Environment, Severity};

use super::lint::{demo_environment, generate, lint};
use super::{next_text, Outcome, Target};
use crate::corpus;
use crate::mutate::Mutator;

/// The validator of a default sandbox, and the linter for its demo client.
#[derive(Debug)]
pub struct AuthLinkValidator {
    state: SandboxState,
    environment: Environment,
}

impl AuthLinkValidator {
    /// A default sandbox's state (no state file, the demo client).
    pub fn new() -> Self {
        let state = match SandboxState::new(
            &SandboxConfig::default(),
            "http://127.0.0.1:4001",
            "http://127.0.0.1:4002",
            "http://127.0.0.1:4003",
        ) {
            Ok(state) => state,
            Err(e) => unreachable!("a default sandbox state builds: {e}"),
        };
        Self {
            state,
            environment: demo_environment(),
        }
    }
}

impl Default for AuthLinkValidator {
    fn default() -> Self {
        Self::new()
    }
}

impl Target for AuthLinkValidator {
    fn name(&self) -> &'static str {
        "authlink"
    }

    fn next_input(&mut self, m: &mut Mutator) -> Vec<u8> {
        next_text(m, corpus::AUTH_LINKS, generate).into_bytes()
    }

    fn check(&mut self, input: &[u8]) -> Outcome {
        let input = String::from_utf8_lossy(input);
        let linted = lint(&input, &self.environment);
        let query = match &linted {
            Some((url, _)) => url.query().unwrap_or_default().to_owned(),
            None => input.split_once('?').map_or(&*input, |(_, q)| q).to_owned(),
        };
        let verdict = AuthLink::parse_query(&query, &self.state);
        if let (Some((_, findings)), Ok(_)) = (&linted, &verdict) {
            let errors: Vec<&str> = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| f.code)
                .collect();
            if !errors.is_empty() {
                return Outcome::Violation(format!(
                    "the linter reports {} but the sandbox accepts the link",
                    errors.join(", ")
                ));
            }
        }
        match verdict {
            Ok(_) => Outcome::Accepted,
            Err(_) => Outcome::Rejected,
        }
    }
}
