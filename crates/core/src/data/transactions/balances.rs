//! Running balances and the balance-over-time series: TrueLayer's `running_balance` when sent,
//! else derived from the nearest row that has one, else (no row has one and the range reaches
//! today) walked back from the current balance, else absent. With several accounts and cards,
//! each has its own series and the total sums them day by day.

use chrono::NaiveDate;

use crate::dto::{BalancePoint, Transaction};

/// The most points of the balance-over-time series.
pub const MAX_SERIES_POINTS: usize = 400;

/// Rounds away float noise from sums of amounts (money has at most 4 decimals here).
fn tidy(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Running balances, oldest first: the given ones, gaps filled from the nearest known one
/// (forwards: add the amount; backwards: subtract the later row's amount); with none given,
/// walked back from `closing` (the balance after the last row) if known.
pub(super) fn fill_running_balances(
    amounts: &[f64],
    given: &[Option<f64>],
    closing: Option<f64>,
) -> Vec<Option<f64>> {
    let n = amounts.len().min(given.len());
    let mut out: Vec<Option<f64>> = given.iter().take(n).copied().collect();
    if n == 0 {
        return out;
    }
    if out.iter().all(Option::is_none) {
        if let (Some(closing), Some(last)) = (closing, out.last_mut()) {
            *last = Some(closing);
        }
    }
    for i in 1..n {
        if out[i].is_none() {
            out[i] = out[i - 1].map(|b| tidy(b + amounts[i]));
        }
    }
    for i in (0..n - 1).rev() {
        if out[i].is_none() {
            out[i] = out[i + 1].map(|b| tidy(b - amounts[i + 1]));
        }
    }
    out
}

/// End-of-day balances, oldest first; beyond `max_points` days, the last day of each bucket
/// (the final day always kept).
pub(super) fn balance_series(
    days: &[Option<NaiveDate>],
    rows: &[Transaction],
    max_points: usize,
) -> Vec<BalancePoint> {
    thin(daily_balances(days, rows), max_points)
}

/// The balance at the end of each day that has a row with a balance, oldest first.
pub(super) fn daily_balances(
    days: &[Option<NaiveDate>],
    rows: &[Transaction],
) -> Vec<(NaiveDate, f64)> {
    let mut daily: Vec<(NaiveDate, f64)> = Vec::new();
    for (day, row) in days.iter().zip(rows) {
        let (Some(day), Some(balance)) = (day, row.running_balance) else {
            continue;
        };
        match daily.last_mut() {
            Some((last, b)) if last == day => *b = balance,
            _ => daily.push((*day, balance)),
        }
    }
    daily
}

/// The sum of several accounts' end-of-day balances, each carried forward from its last known
/// day (an account counts from its first known day on), cut to `max_points` like one series.
pub(super) fn total_series(
    dailies: &[Vec<(NaiveDate, f64)>],
    max_points: usize,
) -> Vec<BalancePoint> {
    let mut all: Vec<(NaiveDate, usize, f64)> = dailies
        .iter()
        .enumerate()
        .flat_map(|(source, daily)| daily.iter().map(move |(d, b)| (*d, source, *b)))
        .collect();
    all.sort_by_key(|(d, source, _)| (*d, *source));
    let mut current: Vec<Option<f64>> = vec![None; dailies.len()];
    let mut total: Vec<(NaiveDate, f64)> = Vec::new();
    for (day, source, balance) in all {
        if let Some(slot) = current.get_mut(source) {
            *slot = Some(balance);
        }
        let sum = tidy(current.iter().flatten().sum());
        match total.last_mut() {
            Some((last, b)) if *last == day => *b = sum,
            _ => total.push((day, sum)),
        }
    }
    thin(total, max_points)
}

/// At most `max_points` of a daily series: the last day of each bucket, the final day kept.
fn thin(daily: Vec<(NaiveDate, f64)>, max_points: usize) -> Vec<BalancePoint> {
    let max_points = max_points.max(1);
    let kept: Vec<(NaiveDate, f64)> = if daily.len() <= max_points {
        daily
    } else {
        let bucket = daily.len().div_ceil(max_points);
        let mut kept: Vec<(NaiveDate, f64)> = daily
            .chunks(bucket)
            .filter_map(|c| c.last().copied())
            .collect();
        if let (Some(last), Some(final_day)) = (kept.last_mut(), daily.last()) {
            *last = *final_day;
        }
        kept
    };
    kept.into_iter()
        .map(|(date, balance)| BalancePoint {
            date: date.to_string(),
            balance,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_balances_are_filled_from_the_nearest_known_one_or_the_closing_balance() {
        type Case = (
            &'static str,
            Vec<f64>,
            Vec<Option<f64>>,
            Option<f64>,
            Vec<Option<f64>>,
        );
        let cases: Vec<Case> = vec![
            (
                "all given: kept",
                vec![-1.0, -2.0],
                vec![Some(9.0), Some(7.0)],
                Some(100.0),
                vec![Some(9.0), Some(7.0)],
            ),
            (
                "gaps: forwards and backwards from the known row",
                vec![5.0, -1.5, 2.25, -0.1],
                vec![None, Some(10.0), None, None],
                None,
                vec![Some(11.5), Some(10.0), Some(12.25), Some(12.15)],
            ),
            (
                "none given: walked back from the closing balance",
                vec![10.0, -3.0, 0.1, 0.2],
                vec![None, None, None, None],
                Some(50.0),
                vec![Some(52.7), Some(49.7), Some(49.8), Some(50.0)],
            ),
            (
                "none given, no closing balance: none",
                vec![1.0],
                vec![None],
                None,
                vec![None],
            ),
            ("empty", vec![], vec![], Some(1.0), vec![]),
        ];
        for (name, amounts, given, closing, expected) in cases {
            assert_eq!(
                fill_running_balances(&amounts, &given, closing),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn the_total_series_sums_each_account_carried_forward_from_its_last_known_day() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2024, 1, d).unwrap();
        let dailies = vec![
            vec![(day(1), 100.0), (day(3), 90.0)],
            vec![(day(2), 5.5), (day(3), 6.0), (day(4), 7.0)],
        ];
        let total: Vec<(String, f64)> = total_series(&dailies, 400)
            .into_iter()
            .map(|p| (p.date, p.balance))
            .collect();
        assert_eq!(
            total,
            [
                ("2024-01-01".to_owned(), 100.0),
                ("2024-01-02".to_owned(), 105.5),
                ("2024-01-03".to_owned(), 96.0),
                ("2024-01-04".to_owned(), 97.0),
            ],
            "the second account counts from its first day; the first carries its 90 to day 4"
        );
    }

    #[test]
    fn a_long_series_is_cut_to_the_point_limit_and_keeps_the_last_day() {
        let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let days: Vec<Option<NaiveDate>> = (0..1000)
            .map(|i| start.checked_add_days(chrono::Days::new(i)))
            .collect();
        let rows: Vec<Transaction> = (0..1000)
            .map(|i| Transaction {
                transaction_id: format!("t{i}"),
                timestamp: String::new(),
                description: String::new(),
                merchant_name: None,
                amount: 1.0,
                currency: "GBP".into(),
                transaction_type: String::new(),
                transaction_category: String::new(),
                classification: vec![],
                running_balance: Some(f64::from(i)),
                pending: false,
            })
            .collect();
        let series = balance_series(&days, &rows, 400);
        assert!(series.len() <= 400, "{}", series.len());
        assert_eq!(series.last().unwrap().balance, 999.0);
        assert!(
            series.windows(2).all(|w| w[0].date < w[1].date),
            "oldest first"
        );
    }
}
