//! One account's ledger: scheduled items (salary, standing orders both ways, direct debits),
//! everyday spending drawn day by day, interest and fees, and two safety nets that keep the
//! balance plausible (a top-up before the overdraft would be exceeded, a month-end sweep of a
//! large surplus). Then its pending items, standing-order and direct-debit lists and balance.

use chrono::{Datelike, Months, NaiveDate, Weekday};

use super::super::bank::Ledger;
use super::super::catalog;
use super::super::model::{
    AccountBalance, Currency, DirectDebit, DirectDebitMeta, MandateStatus, Money, MoneyText,
    StandingOrder, StandingOrderMeta, TransactionCategory as Cat,
};
use super::super::rng::Rng;
use super::super::schedule::{self, Schedule};
use super::plan::{expected_monthly_out, DdPlan, Income, Plans, Profile, SoPlan};
use super::{
    at, daytime, derived_hex, midnight, minus_days, pending_rows, provider_account_id, round_to,
    weekday_factor, Book, Context, Event, DAYS_PER_MONTH,
};

/// Generates account `index` of the bank.
pub(super) fn generate(
    ctx: &Context,
    index: usize,
    profile: &Profile,
    plans: &Plans,
    holders: Vec<String>,
) -> Ledger {
    let mut rng = ctx.rng("account", index);
    let opening = rng.range(profile.opening.0, profile.opening.1);
    let monthly_out = expected_monthly_out(index, profile, plans);
    let monthly_in = monthly_out * (1.0 + rng.range(2, 6) as f64 / 100.0);
    let floor = -(profile.overdraft * 4 / 5);
    let cap = if profile.kind.is_current() {
        (monthly_out * 1.5).max(250_000.0) as i64
    } else {
        i64::MAX
    };
    let employer = rng
        .pick(catalog::EMPLOYERS)
        .copied()
        .unwrap_or("ACME WIDGETS LTD");

    let mut scheduled = scheduled_events(ctx, index, profile, plans, monthly_in, employer);
    scheduled.sort_by_key(|e| e.at);

    let customers_per_day = match profile.income {
        Income::Customers { per_day } => per_day,
        _ => 0.0,
    };
    let invoice_mean = if customers_per_day > 0.0 {
        monthly_in / DAYS_PER_MONTH / customers_per_day
    } else {
        0.0
    };

    let days = (ctx.anchor - ctx.origin).num_days().max(0) as f64;
    let capacity = ((profile.purchases_per_day + customers_per_day + 0.6) * days) as usize;
    let mut book = Book::new(ctx.rng("account-ids", index), None, capacity);
    let mut balance = opening;
    let mut next_scheduled = scheduled.into_iter().peekable();
    let mut today: Vec<Event> = Vec::with_capacity(32);
    let mut day = ctx.origin;
    while day < ctx.anchor {
        today.clear();
        // Balance-dependent items on the 1st.
        if day.day() == 1 {
            if profile.interest_bp > 0 && balance > 0 {
                let interest = balance * profile.interest_bp / 10_000 / 12;
                if interest > 0 {
                    today.push(Event::new(
                        midnight(day),
                        interest,
                        "INTEREST PAID",
                        Cat::Interest,
                        catalog::INTEREST,
                        "INT",
                    ));
                }
            }
            if profile.monthly_fee > 0 {
                today.push(Event::new(
                    midnight(day),
                    -profile.monthly_fee,
                    "MONTHLY ACCOUNT FEE",
                    Cat::FeeCharge,
                    catalog::FEES,
                    "CHG",
                ));
            }
        }
        while let Some(event) = next_scheduled.next_if(|e| e.at.date_naive() <= day) {
            today.push(event);
        }
        for _ in 0..rng.poisson(profile.purchases_per_day * weekday_factor(day)) {
            if let Some(m) = rng.pick_weighted(profile.merchants, |m| m.weight) {
                let amount = rng.range(m.min, m.max);
                let description = rng.pick(m.descriptions).copied().unwrap_or(m.name);
                today.push(Event::purchase(
                    at(day, daytime(&mut rng)),
                    -amount,
                    description,
                    m,
                ));
            }
        }
        if profile.atm_per_day > 0.0 && rng.chance(profile.atm_per_day) {
            let amount = rng.pick(catalog::ATM_AMOUNTS).copied().unwrap_or(2_000);
            let description = rng
                .pick(catalog::ATM_DESCRIPTIONS)
                .copied()
                .unwrap_or("CASH");
            let when = at(day, rng.range(9 * 3600, 21 * 3600));
            today.push(Event::new(
                when,
                -amount,
                description,
                Cat::Atm,
                catalog::CASH,
                "CSH",
            ));
        }
        for _ in 0..rng.poisson(customers_per_day) {
            let customer = rng.pick(catalog::CUSTOMERS).copied().unwrap_or("CUSTOMER");
            let amount = round_to((invoice_mean * (0.4 + 1.2 * rng.unit())) as i64, 1).max(100);
            let when = at(day, rng.range(7 * 3600, 19 * 3600));
            let invoice = format!("INV {}", rng.range(1000, 9999));
            today.push(
                Event::new(
                    when,
                    amount,
                    customer,
                    Cat::Credit,
                    catalog::INCOME_BUSINESS,
                    "FPI",
                )
                .reference(invoice)
                .counterparty(customer),
            );
        }
        if profile.extras {
            extras(&mut rng, day, &mut today);
        }
        // Posting order within the day: by time; midnight (scheduled) items first.
        today.sort_by_key(|e| e.at);
        for event in today.drain(..) {
            if event.amount < 0 && balance + event.amount < floor {
                if !profile.kind.is_current() {
                    continue; // savings never go below zero: the withdrawal is refused
                }
                // Bring the balance back to a few hundred pounds in credit after this debit.
                let top_up = round_to(-(balance + event.amount) + rng.range(30_000, 80_000), 1_000);
                balance += top_up;
                book.post(
                    Event::new(
                        event.at,
                        top_up,
                        "FASTER PAYMENT RECEIVED J DOE",
                        Cat::Transfer,
                        catalog::TRANSFER,
                        "FPI",
                    )
                    .reference("TOP UP")
                    .counterparty("J DOE"),
                    balance,
                );
            }
            balance += event.amount;
            book.post(event, balance);
        }
        let month_end = day
            .succ_opt()
            .is_none_or(|next| next.month() != day.month());
        if month_end && balance > cap {
            let sweep = round_to(balance - (monthly_out as i64).max(100_000), 10_000);
            if sweep > 0 {
                balance -= sweep;
                book.post(
                    Event::new(
                        at(day, 23 * 3600 + 45 * 60),
                        -sweep,
                        "TRANSFER TO J DOE ISA",
                        Cat::Transfer,
                        catalog::TRANSFER,
                        "TFR",
                    )
                    .reference("ISA")
                    .counterparty("J DOE"),
                    balance,
                );
            }
        }
        day = match day.succ_opt() {
            Some(next) => next,
            None => break,
        };
    }

    // Card payments of the last three days, not yet settled.
    let mut pending_rng = ctx.rng_at_anchor("account-pending", index);
    let mut pending_events = Vec::new();
    if profile.purchases_per_day > 0.0 {
        for _ in 0..pending_rng.range(profile.pending.0, profile.pending.1) {
            if let Some(m) = pending_rng.pick_weighted(profile.merchants, |m| m.weight) {
                let d = minus_days(ctx.anchor, pending_rng.range(1, 3) as u64);
                let amount = pending_rng.range(m.min, m.max);
                let description = pending_rng.pick(m.descriptions).copied().unwrap_or(m.name);
                let when = at(d, daytime(&mut pending_rng));
                pending_events.push(Event::purchase(when, -amount, description, m));
            }
        }
    }
    let pending = pending_rows(&mut pending_rng, pending_events, None);
    let pending_total: i64 = pending.iter().map(|t| t.amount.0).sum();

    let provider_account = provider_account_id(&ctx.key, index);
    let standing_orders = plans
        .standing
        .iter()
        .filter(|s| s.from == index)
        .map(|s| standing_order_item(ctx, s, &provider_account))
        .collect();
    let direct_debits = plans
        .debits
        .iter()
        .filter(|d| d.account == index)
        .enumerate()
        .map(|(n, d)| direct_debit_item(ctx, index, n, d, &provider_account))
        .collect();
    Ledger {
        balance: AccountBalance {
            currency: Currency::Gbp,
            available: Money(balance + pending_total + profile.overdraft),
            current: Money(balance),
            overdraft: profile
                .kind
                .is_current()
                .then_some(Money(profile.overdraft)),
            update_timestamp: ctx.now,
        },
        transactions: book.visible_from(ctx.visible_from),
        pending,
        standing_orders,
        direct_debits,
        holders,
    }
}

/// Items on fixed days: standing orders out and in, direct debits, salary, household or weekly
/// income. Unsorted.
fn scheduled_events(
    ctx: &Context,
    index: usize,
    profile: &Profile,
    plans: &Plans,
    monthly_in: f64,
    employer: &'static str,
) -> Vec<Event> {
    let mut out = Vec::new();
    for so in &plans.standing {
        let until = so.end.unwrap_or(ctx.anchor).min(ctx.anchor);
        let dates = so.schedule.dates(so.first, until);
        let dates = dates.iter().filter(|d| **d >= ctx.origin);
        if so.from == index {
            for d in dates {
                let description = format!("{} {}", so.payee, so.reference);
                out.push(
                    Event::new(
                        midnight(*d),
                        -so.amount,
                        description,
                        Cat::StandingOrder,
                        so.classification,
                        "SO",
                    )
                    .reference(so.reference)
                    .counterparty(so.payee),
                );
            }
        } else if so.to == Some(index) {
            let from_number = plans
                .numbering
                .get(so.from)
                .map(|n| n.0.as_str())
                .unwrap_or("");
            for d in dates {
                let description = format!("FROM A/C {from_number} {}", so.reference);
                out.push(
                    Event::new(
                        midnight(*d),
                        so.amount,
                        description,
                        Cat::Transfer,
                        catalog::TRANSFER,
                        "TFR",
                    )
                    .reference(so.reference)
                    .counterparty("J DOE"),
                );
            }
        }
    }
    for dd in plans.debits.iter().filter(|d| d.account == index) {
        for (d, amount) in &dd.collections {
            out.push(
                Event::new(
                    midnight(*d),
                    -amount,
                    dd.description,
                    Cat::DirectDebit,
                    dd.classification,
                    "DD",
                )
                .merchant(dd.name)
                .reference(dd.mandate.clone())
                .counterparty(dd.name),
            );
        }
    }
    let salary = round_to(monthly_in as i64, 1_000);
    let half = round_to((monthly_in / 2.0) as i64, 500);
    let mut month = ctx.origin.with_day(1).unwrap_or(ctx.origin);
    while month < ctx.anchor {
        match profile.income {
            Income::Salary => {
                let d = schedule::previous_working_day(schedule::clamp_day(month, 25));
                if d >= ctx.origin && d < ctx.anchor {
                    let bonus = if month.month() == 12 { salary / 4 } else { 0 };
                    out.push(
                        Event::new(
                            midnight(d),
                            salary + bonus,
                            format!("{employer} SALARY"),
                            Cat::Credit,
                            catalog::INCOME_SALARY,
                            "BGC",
                        )
                        .reference("SALARY")
                        .counterparty(employer),
                    );
                }
            }
            Income::Household => {
                let d = schedule::next_working_day(month);
                if d >= ctx.origin && d < ctx.anchor {
                    for (who, text) in [
                        ("JANE DOE", "JANE DOE HOUSEHOLD"),
                        ("J DOE", "J DOE HOUSEHOLD"),
                    ] {
                        out.push(
                            Event::new(
                                midnight(d),
                                half,
                                text,
                                Cat::Transfer,
                                catalog::TRANSFER,
                                "FPI",
                            )
                            .reference("HOUSEHOLD")
                            .counterparty(who),
                        );
                    }
                }
            }
            _ => {}
        }
        let Some(next) = month.checked_add_months(Months::new(1)) else {
            break;
        };
        month = next;
    }
    if profile.income == Income::Weekly {
        let weekly = round_to((monthly_in * 7.0 / DAYS_PER_MONTH) as i64, 500);
        let mondays = Schedule::WeeklyOnDay {
            every: 1,
            weekday: Weekday::Mon,
        };
        for d in mondays.dates(ctx.origin, ctx.anchor) {
            out.push(
                Event::new(
                    midnight(d),
                    weekly,
                    "FASTER PAYMENT RECEIVED J DOE",
                    Cat::Transfer,
                    catalog::TRANSFER,
                    "FPI",
                )
                .reference("WEEKLY")
                .counterparty("J DOE"),
            );
        }
    }
    out
}

/// Occasional refunds and cheque deposits.
fn extras(rng: &mut Rng, day: NaiveDate, today: &mut Vec<Event>) {
    if rng.chance(0.012) {
        if let Some(m) = rng.pick_weighted(catalog::MERCHANTS, |m| m.weight) {
            let amount = rng.range(m.min, m.max);
            let description = format!("{} REFUND", m.name.to_uppercase());
            today.push(
                Event::new(
                    at(day, daytime(rng)),
                    amount,
                    description,
                    Cat::Credit,
                    catalog::REFUND,
                    "DEP",
                )
                .merchant(m.name),
            );
        }
    }
    if rng.chance(1.0 / 120.0) {
        let when = at(day, rng.range(10 * 3600, 16 * 3600));
        let amount = round_to(rng.range(2_000, 25_000), 100);
        let cheque = format!("{:06}", rng.below(1_000_000));
        today.push(
            Event::new(
                when,
                amount,
                "CHEQUE DEPOSIT",
                Cat::Cheque,
                catalog::INCOME_OTHER,
                "CHQ",
            )
            .reference(cheque),
        );
    }
}

fn standing_order_item(ctx: &Context, so: &SoPlan, provider_account: &str) -> StandingOrder {
    let active = so.end.is_none_or(|end| end > ctx.anchor);
    let until = so.end.unwrap_or(ctx.anchor).min(ctx.anchor);
    let last_paid = so.schedule.dates(so.first, until).last().copied();
    StandingOrder {
        frequency: so.schedule.code(),
        status: if active {
            MandateStatus::Active
        } else {
            MandateStatus::Inactive
        },
        timestamp: ctx.now,
        currency: Currency::Gbp,
        meta: StandingOrderMeta {
            provider_account_id: provider_account.to_owned(),
        },
        next_payment_date: if active {
            so.schedule.next_on_or_after(so.first, ctx.anchor)
        } else {
            None
        },
        next_payment_amount: active.then_some(MoneyText(so.amount)),
        first_payment_date: Some(so.first),
        first_payment_amount: Some(MoneyText(so.amount)),
        // Open-ended orders carry 9999-12-31, as in TrueLayer's example.
        final_payment_date: if active {
            NaiveDate::from_ymd_opt(9999, 12, 31)
        } else {
            last_paid
        },
        final_payment_amount: if active {
            None
        } else {
            last_paid.map(|_| MoneyText(so.amount))
        },
        payee: Some(so.payee.to_owned()),
        reference: Some(so.reference.to_owned()),
    }
}

fn direct_debit_item(
    ctx: &Context,
    index: usize,
    n: usize,
    dd: &DdPlan,
    provider_account: &str,
) -> DirectDebit {
    let last = dd.collections.last();
    let (account, number) = (index.to_string(), n.to_string());
    DirectDebit {
        direct_debit_id: derived_hex(&["direct-debit", &ctx.key, &account, &number], 32),
        timestamp: ctx.now,
        name: dd.name.to_owned(),
        status: if dd.active {
            MandateStatus::Active
        } else {
            MandateStatus::Inactive
        },
        previous_payment_timestamp: last.map(|(d, _)| midnight(*d)),
        previous_payment_amount: last.map(|(_, a)| Money(*a)),
        currency: Currency::Gbp,
        meta: DirectDebitMeta {
            provider_mandate_identification: dd.mandate.clone(),
            provider_account_id: provider_account.to_owned(),
            provider_direct_debit_id: Some(derived_hex(
                &["provider-dd", &ctx.key, &account, &number],
                20,
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_ended_standing_orders_end_in_9999_and_cancelled_ones_at_their_last_payment() {
        let ctx = Context {
            key: "john".to_owned(),
            seed: 1,
            origin: NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(),
            visible_from: NaiveDate::from_ymd_opt(2023, 6, 1).unwrap(),
            anchor: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            now: midnight(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()),
        };
        let mut so = SoPlan {
            from: 0,
            to: None,
            payee: "X",
            reference: "Y",
            amount: 500,
            schedule: Schedule::MonthlyOnDay { every: 1, day: 15 },
            first: NaiveDate::from_ymd_opt(2022, 1, 15).unwrap(),
            end: None,
            classification: &[],
        };
        let open = standing_order_item(&ctx, &so, "p");
        assert_eq!(open.status, MandateStatus::Active);
        assert_eq!(
            open.final_payment_date,
            NaiveDate::from_ymd_opt(9999, 12, 31)
        );
        assert_eq!(open.next_payment_date, NaiveDate::from_ymd_opt(2025, 6, 15));
        so.end = NaiveDate::from_ymd_opt(2024, 3, 1);
        let closed = standing_order_item(&ctx, &so, "p");
        assert_eq!(closed.status, MandateStatus::Inactive);
        assert_eq!(
            closed.final_payment_date,
            NaiveDate::from_ymd_opt(2024, 2, 15)
        );
        assert_eq!(closed.next_payment_date, None);
    }
}
