//! The auth dialog's HTML: plain server-rendered pages that work without JavaScript (a presenter
//! shows them), with stable element ids for automation (`#allow`, `#cancel`, `#login`,
//! `#continue`, `#username`, `#password`, `[data-provider-id]`, `input[name=account_id]`).
//! Only rendering lives here: every value is HTML-escaped; no decisions are taken.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine as _;
use sha2::{Digest as _, Sha256};

use super::session::{AccountChoice, DialogSession, Purpose, Redirect};
use crate::data::Provider;

/// The dialog's stylesheet, served at `/assets/dialog.css`.
pub const STYLESHEET: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;background:#f3f4f6;color:#111827}
header{background:#111827;color:#f9fafb;padding:12px 20px;display:flex;justify-content:space-between;align-items:center;font-size:14px}
header strong{font-size:16px;letter-spacing:.02em}
header .badge{background:#f59e0b;color:#111827;border-radius:999px;padding:2px 10px;font-weight:600;font-size:12px}
main{max-width:460px;margin:32px auto;padding:0 16px}
.card{background:#fff;border-radius:14px;box-shadow:0 1px 3px rgba(0,0,0,.08),0 8px 24px rgba(0,0,0,.06);padding:28px}
h1{font-size:22px;margin:0 0 8px}
p.lead{color:#4b5563;margin:0 0 20px}
ul.scopes{padding-left:20px;margin:0 0 20px}
ul.scopes li{margin:4px 0}
.actions{display:flex;gap:12px;margin-top:20px}
button{font:inherit;border-radius:10px;border:1px solid #d1d5db;background:#fff;padding:10px 18px;cursor:pointer}
button.primary{background:#2563eb;border-color:#2563eb;color:#fff;font-weight:600;flex:1}
button.primary:hover{background:#1d4ed8}
button.link{border:none;background:none;color:#4b5563;text-decoration:underline;padding:10px 4px}
label{display:block;font-weight:600;margin:14px 0 6px}
input[type=text],input[type=password]{width:100%;font:inherit;padding:10px 12px;border:1px solid #d1d5db;border-radius:10px}
input:focus,button:focus{outline:3px solid #93c5fd;outline-offset:1px}
ul.providers{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:1fr 1fr;gap:10px}
ul.providers button{width:100%;display:flex;align-items:center;gap:10px;text-align:left;padding:10px}
ul.providers img{width:32px;height:32px;border-radius:8px}
ul.providers small{display:block;color:#6b7280;font-size:12px}
.bank{display:flex;align-items:center;gap:12px;margin-bottom:16px}
.bank img{width:44px;height:44px;border-radius:10px}
.hint{background:#eff6ff;color:#1e3a8a;border-radius:10px;padding:10px 12px;font-size:13px;margin-top:16px}
.error{background:#fef2f2;color:#991b1b;border:1px solid #fecaca;border-radius:10px;padding:10px 12px;margin:0 0 16px}
ul.accounts{list-style:none;padding:0;margin:0}
ul.accounts li{border:1px solid #e5e7eb;border-radius:10px;margin:8px 0}
ul.accounts label{display:flex;gap:12px;align-items:center;margin:0;padding:12px;font-weight:400;cursor:pointer}
ul.accounts small{display:block;color:#6b7280}
code{background:#f3f4f6;padding:1px 5px;border-radius:5px;font-size:90%}
footer{text-align:center;color:#6b7280;font-size:12px;margin:24px 0}
"#;

/// The inline script of the form_post page, allowed by its hash in the page's CSP.
const AUTO_SUBMIT: &str = "document.getElementById('form_post').submit();";

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn layout(title: &str, body: &str, lang: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · TrueLayer sandbox</title>\
         <link rel=\"stylesheet\" href=\"/assets/dialog.css\"></head><body>\
         <header><strong>TrueLayer</strong><span class=\"badge\">Sandbox · Linkscope built-in</span></header>\
         <main><div class=\"card\">{body}</div>\
         <footer>A local emulator of TrueLayer's sandbox. No real bank is contacted.</footer>\
         </main></body></html>",
        lang = escape(lang),
        title = escape(title),
    )
}

fn html(status: StatusCode, page: String) -> Response {
    let mut response = (status, Html(page)).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            // No form-action: the dialog's last form is answered with a 303 to the client's redirect URI,
            // often a custom scheme (linkscope://), and Chromium applies form-action to that
            // redirect; `*` does not match custom schemes, so the user would be stuck.
            "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn session_fields(session: &DialogSession) -> String {
    format!(
        "<input type=\"hidden\" name=\"session_id\" value=\"{}\">\
         <input type=\"hidden\" name=\"step\" value=\"{}\">",
        escape(&session.id),
        session.step.as_str()
    )
}

fn cancel_button() -> &'static str {
    "<button type=\"submit\" id=\"cancel\" class=\"link\" name=\"action\" value=\"cancel\" formnovalidate>Cancel</button>"
}

fn lang(session: &DialogSession) -> &str {
    session.link.language_id.as_deref().unwrap_or("en")
}

fn error_box(error: Option<&str>) -> String {
    error
        .map(|e| {
            format!(
                "<p class=\"error\" id=\"error\" role=\"alert\">{}</p>",
                escape(e)
            )
        })
        .unwrap_or_default()
}

/// The page for a link or session that cannot be used.
pub fn error_page(status: StatusCode, code: &str, description: &str) -> Response {
    let body = format!(
        "<h1>This link cannot be used</h1>\
         <p class=\"error\" id=\"error\" role=\"alert\"><strong id=\"error-code\">{}</strong><br>\
         <span id=\"error-description\">{}</span></p>\
         <p class=\"lead\">Nothing was shared and you were not redirected. Go back to the app \
         and start again; if it keeps happening, the app builds its auth link wrongly.</p>",
        escape(code),
        escape(description)
    );
    html(status, layout("Error", &body, "en"))
}

/// TrueLayer's consent screen.
pub fn consent_page(session: &DialogSession, provider: Option<&Provider>) -> Response {
    let scopes: String = session
        .link
        .scopes
        .iter()
        .map(|s| {
            format!(
                "<li data-scope=\"{}\">{}</li>",
                s.as_str(),
                escape(s.describe())
            )
        })
        .collect();
    let bank = provider
        .map(|p| format!(" from <strong>{}</strong>", escape(&p.display_name)))
        .unwrap_or_default();
    let reconfirm = matches!(
        session.purpose,
        Purpose::Reauth {
            reconfirm: true,
            ..
        }
    );
    let (title, asking) = if reconfirm {
        ("Reconfirm your consent", "would like to keep seeing")
    } else {
        ("Share your data", "is asking to see")
    };
    let body = format!(
        "<h1>{title}</h1>\
         <p class=\"lead\"><strong id=\"client-id\">{client}</strong> {asking}, through \
         TrueLayer, the following data{bank}:</p>\
         <ul class=\"scopes\">{scopes}</ul>\
         <form method=\"post\" action=\"/dialog\">{fields}\
         <div class=\"actions\"><button type=\"submit\" id=\"allow\" class=\"primary\" name=\"action\" value=\"allow\">Allow</button>{cancel}</div></form>",
        client = escape(&session.link.client_id),
        fields = session_fields(session),
        cancel = cancel_button(),
    );
    html(StatusCode::OK, layout("Consent", &body, lang(session)))
}

/// Provider selection.
pub fn provider_page(
    session: &DialogSession,
    providers: &[Provider],
    error: Option<&str>,
) -> Response {
    let items: String = providers
        .iter()
        .map(|p| {
            format!(
                "<li><button type=\"submit\" name=\"provider_id\" value=\"{id}\" data-provider-id=\"{id}\">\
                 <img src=\"/img/banks/logos/{id}.svg\" alt=\"\"><span>{name}<small>{country}</small></span></button></li>",
                id = escape(&p.provider_id),
                name = escape(&p.display_name),
                country = escape(&p.country.to_uppercase()),
            )
        })
        .collect();
    let body = format!(
        "<h1>Choose your bank</h1>{error}\
         <form method=\"post\" action=\"/dialog\">{fields}\
         <input type=\"hidden\" name=\"action\" value=\"provider\">\
         <ul class=\"providers\">{items}</ul>\
         <div class=\"actions\">{cancel}</div></form>",
        error = error_box(error),
        fields = session_fields(session),
        cancel = cancel_button(),
    );
    html(
        StatusCode::OK,
        layout("Choose your bank", &body, lang(session)),
    )
}

/// The mock bank's login.
pub fn login_page(session: &DialogSession, provider: &Provider, error: Option<&str>) -> Response {
    let body = format!(
        "<div class=\"bank\"><img src=\"/img/banks/logos/{id}.svg\" alt=\"\"><div><h1>{name}</h1>\
         <small>Mock bank login</small></div></div>{error}\
         <form method=\"post\" action=\"/dialog\">{fields}\
         <label for=\"username\">Username</label>\
         <input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" autocapitalize=\"none\" required autofocus>\
         <label for=\"password\">Password</label>\
         <input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>\
         <div class=\"actions\"><button type=\"submit\" id=\"login\" class=\"primary\" name=\"action\" value=\"login\">Log in</button>{cancel}</div></form>\
         <p class=\"hint\">Mock users: <code>john</code> / <code>doe</code> (also john1…john100 with doe1…doe100 \
         or iban1…iban100), <code>john</code> / <code>eternal</code>, <code>error.internal_error</code> / <code>error</code> \
         and the other <code>error.*</code> users, <code>john.dense</code> / <code>dense</code>.</p>",
        id = escape(&provider.provider_id),
        name = escape(&provider.display_name),
        error = error_box(error),
        fields = session_fields(session),
        cancel = cancel_button(),
    );
    html(StatusCode::OK, layout("Log in", &body, lang(session)))
}

/// Account and card selection.
pub fn accounts_page(
    session: &DialogSession,
    provider: &Provider,
    choices: &[AccountChoice],
    error: Option<&str>,
) -> Response {
    let items: String = choices
        .iter()
        .map(|c| {
            format!(
                "<li><label><input type=\"checkbox\" name=\"account_id\" value=\"{id}\" data-kind=\"{kind}\" checked>\
                 <span>{name}<small>{detail}</small></span></label></li>",
                id = escape(&c.id),
                kind = c.kind,
                name = escape(&c.name),
                detail = escape(&c.detail),
            )
        })
        .collect();
    let body = format!(
        "<div class=\"bank\"><img src=\"/img/banks/logos/{pid}.svg\" alt=\"\"><div><h1>Choose accounts</h1>\
         <small>{pname}</small></div></div>{error}\
         <form method=\"post\" action=\"/dialog\">{fields}\
         <ul class=\"accounts\">{items}</ul>\
         <div class=\"actions\"><button type=\"submit\" id=\"continue\" class=\"primary\" name=\"action\" value=\"continue\">Continue</button>{cancel}</div></form>",
        pid = escape(&provider.provider_id),
        pname = escape(&provider.display_name),
        error = error_box(error),
        fields = session_fields(session),
        cancel = cancel_button(),
    );
    html(
        StatusCode::OK,
        layout("Choose accounts", &body, lang(session)),
    )
}

/// The response that ends the dialog: a 303 to the redirect URI, or for `form_post` a page whose
/// form posts `code`/`state` there by itself (with a button for browsers without JavaScript).
pub fn redirect_response(redirect: &Redirect) -> Response {
    if !redirect.form_post {
        let mut response = StatusCode::SEE_OTHER.into_response();
        if let Ok(location) = HeaderValue::from_str(&redirect.url()) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    let inputs: String = redirect
        .params
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(k),
                escape(v)
            )
        })
        .collect();
    let body = format!(
        "<h1>Returning to the app…</h1><p class=\"lead\">Sending the result to <code>{uri}</code>.</p>\
         <form id=\"form_post\" method=\"post\" action=\"{uri}\">{inputs}\
         <noscript><p>JavaScript is off: press Continue.</p></noscript>\
         <div class=\"actions\"><button type=\"submit\" id=\"continue\" class=\"primary\">Continue</button></div></form>\
         <script>{AUTO_SUBMIT}</script>",
        uri = escape(&redirect.redirect_uri),
    );
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(AUTO_SUBMIT));
    let csp = format!(
        "default-src 'none'; style-src 'self'; script-src 'sha256-{hash}'; form-action {}; frame-ancestors 'none'; base-uri 'none'",
        form_action_source(&redirect.redirect_uri)
    );
    let mut response = html(StatusCode::OK, layout("Redirecting", &body, "en"));
    if let Ok(value) = HeaderValue::from_str(&csp) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// The CSP source that allows posting to the redirect URI's origin.
fn form_action_source(redirect_uri: &str) -> String {
    url::Url::parse(redirect_uri)
        .map(|u| u.origin().ascii_serialization())
        .ok()
        .filter(|o| o != "null")
        .unwrap_or_else(|| "*".to_owned())
}
