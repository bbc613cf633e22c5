//! Builds a persona's bank: plans the accounts, cards, standing orders and direct debits, then
//! walks the history day by day producing transactions whose running balances add up. All
//! randomness comes from `rng::Rng` streams seeded with (purpose, username, seed, index), so
//! each account's history is independent of the others' and the whole bank is reproducible.

use std::borrow::Cow;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday};
use sha2::{Digest, Sha256};

use super::bank::{Bank, CardLedger, Holder, Ledger};
use super::catalog::{self, Merchant, Originator};
use super::iban::{uk_iban, MOCK_SHARED_IBAN};
use super::model::{
    Account, AccountBalance, AccountNumber, AccountType, Card, CardBalance, Currency, DirectDebit,
    DirectDebitMeta, Info, InfoAddress, MandateStatus, Money, MoneyText, NormalisedTransactionId,
    ProviderRef, ProviderTransactionId, RunningBalance, StandingOrder, StandingOrderMeta,
    Transaction, TransactionCategory as Cat, TransactionId, TransactionMeta, TransactionType,
};
use super::personas::Persona;
use super::rng::Rng;
use super::schedule::{self, Schedule};

/// The Mock bank's sort code, BIC and IBAN bank code (API.md §2).
const SORT_CODE: &str = "01-21-31";
const SWIFT_BIC: &str = "CPBKGB00";
const IBAN_BANK_CODE: &str = "CLRB";

/// History lengths: two years for ordinary users, six (≥ 5 required) for the dense one.
const STANDARD_DAYS: u64 = 730;
const DENSE_DAYS: u64 = 6 * 365 + 1;

/// Spending multiplier by weekday (Monday first): busier towards the weekend.
const WEEKDAY_FACTOR: [f64; 7] = [1.0, 1.0, 1.0, 1.05, 1.2, 1.35, 0.9];
const MEAN_WEEKDAY_FACTOR: f64 = (1.0 + 1.0 + 1.0 + 1.05 + 1.2 + 1.35 + 0.9) / 7.0;
const DAYS_PER_MONTH: f64 = 30.44;

/// How money comes into a current account.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Income {
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
struct Profile {
    kind: AccountType,
    name: &'static str,
    opening: (i64, i64),
    overdraft: i64,
    purchases_per_day: f64,
    merchants: &'static [Merchant],
    atm_per_day: f64,
    income: Income,
    interest_bp: i64,
    monthly_fee: i64,
    household: bool,
    business_debits: bool,
    extras: bool,
    pending: (i64, i64),
    joint: bool,
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
struct CardPlan {
    name: &'static str,
    network: &'static str,
    partial: &'static str,
    masked: &'static str,
    limit: i64,
    purchases_per_day: f64,
    statement_day: u32,
    subscriptions: bool,
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

/// A standing order of this bank: paid from `from`, into `to` when that is one of our accounts.
#[derive(Debug, Clone)]
struct SoPlan {
    from: usize,
    to: Option<usize>,
    payee: &'static str,
    reference: &'static str,
    amount: i64,
    schedule: Schedule,
    first: NaiveDate,
    /// Exclusive end for a cancelled order.
    end: Option<NaiveDate>,
    classification: &'static [&'static str],
}

/// A direct debit of this bank with its collection dates and amounts.
#[derive(Debug, Clone)]
struct DdPlan {
    account: usize,
    name: &'static str,
    description: &'static str,
    classification: &'static [&'static str],
    mandate: String,
    collections: Vec<(NaiveDate, i64)>,
    active: bool,
}

/// A transaction before ids and running balance.
#[derive(Debug, Clone)]
struct Event {
    at: DateTime<Utc>,
    /// Signed in the ledger's convention (accounts: negative out; cards: positive spend).
    amount: i64,
    description: Cow<'static, str>,
    category: Cat,
    classification: &'static [&'static str],
    merchant: Option<&'static str>,
    provider_category: &'static str,
    reference: Option<Cow<'static, str>>,
    counterparty: Option<&'static str>,
}

/// Where generation starts for one persona.
struct Context {
    key: String,
    seed: u64,
    anchor: NaiveDate,
    start: NaiveDate,
    now: DateTime<Utc>,
}

impl Context {
    fn rng(&self, purpose: &str, index: usize) -> Rng {
        Rng::from_parts(&[
            purpose.as_bytes(),
            self.key.as_bytes(),
            &self.seed.to_le_bytes(),
            &(index as u64).to_le_bytes(),
        ])
    }
}

/// Generates `persona`'s bank (see [`Bank::generate`]).
pub(crate) fn generate(persona: &Persona, anchor: NaiveDate, seed: u64) -> Bank {
    let days = if persona.is_dense() {
        DENSE_DAYS
    } else {
        STANDARD_DAYS
    };
    let start = anchor.checked_sub_days(Days::new(days)).unwrap_or(anchor);
    let ctx = Context {
        key: persona.data_key(),
        seed,
        anchor,
        start,
        now: midnight(anchor),
    };
    let plan: &[Profile] = if persona.is_dense() {
        &DENSE_PLAN
    } else {
        &STANDARD_PLAN
    };
    let card_plan: &[CardPlan] = if persona.is_dense() {
        &DENSE_CARDS
    } else {
        &STANDARD_CARDS
    };

    let holder = make_holder(&ctx.key);
    let full_name = holder.full_name();
    let provider = ProviderRef {
        provider_id: "mock".to_owned(),
        display_name: Some("Mock".to_owned()),
        logo_uri: None,
    };

    // Cards first: the main account pays their statements by direct debit.
    let mut cards = Vec::new();
    let mut card_ledgers = Vec::new();
    let mut card_repayments: Vec<(usize, Vec<(NaiveDate, i64)>)> = Vec::new();
    for (index, card_plan) in card_plan.iter().enumerate() {
        let (card, ledger, repayments) =
            generate_card(&ctx, index, card_plan, &full_name, &provider);
        cards.push(card);
        card_ledgers.push(ledger);
        card_repayments.push((index, repayments));
    }

    let numbering = number_accounts(plan);
    let standing = plan_standing_orders(&ctx, plan);
    let debits = plan_direct_debits(&ctx, plan, card_plan, &card_repayments);

    let mut accounts = Vec::new();
    let mut ledgers = Vec::new();
    for (index, profile) in plan.iter().enumerate() {
        let number = numbering.get(index).cloned().unwrap_or_default();
        let iban = if persona.distinct_ibans() {
            uk_iban(IBAN_BANK_CODE, SORT_CODE, &number.0)
        } else {
            MOCK_SHARED_IBAN.to_owned()
        };
        accounts.push(Account {
            update_timestamp: ctx.now,
            account_id: derived_hex(&["account", &ctx.key, &index.to_string()], 32),
            account_type: profile.kind,
            display_name: number.1.clone(),
            currency: Currency::Gbp,
            account_number: AccountNumber {
                number: number.0.clone(),
                sort_code: SORT_CODE.to_owned(),
                swift_bic: SWIFT_BIC.to_owned(),
                iban,
            },
            provider: provider.clone(),
        });
        let holders = if profile.joint {
            vec![full_name.clone(), format!("Jane {}", holder.last_name)]
        } else {
            vec![full_name.clone()]
        };
        let plans = Plans {
            standing: &standing,
            debits: &debits,
            numbering: &numbering,
            cards: card_plan,
        };
        ledgers.push(generate_account(&ctx, index, profile, &plans, holders));
    }

    let info = Info {
        full_name: full_name.clone(),
        emails: vec![email_for(&ctx.key)],
        phones: vec![phone_for(&ctx.key)],
        date_of_birth: holder.date_of_birth,
        addresses: vec![InfoAddress {
            address: match &holder.address_line2 {
                Some(line2) => format!("{}, {line2}", holder.address_line1),
                None => holder.address_line1.clone(),
            },
            city: holder.city.clone(),
            state: holder.state.clone(),
            zip: holder.zip.clone(),
            country: "GB".to_owned(),
        }],
        update_timestamp: ctx.now,
    };

    Bank {
        persona: *persona,
        anchor,
        holder,
        info,
        accounts,
        ledgers,
        cards,
        card_ledgers,
    }
}

/// (account number, display name) per account: numbers 10000000, 20000000, … as the Mock bank
/// numbers them; names `TRANSACTION ACCOUNT n` / `SAVINGS ACCOUNT n` counted per kind.
fn number_accounts(plan: &[Profile]) -> Vec<(String, String)> {
    let mut per_name: Vec<(&str, u32)> = Vec::new();
    plan.iter()
        .enumerate()
        .map(|(index, profile)| {
            let count = match per_name.iter_mut().find(|(n, _)| *n == profile.name) {
                Some((_, c)) => {
                    *c += 1;
                    *c
                }
                None => {
                    per_name.push((profile.name, 1));
                    1
                }
            };
            let number = if index < 9 {
                (index as u64 + 1) * 10_000_000
            } else {
                91_000_000 + index as u64
            };
            (format!("{number:08}"), format!("{} {count}", profile.name))
        })
        .collect()
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

fn at(day: NaiveDate, seconds: i64) -> DateTime<Utc> {
    midnight(day) + TimeDelta::seconds(seconds)
}

/// A daytime posting time: 06:30–23:30.
fn daytime(rng: &mut Rng) -> i64 {
    rng.range(6 * 3600 + 1800, 23 * 3600 + 1800)
}

/// Hex digits of SHA-256 over `parts`: ids that depend only on what they name.
fn derived_hex(parts: &[&str], digits: usize) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"linkscope-sandbox/id/v1");
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    let mut hex = hex::encode(hasher.finalize());
    hex.truncate(digits);
    hex
}

/// A UUID-shaped provider account id (as in TrueLayer's standing-order example).
fn provider_account_id(key: &str, index: usize) -> String {
    let h = derived_hex(&["provider-account", key, &index.to_string()], 32);
    let part = |a: usize, b: usize| h.get(a..b).unwrap_or("0");
    format!(
        "{}-{}-{}-{}-{}",
        part(0, 8),
        part(8, 12),
        part(12, 16),
        part(16, 20),
        part(20, 32)
    )
}

fn round_to(value: i64, step: i64) -> i64 {
    if step <= 0 {
        return value;
    }
    (value + step / 2) / step * step
}

fn mean_purchase(merchants: &[Merchant]) -> f64 {
    let total: f64 = merchants.iter().map(|m| f64::from(m.weight)).sum();
    if total == 0.0 {
        return 0.0;
    }
    merchants
        .iter()
        .map(|m| f64::from(m.weight) * (m.min + m.max) as f64 / 2.0)
        .sum::<f64>()
        / total
}

fn mean_atm() -> f64 {
    catalog::ATM_AMOUNTS.iter().sum::<i64>() as f64 / catalog::ATM_AMOUNTS.len().max(1) as f64
}

fn make_holder(key: &str) -> Holder {
    let mut rng = Rng::from_parts(&[b"identity", key.as_bytes()]);
    let year = rng.range(1962, 2001) as i32;
    let date_of_birth =
        NaiveDate::from_yo_opt(year, rng.range(1, 365) as u32).unwrap_or(NaiveDate::MIN);
    let (street, city, state, zip) = rng.pick(catalog::ADDRESSES).copied().unwrap_or((
        "Acacia Avenue",
        "London",
        "Greater London",
        "SW9 8QD",
    ));
    let flat = rng
        .chance(0.4)
        .then(|| format!("Flat {}", rng.range(1, 12)));
    Holder {
        title: "Mr".to_owned(),
        first_name: "John".to_owned(),
        last_name: "Doe".to_owned(),
        date_of_birth,
        address_line1: format!("{} {street}", rng.range(1, 220)),
        address_line2: flat,
        city: city.to_owned(),
        state: state.to_owned(),
        zip: zip.to_owned(),
    }
}

fn email_for(key: &str) -> String {
    let local = match key.strip_prefix("john") {
        Some("") => "john.doe".to_owned(),
        Some(rest) if rest.chars().all(|c| c.is_ascii_digit()) => format!("john.doe{rest}"),
        _ => key.replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "."),
    };
    format!("{local}@example.com")
}

/// A number in Ofcom's drama range (07700 900000–900999), never a real line.
fn phone_for(key: &str) -> String {
    let mut rng = Rng::from_parts(&[b"phone", key.as_bytes()]);
    format!("+447700900{:03}", rng.below(1000))
}

fn plan_standing_orders(ctx: &Context, plan: &[Profile]) -> Vec<SoPlan> {
    let mut rng = ctx.rng("standing-orders", 0);
    let before = |days: u64| {
        ctx.start
            .checked_sub_days(Days::new(days))
            .unwrap_or(ctx.start)
    };
    let back = |days: u64| {
        ctx.anchor
            .checked_sub_days(Days::new(days))
            .unwrap_or(ctx.anchor)
    };
    let month_start = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let mut out = Vec::new();
    let savings_target = |from: usize| {
        plan.iter()
            .enumerate()
            .skip(from + 1)
            .find(|(_, p)| matches!(p.kind, AccountType::Savings | AccountType::BusinessSavings))
            .map(|(i, _)| i)
    };
    for (index, profile) in plan.iter().enumerate() {
        match (profile.kind, profile.income, profile.joint) {
            (AccountType::Transaction, Income::Salary, _) => {
                let rent_first = month_start(before(rng.range(60, 400) as u64));
                out.push(SoPlan {
                    from: index,
                    to: None,
                    payee: "REGENDA REDWING",
                    reference: "RENT",
                    amount: round_to(rng.range(85_000, 145_000), 500),
                    schedule: Schedule::MonthlyOnDay { every: 1, day: 1 },
                    first: rent_first,
                    end: None,
                    classification: catalog::HOUSING,
                });
                if let Some(to) = savings_target(index) {
                    let first =
                        schedule::clamp_day(month_start(before(rng.range(200, 900) as u64)), 26);
                    out.push(SoPlan {
                        from: index,
                        to: Some(to),
                        payee: "J DOE",
                        reference: "SAVINGS",
                        amount: round_to(rng.range(10_000, 40_000), 1_000),
                        schedule: Schedule::MonthlyOnDay { every: 1, day: 26 },
                        first,
                        end: None,
                        classification: catalog::TRANSFER,
                    });
                }
                let pocket_first = back(rng.range(250, 330) as u64);
                out.push(SoPlan {
                    from: index,
                    to: None,
                    payee: "J DOE JNR",
                    reference: "POCKET MONEY",
                    amount: 1_000,
                    schedule: Schedule::WeeklyOnDay {
                        every: 1,
                        weekday: Weekday::Fri,
                    },
                    first: Schedule::WeeklyOnDay {
                        every: 1,
                        weekday: Weekday::Fri,
                    }
                    .next_on_or_after(pocket_first, pocket_first)
                    .unwrap_or(pocket_first),
                    end: None,
                    classification: catalog::TRANSFER,
                });
                let zoo_first =
                    schedule::clamp_day(month_start(before(rng.range(30, 200) as u64)), 15);
                out.push(SoPlan {
                    from: index,
                    to: None,
                    payee: "ZSL LONDON ZOO",
                    reference: "MEMBERSHIP 55120",
                    amount: 1_650,
                    schedule: Schedule::MonthlyOnDay { every: 1, day: 15 },
                    first: zoo_first,
                    end: Some(back(rng.range(150, 250) as u64)),
                    classification: &["Entertainment", "Memberships"],
                });
            }
            (_, Income::Household, true) => {
                if let Some(to) = savings_target(index) {
                    let rule = Schedule::WeekInMonth {
                        week: 1,
                        weekday: Weekday::Mon,
                    };
                    let seed_day = month_start(before(rng.range(100, 500) as u64));
                    out.push(SoPlan {
                        from: index,
                        to: Some(to),
                        payee: "J & J DOE",
                        reference: "HOLIDAY POT",
                        amount: round_to(rng.range(5_000, 15_000), 500),
                        schedule: rule,
                        first: rule
                            .next_on_or_after(seed_day, seed_day)
                            .unwrap_or(seed_day),
                        end: None,
                        classification: catalog::TRANSFER,
                    });
                }
            }
            (AccountType::BusinessTransaction, _, _) => {
                if let Some(to) = savings_target(index) {
                    let first = before(rng.range(10, 300) as u64);
                    out.push(SoPlan {
                        from: index,
                        to: Some(to),
                        payee: "DOE TRADING LTD",
                        reference: "TAX RESERVE",
                        amount: round_to(rng.range(20_000, 60_000), 5_000),
                        schedule: Schedule::IntervalDays { every: 14 },
                        first,
                        end: None,
                        classification: catalog::TRANSFER,
                    });
                }
            }
            (AccountType::Transaction, Income::Weekly, _) => {
                if let Some(to) = savings_target(index) {
                    let first =
                        schedule::clamp_day(month_start(before(rng.range(30, 400) as u64)), 3);
                    out.push(SoPlan {
                        from: index,
                        to: Some(to),
                        payee: "J DOE",
                        reference: "RAINY DAY",
                        amount: round_to(rng.range(2_000, 8_000), 500),
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

fn collections(
    ctx: &Context,
    rng: &mut Rng,
    o: &Originator,
    until: NaiveDate,
) -> Vec<(NaiveDate, i64)> {
    let mut out = Vec::new();
    let Some(mut month) = ctx.start.with_day(1) else {
        return out;
    };
    while month < until {
        let date = schedule::next_working_day(schedule::clamp_day(month, o.day));
        let collected = !o.ten_months || !matches!(month.month(), 2 | 3);
        if collected && date >= ctx.start && date < until {
            // Energy bills follow the seasons; other variable bills wobble a little.
            let seasonal = if o.variation > 0 && matches!(month.month(), 11 | 12 | 1 | 2) {
                o.variation / 2
            } else {
                0
            };
            let amount = o.amount + seasonal + rng.range(-o.variation / 2, o.variation / 2);
            out.push((date, amount.max(100)));
        }
        let Some(next) = month.checked_add_months(Months::new(1)) else {
            break;
        };
        month = next;
    }
    out
}

fn plan_direct_debits(
    ctx: &Context,
    plan: &[Profile],
    cards: &[CardPlan],
    card_repayments: &[(usize, Vec<(NaiveDate, i64)>)],
) -> Vec<DdPlan> {
    let mut rng = ctx.rng("direct-debits", 0);
    let mut out = Vec::new();
    let mandate = |rng: &mut Rng, prefix: &str| format!("{prefix}{:08}", rng.below(100_000_000));
    let mut cards_paid = false;
    for (index, profile) in plan.iter().enumerate() {
        let mut originators: Vec<&Originator> = Vec::new();
        if profile.household {
            originators.extend(catalog::ORIGINATORS.iter());
        }
        if profile.business_debits {
            originators.extend(catalog::BUSINESS_ORIGINATORS.iter());
        }
        for o in originators {
            let collections = collections(ctx, &mut rng, o, ctx.anchor);
            out.push(DdPlan {
                account: index,
                name: o.name,
                description: o.description,
                classification: o.classification,
                mandate: mandate(&mut rng, o.reference),
                collections,
                active: true,
            });
        }
        if profile.household {
            let o = &catalog::CANCELLED_ORIGINATOR;
            let until = ctx
                .anchor
                .checked_sub_days(Days::new(rng.range(200, 400) as u64))
                .unwrap_or(ctx.anchor);
            out.push(DdPlan {
                account: index,
                name: o.name,
                description: o.description,
                classification: o.classification,
                mandate: mandate(&mut rng, o.reference),
                collections: collections(ctx, &mut rng, o, until),
                active: false,
            });
            // Only the first household account pays the cards.
            if cards_paid {
                continue;
            }
            cards_paid = true;
            for (card_index, repayments) in card_repayments {
                let Some(card) = cards.get(*card_index) else {
                    continue;
                };
                out.push(DdPlan {
                    account: index,
                    name: if card.network == "VISA" {
                        "MOCK BANK VISA"
                    } else {
                        "MOCK BANK MASTERCARD"
                    },
                    description: if card.network == "VISA" {
                        "MOCK BANK VISA DD"
                    } else {
                        "MOCK BANK MASTERCARD DD"
                    },
                    classification: &["Bills and Utilities", "Credit card"],
                    mandate: format!("CARD{}", card.partial),
                    collections: repayments.clone(),
                    active: true,
                });
            }
        }
    }
    out
}

/// Expected monthly money out of an account, used to size its income.
fn expected_monthly_out(
    index: usize,
    profile: &Profile,
    standing: &[SoPlan],
    debits: &[DdPlan],
    cards: &[CardPlan],
    history_months: f64,
) -> f64 {
    let purchases =
        profile.purchases_per_day * MEAN_WEEKDAY_FACTOR * mean_purchase(profile.merchants);
    let atm = profile.atm_per_day * mean_atm();
    let mut monthly = DAYS_PER_MONTH * (purchases + atm) + profile.monthly_fee as f64;
    for so in standing
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
    // Card repayments are counted below from the cards' expected spending.
    for dd in debits
        .iter()
        .filter(|d| d.account == index && d.active && !d.mandate.starts_with("CARD"))
    {
        let total: i64 = dd.collections.iter().map(|(_, a)| a).sum();
        monthly += total as f64 / history_months.max(1.0);
    }
    if profile.household {
        for card in cards {
            let spend =
                card.purchases_per_day * MEAN_WEEKDAY_FACTOR * mean_purchase(catalog::MERCHANTS);
            let subs: i64 = if card.subscriptions {
                catalog::SUBSCRIPTIONS.iter().map(|m| m.min).sum()
            } else {
                0
            };
            monthly += DAYS_PER_MONTH * spend + subs as f64;
        }
    }
    monthly
}

/// The bank-wide plans every account's generation consults.
struct Plans<'a> {
    standing: &'a [SoPlan],
    debits: &'a [DdPlan],
    numbering: &'a [(String, String)],
    cards: &'a [CardPlan],
}

fn generate_account(
    ctx: &Context,
    index: usize,
    profile: &Profile,
    plans: &Plans<'_>,
    holders: Vec<String>,
) -> Ledger {
    let Plans {
        standing,
        debits,
        numbering,
        cards,
    } = *plans;
    let mut rng = ctx.rng("account", index);
    let opening = round_to(rng.range(profile.opening.0, profile.opening.1), 1);
    let history_months = (ctx.anchor - ctx.start).num_days() as f64 / DAYS_PER_MONTH;
    let monthly_out = expected_monthly_out(index, profile, standing, debits, cards, history_months);
    let cover = 1.0 + rng.range(2, 6) as f64 / 100.0;
    let monthly_in = monthly_out * cover;
    let floor = -(profile.overdraft * 4 / 5);
    let cap = if profile.kind.is_current() {
        (monthly_out * 1.5).max(250_000.0) as i64
    } else {
        i64::MAX
    };

    // Everything that happens on a fixed day, sorted by time.
    let mut scheduled: Vec<Event> = Vec::new();
    for so in standing {
        let until = so.end.unwrap_or(ctx.anchor).min(ctx.anchor);
        let dates = so.schedule.dates(so.first, until);
        if so.from == index {
            for d in dates.iter().filter(|d| **d >= ctx.start) {
                scheduled.push(Event {
                    at: midnight(*d),
                    amount: -so.amount,
                    description: Cow::Owned(format!("{} {}", so.payee, so.reference)),
                    category: Cat::StandingOrder,
                    classification: so.classification,
                    merchant: None,
                    provider_category: "SO",
                    reference: Some(Cow::Borrowed(so.reference)),
                    counterparty: Some(so.payee),
                });
            }
        } else if so.to == Some(index) {
            let from_number = numbering
                .get(so.from)
                .map(|n| n.0.clone())
                .unwrap_or_default();
            for d in dates.iter().filter(|d| **d >= ctx.start) {
                scheduled.push(Event {
                    at: midnight(*d),
                    amount: so.amount,
                    description: Cow::Owned(format!("FROM A/C {from_number} {}", so.reference)),
                    category: Cat::Transfer,
                    classification: catalog::TRANSFER,
                    merchant: None,
                    provider_category: "TFR",
                    reference: Some(Cow::Borrowed(so.reference)),
                    counterparty: Some("J DOE"),
                });
            }
        }
    }
    for dd in debits.iter().filter(|d| d.account == index) {
        for (d, amount) in &dd.collections {
            scheduled.push(Event {
                at: midnight(*d),
                amount: -amount,
                description: Cow::Borrowed(dd.description),
                category: Cat::DirectDebit,
                classification: dd.classification,
                merchant: Some(dd.name),
                provider_category: "DD",
                reference: Some(Cow::Owned(dd.mandate.clone())),
                counterparty: Some(dd.name),
            });
        }
    }
    // Income that follows the calendar.
    let employer = rng
        .pick(catalog::EMPLOYERS)
        .copied()
        .unwrap_or("ACME WIDGETS LTD");
    let salary = round_to(monthly_in as i64, 1_000);
    let mut month = ctx.start.with_day(1).unwrap_or(ctx.start);
    while month < ctx.anchor {
        match profile.income {
            Income::Salary => {
                let d = schedule::previous_working_day(schedule::clamp_day(month, 25));
                if d >= ctx.start && d < ctx.anchor {
                    let bonus = if month.month() == 12 { salary / 4 } else { 0 };
                    scheduled.push(Event {
                        at: midnight(d),
                        amount: salary + bonus,
                        description: Cow::Owned(format!("{employer} SALARY")),
                        category: Cat::Credit,
                        classification: catalog::INCOME_SALARY,
                        merchant: None,
                        provider_category: "BGC",
                        reference: Some(Cow::Borrowed("SALARY")),
                        counterparty: Some(employer),
                    });
                }
            }
            Income::Household => {
                let d = schedule::next_working_day(month);
                if d >= ctx.start && d < ctx.anchor {
                    let half = round_to((monthly_in / 2.0) as i64, 500);
                    for (who, text) in [
                        ("JANE DOE", "JANE DOE HOUSEHOLD"),
                        ("J DOE", "J DOE HOUSEHOLD"),
                    ] {
                        scheduled.push(Event {
                            at: midnight(d),
                            amount: half,
                            description: Cow::Borrowed(text),
                            category: Cat::Transfer,
                            classification: catalog::TRANSFER,
                            merchant: None,
                            provider_category: "FPI",
                            reference: Some(Cow::Borrowed("HOUSEHOLD")),
                            counterparty: Some(who),
                        });
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
        let rule = Schedule::WeeklyOnDay {
            every: 1,
            weekday: Weekday::Mon,
        };
        for d in rule.dates(ctx.start, ctx.anchor) {
            scheduled.push(Event {
                at: midnight(d),
                amount: weekly,
                description: Cow::Borrowed("FASTER PAYMENT RECEIVED J DOE"),
                category: Cat::Transfer,
                classification: catalog::TRANSFER,
                merchant: None,
                provider_category: "FPI",
                reference: Some(Cow::Borrowed("WEEKLY")),
                counterparty: Some("J DOE"),
            });
        }
    }
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

    let mut transactions: Vec<Transaction> = Vec::with_capacity(
        ((profile.purchases_per_day + customers_per_day + 0.6)
            * (ctx.anchor - ctx.start).num_days() as f64) as usize,
    );
    let mut balance = opening;
    let mut next_scheduled = scheduled.into_iter().peekable();
    let mut today: Vec<Event> = Vec::with_capacity(32);
    let mut day = ctx.start;
    while day < ctx.anchor {
        today.clear();
        // Balance-dependent items at the start of the month.
        if day.day() == 1 {
            if profile.interest_bp > 0 && balance > 0 {
                let interest = balance * profile.interest_bp / 10_000 / 12;
                if interest > 0 {
                    today.push(Event {
                        at: midnight(day),
                        amount: interest,
                        description: Cow::Borrowed("INTEREST PAID"),
                        category: Cat::Interest,
                        classification: catalog::INTEREST,
                        merchant: None,
                        provider_category: "INT",
                        reference: None,
                        counterparty: None,
                    });
                }
            }
            if profile.monthly_fee > 0 {
                today.push(Event {
                    at: midnight(day),
                    amount: -profile.monthly_fee,
                    description: Cow::Borrowed("MONTHLY ACCOUNT FEE"),
                    category: Cat::FeeCharge,
                    classification: catalog::FEES,
                    merchant: None,
                    provider_category: "CHG",
                    reference: None,
                    counterparty: None,
                });
            }
        }
        while let Some(event) = next_scheduled.next_if(|e| e.at.date_naive() <= day) {
            today.push(event);
        }
        let factor = WEEKDAY_FACTOR
            .get(day.weekday().num_days_from_monday() as usize)
            .copied()
            .unwrap_or(1.0);
        for _ in 0..rng.poisson(profile.purchases_per_day * factor) {
            if let Some(m) = rng.pick_weighted(profile.merchants, |m| m.weight) {
                let amount = rng.range(m.min, m.max);
                let description = rng.pick(m.descriptions).copied().unwrap_or(m.name);
                today.push(purchase(
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
            today.push(Event {
                at: at(day, rng.range(9 * 3600, 21 * 3600)),
                amount: -amount,
                description: Cow::Borrowed(description),
                category: Cat::Atm,
                classification: catalog::CASH,
                merchant: None,
                provider_category: "CSH",
                reference: None,
                counterparty: None,
            });
        }
        for _ in 0..rng.poisson(customers_per_day) {
            let customer = rng.pick(catalog::CUSTOMERS).copied().unwrap_or("CUSTOMER");
            let amount = round_to((invoice_mean * (0.4 + 1.2 * rng.unit())) as i64, 1);
            today.push(Event {
                at: at(day, rng.range(7 * 3600, 19 * 3600)),
                amount: amount.max(100),
                description: Cow::Borrowed(customer),
                category: Cat::Credit,
                classification: catalog::INCOME_BUSINESS,
                merchant: None,
                provider_category: "FPI",
                reference: Some(Cow::Owned(format!("INV {}", rng.range(1000, 9999)))),
                counterparty: Some(customer),
            });
        }
        if profile.extras {
            if rng.chance(0.012) {
                if let Some(m) = rng.pick_weighted(catalog::MERCHANTS, |m| m.weight) {
                    let amount = rng.range(m.min, m.max);
                    today.push(Event {
                        at: at(day, daytime(&mut rng)),
                        amount,
                        description: Cow::Owned(format!("{} REFUND", m.name.to_uppercase())),
                        category: Cat::Credit,
                        classification: catalog::REFUND,
                        merchant: Some(m.name),
                        provider_category: "DEP",
                        reference: None,
                        counterparty: None,
                    });
                }
            }
            if rng.chance(1.0 / 120.0) {
                today.push(Event {
                    at: at(day, rng.range(10 * 3600, 16 * 3600)),
                    amount: round_to(rng.range(2_000, 25_000), 100),
                    description: Cow::Borrowed("CHEQUE DEPOSIT"),
                    category: Cat::Cheque,
                    classification: catalog::INCOME_OTHER,
                    merchant: None,
                    provider_category: "CHQ",
                    reference: Some(Cow::Owned(format!("{:06}", rng.below(1_000_000)))),
                    counterparty: None,
                });
            }
        }
        // Posting order within the day: by time, scheduled items (midnight) first.
        today.sort_by_key(|e| e.at);
        for event in today.drain(..) {
            if event.amount < 0 && balance + event.amount < floor {
                if !profile.kind.is_current() {
                    continue; // savings never go below zero: skip the withdrawal
                }
                // Bring the balance back to a few hundred pounds in credit after this debit.
                let top_up = round_to(-(balance + event.amount) + rng.range(30_000, 80_000), 1_000);
                balance += top_up;
                transactions.push(settled(
                    Event {
                        at: event.at,
                        amount: top_up,
                        description: Cow::Borrowed("FASTER PAYMENT RECEIVED J DOE"),
                        category: Cat::Transfer,
                        classification: catalog::TRANSFER,
                        merchant: None,
                        provider_category: "FPI",
                        reference: Some(Cow::Borrowed("TOP UP")),
                        counterparty: Some("J DOE"),
                    },
                    balance,
                    false,
                ));
            }
            balance += event.amount;
            transactions.push(settled(event, balance, false));
        }
        // Month end: sweep a surplus away so the current account stays realistic.
        let month_end = day.succ_opt().is_none_or(|n| n.month() != day.month());
        if month_end && balance > cap {
            let sweep = round_to(balance - (monthly_out as i64).max(100_000), 10_000);
            if sweep > 0 {
                balance -= sweep;
                transactions.push(settled(
                    Event {
                        at: at(day, 23 * 3600 + 45 * 60),
                        amount: -sweep,
                        description: Cow::Borrowed("TRANSFER TO J DOE ISA"),
                        category: Cat::Transfer,
                        classification: catalog::TRANSFER,
                        merchant: None,
                        provider_category: "TFR",
                        reference: Some(Cow::Borrowed("ISA")),
                        counterparty: Some("J DOE"),
                    },
                    balance,
                    false,
                ));
            }
        }
        day = match day.succ_opt() {
            Some(next) => next,
            None => break,
        };
    }

    // Pending card payments of the last three days.
    let mut pending = Vec::new();
    if profile.purchases_per_day > 0.0 {
        for _ in 0..rng.range(profile.pending.0, profile.pending.1) {
            if let Some(m) = rng.pick_weighted(profile.merchants, |m| m.weight) {
                let back = rng.range(1, 3) as u64;
                let d = ctx
                    .anchor
                    .checked_sub_days(Days::new(back))
                    .unwrap_or(ctx.anchor);
                let amount = rng.range(m.min, m.max);
                let description = rng.pick(m.descriptions).copied().unwrap_or(m.name);
                pending.push(pending_txn(
                    purchase(at(d, daytime(&mut rng)), -amount, description, m),
                    false,
                ));
            }
        }
        pending.sort_by_key(|t: &Transaction| t.timestamp);
    }

    let mut ids = ctx.rng("account-ids", index);
    assign_ids(&mut ids, &mut transactions);
    assign_ids(&mut ids, &mut pending);

    let pending_total: i64 = pending.iter().map(|t| t.amount.0).sum();
    let current = transactions
        .last()
        .and_then(|t| t.running_balance)
        .map_or(opening, |r| r.amount.0);
    let overdraft = profile
        .kind
        .is_current()
        .then_some(Money(profile.overdraft));
    let balance = AccountBalance {
        currency: Currency::Gbp,
        available: Money(current + pending_total + profile.overdraft),
        current: Money(current),
        overdraft,
        update_timestamp: ctx.now,
    };

    let provider_account = provider_account_id(&ctx.key, index);
    let standing_orders = standing
        .iter()
        .filter(|s| s.from == index)
        .map(|s| standing_order_item(ctx, s, &provider_account))
        .collect();
    let direct_debits = debits
        .iter()
        .filter(|d| d.account == index)
        .enumerate()
        .map(|(n, d)| direct_debit_item(ctx, index, n, d, &provider_account))
        .collect();
    Ledger {
        balance,
        transactions,
        pending,
        standing_orders,
        direct_debits,
        holders,
    }
}

fn purchase(
    at: DateTime<Utc>,
    amount: i64,
    description: &'static str,
    m: &'static Merchant,
) -> Event {
    Event {
        at,
        amount,
        description: Cow::Borrowed(description),
        category: Cat::Purchase,
        classification: m.classification,
        merchant: Some(m.name),
        provider_category: "DEB",
        reference: None,
        counterparty: None,
    }
}

/// A settled transaction with its running balance (ids assigned later). `card` flips the sign
/// convention: on a card a positive amount is a debit.
fn settled(event: Event, balance: i64, card: bool) -> Transaction {
    let mut t = pending_txn(event, card);
    t.running_balance = Some(RunningBalance {
        amount: Money(balance),
        currency: Currency::Gbp,
    });
    t
}

fn pending_txn(event: Event, card: bool) -> Transaction {
    let debit = if card {
        event.amount > 0
    } else {
        event.amount < 0
    };
    Transaction {
        transaction_id: TransactionId(0),
        normalised_provider_transaction_id: NormalisedTransactionId(0),
        provider_transaction_id: ProviderTransactionId(0),
        timestamp: event.at,
        description: event.description,
        amount: Money(event.amount),
        currency: Currency::Gbp,
        transaction_type: if debit {
            TransactionType::Debit
        } else {
            TransactionType::Credit
        },
        transaction_category: event.category,
        transaction_classification: event.classification,
        merchant_name: event.merchant,
        running_balance: None,
        meta: TransactionMeta {
            provider_transaction_category: event.provider_category,
            provider_reference: event.reference,
            counter_party_preferred_name: event.counterparty,
            card_number: None,
            location: None,
        },
    }
}

fn assign_ids(rng: &mut Rng, transactions: &mut [Transaction]) {
    for t in transactions {
        t.transaction_id = TransactionId(rng.next_u128());
        t.normalised_provider_transaction_id = NormalisedTransactionId(rng.next_u128());
        t.provider_transaction_id = ProviderTransactionId(rng.next_u128());
    }
}

fn standing_order_item(ctx: &Context, so: &SoPlan, provider_account: &str) -> StandingOrder {
    let active = so.end.is_none_or(|end| end > ctx.anchor);
    let last_paid = so
        .schedule
        .dates(so.first, so.end.unwrap_or(ctx.anchor).min(ctx.anchor))
        .last()
        .copied();
    let open_ended = NaiveDate::from_ymd_opt(9999, 12, 31);
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
        final_payment_date: if active { open_ended } else { last_paid },
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
    DirectDebit {
        direct_debit_id: derived_hex(
            &["direct-debit", &ctx.key, &index.to_string(), &n.to_string()],
            32,
        ),
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
                &["provider-dd", &ctx.key, &index.to_string(), &n.to_string()],
                20,
            )),
        },
    }
}

/// One credit card: its history (purchases, subscriptions, statement repayments) and the dates
/// and amounts of those repayments, which the main account pays by direct debit.
fn generate_card(
    ctx: &Context,
    index: usize,
    plan: &CardPlan,
    holder_name: &str,
    provider: &ProviderRef,
) -> (Card, CardLedger, Vec<(NaiveDate, i64)>) {
    let mut rng = ctx.rng("card", index);
    let subscriptions: Vec<(&'static Merchant, u32)> = if plan.subscriptions {
        catalog::SUBSCRIPTIONS
            .iter()
            .map(|m| (m, rng.range(2, 27) as u32))
            .collect()
    } else {
        Vec::new()
    };
    let location = |m: &Merchant| m.location;
    let mut transactions: Vec<Transaction> = Vec::new();
    let mut repayments: Vec<(NaiveDate, i64)> = Vec::new();
    let mut due: Option<(NaiveDate, i64)> = None;
    let mut last_statement: Option<(NaiveDate, i64)> = None;
    let mut owed: i64 = 0;
    let mut today: Vec<(Event, &'static str)> = Vec::new();
    let mut day = ctx.start;
    while day < ctx.anchor {
        today.clear();
        if let Some((pay_day, amount)) = due {
            if pay_day == day {
                today.push((
                    Event {
                        at: midnight(day),
                        amount: -amount,
                        description: Cow::Borrowed("PAYMENT RECEIVED - THANK YOU"),
                        category: Cat::Transfer,
                        classification: catalog::TRANSFER,
                        merchant: None,
                        provider_category: "PAYMENT",
                        reference: None,
                        counterparty: None,
                    },
                    "",
                ));
                repayments.push((day, amount));
                due = None;
            }
        }
        for (m, dom) in &subscriptions {
            if schedule::clamp_day(day, *dom) == day {
                let description = m.descriptions.first().copied().unwrap_or(m.name);
                today.push((
                    purchase(at(day, rng.range(1, 6 * 3600)), m.min, description, m),
                    location(m),
                ));
            }
        }
        let factor = WEEKDAY_FACTOR
            .get(day.weekday().num_days_from_monday() as usize)
            .copied()
            .unwrap_or(1.0);
        for _ in 0..rng.poisson(plan.purchases_per_day * factor) {
            if let Some(m) = rng.pick_weighted(catalog::MERCHANTS, |m| m.weight) {
                let amount = rng.range(m.min, m.max);
                let description = rng.pick(m.descriptions).copied().unwrap_or(m.name);
                today.push((
                    purchase(at(day, daytime(&mut rng)), amount, description, m),
                    location(m),
                ));
            }
        }
        today.sort_by_key(|(e, _)| e.at);
        for (event, location) in today.drain(..) {
            if event.amount > 0 && owed + event.amount > plan.limit * 9 / 10 {
                continue; // declined: near the limit
            }
            owed += event.amount;
            let mut t = settled(event, owed, true);
            t.meta.card_number = Some(plan.masked);
            t.meta.location = (!location.is_empty()).then_some(location);
            transactions.push(t);
        }
        if day.day() == schedule::clamp_day(day, plan.statement_day).day() {
            last_statement = Some((day, owed));
            if owed > 0 {
                let pay_day =
                    schedule::next_working_day(day.checked_add_days(Days::new(22)).unwrap_or(day));
                due = Some((pay_day, owed));
            }
        }
        day = match day.succ_opt() {
            Some(next) => next,
            None => break,
        };
    }

    let mut pending = Vec::new();
    for _ in 0..rng.range(0, 2) {
        if let Some(m) = rng.pick_weighted(catalog::MERCHANTS, |m| m.weight) {
            let back = rng.range(1, 3) as u64;
            let d = ctx
                .anchor
                .checked_sub_days(Days::new(back))
                .unwrap_or(ctx.anchor);
            let amount = rng.range(m.min, m.max);
            let description = rng.pick(m.descriptions).copied().unwrap_or(m.name);
            let mut t = pending_txn(
                purchase(at(d, daytime(&mut rng)), amount, description, m),
                true,
            );
            t.meta.card_number = Some(plan.masked);
            t.meta.location = Some(m.location);
            pending.push(t);
        }
    }
    pending.sort_by_key(|t| t.timestamp);

    let mut ids = ctx.rng("card-ids", index);
    assign_ids(&mut ids, &mut transactions);
    assign_ids(&mut ids, &mut pending);

    let (statement_date, statement_balance) = last_statement.unwrap_or((ctx.start, 0));
    let payment_due_date = statement_date
        .checked_add_days(Days::new(25))
        .unwrap_or(statement_date);
    let unpaid = due.is_some();
    let minimum = if unpaid {
        (statement_balance * 3 / 100)
            .max(500)
            .min(statement_balance)
    } else {
        0
    };
    let pending_total: i64 = pending.iter().map(|t| t.amount.0).sum();
    let valid_from = ctx
        .anchor
        .checked_sub_months(Months::new(26))
        .unwrap_or(ctx.anchor);
    let valid_to = valid_from
        .checked_add_months(Months::new(60))
        .unwrap_or(valid_from);
    let card = Card {
        account_id: derived_hex(&["card", &ctx.key, &index.to_string()], 32),
        card_network: plan.network.to_owned(),
        card_type: "CREDIT".to_owned(),
        currency: Currency::Gbp,
        display_name: plan.name.to_owned(),
        partial_card_number: plan.partial.to_owned(),
        // The Mock bank's name_on_card carries a trailing space (API.md §2).
        name_on_card: format!("{holder_name} "),
        valid_from: valid_from.format("%Y-%m").to_string(),
        valid_to: valid_to.format("%Y-%m").to_string(),
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
            payment_due_date,
            update_timestamp: ctx.now,
        },
        transactions,
        pending,
    };
    (card, ledger, repayments)
}
