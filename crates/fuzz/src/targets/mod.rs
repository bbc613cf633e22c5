//! The four targets, each a generator of inputs (structure-aware, or mutated from the corpus)
//! and a check of one input against its parser's invariants. Owns the shared parameter
//! generator and the invariant every accepted callback must meet, wherever it came from.

use linkscope_core::link::callback::{AuthorizedCallback, CallbackOutcome};
use url::Url;

use crate::corpus;
use crate::mutate::Mutator;

pub mod authlink;
pub mod callback;
pub mod lint;
pub mod loopback;

/// What one input did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The parser accepted it, and every invariant held.
    Accepted,
    /// The parser refused it (a clean error).
    Rejected,
    /// The parser answered, but broke an invariant: a bug.
    Violation(String),
}

/// A parser under test.
pub trait Target {
    /// Its name in reports (`callback`, `loopback`, `lint`, `authlink`).
    fn name(&self) -> &'static str;
    /// The next input: a generated one, a mutated generated one, or a mutated corpus entry.
    fn next_input(&mut self, m: &mut Mutator) -> Vec<u8>;
    /// Feeds one input to the parser and checks what it did.
    fn check(&mut self, input: &[u8]) -> Outcome;
}

/// The four targets, in report order.
pub fn all() -> Vec<Box<dyn Target>> {
    vec![
        Box::new(callback::Callback::new()),
        Box::new(loopback::Loopback::new()),
        Box::new(lint::Lint::new()),
        Box::new(authlink::AuthLinkValidator::new()),
    ]
}

/// Picks how to make the next input: fresh from `generate`, `generate` then mutated, or a
/// corpus entry mutated.
pub(crate) fn next_text(
    m: &mut Mutator,
    corpus: &[&str],
    generate: impl FnOnce(&mut Mutator) -> String,
) -> String {
    match m.below(3) {
        0 => generate(m),
        1 => {
            let generated = generate(m);
            m.mutate_str(&generated, corpus)
        }
        _ => {
            let seed = corpus[m.below(corpus.len())];
            m.mutate_str(seed, corpus)
        }
    }
}

const TOKEN_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A parameter value: mostly token-shaped, sometimes empty, huge, encoded or odd.
pub(crate) fn gen_value(m: &mut Mutator) -> String {
    match m.below(12) {
        0 => String::new(),
        1 => {
            let len = 2040 + m.below(20);
            m.string_from(TOKEN_CHARS, len)
        }
        2 => "%20".to_owned(),
        3 => format!("{}%ZZ", m.string_from(TOKEN_CHARS, 4)),
        4 => format!(
            "{}%0A{}",
            m.string_from(TOKEN_CHARS, 4),
            m.string_from(TOKEN_CHARS, 4)
        ),
        5 => format!("a+b{}", m.string_from(TOKEN_CHARS, 3)),
        6 => "%C3%A9t%C3%A9".to_owned(),
        7 => "%00".to_owned(),
        _ => {
            let len = 1 + m.below(60);
            m.string_from(TOKEN_CHARS, len)
        }
    }
}

/// A callback query: half the time a well-formed `code` + `state` (or `error`) in any order,
/// else a random list of parameters from the names the parser knows and a few it does not.
pub(crate) fn gen_callback_query(m: &mut Mutator) -> String {
    let mut params: Vec<(String, String)> = Vec::new();
    if m.one_in(2) {
        if m.one_in(5) {
            params.push((
                "error".into(),
                m.pick(&["access_denied", "provider_error", "x"]).into(),
            ));
            if m.one_in(2) {
                params.push(("error_description".into(), gen_value(m)));
            }
        } else {
            params.push(("code".into(), gen_value(m)));
        }
        params.push(("state".into(), gen_value(m)));
        if m.one_in(3) {
            params.push(("scope".into(), "info accounts offline_access".into()));
        }
        if m.one_in(2) {
            params.reverse();
        }
    }
    for _ in 0..m.below(4) {
        let key = m.pick(&[
            "code",
            "state",
            "error",
            "error_description",
            "scope",
            "Code",
            "STATE",
            "code ",
            "c%6Fde",
            "",
            "tracking_id",
            "code[]",
        ]);
        params.push((key.to_owned(), gen_value(m)));
    }
    let separator = m.pick(&["&", "&", "&", ";", "&&"]);
    params
        .into_iter()
        .map(|(k, v)| if m.one_in(20) { k } else { format!("{k}={v}") })
        .collect::<Vec<_>>()
        .join(separator)
}

/// The invariant of an accepted callback, whichever way it came: exactly one `code` and one
/// `state` in the query (the ones returned), no `error`, visible-ASCII values of bounded size,
/// and the registered scheme, host, port and path when it came as a URL.
pub(crate) fn check_authorized(input: &str, a: &AuthorizedCallback) -> Result<(), String> {
    let trimmed = input.trim();
    let (query, url) = match &a.redirect_uri {
        None => {
            if trimmed.contains("://") {
                return Err("a URL was accepted as bare parameters".into());
            }
            (trimmed.trim_start_matches('?').to_owned(), None)
        }
        Some(_) => {
            let url = Url::parse(trimmed).map_err(|e| format!("accepted a non-URL: {e}"))?;
            (url.query().unwrap_or_default().to_owned(), Some(url))
        }
    };
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let values = |name: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    if values("code") != [a.code.secret()] {
        return Err(format!(
            "accepted with {} code(s), or not the one returned",
            values("code").len()
        ));
    }
    if values("state") != [a.state.as_str()] {
        return Err(format!(
            "accepted with {} state(s), or not the one returned",
            values("state").len()
        ));
    }
    if !values("error").is_empty() {
        return Err("accepted as authorized with an error".into());
    }
    for (name, value) in [("code", a.code.secret()), ("state", a.state.as_str())] {
        if value.is_empty() || value.len() > 2048 || !value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(format!(
                "accepted a {name} that is empty, huge or not visible ASCII"
            ));
        }
    }
    if let (Some(url), Some(registered)) = (url, &a.redirect_uri) {
        if !corpus::REDIRECT_URIS
            .iter()
            .chain([corpus::loopback_uri().as_str()].iter())
            .any(|r| same_place(r, registered))
        {
            return Err(format!("matched {registered}, which is not registered"));
        }
        let reg = Url::parse(registered).map_err(|e| format!("registered URI unparsable: {e}"))?;
        let path = |u: &Url| {
            if matches!(u.scheme(), "http" | "https") {
                u.path().to_owned()
            } else {
                u.path().trim_end_matches('/').to_owned()
            }
        };
        if url.scheme() != reg.scheme()
            || url.host_str() != reg.host_str()
            || url.port_or_known_default() != reg.port_or_known_default()
            || path(&url) != path(&reg)
            || !url.username().is_empty()
            || url.password().is_some()
        {
            return Err(format!(
                "accepted {url} as {registered}: another scheme, host, port or path"
            ));
        }
    }
    Ok(())
}

/// Two URI strings naming the same registered endpoint (the parser reports them normalised).
fn same_place(a: &str, b: &str) -> bool {
    match (Url::parse(a), Url::parse(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Checks any outcome of the callback parser for `input`.
pub(crate) fn check_outcome(input: &str, outcome: &CallbackOutcome) -> Result<(), String> {
    match outcome {
        CallbackOutcome::Authorized(a) => check_authorized(input, a),
        CallbackOutcome::Refused(r) => {
            if r.error.is_empty() || !r.error.bytes().all(|b| b.is_ascii_graphic()) {
                return Err("refused with an empty or invisible error code".into());
            }
            Ok(())
        }
    }
}
