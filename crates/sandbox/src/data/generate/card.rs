//! One credit card: purchases and monthly subscriptions, a statement each month, and the
//! statement repaid in full 22 days later (by direct debit from the main account, which
//! receives the repayment list). Card convention: purchases are positive DEBITs, repayments
//! negative CREDITs, and the running balance is what is owed.

use chrono::{Datelike, Months, NaiveDate};

use super::super::bank::CardLedger;
use super::super::catalog::{self, Merchant};
use super::super::model::{
    Card, CardBalance, Currency, Money, MoneyText, ProviderRef, TransactionCategory,
};
use super::super::schedule;
use super::plan::CardPlan;
use super::{
    at, daytime, derived_hex, midnight, minus_days, pending_rows, plus_days, weekday_factor, Book,
    Context, Event,
};

/// A generated card, its ledger, and its repayments (date, amount) for the paying account.
pub(super) struct GeneratedCard {
    pub(super) card: Card,
    pub(super) ledger: CardLedger,
    pub(super) repayments: Vec<(NaiveDate, i64)>,
}

/// Generates card `index` of the bank.
pub(super) fn generate(
    ctx: &Context,
    index: usize,
    plan: &CardPlan,
    holder_name: &str,
    provider: &ProviderRef,
) -> GeneratedCard {
    let mut rng = ctx.rng("card", index);
    let subscriptions: Vec<(&'static Merchant, u32)> = if plan.subscriptions {
        catalog::SUBSCRIPTIONS
            .iter()
            .map(|m| (m, rng.range(2, 27) as u32))
            .collect()
    } else {
        Vec::new()
    };
    let issue_month_offset = rng.below(12) as u32;

    let days = (ctx.anchor - ctx.origin).num_days().max(0) as f64;
    let mut book = Book::new(
        ctx.rng("card-ids", index),
        Some(plan.masked),
        (plan.purchases_per_day * days) as usize,
    );
    let mut repayments = Vec::new();
    let mut due: Option<(NaiveDate, i64)> = None;
    let mut last_statement: Option<(NaiveDate, i64)> = None;
    let mut owed: i64 = 0;
    let mut today: Vec<Event> = Vec::new();
    let mut day = ctx.origin;
    while day < ctx.anchor {
        today.clear();
        if let Some((pay_day, amount)) = due {
            if pay_day == day {
                today.push(Event::new(
                    midnight(day),
                    -amount,
                    "PAYMENT RECEIVED - THANK YOU",
                    TransactionCategory::Transfer,
                    catalog::TRANSFER,
                    "PAYMENT",
                ));
                repayments.push((day, amount));
                due = None;
            }
        }
        for (m, day_of_month) in &subscriptions {
            if schedule::clamp_day(day, *day_of_month) == day {
                let description = m.descriptions.first().copied().unwrap_or(m.name);
                let when = at(day, rng.range(1, 6 * 3600));
                today.push(Event::purchase(when, m.min, description, m).location(m.location));
            }
        }
        for _ in 0..rng.poisson(plan.purchases_per_day * weekday_factor(day)) {
            if let Some(m) = rng.pick_weighted(catalog::MERCHANTS, |m| m.weight) {
                let amount = rng.range(m.min, m.max);
                let description = rng.pick(m.descriptions).copied().unwrap_or(m.name);
                let when = at(day, daytime(&mut rng));
                today.push(Event::purchase(when, amount, description, m).location(m.location));
            }
        }
        today.sort_by_key(|e| e.at);
        for event in today.drain(..) {
            if event.amount > 0 && owed + event.amount > plan.limit * 9 / 10 {
                continue; // declined: too close to the limit
            }
            owed += event.amount;
            book.post(event, owed);
        }
        if day == schedule::clamp_day(day, plan.statement_day) {
            last_statement = Some((day, owed));
            if owed > 0 {
                due = Some((schedule::next_working_day(plus_days(day, 22)), owed));
            }
        }
        day = match day.succ_opt() {
            Some(next) => next,
            None => break,
        };
    }

    let mut pending_rng = ctx.rng_at_anchor("card-pending", index);
    let mut pending_events = Vec::new();
    for _ in 0..pending_rng.range(0, 2) {
        if let Some(m) = pending_rng.pick_weighted(catalog::MERCHANTS, |m| m.weight) {
            let d = minus_days(ctx.anchor, pending_rng.range(1, 3) as u64);
            let amount = pending_rng.range(m.min, m.max);
            let description = pending_rng.pick(m.descriptions).copied().unwrap_or(m.name);
            let when = at(d, daytime(&mut pending_rng));
            pending_events.push(Event::purchase(when, amount, description, m).location(m.location));
        }
    }
    let pending = pending_rows(&mut pending_rng, pending_events, Some(plan.masked));
    let pending_total: i64 = pending.iter().map(|t| t.amount.0).sum();

    let (statement_date, statement_balance) = last_statement.unwrap_or((ctx.origin, 0));
    // Unpaid statement: the minimum payment is due (3%, at least £5); once paid, nothing is.
    let minimum = if due.is_some() {
        (statement_balance * 3 / 100)
            .max(500)
            .min(statement_balance)
    } else {
        0
    };
    let (valid_from, valid_to) = validity(ctx.anchor, issue_month_offset);
    let card = Card {
        account_id: derived_hex(&["card", &ctx.key, &index.to_string()], 32),
        card_network: plan.network.to_owned(),
        card_type: "CREDIT".to_owned(),
        currency: Currency::Gbp,
        display_name: plan.name.to_owned(),
        partial_card_number: plan.partial.to_owned(),
        // The Mock bank's name_on_card carries a trailing space (API.md §2).
        name_on_card: format!("{holder_name} "),
        valid_from,
        valid_to,
        update_timestamp: ctx.now,
        provider: provider.clone(),
    };
    let ledger = CardLedger {
        balance: CardBalance {
            available: MoneyText(plan.limit - owed - pending_total),
            currency: Currency::Gbp,
            current: Money(owed),
            credit_limit: Money(plan.limit),
            last_statement_balance: Money(statement_balance),
            last_statement_date: statement_date,
            payment_due: Money(minimum),
            payment_due_date: plus_days(statement_date, 25),
            update_timestamp: ctx.now,
        },
        transactions: book.visible_from(ctx.visible_from),
        pending,
    };
    GeneratedCard {
        card,
        ledger,
        repayments,
    }
}

/// `valid_from`/`valid_to` (`YYYY-MM`): cards are reissued every four years from March 2017
/// (plus a per-card month offset) and valid for five, so the pair only changes at reissue.
fn validity(anchor: NaiveDate, offset_months: u32) -> (String, String) {
    let base = NaiveDate::from_ymd_opt(2017, 3, 1)
        .and_then(|d| d.checked_add_months(Months::new(offset_months)))
        .unwrap_or(anchor);
    let elapsed = (anchor.year() - base.year()) * 12 + anchor.month() as i32 - base.month() as i32;
    let periods = elapsed.max(0) / 48;
    let from = base
        .checked_add_months(Months::new(48 * periods as u32))
        .unwrap_or(base);
    let to = from.checked_add_months(Months::new(60)).unwrap_or(from);
    (
        from.format("%Y-%m").to_string(),
        to.format("%Y-%m").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_are_reissued_every_four_years_and_valid_for_five() {
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 15).unwrap();
        assert_eq!(
            validity(d(2025, 6), 0),
            ("2025-03".to_owned(), "2030-03".to_owned())
        );
        assert_eq!(
            validity(d(2025, 2), 0),
            ("2021-03".to_owned(), "2026-03".to_owned())
        );
        assert_eq!(
            validity(d(2021, 2), 0),
            ("2017-03".to_owned(), "2022-03".to_owned())
        );
        assert_eq!(
            validity(d(2026, 11), 2),
            ("2025-05".to_owned(), "2030-05".to_owned())
        );
    }
}
