//! What each bank contains before any day is walked: the account profiles, the cards, the
//! standing orders and the direct debits with their collection dates. Dates here are either
//! fixed calendar dates or offsets from the generation origin, never from the anchor, so plans
//! are the same for every anchor (see the parent module).

use chrono::{Datelike, Months, NaiveDate, Weekday};

use super::super::catalog::{self, Merchant, Originator};
use super::super::model::AccountType;
use super::super::rng::Rng;
use super::super::schedule::{self, Schedule};
use super::{
    mean_atm, mean_purchase, minus_days, plus_days, round_to, Context, DAYS_PER_MONTH,
    MEAN_WEEKDAY_FACTOR,
};

/// How money comes into an account.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Income {
    /// None (savings: only standing orders and interest).
    None,
    /// A monthly salary on the 25th (or the working day before).
    Salary,
    /// Both partners pay in on the 1st (the joint account).
    Household,
    /// A weekly transfer from the holder's other bank on Mondays.
    Weekly,
    /// Customers paying invoices, `per_day` on average.
    Customers { per_day: f64 },
}

/// What an account does, before any randomness.
#[derive(Debug, Clone, Copy)]
pub(super) struct Profile {
    pub(super) kind: AccountType,
    pub(super) name: &'static str,
    pub(super) opening: (i64, i64),
    pub(super) overdraft: i64,
    pub(super) purchases_per_day: f64,
    pub(super) merchants: &'static [Merchant],
    pub(super) atm_per_day: f64,
    pub(super) income: Income,
    pub(super) interest_bp: i64,
    pub(super) monthly_fee: i64,
    pub(super) household: bool,
    pub(super) business_debits: bool,
    pub(super) extras: bool,
    pub(super) pending: (i64, i64),
    pub(super) joint: bool,
}

const SAVINGS: Profile = Profile {
    kind: AccountType::Savings,
    name: "SAVINGS ACCOUNT",
    opening: (300_000, 1_500_000),
    overdraft: 0,
    purchases_per_day: 0.0,
    merchants: catalog::MERCHANTS,
    atm_per_day: 0.0,
    income: Income::None,
    interest_bp: 325,
    monthly_fee: 0,
    household: false,
    business_debits: false,
    extras: false,
    pending: (0, 0),
    joint: false,
};

const MAIN: Profile = Profile {
    kind: AccountType::Transaction,
    name: "TRANSACTION ACCOUNT",
    opening: (80_000, 250_000),
    overdraft: 100_000,
    purchases_per_day: 1.6,
    merchants: catalog::MERCHANTS,
    atm_per_day: 0.08,
    income: Income::Salary,
    interest_bp: 0,
    monthly_fee: 0,
    household: true,
    business_debits: false,
    extras: true,
    pending: (1, 3),
    joint: false,
};

const JOINT: Profile = Profile {
    opening: (40_000, 120_000),
    overdraft: 50_000,
    purchases_per_day: 0.35,
    atm_per_day: 0.02,
    income: Income::Household,
    household: false,
    extras: false,
    pending: (0, 2),
    joint: true,
    ..MAIN
};

const SPARE: Profile = Profile {
    opening: (5_000, 40_000),
    overdraft: 25_000,
    purchases_per_day: 0.12,
    atm_per_day: 0.0,
    income: Income::Weekly,
    monthly_fee: 300,
    household: false,
    extras: true,
    pending: (0, 1),
    ..MAIN
};

const BUSINESS: Profile = Profile {
    kind: AccountType::BusinessTransaction,
    name: "BUSINESS ACCOUNT",
    opening: (200_000, 900_000),
    overdraft: 250_000,
    purchases_per_day: 6.0,
    merchants: catalog::BUSINESS_MERCHANTS,
    atm_per_day: 0.02,
    income: Income::Customers { per_day: 0.9 },
    household: false,
    business_debits: true,
    extras: false,
    pending: (2, 5),
    ..MAIN
};

const BUSINESS_SAVINGS: Profile = Profile {
    kind: AccountType::BusinessSavings,
    name: "BUSINESS SAVINGS",
    interest_bp: 280,
    ..SAVINGS
};

/// The five accounts of every ordinary user, in the Mock bank's order.
const STANDARD_PLAN: [Profile; 5] = [
    MAIN,
    SAVINGS,
    JOINT,
    Profile {
        interest_bp: 410,
        ..SAVINGS
    },
    SPARE,
];

/// The dense persona's ten accounts (about 100 000 settled transactions over six years).
const DENSE_PLAN: [Profile; 10] = [
    Profile {
        purchases_per_day: 8.5,
        pending: (3, 6),
        ..MAIN
    },
    SAVINGS,
    Profile {
        purchases_per_day: 5.5,
        pending: (2, 4),
        ..JOINT
    },
    Profile {
        interest_bp: 410,
        ..SAVINGS
    },
    Profile {
        purchases_per_day: 4.5,
        atm_per_day: 0.1,
        pending: (1, 3),
        ..SPARE
    },
    BUSINESS,
    Profile {
        purchases_per_day: 5.5,
        ..BUSINESS
    },
    BUSINESS_SAVINGS,
    Profile {
        purchases_per_day: 4.0,
        atm_per_day: 0.1,
        pending: (1, 3),
        ..SPARE
    },
    Profile {
        interest_bp: 150,
        ..SAVINGS
    },
];

/// A credit card before randomness.
#[derive(Debug, Clone, Copy)]
pub(super) struct CardPlan {
    pub(super) name: &'static str,
    pub(super) network: &'static str,
    pub(super) partial: &'static str,
    pub(super) masked: &'static str,
    pub(super) limit: i64,
    pub(super) purchases_per_day: f64,
    pub(super) statement_day: u32,
    pub(super) subscriptions: bool,
}

/// The Mock bank's two cards (API.md §2: MASTERCARD `1000`, VISA `2000`).
const STANDARD_CARDS: [CardPlan; 2] = [
    CardPlan {
        name: "CREDIT CARD 1",
        network: "MASTERCARD",
        partial: "1000",
        masked: "5354********1000",
        limit: 350_000,
        purchases_per_day: 0.55,
        statement_day: 28,
        subscriptions: true,
    },
    CardPlan {
        name: "CREDIT CARD 2",
        network: "VISA",
        partial: "2000",
        masked: "4658********2000",
        limit: 600_000,
        purchases_per_day: 0.3,
        statement_day: 12,
        subscriptions: false,
    },
];

const DENSE_CARDS: [CardPlan; 2] = [
    CardPlan {
        limit: 1_200_000,
        purchases_per_day: 2.0,
        ..STANDARD_CARDS[0]
    },
    CardPlan {
        limit: 1_500_000,
        purchases_per_day: 1.5,
        ..STANDARD_CARDS[1]
    },
];

/// The account profiles of a persona.
pub(super) fn profiles(dense: bool) -> &'static [Profile] {
    if dense {
        &DENSE_PLAN
    } else {
        &STANDARD_PLAN
    }
}

/// The credit cards of a persona.
pub(super) fn card_plans(dense: bool) -> &'static [CardPlan] {
    if dense {
        &DENSE_CARDS
    } else {
        &STANDARD_CARDS
    }
}

/// A standing order of this bank: paid from `from`, into `to` when that is one of our accounts.
#[derive(Debug, Clone)]
pub(super) struct SoPlan {
    pub(super) from: usize,
    pub(super) to: Option<usize>,
    pub(super) payee: &'static str,
    pub(super) reference: &'static str,
    pub(super) amount: i64,
    pub(super) schedule: Schedule,
    pub(super) first: NaiveDate,
    /// Exclusive end of a cancelled order.
    pub(super) end: Option<NaiveDate>,
    pub(super) classification: &'static [&'static str],
}

/// A direct debit of this bank with its collections (from the origin up to the anchor).
#[derive(Debug, Clone)]
pub(super) struct DdPlan {
    pub(super) account: usize,
    pub(super) name: &'static str,
    pub(super) description: &'static str,
    pub(super) classification: &'static [&'static str],
    pub(super) mandate: String,
    pub(super) collections: Vec<(NaiveDate, i64)>,
    /// Average monthly amount, for sizing the account's income (anchor-independent).
    pub(super) nominal_monthly: f64,
    pub(super) active: bool,
}

/// The bank-wide plans every account's generation consults.
#[derive(Debug)]
pub(super) struct Plans {
    pub(super) standing: Vec<SoPlan>,
    pub(super) debits: Vec<DdPlan>,
    /// (account number, display name) per account.
    pub(super) numbering: Vec<(String, String)>,
}

fn fixed(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The standing orders of the bank: rent, savings, pocket money and a cancelled membership on
/// the main account; a holiday pot from the joint account; reserves from the others.
pub(super) fn standing_orders(ctx: &Context, profiles: &[Profile]) -> Vec<SoPlan> {
    let mut rng = ctx.rng("standing-orders", 0);
    let before_origin =
        |rng: &mut Rng, lo: i64, hi: i64| minus_days(ctx.origin, rng.range(lo, hi) as u64);
    let savings_after = |from: usize| {
        profiles
            .iter()
            .enumerate()
            .skip(from + 1)
            .find(|(_, p)| matches!(p.kind, AccountType::Savings | AccountType::BusinessSavings))
            .map(|(i, _)| i)
    };
    let mut out = Vec::new();
    for (index, profile) in profiles.iter().enumerate() {
        let target = savings_after(index);
        match (profile.kind, profile.income) {
            (AccountType::Transaction, Income::Salary) => {
                out.push(SoPlan {
                    from: index,
                    to: None,
                    payee: "REGENDA REDWING",
                    reference: "RENT",
                    amount: round_to(rng.range(85_000, 145_000), 500),
                    schedule: Schedule::MonthlyOnDay { every: 1, day: 1 },
                    first: month_start(before_origin(&mut rng, 60, 400)),
                    end: None,
                    classification: catalog::HOUSING,
                });
                let savings_first =
                    schedule::clamp_day(month_start(before_origin(&mut rng, 200, 900)), 26);
                let savings_amount = round_to(rng.range(10_000, 40_000), 1_000);
                if let Some(to) = target {
                    out.push(SoPlan {
                        from: index,
                        to: Some(to),
                        payee: "J DOE",
                        reference: "SAVINGS",
                        amount: savings_amount,
                        schedule: Schedule::MonthlyOnDay { every: 1, day: 26 },
                        first: savings_first,
                        end: None,
                        classification: catalog::TRANSFER,
                    });
                }
                // Started recently (a fixed date, so it shows for years of anchors).
                let fridays = Schedule::WeeklyOnDay {
                    every: 1,
                    weekday: Weekday::Fri,
                };
                let pocket_from = plus_days(fixed(2025, 3, 1), rng.below(60));
                out.push(SoPlan {
                    from: index,
                    to: None,
                    payee: "J DOE JNR",
                    reference: "POCKET MONEY",
                    amount: 1_000,
                    schedule: fridays,
                    first: fridays
                        .next_on_or_after(pocket_from, pocket_from)
                        .unwrap_or(pocket_from),
                    end: None,
                    classification: catalog::TRANSFER,
                });
                // Cancelled a while ago.
                out.push(SoPlan {
                    from: index,
                    to: None,
                    payee: "ZSL LONDON ZOO",
                    reference: "MEMBERSHIP 55120",
                    amount: 1_650,
                    schedule: Schedule::MonthlyOnDay { every: 1, day: 15 },
                    first: schedule::clamp_day(month_start(before_origin(&mut rng, 30, 200)), 15),
                    end: Some(minus_days(fixed(2025, 10, 16), rng.below(120))),
                    classification: &["Entertainment", "Memberships"],
                });
            }
            (_, Income::Household) => {
                let rule = Schedule::WeekInMonth {
                    week: 1,
                    weekday: Weekday::Mon,
                };
                let seed_day = month_start(before_origin(&mut rng, 100, 500));
                let amount = round_to(rng.range(5_000, 15_000), 500);
                if let Some(to) = target {
                    out.push(SoPlan {
                        from: index,
                        to: Some(to),
                        payee: "J & J DOE",
                        reference: "HOLIDAY POT",
                        amount,
                        schedule: rule,
                        first: rule
                            .next_on_or_after(seed_day, seed_day)
                            .unwrap_or(seed_day),
                        end: None,
                        classification: catalog::TRANSFER,
                    });
                }
            }
            (AccountType::BusinessTransaction, _) => {
                let first = before_origin(&mut rng, 10, 300);
                let amount = round_to(rng.range(20_000, 60_000), 5_000);
                if let Some(to) = target {
                    out.push(SoPlan {
                        from: index,
                        to: Some(to),
                        payee: "DOE TRADING LTD",
                        reference: "TAX RESERVE",
                        amount,
                        schedule: Schedule::IntervalDays { every: 14 },
                        first,
                        end: None,
                        classification: catalog::TRANSFER,
                    });
                }
            }
            (AccountType::Transaction, Income::Weekly) => {
                let first = schedule::clamp_day(month_start(before_origin(&mut rng, 30, 400)), 3);
                let amount = round_to(rng.range(2_000, 8_000), 500);
                if let Some(to) = target {
                    out.push(SoPlan {
                        from: index,
                        to: Some(to),
                        payee: "J DOE",
                        reference: "RAINY DAY",
                        amount,
                        schedule: Schedule::MonthlyOnDay { every: 1, day: 3 },
                        first,
                        end: None,
                        classification: catalog::TRANSFER,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// Monthly collections of `o` from the origin until `until` (exclusive), on the next working
/// day after its nominal day; energy costs more in winter, variable bills wobble.
fn collections(
    ctx: &Context,
    rng: &mut Rng,
    o: &Originator,
    until: NaiveDate,
) -> Vec<(NaiveDate, i64)> {
    let mut out = Vec::new();
    let mut month = month_start(ctx.origin);
    while month < until {
        let date = schedule::next_working_day(schedule::clamp_day(month, o.day));
        let collected = !o.ten_months || !matches!(month.month(), 2 | 3);
        let winter = o.variation > 0 && matches!(month.month(), 11 | 12 | 1 | 2);
        // Draw for every month, collected or not, so later months never shift.
        let wobble = rng.range(-o.variation / 2, o.variation / 2);
        if collected && date >= ctx.origin && date < until {
            let seasonal = if winter { o.variation / 2 } else { 0 };
            out.push((date, (o.amount + seasonal + wobble).max(100)));
        }
        let Some(next) = month.checked_add_months(Months::new(1)) else {
            break;
        };
        month = next;
    }
    out
}

fn nominal_monthly(o: &Originator) -> f64 {
    let months = if o.ten_months { 10.0 } else { 12.0 };
    (o.amount as f64 + o.variation as f64 / 6.0) * months / 12.0
}

/// The direct debits of the bank: household bills (one cancelled) and both card repayments on
/// the first household account, business bills on business accounts.
pub(super) fn direct_debits(
    ctx: &Context,
    profiles: &[Profile],
    cards: &[CardPlan],
    card_repayments: &[Vec<(NaiveDate, i64)>],
) -> Vec<DdPlan> {
    let mut out = Vec::new();
    let mut cards_paid = false;
    for (index, profile) in profiles.iter().enumerate() {
        let mut originators: Vec<(&Originator, bool)> = Vec::new();
        if profile.household {
            originators.extend(catalog::ORIGINATORS.iter().map(|o| (o, false)));
            originators.push((&catalog::CANCELLED_ORIGINATOR, true));
        }
        if profile.business_debits {
            originators.extend(catalog::BUSINESS_ORIGINATORS.iter().map(|o| (o, false)));
        }
        for (n, (o, cancelled)) in originators.into_iter().enumerate() {
            // One stream per mandate: how many months one of them covers never shifts another.
            let mut rng = ctx.rng("direct-debit", index * 100 + n);
            let mandate = format!("{}{:08}", o.reference, rng.below(100_000_000));
            // The cancelled mandate stops on a fixed date, so it shows as cancelled for anchors
            // after it and as active before; it never sizes income (that must not depend on
            // the anchor).
            let end = cancelled.then(|| plus_days(fixed(2025, 8, 1), rng.below(90)));
            let until = end.unwrap_or(ctx.anchor).min(ctx.anchor);
            out.push(DdPlan {
                account: index,
                name: o.name,
                description: o.description,
                classification: o.classification,
                mandate,
                collections: collections(ctx, &mut rng, o, until),
                nominal_monthly: if cancelled { 0.0 } else { nominal_monthly(o) },
                active: end.is_none_or(|end| end > ctx.anchor),
            });
        }
        if profile.household && !cards_paid {
            cards_paid = true;
            for (card, repayments) in cards.iter().zip(card_repayments) {
                let visa = card.network == "VISA";
                out.push(DdPlan {
                    account: index,
                    name: if visa {
                        "MOCK BANK VISA"
                    } else {
                        "MOCK BANK MASTERCARD"
                    },
                    description: if visa {
                        "MOCK BANK VISA DD"
                    } else {
                        "MOCK BANK MASTERCARD DD"
                    },
                    classification: &["Bills and Utilities", "Credit card"],
                    mandate: format!("CARD{}", card.partial),
                    collections: repayments.clone(),
                    nominal_monthly: card_monthly_spend(card),
                    active: true,
                });
            }
        }
    }
    out
}

/// Expected monthly spending on a card (purchases and subscriptions).
fn card_monthly_spend(card: &CardPlan) -> f64 {
    let spend = card.purchases_per_day * MEAN_WEEKDAY_FACTOR * mean_purchase(catalog::MERCHANTS);
    let subscriptions: i64 = if card.subscriptions {
        catalog::SUBSCRIPTIONS.iter().map(|m| m.min).sum()
    } else {
        0
    };
    DAYS_PER_MONTH * spend + subscriptions as f64
}

/// Expected monthly money out of an account (anchor-independent), to size its income.
pub(super) fn expected_monthly_out(index: usize, profile: &Profile, plans: &Plans) -> f64 {
    let purchases =
        profile.purchases_per_day * MEAN_WEEKDAY_FACTOR * mean_purchase(profile.merchants);
    let atm = profile.atm_per_day * mean_atm();
    let mut monthly = DAYS_PER_MONTH * (purchases + atm) + profile.monthly_fee as f64;
    for so in plans
        .standing
        .iter()
        .filter(|s| s.from == index && s.end.is_none())
    {
        let per_month = match so.schedule {
            Schedule::MonthlyOnDay { every, .. } => 1.0 / f64::from(every.max(1)),
            Schedule::WeekInMonth { .. } => 1.0,
            Schedule::WeeklyOnDay { every, .. } => DAYS_PER_MONTH / 7.0 / f64::from(every.max(1)),
            Schedule::IntervalDays { every } => DAYS_PER_MONTH / f64::from(every.max(1)),
        };
        monthly += per_month * so.amount as f64;
    }
    monthly += plans
        .debits
        .iter()
        .filter(|d| d.account == index)
        .map(|d| d.nominal_monthly)
        .sum::<f64>();
    monthly
}
