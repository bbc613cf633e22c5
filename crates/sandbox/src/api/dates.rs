//! The `from`/`to` of transaction queries: accepted formats (`YYYY-MM-DD`, RFC 3339, or a date-time
//! without zone read as UTC), the default window when they are omitted, and TrueLayer's
//! historical-transactions rule (older than 90 days only shortly after the user authenticated).

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

use crate::data;
use crate::errors::TlError;

/// How far back a window may start without the historical-data exemption.
pub const RECENT_DAYS: i64 = 90;
/// How long after authenticating a user's connection may read older transactions (TrueLayer:
/// "typically 5–45 minutes"; the sandbox picks 5).
pub const HISTORICAL_WINDOW: Duration = Duration::minutes(5);

/// One end of a window as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    Day(NaiveDate),
    Instant(DateTime<Utc>),
}

fn parse_bound(name: &str, value: &str) -> Result<Bound, TlError> {
    if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Ok(Bound::Day(day));
    }
    if let Ok(instant) = DateTime::parse_from_rfc3339(value) {
        return Ok(Bound::Instant(instant.with_timezone(&Utc)));
    }
    if let Ok(naive) = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f") {
        return Ok(Bound::Instant(naive.and_utc()));
    }
    Err(TlError::data("validation_error")
        .detail("parameter", name)
        .reason(format!(
            "'{name}' must be a date (YYYY-MM-DD) or an ISO 8601 date-time, got '{value}'"
        )))
}

/// A resolved window, inclusive at both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Start (inclusive).
    pub from: DateTime<Utc>,
    /// End (inclusive).
    pub to: DateTime<Utc>,
}

/// Resolves `from`/`to` at `now`. Omitted: the last 90 days; only `from`: up to today; only
/// `to`: the 90 days before it. A start after the end is `invalid_date_range`.
pub fn window(from: Option<&str>, to: Option<&str>, now: DateTime<Utc>) -> Result<Window, TlError> {
    let from = from.map(|v| parse_bound("from", v)).transpose()?;
    let to = to.map(|v| parse_bound("to", v)).transpose()?;
    let today = now.date_naive();
    let to = to.unwrap_or(Bound::Day(today));
    let from = from.unwrap_or_else(|| {
        let end_day = match to {
            Bound::Day(d) => d,
            Bound::Instant(i) => i.date_naive(),
        };
        Bound::Day(end_day - Duration::days(RECENT_DAYS))
    });
    let start = match from {
        Bound::Day(d) => data::day_window(d, d).0,
        Bound::Instant(i) => i,
    };
    let end = match to {
        Bound::Day(d) => data::day_window(d, d).1,
        Bound::Instant(i) => i,
    };
    if start > end {
        return Err(TlError::data("invalid_date_range").reason("'from' is after 'to'"));
    }
    Ok(Window {
        from: start,
        to: end,
    })
}

/// TrueLayer: transactions older than 90 days only within a short window after the user
/// authenticated; after it the call fails with `access_denied` and no partial data.
pub fn check_historical(
    window: &Window,
    now: DateTime<Utc>,
    auth_time: DateTime<Utc>,
) -> Result<(), TlError> {
    let oldest_recent_day = (now - Duration::days(RECENT_DAYS)).date_naive();
    if window.from.date_naive() >= oldest_recent_day || now - auth_time <= HISTORICAL_WINDOW {
        return Ok(());
    }
    Err(TlError::data("access_denied").reason(format!(
        "Transactions older than {RECENT_DAYS} days (before {oldest_recent_day}) can only be read within {} minutes of the user authenticating; ask for a shorter range or have the user re-authenticate.",
        HISTORICAL_WINDOW.num_minutes()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn dates_and_date_times_are_both_accepted() {
        let now = at("2024-06-15T12:00:00Z");
        let w = window(Some("2024-06-01"), Some("2024-06-10"), now).unwrap();
        assert_eq!(w.from, at("2024-06-01T00:00:00Z"));
        assert!(w.to > at("2024-06-10T23:59:59Z"));
        let w = window(
            Some("2024-06-01T08:30:00+01:00"),
            Some("2024-06-10T00:00:00"),
            now,
        )
        .unwrap();
        assert_eq!(w.from, at("2024-06-01T07:30:00Z"));
        assert_eq!(w.to, at("2024-06-10T00:00:00Z"));
    }

    #[test]
    fn omitted_bounds_default_to_the_last_ninety_days() {
        let now = at("2024-06-15T12:00:00Z");
        let w = window(None, None, now).unwrap();
        assert_eq!(w.from, at("2024-03-17T00:00:00Z"));
        assert!(check_historical(&w, now, now - Duration::days(30)).is_ok());
    }

    #[test]
    fn bad_bounds_are_refused_with_truelayers_codes() {
        let now = at("2024-06-15T12:00:00Z");
        let cases = [
            (Some("15/06/2024"), None, "validation_error"),
            (None, Some("yesterday"), "validation_error"),
            (Some("2024-06-10"), Some("2024-06-01"), "invalid_date_range"),
        ];
        for (from, to, code) in cases {
            assert_eq!(
                window(from, to, now).unwrap_err().error,
                code,
                "{from:?} {to:?}"
            );
        }
    }

    #[test]
    fn old_transactions_are_readable_only_shortly_after_authentication() {
        let now = at("2024-06-15T12:00:00Z");
        let w = window(Some("2023-01-01"), None, now).unwrap();
        assert!(check_historical(&w, now, now - Duration::minutes(4)).is_ok());
        let refused = check_historical(&w, now, now - Duration::minutes(6)).unwrap_err();
        assert_eq!(
            (refused.status.as_u16(), refused.error.as_str()),
            (403, "access_denied")
        );
    }
}
