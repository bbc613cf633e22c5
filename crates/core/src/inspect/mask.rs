//! Presenter-mode masking: hides personal data (names, sort codes, account and card numbers,
//! IBANs, addresses, dates of birth, emails, phones) and token-like strings in text and in JSON,
//! for copies and exports made while presenter mode is on.
//!
//! JSON is masked by field name first (TrueLayer's and our DTOs' names, snake_case or camelCase),
//! then every other string is masked by pattern. Free text can only be masked by pattern, plus
//! the names a [`Masker`] has learned (e.g. from a JSON identity masked earlier). Bare dates are
//! not masked in text (transaction dates are not personal); dates of birth are masked by field.
//! This is presentation, not security: redaction of secrets happens before anything is stored.
//!
//! This file is the one definition of the field rules. The UI masks on screen with the same
//! rules, from `ui/src/bindings/mask/maskRules.ts` (written from [`MaskRules`] when core's tests
//! run), so presenter mode toggles without a round trip; `crates/core/tests/mask-cases.json` is
//! one table of cases that both this file's tests and the UI's `mask.test.ts` run.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

/// The character used to hide.
pub const DOT: char = '•';

/// What a hidden token, secret or credentials id reads as.
const HIDDEN: &str = "•••••• (hidden)";

/// How many trailing characters of a number or phone stay visible.
const KEEP_LAST: usize = 2;

/// A number or phone shows its tail only when at least this many characters stay hidden.
const MIN_HIDDEN: usize = 3;

/// Each word of a name shows its initial and at least this many dots.
const NAME_MIN_DOTS: usize = 2;

/// A hidden address or date of birth shows at least / at most this many dots.
const DOTS_MIN: usize = 3;
const DOTS_MAX: usize = 12;

/// What a value is, when its field name says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FieldKind {
    /// A person's name: initials are kept ("J••• D••").
    Name,
    /// `12-34-56` → `••-••-••`.
    SortCode,
    /// An account, card or IBAN number: the last two characters are kept.
    Number,
    /// A postal address line, city, postcode.
    Address,
    /// A date of birth.
    DateOfBirth,
    Email,
    Phone,
    /// An access or refresh token, a client secret, a credentials id.
    Token,
}

/// Which field names carry which kind of data, as compared: `_` and `-` removed, lower-cased.
const FIELDS: &[(&str, FieldKind)] = &[
    ("fullname", FieldKind::Name),
    ("name", FieldKind::Name),
    ("firstname", FieldKind::Name),
    ("lastname", FieldKind::Name),
    ("middlename", FieldKind::Name),
    ("accountholdername", FieldKind::Name),
    ("nameoncard", FieldKind::Name),
    ("debtoraccountname", FieldKind::Name),
    ("counterpartypreferredname", FieldKind::Name),
    ("payee", FieldKind::Name),
    ("accountholder", FieldKind::Name),
    ("sortcode", FieldKind::SortCode),
    ("number", FieldKind::Number),
    ("accountnumber", FieldKind::Number),
    ("iban", FieldKind::Number),
    ("partialcardnumber", FieldKind::Number),
    ("cardnumber", FieldKind::Number),
    ("counterpartyiban", FieldKind::Number),
    ("bsb", FieldKind::Number),
    ("routingnumber", FieldKind::Number),
    ("address", FieldKind::Address),
    ("addressline1", FieldKind::Address),
    ("addressline2", FieldKind::Address),
    ("addressline3", FieldKind::Address),
    ("street", FieldKind::Address),
    ("city", FieldKind::Address),
    ("state", FieldKind::Address),
    ("zip", FieldKind::Address),
    ("postcode", FieldKind::Address),
    ("postalcode", FieldKind::Address),
    ("addresses", FieldKind::Address),
    ("dateofbirth", FieldKind::DateOfBirth),
    ("dob", FieldKind::DateOfBirth),
    ("birthdate", FieldKind::DateOfBirth),
    ("email", FieldKind::Email),
    ("emails", FieldKind::Email),
    ("useremail", FieldKind::Email),
    ("phone", FieldKind::Phone),
    ("phones", FieldKind::Phone),
    ("phonenumber", FieldKind::Phone),
    ("mobile", FieldKind::Phone),
    ("accesstoken", FieldKind::Token),
    ("refreshtoken", FieldKind::Token),
    ("clientsecret", FieldKind::Token),
    ("code", FieldKind::Token),
    ("codeverifier", FieldKind::Token),
    ("credentialsid", FieldKind::Token),
    ("authorization", FieldKind::Token),
    ("idtoken", FieldKind::Token),
];

/// The field rules as the UI receives them (`ui/src/bindings/mask/maskRules.ts`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MaskRules {
    pub dot: char,
    pub hidden: &'static str,
    pub keep_last: usize,
    pub min_hidden: usize,
    pub name_min_dots: usize,
    pub dots_min: usize,
    pub dots_max: usize,
    /// Normalised field name → kind, in [`FIELDS`]' order.
    pub fields: serde_json::Map<String, Value>,
}

impl MaskRules {
    /// The rules this file masks by.
    pub fn current() -> Self {
        let fields = FIELDS
            .iter()
            .map(|(key, kind)| ((*key).to_owned(), serde_json::json!(kind)))
            .collect();
        Self {
            dot: DOT,
            hidden: HIDDEN,
            keep_last: KEEP_LAST,
            min_hidden: MIN_HIDDEN,
            name_min_dots: NAME_MIN_DOTS,
            dots_min: DOTS_MIN,
            dots_max: DOTS_MAX,
            fields,
        }
    }
}

/// The kind of data a field carries, by its name (snake_case or camelCase).
fn field_kind(key: &str) -> Option<FieldKind> {
    let k: String = key
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .collect::<String>()
        .to_lowercase();
    FIELDS
        .iter()
        .find(|(name, _)| *name == k)
        .map(|(_, kind)| *kind)
}

/// Masks a value of a known kind.
pub fn mask_field(kind: FieldKind, value: &str) -> String {
    match kind {
        FieldKind::Name => mask_name(value),
        FieldKind::SortCode => value
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { DOT } else { c })
            .collect(),
        FieldKind::Number | FieldKind::Phone => keep_last(value, KEEP_LAST),
        FieldKind::Address | FieldKind::DateOfBirth => dots(value),
        FieldKind::Email => mask_email(value),
        FieldKind::Token => HIDDEN.to_owned(),
    }
}

/// "John Doe" → "J••• D••" (one initial per word, the rest hidden).
pub fn mask_name(value: &str) -> String {
    value
        .split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => {
                    let rest = chars.count().max(NAME_MIN_DOTS);
                    format!("{first}{}", DOT.to_string().repeat(rest))
                }
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn dots(value: &str) -> String {
    if value.trim().is_empty() {
        return value.to_owned();
    }
    DOT.to_string().repeat(
        value
            .chars()
            .filter(|c| !c.is_whitespace())
            .count()
            .clamp(DOTS_MIN, DOTS_MAX),
    )
}

/// Hides every alphanumeric character but the last `keep` ones; separators stay.
fn keep_last(value: &str, keep: usize) -> String {
    let total = value.chars().filter(char::is_ascii_alphanumeric).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                seen += 1;
                if total >= keep + MIN_HIDDEN && seen > total - keep {
                    c
                } else {
                    DOT
                }
            } else {
                c
            }
        })
        .collect()
}

fn mask_email(value: &str) -> String {
    match value.rsplit_once('@') {
        Some((_, domain)) => {
            let tld = domain.rsplit_once('.').map(|(_, t)| t).unwrap_or("");
            let dots = DOT.to_string().repeat(3);
            format!("{dots}@{dots}.{tld}")
        }
        None => dots(value),
    }
}

struct Pattern {
    re: Regex,
    replace: fn(&str) -> String,
}

fn pattern(re: &str, replace: fn(&str) -> String) -> Pattern {
    // The patterns are constants, tested below; a bad one is a build-time bug.
    #[allow(clippy::expect_used)]
    let re = Regex::new(re).expect("mask pattern compiles");
    Pattern { re, replace }
}

/// Text patterns, applied in order (most specific first).
static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![
        // JWTs (access tokens).
        pattern(
            r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*",
            |_| mask_field(FieldKind::Token, ""),
        ),
        // Bearer credentials in headers or curl lines.
        pattern(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{8,}", |_| {
            "Bearer ••••••".to_owned()
        }),
        // Emails.
        pattern(
            r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
            mask_email,
        ),
        // Long opaque strings: hex (refresh tokens, ids) and base64 (credentials ids, secrets).
        pattern(r"\b[0-9A-Fa-f]{32,}\b", |_| {
            mask_field(FieldKind::Token, "")
        }),
        pattern(r"[A-Za-z0-9+/_-]{32,}={0,2}", |m| {
            let has_digit = m.chars().any(|c| c.is_ascii_digit());
            let has_upper = m.chars().any(|c| c.is_ascii_uppercase());
            let has_lower = m.chars().any(|c| c.is_ascii_lowercase());
            if has_digit && has_upper && has_lower {
                mask_field(FieldKind::Token, "")
            } else {
                m.to_owned()
            }
        }),
        // IBANs (with or without groups of four).
        pattern(
            r"\b[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b",
            |m| keep_last(m, KEEP_LAST),
        ),
        // UK sort codes.
        pattern(r"\b[0-9]{2}-[0-9]{2}-[0-9]{2}\b", |m| {
            mask_field(FieldKind::SortCode, m)
        }),
        // Phone numbers: international, or UK national starting with 0.
        pattern(
            r"\+[0-9][0-9 ()-]{7,16}[0-9]|\b0[0-9]{3,4}[ ]?[0-9]{3}[ ]?[0-9]{3,4}\b",
            |m| keep_last(m, KEEP_LAST),
        ),
        // Card numbers with a visible tail ("1234********5678", "**** 1234").
        pattern(r"\b[0-9]{4}[*•xX]{4,12}[0-9]{4}\b", |m| {
            keep_last(m, KEEP_LAST)
        }),
        // Account numbers: a run of exactly eight digits (a number with separators, like an
        // amount, a date or a time, is one longer run and stays).
        pattern(r"[0-9](?:[0-9.,:/-]*[0-9])?", |m| {
            if m.len() == 8 && m.bytes().all(|b| b.is_ascii_digit()) {
                DOT.to_string().repeat(8)
            } else {
                m.to_owned()
            }
        }),
        // Dates of birth announced as such.
        pattern(
            r"(?i)\b(?:date of birth|dob|born(?: on)?)\s*:?\s*[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}",
            |m| {
                let cut = m.find(|c: char| c.is_ascii_digit()).unwrap_or(m.len());
                format!("{}{}", &m[..cut], "••••-••-••")
            },
        ),
    ]
});

/// Masks personal data and token-like strings in free text.
pub fn mask_text(text: &str) -> String {
    Masker::default().text(text)
}

/// Masks personal data in a JSON value (by field name, then by pattern).
pub fn mask_json(value: &Value) -> Value {
    Masker::default().json(value)
}

/// A masker that also hides names it has learned (from JSON name fields, or given).
#[derive(Debug, Default, Clone)]
pub struct Masker {
    names: Vec<String>,
}

impl Masker {
    /// A masker that also hides these names wherever they appear in text.
    pub fn with_names<I: IntoIterator<Item = S>, S: Into<String>>(names: I) -> Self {
        let mut m = Self::default();
        for n in names {
            m.learn(n.into());
        }
        m
    }

    fn learn(&mut self, name: String) {
        let name = name.trim().to_owned();
        // Single letters and very short words would mask half of every sentence.
        if name.chars().count() >= 3 && !self.names.contains(&name) {
            self.names.push(name);
            self.names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        }
    }

    /// Masks free text.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for name in &self.names {
            if out.contains(name.as_str()) {
                out = out.replace(name.as_str(), &mask_name(name));
            }
        }
        for p in PATTERNS.iter() {
            if p.re.is_match(&out) {
                out =
                    p.re.replace_all(&out, |c: &regex::Captures<'_>| (p.replace)(&c[0]))
                        .into_owned();
            }
        }
        out
    }

    /// Masks a JSON value; names found in name fields are also hidden in the other strings.
    pub fn json(&self, value: &Value) -> Value {
        let mut learned = self.clone();
        learned.collect_names(value);
        learned.json_inner(value, None)
    }

    fn collect_names(&mut self, value: &Value) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    match (field_kind(k), v) {
                        (Some(FieldKind::Name), Value::String(s)) => self.learn(s.clone()),
                        _ => self.collect_names(v),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.collect_names(v)),
            _ => {}
        }
    }

    fn json_inner(&self, value: &Value, kind: Option<FieldKind>) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        // A field's own kind wins; inside a kind (e.g. `address: {…}`) it carries.
                        let inner = field_kind(k).or(kind);
                        (k.clone(), self.json_inner(v, inner))
                    })
                    .collect(),
            ),
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| self.json_inner(v, kind)).collect())
            }
            Value::String(s) => Value::String(match kind {
                Some(kind) => mask_field(kind, s),
                None => self.text(s),
            }),
            Value::Number(n) => match kind {
                // Signup+ sends some account numbers as JSON numbers.
                Some(kind @ (FieldKind::Number | FieldKind::SortCode | FieldKind::Phone)) => {
                    Value::String(mask_field(kind, &n.to_string()))
                }
                _ => value.clone(),
            },
            other => other.clone(),
        }
    }
}

#[cfg(test)]
#[path = "mask_tests.rs"]
mod tests;
