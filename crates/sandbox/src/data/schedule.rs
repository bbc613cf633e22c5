//! Payment schedules of standing orders, with TrueLayer's frequency codes
//! (`AccountStandingOrder.frequency` in the Data API spec): which dates a schedule pays on.
//! Pure date arithmetic; no money, no randomness.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// A standing order's recurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Schedule {
    /// `IntrvlMnthDay:XX:YY`: every XX months on day YY (clamped to short months).
    MonthlyOnDay { every: u32, day: u32 },
    /// `IntrvlWkDay:XX:YY`: every XX weeks on weekday YY (01 = Monday … 07 = Sunday).
    WeeklyOnDay { every: u32, weekday: Weekday },
    /// `WkInMnthDay:XX:YY`: every month, in week XX (1–5; 5 = the last) on weekday YY.
    WeekInMonth { week: u32, weekday: Weekday },
    /// `IntrvlDay:XX`: every XX calendar days from the first payment.
    IntervalDays { every: u32 },
}

impl Schedule {
    /// TrueLayer's frequency code.
    pub(crate) fn code(&self) -> String {
        match *self {
            Schedule::MonthlyOnDay { every, day } => format!("IntrvlMnthDay:{every:02}:{day:02}"),
            Schedule::WeeklyOnDay { every, weekday } => {
                format!("IntrvlWkDay:{every:02}:{:02}", weekday.number_from_monday())
            }
            Schedule::WeekInMonth { week, weekday } => {
                format!("WkInMnthDay:{week:02}:{:02}", weekday.number_from_monday())
            }
            Schedule::IntervalDays { every } => format!("IntrvlDay:{every:02}"),
        }
    }

    /// Every payment date `d` with `first <= d < end`, ascending, for a schedule whose first
    /// payment is on `first` (callers pass a `first` that the schedule itself would produce).
    pub(crate) fn dates(&self, first: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        match *self {
            Schedule::MonthlyOnDay { every, day } => {
                let every = every.max(1);
                let Some(mut month) = first.with_day(1) else {
                    return out;
                };
                while month < end {
                    let d = clamp_day(month, day);
                    if d >= first && d < end {
                        out.push(d);
                    }
                    let Some(next) = month.checked_add_months(Months::new(every)) else {
                        break;
                    };
                    month = next;
                }
            }
            Schedule::WeeklyOnDay { every, weekday } => {
                let step = u64::from(every.max(1)) * 7;
                let mut d = first;
                while d.weekday() != weekday {
                    let Some(next) = d.succ_opt() else {
                        return out;
                    };
                    d = next;
                }
                while d < end {
                    out.push(d);
                    let Some(next) = d.checked_add_days(Days::new(step)) else {
                        break;
                    };
                    d = next;
                }
            }
            Schedule::WeekInMonth { week, weekday } => {
                let Some(mut month) = first.with_day(1) else {
                    return out;
                };
                while month < end {
                    if let Some(d) = nth_weekday(month, week, weekday) {
                        if d >= first && d < end {
                            out.push(d);
                        }
                    }
                    let Some(next) = month.checked_add_months(Months::new(1)) else {
                        break;
                    };
                    month = next;
                }
            }
            Schedule::IntervalDays { every } => {
                let step = u64::from(every.max(1));
                let mut d = first;
                while d < end {
                    out.push(d);
                    let Some(next) = d.checked_add_days(Days::new(step)) else {
                        break;
                    };
                    d = next;
                }
            }
        }
        out
    }

    /// The first payment date on or after `from`, for a schedule started on `first`.
    pub(crate) fn next_on_or_after(&self, first: NaiveDate, from: NaiveDate) -> Option<NaiveDate> {
        let horizon = from.checked_add_days(Days::new(400))?;
        self.dates(first, horizon).into_iter().find(|d| *d >= from)
    }
}

/// Day `day` of `month`'s month, or its last day when the month is shorter.
pub(crate) fn clamp_day(month: NaiveDate, day: u32) -> NaiveDate {
    let mut d = day.clamp(1, 31);
    loop {
        if let Some(date) = month.with_day(d) {
            return date;
        }
        d -= 1;
    }
}

/// The `week`-th `weekday` of `month`'s month (week 5 or more: the last one).
fn nth_weekday(month: NaiveDate, week: u32, weekday: Weekday) -> Option<NaiveDate> {
    let first = month.with_day(1)?;
    let offset = (7 + weekday.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
    let mut d = first.checked_add_days(Days::new(u64::from(offset)))?;
    for _ in 1..week.clamp(1, 5) {
        let next = d.checked_add_days(Days::new(7))?;
        if next.month() != first.month() {
            break;
        }
        d = next;
    }
    Some(d)
}

/// `date`, or the next Monday when it falls on a weekend (direct debits are collected on
/// working days).
pub(crate) fn next_working_day(date: NaiveDate) -> NaiveDate {
    let extra = match date.weekday() {
        Weekday::Sat => 2,
        Weekday::Sun => 1,
        _ => 0,
    };
    date.checked_add_days(Days::new(extra)).unwrap_or(date)
}

/// `date`, or the Friday before when it falls on a weekend (salaries are paid early).
pub(crate) fn previous_working_day(date: NaiveDate) -> NaiveDate {
    let back = match date.weekday() {
        Weekday::Sat => 1,
        Weekday::Sun => 2,
        _ => 0,
    };
    date.checked_sub_days(Days::new(back)).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn codes_follow_truelayers_frequency_format() {
        let cases = [
            (
                Schedule::MonthlyOnDay { every: 1, day: 26 },
                "IntrvlMnthDay:01:26",
            ),
            (
                Schedule::WeeklyOnDay {
                    every: 2,
                    weekday: Weekday::Fri,
                },
                "IntrvlWkDay:02:05",
            ),
            (
                Schedule::WeekInMonth {
                    week: 1,
                    weekday: Weekday::Mon,
                },
                "WkInMnthDay:01:01",
            ),
            (Schedule::IntervalDays { every: 14 }, "IntrvlDay:14"),
        ];
        for (schedule, code) in cases {
            assert_eq!(schedule.code(), code);
        }
    }

    #[test]
    fn schedules_produce_the_expected_dates() {
        let monthly = Schedule::MonthlyOnDay { every: 1, day: 31 };
        assert_eq!(
            monthly.dates(d(2024, 1, 31), d(2024, 5, 1)),
            vec![
                d(2024, 1, 31),
                d(2024, 2, 29),
                d(2024, 3, 31),
                d(2024, 4, 30)
            ],
            "day 31 clamps to short months"
        );
        let weekly = Schedule::WeeklyOnDay {
            every: 1,
            weekday: Weekday::Fri,
        };
        assert_eq!(
            weekly.dates(d(2024, 3, 1), d(2024, 3, 16)),
            vec![d(2024, 3, 1), d(2024, 3, 8), d(2024, 3, 15)]
        );
        let first_monday = Schedule::WeekInMonth {
            week: 1,
            weekday: Weekday::Mon,
        };
        assert_eq!(
            first_monday.dates(d(2024, 1, 1), d(2024, 4, 1)),
            vec![d(2024, 1, 1), d(2024, 2, 5), d(2024, 3, 4)]
        );
        let last_friday = Schedule::WeekInMonth {
            week: 5,
            weekday: Weekday::Fri,
        };
        assert_eq!(
            last_friday.dates(d(2024, 2, 1), d(2024, 3, 1)),
            vec![d(2024, 2, 23)]
        );
        let fortnightly = Schedule::IntervalDays { every: 14 };
        assert_eq!(
            fortnightly.dates(d(2024, 1, 1), d(2024, 1, 30)),
            vec![d(2024, 1, 1), d(2024, 1, 15), d(2024, 1, 29)]
        );
        assert_eq!(
            monthly.next_on_or_after(d(2024, 1, 31), d(2024, 3, 1)),
            Some(d(2024, 3, 31))
        );
    }

    #[test]
    fn weekend_dates_move_to_working_days() {
        assert_eq!(
            next_working_day(d(2024, 3, 9)),
            d(2024, 3, 11),
            "Saturday → Monday"
        );
        assert_eq!(
            next_working_day(d(2024, 3, 10)),
            d(2024, 3, 11),
            "Sunday → Monday"
        );
        assert_eq!(
            previous_working_day(d(2024, 5, 25)),
            d(2024, 5, 24),
            "Saturday → Friday"
        );
        assert_eq!(previous_working_day(d(2024, 3, 12)), d(2024, 3, 12));
    }
}
