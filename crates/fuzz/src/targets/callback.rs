//! Target `callback`: core's strict redirect parser (`linkscope_core::link::callback::parse_callback`)
//! fed deep links, loopback and console URLs, and bare pasted parameters.

use linkscope_core::link::callback::{parse_callback, ExpectedRedirect};

use super::{check_outcome, gen_callback_query, next_text, Outcome, Target};
use crate::corpus;
use crate::mutate::Mutator;

/// The callback parser against the app's registered redirect URIs.
#[derive(Debug)]
pub struct Callback {
    expected: ExpectedRedirect,
}

impl Callback {
    /// The parser as the app configures it.
    pub fn new() -> Self {
        Self {
            expected: expected_redirects(),
        }
    }
}

impl Default for Callback {
    fn default() -> Self {
        Self::new()
    }
}

/// The registered redirect URIs the app hands the parser.
pub(crate) fn expected_redirects() -> ExpectedRedirect {
    match ExpectedRedirect::new(corpus::REDIRECT_URIS) {
        Ok(expected) => expected,
        Err(e) => unreachable!("the corpus's redirect URIs parse: {e}"),
    }
}

/// A redirect: a URL on a registered (or nearly registered) endpoint, or bare parameters.
fn generate(m: &mut Mutator) -> String {
    let query = gen_callback_query(m);
    if m.one_in(6) {
        let q = if m.one_in(2) { "?" } else { "" };
        return format!("{q}{query}");
    }
    let scheme = m.pick(&[
        "linkscope",
        "linkscope",
        "linkscope-dev",
        "http",
        "https",
        "LinkScope",
        "javascript",
        "file",
    ]);
    let authority = match scheme {
        "linkscope" | "linkscope-dev" | "LinkScope" => {
            m.pick(&["callback", "callback", "Callback", "callback:1", "", "evil"])
        }
        _ => m.pick(&[
            "127.0.0.1:3947",
            "127.0.0.1:3947",
            "console.truelayer.com",
            "127.0.0.1:3948",
            "localhost:3947",
            "127.0.0.1:3947@evil.test",
            "[::1]:3947",
            "127.0.0.1:03947",
            "",
        ]),
    };
    let path = m.pick(&[
        "",
        "",
        "/",
        "/callback",
        "/callback",
        "/redirect-page",
        "/callback/",
        "/CALLBACK",
        "/callback/../callback",
        "/%63allback",
    ]);
    let fragment = m.pick(&["", "", "", "#", "#code=x&state=y", "#top"]);
    format!("{scheme}://{authority}{path}?{query}{fragment}")
}

impl Target for Callback {
    fn name(&self) -> &'static str {
        "callback"
    }

    fn next_input(&mut self, m: &mut Mutator) -> Vec<u8> {
        next_text(m, corpus::REDIRECTS, generate).into_bytes()
    }

    fn check(&mut self, input: &[u8]) -> Outcome {
        let input = String::from_utf8_lossy(input);
        match parse_callback(&input, &self.expected) {
            Err(_) => Outcome::Rejected,
            Ok(outcome) => match check_outcome(&input, &outcome) {
                Ok(()) => Outcome::Accepted,
                Err(why) => Outcome::Violation(why),
            },
        }
    }
}
