//! Tolerant field parsers for TrueLayer's known spec inconsistencies: numbers sent as strings
//! (card `available`, standing-order amounts, `expires_in`), strings sent as numbers (Signup+
//! `account_number`), and timestamps with or without an offset. Each accepts exactly the
//! documented shapes and their known variants, nothing looser.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// A number that may arrive as a JSON number or as a numeric string (`"12.50"`).
pub(crate) fn number<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    d.deserialize_any(NumberVisitor)
}

/// An optional [`number`]: `null`, a missing field and `""` are `None`.
pub(crate) fn opt_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    d.deserialize_any(OptNumberVisitor)
}

/// A string that may arrive as a JSON number (`12345678` for an account number).
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(OptStringVisitor)
}

/// A non-negative integer that may arrive as a numeric string (`"3600"`).
pub(crate) fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match opt_number(d)? {
        None => Ok(None),
        Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= 9.0e15 =>
        {
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "checked above: a non-negative whole number below 2^53"
            )]
            Ok(Some(n as u64))
        }
        Some(n) => Err(de::Error::custom(format!(
            "expected a non-negative whole number, got {n}"
        ))),
    }
}

fn parse_numeric<E: de::Error>(s: &str) -> Result<f64, E> {
    let t = s.trim();
    t.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .ok_or_else(|| E::custom(format!("expected a number, got {s:?}")))
}

struct NumberVisitor;

impl Visitor<'_> for NumberVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a numeric string")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    #[allow(clippy::cast_precision_loss, reason = "amounts are far below 2^53")]
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    #[allow(clippy::cast_precision_loss, reason = "amounts are far below 2^53")]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        parse_numeric(v)
    }
}

struct OptNumberVisitor;

impl<'de> Visitor<'de> for OptNumberVisitor {
    type Value = Option<f64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, a numeric string or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        NumberVisitor.visit_i64(v).map(Some)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        NumberVisitor.visit_u64(v).map(Some)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        parse_numeric(v).map(Some)
    }
}

struct OptStringVisitor;

impl<'de> Visitor<'de> for OptStringVisitor {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a number or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
}

/// A timestamp as TrueLayer sent it. Banks send RFC 3339 (`2018-03-06T00:00:00+00:00`), local
/// date-times without an offset (`2018-03-06T00:00:00`, read as UTC) or bare dates; the original
/// text is kept for the raw view and [`Timestamp::to_utc`] reads it when it can.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(String);

impl Timestamp {
    /// Wraps a timestamp string.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The instant, when the text is RFC 3339, an offset-less date-time (taken as UTC) or a date
    /// (midnight UTC).
    pub fn to_utc(&self) -> Option<DateTime<Utc>> {
        let s = self.0.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Some(t.with_timezone(&Utc));
        }
        for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
            if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
                return Some(t.and_utc());
            }
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc())
    }

    /// The calendar date (in UTC), when readable.
    pub fn date(&self) -> Option<NaiveDate> {
        self.to_utc().map(|t| t.date_naive())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Probe {
        #[serde(deserialize_with = "number")]
        n: f64,
        #[serde(default, deserialize_with = "opt_number")]
        o: Option<f64>,
        #[serde(default, deserialize_with = "opt_string")]
        s: Option<String>,
        #[serde(default, deserialize_with = "opt_u64")]
        u: Option<u64>,
    }

    fn probe(json: &str) -> Result<Probe, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_are_read_from_numbers_and_numeric_strings() {
        let cases = [
            (r#"{"n": 12.5}"#, 12.5),
            (r#"{"n": -3}"#, -3.0),
            (r#"{"n": "12.50"}"#, 12.5),
            (r#"{"n": " -0.01 "}"#, -0.01),
        ];
        for (json, expected) in cases {
            assert_eq!(probe(json).unwrap().n, expected, "{json}");
        }
        for bad in [
            r#"{"n": "abc"}"#,
            r#"{"n": "NaN"}"#,
            r#"{"n": null}"#,
            r#"{"n": true}"#,
        ] {
            assert!(probe(bad).is_err(), "{bad} must be rejected");
        }
    }

    #[test]
    fn optional_fields_accept_missing_null_and_empty() {
        let p = probe(r#"{"n": 1}"#).unwrap();
        assert_eq!((p.o, p.s, p.u), (None, None, None));
        let p = probe(r#"{"n": 1, "o": null, "s": null, "u": null}"#).unwrap();
        assert_eq!((p.o, p.s, p.u), (None, None, None));
        let p = probe(r#"{"n": 1, "o": "", "s": 12345678, "u": "3600"}"#).unwrap();
        assert_eq!(
            (p.o, p.s.as_deref(), p.u),
            (None, Some("12345678"), Some(3600))
        );
        assert!(probe(r#"{"n": 1, "u": -5}"#).is_err());
        assert!(probe(r#"{"n": 1, "u": "1.5"}"#).is_err());
    }

    #[test]
    fn timestamps_are_read_with_or_without_offsets_and_kept_verbatim() {
        let cases = [
            ("2018-03-06T00:00:00", "2018-03-06T00:00:00Z"),
            ("2018-03-06T10:11:12.123Z", "2018-03-06T10:11:12.123Z"),
            ("2018-03-06T10:00:00+01:00", "2018-03-06T09:00:00Z"),
            ("2018-03-06", "2018-03-06T00:00:00Z"),
        ];
        for (input, utc) in cases {
            let t = Timestamp::new(input);
            assert_eq!(t.as_str(), input);
            assert_eq!(
                t.to_utc().unwrap(),
                DateTime::parse_from_rfc3339(utc).unwrap()
            );
        }
        assert_eq!(Timestamp::new("yesterday").to_utc(), None);
    }
}
