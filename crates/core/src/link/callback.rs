//! The strict parser for the bank's redirect back to Linkscope, whichever way it arrives: a deep
//! link (`linkscope://callback?…`, dev `linkscope-dev://callback?…`), the loopback listener
//! (`http://127.0.0.1:<port>/callback?…`, a form_post body is turned into the same query), or a
//! pasted URL or bare `code=…&state=…`.
//!
//! It only checks the *shape* (RFC 6749 §4.1.2: `code` + `state`, or §4.1.2.1: `error`); the
//! link service then checks that the `state` belongs to a pending link. It never panics and never
//! indexes into input.

use std::fmt;

use linkscope_truelayer as tl;
use url::Url;

use crate::error::{Error, Result};

/// The longest input accepted (a real redirect is a few hundred bytes).
pub const MAX_CALLBACK_LEN: usize = 8 * 1024;
/// The longest `code` or `state` accepted.
const MAX_VALUE_LEN: usize = 2 * 1024;

/// The redirect URIs this app hands out: a callback must arrive on one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedRedirect {
    allowed: Vec<Url>,
}

impl ExpectedRedirect {
    /// Accepts callbacks on these redirect URIs (e.g. `linkscope://callback`,
    /// `http://127.0.0.1:3947/callback`). Their query parts are ignored.
    pub fn new<I, S>(uris: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let allowed = uris
            .into_iter()
            .map(|u| {
                Url::parse(u.as_ref()).map_err(|e| {
                    Error::Validation(format!("bad redirect URI {:?}: {e}", u.as_ref()))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self { allowed })
    }

    /// The URIs accepted, as strings.
    pub fn uris(&self) -> Vec<String> {
        self.allowed.iter().map(base_of).collect()
    }

    /// Whether `uri` names one of the allowed redirect URIs (same scheme, host, port and path).
    pub fn accepts(&self, uri: &str) -> bool {
        Url::parse(uri).is_ok_and(|url| self.matching(&url).is_some())
    }

    /// The allowed redirect `url` arrived on, as the registered string.
    fn matching(&self, url: &Url) -> Option<String> {
        self.allowed
            .iter()
            .find(|a| same_endpoint(a, url))
            .map(base_of)
    }
}

/// Scheme, host, port and path of a URL, without query or fragment.
fn base_of(url: &Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}

fn same_endpoint(allowed: &Url, got: &Url) -> bool {
    if allowed.scheme() != got.scheme()
        || allowed.host_str() != got.host_str()
        || allowed.port_or_known_default() != got.port_or_known_default()
        || !got.username().is_empty()
        || got.password().is_some()
    {
        return false;
    }
    if matches!(got.scheme(), "http" | "https") {
        allowed.path() == got.path()
    } else {
        // Custom schemes: `linkscope://callback` and `linkscope://callback/` are the same place
        // (some OS handlers add the slash).
        allowed.path().trim_end_matches('/') == got.path().trim_end_matches('/')
    }
}

/// What a redirect said.
#[derive(Debug)]
pub enum CallbackOutcome {
    /// `code` + `state`: the user consented.
    Authorized(AuthorizedCallback),
    /// `error` (+ `error_description`): the user cancelled or the bank refused.
    Refused(RefusedCallback),
}

/// A successful redirect.
#[derive(Debug)]
pub struct AuthorizedCallback {
    /// A secret (TrueLayer: valid 5 minutes, single use): redacted `Debug`, no `Clone`.
    pub code: tl::AuthorizationCode,
    pub state: String,
    /// The registered redirect URI it matched; `None` for bare pasted `code=…&state=…`.
    pub redirect_uri: Option<String>,
    /// `scope`, if the server appended it.
    pub scope: Option<String>,
}

/// An `error=` redirect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedCallback {
    pub error: String,
    pub description: Option<String>,
    pub state: Option<String>,
    pub redirect_uri: Option<String>,
}

impl RefusedCallback {
    /// The error to show ("the user cancelled" / "the bank refused").
    pub fn to_error(&self) -> Error {
        Error::refused(&self.error, self.description.as_deref())
    }
}

/// The most of an `error_description` that is shown or logged, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 300;

/// An `error_description` as it may be shown or logged: it comes from whoever built the redirect,
/// so control characters (terminal escapes, newlines that would forge log lines) become spaces,
/// runs of white space fold to one, and it is cut to [`MAX_DESCRIPTION_CHARS`] with an ellipsis.
pub fn sanitize_description(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let folded = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() <= MAX_DESCRIPTION_CHARS {
        return folded;
    }
    let mut cut: String = folded.chars().take(MAX_DESCRIPTION_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// Parses a redirect URL (or pasted `code=…&state=…`) strictly against the app's redirect URIs.
pub fn parse_callback(input: &str, expected: &ExpectedRedirect) -> Result<CallbackOutcome> {
    let input = input.trim();
    if input.is_empty() {
        return Err(invalid("it is empty"));
    }
    if input.len() > MAX_CALLBACK_LEN {
        return Err(invalid("it is too long"));
    }
    if input.chars().any(char::is_control) {
        return Err(invalid("it contains control characters"));
    }

    let (query, redirect_uri) = if looks_like_bare_params(input) {
        (input.trim_start_matches('?').to_owned(), None)
    } else {
        let url = Url::parse(input).map_err(|e| invalid(format!("it is not a URL ({e})")))?;
        let Some(matched) = expected.matching(&url) else {
            return Err(invalid(format!(
                "it does not go to one of Linkscope's redirect URIs ({})",
                expected.uris().join(", ")
            )));
        };
        if let Some(fragment) = url.fragment() {
            if carries_callback_params(fragment) {
                return Err(invalid(
                    "its parameters are in the URL fragment, not the query",
                ));
            }
        }
        (url.query().unwrap_or_default().to_owned(), Some(matched))
    };
    parse_params(&query, redirect_uri)
}

fn invalid(why: impl fmt::Display) -> Error {
    Error::InvalidCallback(why.to_string())
}

/// `code=…&state=…` pasted alone (optionally with a leading `?`), rather than a URL.
fn looks_like_bare_params(input: &str) -> bool {
    let s = input.trim_start_matches('?');
    !s.contains("://") && carries_callback_params(s)
}

fn carries_callback_params(s: &str) -> bool {
    url::form_urlencoded::parse(s.as_bytes())
        .any(|(k, _)| k == "code" || k == "state" || k == "error")
}

/// Collects one parameter, refusing duplicates.
fn take_once(slot: &mut Option<String>, name: &str, value: String) -> Result<()> {
    if slot.is_some() {
        return Err(invalid(format!("it has `{name}` more than once")));
    }
    *slot = Some(value);
    Ok(())
}

fn parse_params(query: &str, redirect_uri: Option<String>) -> Result<CallbackOutcome> {
    let mut code = None;
    let mut state = None;
    let mut error = None;
    let mut description = None;
    let mut scope = None;
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let value = value.into_owned();
        match key.as_ref() {
            "code" => take_once(&mut code, "code", value)?,
            "state" => take_once(&mut state, "state", value)?,
            "error" => take_once(&mut error, "error", value)?,
            "error_description" => take_once(&mut description, "error_description", value)?,
            "scope" => take_once(&mut scope, "scope", value)?,
            // Unknown parameters are allowed (servers add some), and ignored.
            _ => {}
        }
    }

    if let Some(error) = error {
        if code.is_some() {
            return Err(invalid("it has both `code` and `error`"));
        }
        check_token("error", &error)?;
        if let Some(s) = &state {
            check_token("state", s)?;
        }
        let description = description
            .map(|d| sanitize_description(&d))
            .filter(|d| !d.is_empty());
        return Ok(CallbackOutcome::Refused(RefusedCallback {
            error,
            description,
            state,
            redirect_uri,
        }));
    }

    let code = code.ok_or_else(|| invalid("it has no `code`"))?;
    let state = state.ok_or_else(|| invalid("it has no `state`"))?;
    check_token("code", &code)?;
    check_token("state", &state)?;
    Ok(CallbackOutcome::Authorized(AuthorizedCallback {
        code: tl::AuthorizationCode::new(code),
        state,
        redirect_uri,
        scope,
    }))
}

/// Codes, states and error codes are non-empty visible ASCII of reasonable length.
fn check_token(name: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(invalid(format!("its `{name}` is empty")));
    }
    if value.len() > MAX_VALUE_LEN {
        return Err(invalid(format!("its `{name}` is too long")));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid(format!(
            "its `{name}` has characters a {name} cannot have"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn expected() -> ExpectedRedirect {
        ExpectedRedirect::new([
            "linkscope://callback",
            "linkscope-dev://callback",
            "http://127.0.0.1:3947/callback",
            "https://console.truelayer.com/redirect-page",
        ])
        .unwrap()
    }

    /// (name, input, expected: Ok((code, state, redirect)) or Err(substring of the reason))
    type Case = (
        &'static str,
        &'static str,
        std::result::Result<(&'static str, &'static str, Option<&'static str>), &'static str>,
    );

    #[test]
    fn redirects_are_accepted_or_refused_by_the_table() {
        let cases: &[Case] = &[
            (
                "a deep link is accepted",
                "linkscope://callback?code=abc&state=s1",
                Ok(("abc", "s1", Some("linkscope://callback"))),
            ),
            (
                "a dev deep link is accepted",
                "linkscope-dev://callback?code=abc&state=s1",
                Ok(("abc", "s1", Some("linkscope-dev://callback"))),
            ),
            (
                "a deep link with a trailing slash is accepted",
                "linkscope://callback/?code=abc&state=s1",
                Ok(("abc", "s1", Some("linkscope://callback"))),
            ),
            (
                "a loopback redirect is accepted",
                "http://127.0.0.1:3947/callback?code=abc&state=s1",
                Ok(("abc", "s1", Some("http://127.0.0.1:3947/callback"))),
            ),
            (
                "the console page is accepted",
                "https://console.truelayer.com/redirect-page?code=abc&state=s1",
                Ok((
                    "abc",
                    "s1",
                    Some("https://console.truelayer.com/redirect-page"),
                )),
            ),
            (
                "surrounding whitespace from a paste is ignored",
                "  linkscope://callback?code=abc&state=s1\n",
                Ok(("abc", "s1", Some("linkscope://callback"))),
            ),
            (
                "bare pasted parameters are accepted",
                "code=abc&state=s1",
                Ok(("abc", "s1", None)),
            ),
            (
                "bare pasted parameters with a question mark are accepted",
                "?state=s1&code=abc",
                Ok(("abc", "s1", None)),
            ),
            (
                "unknown parameters are ignored",
                "linkscope://callback?code=abc&state=s1&scope=info%20accounts&foo=bar",
                Ok(("abc", "s1", Some("linkscope://callback"))),
            ),
            (
                "percent-encoded values are decoded",
                "linkscope://callback?code=a%2Bb&state=s%3D1",
                Ok(("a+b", "s=1", Some("linkscope://callback"))),
            ),
            (
                "the scheme is case-insensitive",
                "LINKSCOPE://callback?code=abc&state=s1",
                Ok(("abc", "s1", Some("linkscope://callback"))),
            ),
            (
                "a wrong scheme is refused",
                "evilscope://callback?code=abc&state=s1",
                Err("redirect URIs"),
            ),
            (
                "a wrong host is refused",
                "linkscope://callbackx?code=abc&state=s1",
                Err("redirect URIs"),
            ),
            (
                "a wrong path is refused",
                "linkscope://callback/other?code=abc&state=s1",
                Err("redirect URIs"),
            ),
            (
                "a wrong loopback port is refused",
                "http://127.0.0.1:3948/callback?code=abc&state=s1",
                Err("redirect URIs"),
            ),
            (
                "a wrong loopback path is refused",
                "http://127.0.0.1:3947/callbackz?code=abc&state=s1",
                Err("redirect URIs"),
            ),
            (
                "localhost is not 127.0.0.1",
                "http://localhost:3947/callback?code=abc&state=s1",
                Err("redirect URIs"),
            ),
            (
                "https is not http",
                "https://127.0.0.1:3947/callback?code=abc&state=s1",
                Err("redirect URIs"),
            ),
            (
                "credentials in the URL are refused",
                "http://evil@127.0.0.1:3947/callback?code=abc&state=s1",
                Err("redirect URIs"),
            ),
            (
                "a look-alike console host is refused",
                "https://console.truelayer.com.evil.io/redirect-page?code=abc&state=s1",
                Err("redirect URIs"),
            ),
            (
                "a missing code is refused",
                "linkscope://callback?state=s1",
                Err("no `code`"),
            ),
            (
                "a missing state is refused",
                "linkscope://callback?code=abc",
                Err("no `state`"),
            ),
            (
                "an empty code is refused",
                "linkscope://callback?code=&state=s1",
                Err("`code` is empty"),
            ),
            (
                "an empty state is refused",
                "linkscope://callback?code=abc&state=",
                Err("`state` is empty"),
            ),
            (
                "a duplicated code is refused",
                "linkscope://callback?code=abc&code=def&state=s1",
                Err("`code` more than once"),
            ),
            (
                "a duplicated state is refused",
                "linkscope://callback?code=abc&state=s1&state=s2",
                Err("`state` more than once"),
            ),
            (
                "a code with spaces is refused",
                "linkscope://callback?code=a%20b&state=s1",
                Err("characters"),
            ),
            (
                "a code with non-ASCII is refused",
                "linkscope://callback?code=%C3%A9&state=s1",
                Err("characters"),
            ),
            (
                "a code and an error together are refused",
                "linkscope://callback?code=abc&error=access_denied&state=s1",
                Err("both"),
            ),
            (
                "parameters in the fragment are refused",
                "linkscope://callback#code=abc&state=s1",
                Err("fragment"),
            ),
            (
                "no query at all is refused",
                "linkscope://callback",
                Err("no `code`"),
            ),
            ("an empty input is refused", "   ", Err("empty")),
            ("a non-URL is refused", "hello there", Err("not a URL")),
            (
                "control characters are refused",
                "linkscope://callback?code=abc&state=s1\u{0}",
                Err("control"),
            ),
        ];
        for (name, input, want) in cases {
            let got = parse_callback(input, &expected());
            match (want, got) {
                (Ok((code, state, redirect)), Ok(CallbackOutcome::Authorized(a))) => {
                    assert_eq!(a.code.secret(), *code, "{name}");
                    assert_eq!(a.state, *state, "{name}");
                    assert_eq!(a.redirect_uri.as_deref(), *redirect, "{name}");
                }
                (Err(reason), Err(Error::InvalidCallback(msg))) => {
                    assert!(
                        msg.contains(reason),
                        "{name}: {msg:?} should mention {reason:?}"
                    );
                }
                (want, got) => panic!("{name}: wanted {want:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn an_error_redirect_is_a_refusal_not_a_failure() {
        let got = parse_callback(
            "linkscope://callback?error=access_denied&error_description=User%20cancelled&state=s1",
            &expected(),
        )
        .unwrap();
        let CallbackOutcome::Refused(r) = got else {
            panic!("expected a refusal, got {got:?}")
        };
        assert_eq!(r.error, "access_denied");
        assert_eq!(r.description.as_deref(), Some("User cancelled"));
        assert_eq!(r.state.as_deref(), Some("s1"));
        assert_eq!(
            r.to_error().code(),
            crate::dto::ErrorCode::AccessDeniedByUser
        );
    }

    #[test]
    fn an_error_redirect_without_state_is_still_a_refusal() {
        let got = parse_callback("error=provider_error", &expected()).unwrap();
        let CallbackOutcome::Refused(r) = got else {
            panic!("expected a refusal")
        };
        assert_eq!(r.state, None);
        assert_eq!(r.to_error().code(), crate::dto::ErrorCode::Truelayer);
    }

    #[test]
    fn an_error_description_loses_control_characters_and_is_capped() {
        let got = parse_callback(
            "linkscope://callback?error=access_denied&state=s1&error_description=Denied%1B%5B31m%0A2026-12-01%20INFO%20forged%09line",
            &expected(),
        )
        .unwrap();
        let CallbackOutcome::Refused(r) = got else {
            panic!("expected a refusal")
        };
        let said = r.description.unwrap();
        assert!(
            !said.chars().any(char::is_control),
            "no control character survives: {said:?}"
        );
        assert_eq!(said, "Denied [31m 2026-12-01 INFO forged line");

        let long = "x".repeat(1_500); // under the parser's 2 KiB value limit, over the cap
        let got = parse_callback(
            &format!("linkscope://callback?error=access_denied&state=s1&error_description={long}"),
            &expected(),
        )
        .unwrap();
        let CallbackOutcome::Refused(r) = got else {
            panic!("expected a refusal")
        };
        let said = r.description.unwrap();
        assert_eq!(said.chars().count(), MAX_DESCRIPTION_CHARS, "capped");
        assert!(said.ends_with('…'), "and says it was cut");
    }

    #[test]
    fn a_description_of_only_control_characters_is_no_description() {
        let got = parse_callback(
            "linkscope://callback?error=access_denied&state=s1&error_description=%0A%0D%1B",
            &expected(),
        )
        .unwrap();
        let CallbackOutcome::Refused(r) = got else {
            panic!("expected a refusal")
        };
        assert_eq!(r.description, None);
    }

    #[test]
    fn an_empty_error_is_refused() {
        assert!(matches!(
            parse_callback("linkscope://callback?error=&state=s1", &expected()),
            Err(Error::InvalidCallback(_))
        ));
    }

    #[test]
    fn a_parsed_code_never_prints() {
        let got = parse_callback("code=super-secret-code&state=s1", &expected()).unwrap();
        let printed = format!("{got:?}");
        assert!(!printed.contains("super-secret-code"), "{printed}");
    }

    #[test]
    fn a_redirect_uri_is_accepted_only_where_a_callback_would_be() {
        let deep_link = ExpectedRedirect::new(["linkscope://callback"]).unwrap();
        assert!(deep_link.accepts("linkscope://callback"));
        assert!(
            deep_link.accepts("linkscope://callback/"),
            "custom schemes ignore a trailing slash, as parse_callback does"
        );
        assert!(!deep_link.accepts("http://127.0.0.1:3947/callback"));
        assert!(!deep_link.accepts("not a url"));
    }

    #[test]
    fn a_bad_expected_redirect_is_a_validation_error() {
        assert!(matches!(
            ExpectedRedirect::new(["not a url"]),
            Err(Error::Validation(_))
        ));
    }

    #[test]
    fn garbage_input_never_panics() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(0x11ec5c0e);
        let alphabet: Vec<char> =
            "abc:/?#&=%+.-_~ \u{0}\u{7f}é€😀[]@!$'()*,;0123456789ABCDEFcodestateerror"
                .chars()
                .collect();
        let seeds = [
            "linkscope://callback?code=abc&state=s1",
            "http://127.0.0.1:3947/callback?code=abc&state=s1",
            "code=abc&state=s1",
        ];
        for i in 0..20_000 {
            let input: String = if i % 2 == 0 {
                let len = rng.gen_range(0..120);
                (0..len)
                    .map(|_| alphabet[rng.gen_range(0..alphabet.len())])
                    .collect()
            } else {
                // Mutate a valid redirect: replace, insert or delete a few characters.
                let mut chars: Vec<char> = seeds[i % seeds.len()].chars().collect();
                for _ in 0..rng.gen_range(1..6) {
                    let pos = rng.gen_range(0..=chars.len());
                    let c = alphabet[rng.gen_range(0..alphabet.len())];
                    match rng.gen_range(0..3) {
                        0 if pos < chars.len() => chars[pos] = c,
                        1 if pos < chars.len() => {
                            chars.remove(pos);
                        }
                        _ => chars.insert(pos, c),
                    }
                }
                chars.into_iter().collect()
            };
            // Must return, Ok or Err, without panicking.
            let _ = parse_callback(&input, &expected());
        }
        let _ = parse_callback(&"a".repeat(MAX_CALLBACK_LEN + 1), &expected());
    }
}
