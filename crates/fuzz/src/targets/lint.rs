//! Target `lint`: truelayer's auth-link linter (`lint_auth_link`) against the built-in sandbox's
//! demo client. It must be total: any URL gets findings with known codes and non-empty
//! sentences, the same findings every time, and never echoes the link's `state` or
//! `code_challenge`.

use linkscope_truelayer::lint::codes;
use linkscope_truelayer::{lint_auth_link, Environment, Finding, Severity};
use url::Url;

use super::{next_text, Outcome, Target};
use crate::corpus;
use crate::mutate::Mutator;

/// Stands in for a secret value; nothing else in a link or an environment spells it.
const SECRET_MARKER: &str = "QzSecretMarker9";

/// The linter for the demo client's environment.
#[derive(Debug)]
pub struct Lint {
    environment: Environment,
}

impl Lint {
    /// The linter as the app runs it for the built-in sandbox.
    pub fn new() -> Self {
        Self {
            environment: demo_environment(),
        }
    }
}

impl Default for Lint {
    fn default() -> Self {
        Self::new()
    }
}

/// The built-in sandbox's demo client, as the app configures it.
pub(crate) fn demo_environment() -> Environment {
    use linkscope_sandbox::{DEMO_CLIENT_ID, DEMO_REDIRECT_URIS};
    use linkscope_truelayer::{ClientId, ClientSecret, RedirectUri};
    let build = || -> linkscope_truelayer::Result<Environment> {
        let uris = DEMO_REDIRECT_URIS
            .iter()
            .map(|u| RedirectUri::new(*u))
            .collect::<linkscope_truelayer::Result<Vec<_>>>()?;
        Ok(Environment::new(
            "http://127.0.0.1:4001",
            "http://127.0.0.1:4002",
            ClientId::new(DEMO_CLIENT_ID)?,
            ClientSecret::new("fuzz-client-secret"),
        )?
        .with_redirect_uris(uris))
    };
    match build() {
        Ok(environment) => environment,
        Err(e) => unreachable!("the demo environment is valid: {e}"),
    }
}

/// The linter's findings for a link, or `None` when it is not a URL.
pub(crate) fn lint(input: &str, environment: &Environment) -> Option<(Url, Vec<Finding>)> {
    let url = Url::parse(input).ok()?;
    let findings = lint_auth_link(&url, environment);
    Some((url, findings))
}

/// An auth link from the parameters TrueLayer's dialog reads, in valid and invalid values.
pub(crate) fn generate(m: &mut Mutator) -> String {
    let mut params: Vec<(&str, String)> = Vec::new();
    /// Adds `key` with one of `values`, except one time in `odds`.
    fn add(
        m: &mut Mutator,
        params: &mut Vec<(&str, String)>,
        odds: u32,
        key: &'static str,
        values: &[&str],
    ) {
        if !m.one_in(odds) {
            params.push((key, m.pick(values).to_owned()));
        }
    }
    add(
        m,
        &mut params,
        10,
        "response_type",
        &["code", "code", "code", "token", ""],
    );
    add(
        m,
        &mut params,
        10,
        "client_id",
        &[
            "sandbox-linkscope-demo",
            "sandbox-linkscope-demo",
            "other-client",
            "",
        ],
    );
    add(
        m,
        &mut params,
        10,
        "redirect_uri",
        &[
            "linkscope://callback",
            "linkscope-dev://callback",
            "http://127.0.0.1:3947/callback",
            "http://127.0.0.1:3947/callback",
            "https://console.truelayer.com/redirect-page",
            "http://127.0.0.1:3948/callback",
            "linkscope://callback/",
            "not a uri",
        ],
    );
    let scope_words = [
        "info",
        "accounts",
        "balance",
        "cards",
        "transactions",
        "direct_debits",
        "standing_orders",
        "offline_access",
        "verification",
        "signupplus",
        "products",
        "openid",
        "Accounts",
    ];
    let mut scopes: Vec<&str> = Vec::new();
    for _ in 0..m.below(6) {
        scopes.push(scope_words[m.below(scope_words.len())]);
    }
    if !m.one_in(10) {
        let joiner = m.pick(&[" ", " ", " ", "\t", "  ", ","]);
        params.push(("scope", scopes.join(joiner)));
    }
    if m.one_in(2) {
        let groups = [
            "uk-cs-mock",
            "uk-ob-all",
            "uk-oauth-all",
            "ob-monzo",
            "de-xs2a-all",
            "xs2a-all",
            "mock",
            "fr-stet-all",
            "uk-xx-all",
            "xs2a-n26",
        ];
        let picked: Vec<&str> = (0..1 + m.below(3))
            .map(|_| groups[m.below(groups.len())])
            .collect();
        params.push(("providers", picked.join(" ")));
    }
    add(
        m,
        &mut params,
        2,
        "provider_id",
        &["mock", "ob-monzo", "xs2a-n26", "ob-unknown", "ob-amex"],
    );
    add(
        m,
        &mut params,
        3,
        "response_mode",
        &["form_post", "form_post", "query", "fragment"],
    );
    add(
        m,
        &mut params,
        5,
        "state",
        &["hN0ugmjPq8Ez2xFYwRkZ1cXvT7sJ5aL4dB9eC3iGoKM", "s-1", ""],
    );
    if m.one_in(2) {
        params.push((
            "code_challenge",
            m.pick(&["E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "short", ""])
                .to_owned(),
        ));
        add(
            m,
            &mut params,
            5,
            "code_challenge_method",
            &["S256", "S256", "plain", "s256"],
        );
    }
    for (key, values) in [
        ("language_id", &["en", "fr", "xx", ""][..]),
        ("country_id", &["GB", "uk", "de", "FRA", "1x"][..]),
        ("user_email", &["jo@example.com", "not-an-email"][..]),
        ("tracking_id", &["t-1", ""][..]),
        ("nonce", &["n-1", ""][..]),
        ("enable_mock", &["true", "false", "yes"][..]),
        ("enable_open_banking_providers", &["true", "false"][..]),
        ("enable_oauth_providers", &["true", "false"][..]),
        ("disable_providers", &["ob-hsbc", "uk-ob-all", "nope"][..]),
        ("redirect_url", &["linkscope://callback"][..]),
    ] {
        if m.one_in(8) {
            params.push((key, m.pick(values).to_owned()));
        }
    }
    if m.one_in(10) && !params.is_empty() {
        let again = params[m.below(params.len())].clone();
        params.push(again);
    }
    if m.one_in(3) {
        for i in (1..params.len()).rev() {
            let j = m.below(i + 1);
            params.swap(i, j);
        }
    }
    let query = if m.one_in(5) {
        params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    } else {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())))
            .finish()
    };
    let base = m.pick(&[
        "http://127.0.0.1:4001/",
        "https://auth.truelayer-sandbox.com/",
        "http://127.0.0.1:4001",
    ]);
    format!("{base}?{query}")
}

impl Target for Lint {
    fn name(&self) -> &'static str {
        "lint"
    }

    fn next_input(&mut self, m: &mut Mutator) -> Vec<u8> {
        next_text(m, corpus::AUTH_LINKS, generate).into_bytes()
    }

    fn check(&mut self, input: &[u8]) -> Outcome {
        let input = String::from_utf8_lossy(input);
        let Some((url, findings)) = lint(&input, &self.environment) else {
            return Outcome::Rejected;
        };
        if let Some(f) = findings.iter().find(|f| !codes::ALL.contains(&f.code)) {
            return Outcome::Violation(format!("unknown finding code {}", f.code));
        }
        if findings.iter().any(|f| f.message.trim().is_empty()) {
            return Outcome::Violation("a finding without a sentence".into());
        }
        if lint_auth_link(&url, &self.environment) != findings {
            return Outcome::Violation("the same link linted twice gave other findings".into());
        }
        // The same link with its state and challenge swapped for markers: no finding may
        // repeat them (a finding is shown and logged; the state is a secret).
        let mut marked = url.clone();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| match k.as_ref() {
                "state" | "code_challenge" => (k.to_string(), format!("{SECRET_MARKER}{k}")),
                _ => (k.into_owned(), v.into_owned()),
            })
            .collect();
        if !pairs.is_empty() {
            marked.query_pairs_mut().clear().extend_pairs(pairs);
        }
        if let Some(f) = lint_auth_link(&marked, &self.environment)
            .iter()
            .find(|f| f.message.contains(SECRET_MARKER))
        {
            return Outcome::Violation(format!(
                "the finding {} echoes the state or challenge",
                f.code
            ));
        }
        if findings.iter().any(|f| f.severity == Severity::Error) {
            Outcome::Rejected
        } else {
            Outcome::Accepted
        }
    }
}
