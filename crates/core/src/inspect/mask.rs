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
mod tests {
    use super::*;
    use serde_json::json;

    /// The cases the UI's `mask.test.ts` runs too.
    fn shared_cases() -> Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mask-cases.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn the_shared_cases_mask_each_kind_as_the_ui_does() {
        let cases = shared_cases();
        let fields = cases["fields"].as_array().unwrap();
        assert!(fields.len() >= 8);
        for case in fields {
            let kind: FieldKind = match case["kind"].as_str().unwrap() {
                "name" => FieldKind::Name,
                "sortCode" => FieldKind::SortCode,
                "number" => FieldKind::Number,
                "address" => FieldKind::Address,
                "dateOfBirth" => FieldKind::DateOfBirth,
                "email" => FieldKind::Email,
                "phone" => FieldKind::Phone,
                "token" => FieldKind::Token,
                other => panic!("unknown kind {other}"),
            };
            let input = case["input"].as_str().unwrap();
            assert_eq!(
                mask_field(kind, input),
                case["expected"],
                "{kind:?} {input}"
            );
        }
    }

    #[test]
    fn the_shared_cases_mask_json_fields_by_name_as_the_ui_does() {
        let cases = shared_cases();
        let keys = cases["keys"].as_array().unwrap();
        assert!(keys.len() >= 4);
        for case in keys {
            let key = case["key"].as_str().unwrap();
            let masked = mask_json(&json!({ key: case["input"] }));
            assert_eq!(masked[key], case["expected"], "{key}");
        }
    }

    #[test]
    fn the_ui_gets_the_field_rules_from_here() {
        // Written like ts-rs writes ui/src/bindings: `npm test` fails when the committed file
        // differs.
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings/mask");
        std::fs::create_dir_all(&dir).unwrap();
        let rules = serde_json::to_string_pretty(&MaskRules::current()).unwrap();
        let text = format!(
            "// Generated by linkscope-core (`cargo test -p linkscope-core mask`) from its mask \
             rules. Do not edit this file manually.\n\n\
             export type MaskKind = {};\n\n\
             export const MASK_RULES: {{\n  dot: string;\n  hidden: string;\n  keepLast: number;\n  \
             minHidden: number;\n  nameMinDots: number;\n  dotsMin: number;\n  dotsMax: number;\n  \
             fields: Readonly<Record<string, MaskKind>>;\n}} = {rules};\n",
            FieldKind::inline()
        );
        std::fs::write(dir.join("maskRules.ts"), text).unwrap();
    }

    #[test]
    fn text_is_masked_by_pattern() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "an email",
                "write to john.doe@example.com now",
                "write to •••@•••.com now",
            ),
            ("a sort code", "sort code 01-21-31.", "sort code ••-••-••."),
            (
                "an account number",
                "account 10000000 at",
                "account •••••••• at",
            ),
            (
                "an IBAN",
                "IBAN GB08CLRB04066800003435",
                "IBAN ••••••••••••••••••••35",
            ),
            (
                "a grouped IBAN",
                "GB08 CLRB 0406 6800 0034 35",
                "•••• •••• •••• •••• •••• 35",
            ),
            ("a UK phone", "call 07700 900123", "call ••••• ••••23"),
            (
                "an international phone",
                "call +44 7700 900123 today",
                "call +•• •••• ••••23 today",
            ),
            (
                "a JWT",
                "token eyJhbGciOiJSUzI1.eyJzdWIiOiIxMjM.c2lnbmF0dXJl end",
                "token •••••• (hidden) end",
            ),
            (
                "a bearer header",
                "Authorization: Bearer abc.def-ghi_123",
                "Authorization: Bearer ••••••",
            ),
            (
                "a hex refresh token",
                "rt DD65D922DD65D922DD65D922DD65D922AA",
                "rt •••••• (hidden)",
            ),
            (
                "a base64 credentials id",
                "6L7RxyPKX0THy1tw93PB4V+8DB+KjnX9Pxa451yXPu0=",
                "•••••• (hidden)",
            ),
            (
                "a card number",
                "card 1234********5678",
                "card ••••********••78",
            ),
            (
                "two account numbers",
                "10000000 20000000",
                "•••••••• ••••••••",
            ),
            (
                "a date of birth",
                "Date of birth: 1854-01-06",
                "Date of birth: ••••-••-••",
            ),
            (
                "a plain date stays",
                "paid on 2024-01-06",
                "paid on 2024-01-06",
            ),
            (
                "an amount stays",
                "balance 12345678.90 GBP",
                "balance 12345678.90 GBP",
            ),
            (
                "a timestamp stays",
                "2024-01-06T10:00:00Z",
                "2024-01-06T10:00:00Z",
            ),
            (
                "ordinary words stay",
                "TRANSACTION ACCOUNT 1",
                "TRANSACTION ACCOUNT 1",
            ),
        ];
        for (name, input, want) in cases {
            assert_eq!(&mask_text(input), want, "{name}");
        }
    }

    #[test]
    fn json_is_masked_by_field_name_and_pattern() {
        let account = json!({
            "account_id": "a1", "display_name": "TRANSACTION ACCOUNT 1", "currency": "GBP",
            "account_number": {"number": "10000000", "sort_code": "01-21-31",
                               "iban": "GB08CLRB04066800003435", "swift_bic": "CPBKGB00"},
            "provider": {"provider_id": "mock"}
        });
        let masked = mask_json(&account);
        assert_eq!(masked["account_number"]["number"], "••••••00");
        assert_eq!(masked["account_number"]["sort_code"], "••-••-••");
        assert_eq!(masked["account_number"]["iban"], "••••••••••••••••••••35");
        assert_eq!(
            masked["display_name"], "TRANSACTION ACCOUNT 1",
            "not personal"
        );
        assert_eq!(masked["currency"], "GBP");
    }

    #[test]
    fn camel_case_dto_fields_are_masked_too() {
        let dto = json!({"accountId": "a", "number": "10000000", "sortCode": "01-21-31",
                         "accountHolderName": "John Doe"});
        let masked = mask_json(&dto);
        assert_eq!(masked["sortCode"], "••-••-••");
        assert_eq!(masked["accountHolderName"], "J••• D••");
    }

    #[test]
    fn an_identity_is_masked_whole_and_its_names_are_hidden_elsewhere() {
        let identity = json!({
            "title": "Mr", "first_name": "Sherlock", "last_name": "Holmes",
            "date_of_birth": "1854-01-06",
            "address": {"address_line1": "221B Baker St", "city": "London", "zip": "NW1 6XE",
                        "country": "GB"},
            "account_details": {"account_number": 41921234, "sort_code": "04-01-02"},
            "emails": ["sherlock@example.com"], "phones": ["+44 7700 900123"],
            "note": "Paid by Sherlock Holmes"
        });
        let masked = mask_json(&identity);
        let text = masked.to_string();
        for secret in [
            "Sherlock",
            "Holmes",
            "1854",
            "221B",
            "London",
            "NW1",
            "41921234",
            "04-01-02",
            "sherlock@",
            "900123",
        ] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        assert_eq!(
            masked["address"]["country"], "•••",
            "inside an address everything is hidden"
        );
        assert_eq!(masked["note"], "Paid by S••••••• H•••••");
    }

    #[test]
    fn a_masker_hides_the_names_it_was_given_in_text() {
        let m = Masker::with_names(["John Doe", "Jo"]);
        assert_eq!(m.text("From John Doe to Jo"), "From J••• D•• to Jo");
    }

    #[test]
    fn masking_is_idempotent() {
        let input = "john@example.com 01-21-31 10000000 GB08CLRB04066800003435";
        let once = mask_text(input);
        assert_eq!(mask_text(&once), once);
    }
}
