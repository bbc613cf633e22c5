//! Who may talk to the sandbox, checked before any handler runs: every route answers only a
//! `Host` naming this listener on loopback (`127.0.0.1:<port>`, `localhost:<port>`: the DNS
//! rebinding defence), and the QA controls (`/__sandbox/…`) also need this launch's control
//! token in `X-Sandbox-Token` and JSON bodies, so a web page the user visits can neither call
//! them nor forge a form POST to them. Decides only; the layer in `middleware` answers.

use axum::http::{header, HeaderMap, Method, StatusCode, Uri};

use crate::errors::TlError;
use crate::tokens::TokenHash;

/// The header that carries the control token.
pub const CONTROL_TOKEN_HEADER: &str = "x-sandbox-token";

/// How much of a refused `Host` is quoted back in the error.
const MAX_QUOTED_HOST: usize = 64;

/// The `Host` values one listener answers, from its base URL (`http://127.0.0.1:41234`): the
/// URL's own authority plus `127.0.0.1:<port>` and `localhost:<port>`, lower-case.
#[derive(Debug, Clone)]
pub struct AllowedHosts(Vec<String>);

impl AllowedHosts {
    /// The hosts of the listener at `base_url`. A URL that does not parse allows nothing.
    pub fn of(base_url: &str) -> Self {
        let Ok(url) = url::Url::parse(base_url) else {
            return Self(Vec::new());
        };
        let mut hosts = Vec::new();
        if let Some(host) = url.host_str() {
            hosts.push(match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            });
        }
        if let Some(port) = url.port() {
            hosts.push(format!("127.0.0.1:{port}"));
            hosts.push(format!("localhost:{port}"));
        }
        hosts.iter_mut().for_each(|h| h.make_ascii_lowercase());
        Self(hosts)
    }

    /// Refuses a request whose `Host` (or, lacking one, the URI's authority) is not one of
    /// these: 421 `invalid_host`.
    pub fn check(&self, headers: &HeaderMap, uri: &Uri) -> Result<(), TlError> {
        let presented = match headers.get(header::HOST) {
            Some(value) => value.to_str().ok(),
            None => uri.authority().map(|a| a.as_str()),
        };
        let allowed = presented.is_some_and(|host| {
            self.0
                .iter()
                .any(|allowed| allowed.eq_ignore_ascii_case(host))
        });
        if allowed {
            return Ok(());
        }
        let expected = self.0.join(" or ");
        let description = match presented {
            Some(host) => format!(
                "The Host header '{}' does not name this sandbox: use {expected}.",
                quoted(host)
            ),
            None => format!("The request has no Host header: use {expected}."),
        };
        Err(
            TlError::new(StatusCode::MISDIRECTED_REQUEST, "invalid_host", description)
                .detail("header", "Host")
                .reason(
                    "The sandbox answers only its own loopback address (DNS rebinding defence).",
                ),
        )
    }
}

/// Refuses a control request without this launch's token (401 `missing_control_token`, 403
/// `invalid_control_token`, compared in constant time) or with a body that is not
/// `application/json` (415 `unsupported_media_type`: every method but GET, HEAD and DELETE
/// carries a body, so a form POST from a web page is refused even when it is empty).
pub fn check_control(
    token: &TokenHash,
    method: &Method,
    headers: &HeaderMap,
) -> Result<(), TlError> {
    match headers.get(CONTROL_TOKEN_HEADER) {
        None => {
            return Err(TlError::new(
                StatusCode::UNAUTHORIZED,
                "missing_control_token",
                "The sandbox's controls need the X-Sandbox-Token header: the control_token this sandbox printed at start.",
            )
            .detail("header", "X-Sandbox-Token"))
        }
        Some(presented) => {
            let matches = presented.to_str().is_ok_and(|p| token.matches(p));
            if !matches {
                return Err(TlError::new(
                    StatusCode::FORBIDDEN,
                    "invalid_control_token",
                    "The X-Sandbox-Token header is not this sandbox's control token (it changes at every start unless one is given).",
                )
                .detail("header", "X-Sandbox-Token"));
            }
        }
    }
    let bodiless = [Method::GET, Method::HEAD, Method::DELETE].contains(method);
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if !bodiless && !content_type.is_some_and(is_json) {
        return Err(TlError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "The sandbox's controls take only Content-Type: application/json bodies, not '{}'.",
                quoted(content_type.unwrap_or("none"))
            ),
        )
        .detail("header", "Content-Type"));
    }
    Ok(())
}

/// `application/json`, with or without parameters (`; charset=utf-8`).
fn is_json(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// A presented header value as it may be quoted in an error: printable characters only, capped.
fn quoted(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_QUOTED_HOST)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn only_the_listeners_own_loopback_names_pass_the_host_rule() {
        let hosts = AllowedHosts::of("http://127.0.0.1:41234");
        let uri = Uri::from_static("/");
        for good in ["127.0.0.1:41234", "localhost:41234", "LOCALHOST:41234"] {
            assert!(
                hosts.check(&headers(&[("host", good)]), &uri).is_ok(),
                "{good}"
            );
        }
        for bad in [
            "evil.example",
            "evil.example:41234",
            "127.0.0.1",
            "127.0.0.1:41235",
            "localhost",
            "127.0.0.1:41234.evil.example",
        ] {
            let error = hosts.check(&headers(&[("host", bad)]), &uri).unwrap_err();
            assert_eq!(error.status, StatusCode::MISDIRECTED_REQUEST, "{bad}");
            assert_eq!(error.error, "invalid_host");
        }
        assert!(
            hosts.check(&HeaderMap::new(), &uri).is_err(),
            "a request without a Host is refused"
        );
    }

    #[test]
    fn a_json_content_type_may_carry_parameters_but_nothing_else_passes() {
        assert!(is_json("application/json"));
        assert!(is_json("application/json; charset=utf-8"));
        for other in [
            "application/x-www-form-urlencoded",
            "text/plain",
            "multipart/form-data; boundary=x",
            "application/jsonp",
        ] {
            assert!(!is_json(other), "{other}");
        }
    }
}
