//! Builds a persona's bank: plans the accounts, cards, standing orders and direct debits
//! (`plan`), then walks each ledger day by day (`account`, `card`) so running balances add up.
//!
//! History is *anchor-invariant*: every ledger is generated forward from a fixed calendar
//! origin ([`STANDARD_ORIGIN`], [`DENSE_ORIGIN`]) with random streams seeded by
//! (purpose, username, seed, index) only, and nothing drawn before day D depends on the anchor.
//! So a transaction dated D is identical (ids, amount, description, running balance) for every
//! anchor after D; moving the anchor forward only adds days. Only the visible tail (2 years; 6
//! for the dense persona) is kept. Pending transactions, which describe "the last few days",
//! come from a stream that also includes the anchor. When the anchor is so early that the
//! visible span would start before the origin, the origin moves back with it (invariance is
//! then lost, for anchors before 2023 only).

mod account;
mod card;
mod plan;

use std::borrow::Cow;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};

use super::bank::{Bank, Holder};
use super::catalog::{self, Merchant};
use super::iban::{uk_iban, MOCK_SHARED_IBAN};
use super::model::{
    Account, AccountNumber, Currency, Info, InfoAddress, Money, NormalisedTransactionId,
    ProviderRef, ProviderTransactionId, RunningBalance, Transaction, TransactionCategory,
    TransactionId, TransactionMeta, TransactionType,
};
use super::personas::Persona;
use super::rng::Rng;

/// The Mock bank's sort code, BIC and IBAN bank code (API.md §2).
const SORT_CODE: &str = "01-21-31";
const SWIFT_BIC: &str = "CPBKGB00";
const IBAN_BANK_CODE: &str = "CLRB";

/// Visible history: two years for ordinary users, six (≥ 5 required) for the dense one.
const STANDARD_DAYS: u64 = 730;
const DENSE_DAYS: u64 = 6 * 365 + 1;

/// Where generation starts (see the module docs).
pub(crate) const STANDARD_ORIGIN: (i32, u32, u32) = (2021, 1, 1);
pub(crate) const DENSE_ORIGIN: (i32, u32, u32) = (2017, 1, 1);

/// Spending multiplier by weekday (Monday first): busier towards the weekend.
const WEEKDAY_FACTOR: [f64; 7] = [1.0, 1.0, 1.0, 1.05, 1.2, 1.35, 0.9];
const MEAN_WEEKDAY_FACTOR: f64 = (1.0 + 1.0 + 1.0 + 1.05 + 1.2 + 1.35 + 0.9) / 7.0;
const DAYS_PER_MONTH: f64 = 30.44;

/// Generation inputs shared by every ledger of one bank.
struct Context {
    /// The persona's data key (its username).
    key: String,
    seed: u64,
    /// Generation starts here (fixed, see module docs).
    origin: NaiveDate,
    /// The first visible day.
    visible_from: NaiveDate,
    /// History ends before this day.
    anchor: NaiveDate,
    /// Initial `update_timestamp`s: the anchor's midnight.
    now: DateTime<Utc>,
}

impl Context {
    /// An anchor-independent stream for one purpose and index.
    fn rng(&self, purpose: &str, index: usize) -> Rng {
        Rng::from_parts(&[
            purpose.as_bytes(),
            self.key.as_bytes(),
            &self.seed.to_le_bytes(),
            &(index as u64).to_le_bytes(),
        ])
    }

    /// A stream that also depends on the anchor (pending transactions only).
    fn rng_at_anchor(&self, purpose: &str, index: usize) -> Rng {
        let anchor = self.anchor.to_string();
        Rng::from_parts(&[
            purpose.as_bytes(),
            self.key.as_bytes(),
            &self.seed.to_le_bytes(),
            &(index as u64).to_le_bytes(),
            anchor.as_bytes(),
        ])
    }
}

impl Bank {
    /// Generates the bank of `persona` as of `anchor` (the sandbox clock's date), from `seed`.
    /// Same inputs, same bank; a later anchor keeps every earlier transaction and adds days.
    /// The dense persona takes about a tenth of a second in release builds (a second or two in
    /// debug); everyone else a few milliseconds.
    pub fn generate(persona: &Persona, anchor: NaiveDate, seed: u64) -> Bank {
        let dense = persona.is_dense();
        let (days, (y, m, d)) = if dense {
            (DENSE_DAYS, DENSE_ORIGIN)
        } else {
            (STANDARD_DAYS, STANDARD_ORIGIN)
        };
        let visible_from = anchor.checked_sub_days(Days::new(days)).unwrap_or(anchor);
        let fixed_origin = NaiveDate::from_ymd_opt(y, m, d).unwrap_or(visible_from);
        let ctx = Context {
            key: persona.data_key(),
            seed,
            origin: fixed_origin.min(visible_from),
            visible_from,
            anchor,
            now: midnight(anchor),
        };
        let profiles = plan::profiles(dense);
        let card_plans = plan::card_plans(dense);

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
        let mut card_repayments = Vec::new();
        for (index, card_plan) in card_plans.iter().enumerate() {
            let generated = card::generate(&ctx, index, card_plan, &full_name, &provider);
            cards.push(generated.card);
            card_ledgers.push(generated.ledger);
            card_repayments.push(generated.repayments);
        }

        let numbering = number_accounts(profiles);
        let plans = plan::Plans {
            standing: plan::standing_orders(&ctx, profiles),
            debits: plan::direct_debits(&ctx, profiles, card_plans, &card_repayments),
            numbering: numbering.clone(),
        };

        let mut accounts = Vec::new();
        let mut ledgers = Vec::new();
        for (index, profile) in profiles.iter().enumerate() {
            let (number, display_name) = numbering.get(index).cloned().unwrap_or_default();
            let iban = if persona.distinct_ibans() {
                uk_iban(IBAN_BANK_CODE, SORT_CODE, &number)
            } else {
                MOCK_SHARED_IBAN.to_owned()
            };
            accounts.push(Account {
                update_timestamp: ctx.now,
                account_id: derived_hex(&["account", &ctx.key, &index.to_string()], 32),
                account_type: profile.kind,
                display_name,
                currency: Currency::Gbp,
                account_number: AccountNumber {
                    number,
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
            ledgers.push(account::generate(&ctx, index, profile, &plans, holders));
        }

        let info = Info {
            full_name,
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
}

/// (account number, display name) per account: numbers 10000000, 20000000, … as the Mock bank
/// numbers them; names `TRANSACTION ACCOUNT n` / `SAVINGS ACCOUNT n` counted per kind.
fn number_accounts(profiles: &[plan::Profile]) -> Vec<(String, String)> {
    let mut per_name: Vec<(&str, u32)> = Vec::new();
    profiles
        .iter()
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

/// A transaction before its ids and running balance.
#[derive(Debug, Clone)]
struct Event {
    at: DateTime<Utc>,
    /// Signed in the ledger's convention (accounts: negative out; cards: positive spend).
    amount: i64,
    description: Cow<'static, str>,
    category: TransactionCategory,
    classification: &'static [&'static str],
    merchant: Option<&'static str>,
    provider_category: &'static str,
    reference: Option<Cow<'static, str>>,
    counterparty: Option<&'static str>,
    location: Option<&'static str>,
}

impl Event {
    fn new(
        at: DateTime<Utc>,
        amount: i64,
        description: impl Into<Cow<'static, str>>,
        category: TransactionCategory,
        classification: &'static [&'static str],
        provider_category: &'static str,
    ) -> Self {
        Event {
            at,
            amount,
            description: description.into(),
            category,
            classification,
            merchant: None,
            provider_category,
            reference: None,
            counterparty: None,
            location: None,
        }
    }

    /// A card purchase at a catalogue merchant.
    fn purchase(
        at: DateTime<Utc>,
        amount: i64,
        description: &'static str,
        m: &'static Merchant,
    ) -> Self {
        Event::new(
            at,
            amount,
            description,
            TransactionCategory::Purchase,
            m.classification,
            "DEB",
        )
        .merchant(m.name)
    }

    fn merchant(mut self, name: &'static str) -> Self {
        self.merchant = Some(name);
        self
    }

    fn reference(mut self, reference: impl Into<Cow<'static, str>>) -> Self {
        self.reference = Some(reference.into());
        self
    }

    fn counterparty(mut self, name: &'static str) -> Self {
        self.counterparty = Some(name);
        self
    }

    fn location(mut self, location: &'static str) -> Self {
        self.location = Some(location);
        self
    }
}

/// A ledger under construction: rows get their ids the moment they are posted, from a stream
/// that (like everything before the anchor) does not depend on the anchor.
struct Book {
    rows: Vec<Transaction>,
    ids: Rng,
    /// Cards: the masked number for `meta.cardNumber`, and the card sign convention.
    card_number: Option<&'static str>,
}

impl Book {
    fn new(ids: Rng, card_number: Option<&'static str>, capacity: usize) -> Self {
        Book {
            rows: Vec::with_capacity(capacity),
            ids,
            card_number,
        }
    }

    /// Posts a settled transaction with the balance after it.
    fn post(&mut self, event: Event, balance: i64) {
        let mut t = to_transaction(&mut self.ids, event, self.card_number);
        t.running_balance = Some(RunningBalance {
            amount: Money(balance),
            currency: Currency::Gbp,
        });
        self.rows.push(t);
    }

    /// Drops what lies before the visible span and returns the rest.
    fn visible_from(mut self, first_day: NaiveDate) -> Vec<Transaction> {
        let start = midnight(first_day);
        let cut = self.rows.partition_point(|t| t.timestamp < start);
        self.rows.drain(..cut);
        self.rows.shrink_to_fit();
        self.rows
    }
}

/// Pending transactions (no running balance), ids from `ids`, sorted by time.
fn pending_rows(
    ids: &mut Rng,
    mut events: Vec<Event>,
    card_number: Option<&'static str>,
) -> Vec<Transaction> {
    events.sort_by_key(|e| e.at);
    events
        .into_iter()
        .map(|e| to_transaction(ids, e, card_number))
        .collect()
}

fn to_transaction(ids: &mut Rng, event: Event, card_number: Option<&'static str>) -> Transaction {
    let debit = if card_number.is_some() {
        event.amount > 0
    } else {
        event.amount < 0
    };
    Transaction {
        transaction_id: TransactionId(ids.next_u128()),
        normalised_provider_transaction_id: NormalisedTransactionId(ids.next_u128()),
        provider_transaction_id: ProviderTransactionId(ids.next_u128()),
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
            card_number,
            location: event.location,
        },
    }
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

fn at(day: NaiveDate, seconds: i64) -> DateTime<Utc> {
    midnight(day) + TimeDelta::seconds(seconds)
}

/// A daytime posting time in seconds after midnight: 06:30–23:30.
fn daytime(rng: &mut Rng) -> i64 {
    rng.range(6 * 3600 + 1800, 23 * 3600 + 1800)
}

/// `WEEKDAY_FACTOR` of `day`.
fn weekday_factor(day: NaiveDate) -> f64 {
    WEEKDAY_FACTOR
        .get(day.weekday().num_days_from_monday() as usize)
        .copied()
        .unwrap_or(1.0)
}

/// `day + n` days, saturating at `day`.
fn plus_days(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_add_days(Days::new(n)).unwrap_or(day)
}

/// `day - n` days, saturating at `day`.
fn minus_days(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(n)).unwrap_or(day)
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
    (value + step / 2).div_euclid(step) * step
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

/// The holder's details: depend on the username only (not the seed), so they never change.
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

/// `john.doe@example.com`, `john.doe7@example.com`, `john.dense@example.com`, … (RFC 2606).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_goes_to_the_nearest_step_for_both_signs() {
        let cases = [
            (1_249, 500, 1_000),
            (1_250, 500, 1_500),
            (-1_249, 500, -1_000),
            (7, 0, 7),
        ];
        for (value, step, expected) in cases {
            assert_eq!(round_to(value, step), expected, "{value} to {step}");
        }
    }

    #[test]
    fn contact_details_are_reserved_for_fiction() {
        assert_eq!(email_for("john"), "john.doe@example.com");
        assert_eq!(email_for("john7"), "john.doe7@example.com");
        assert_eq!(email_for("john.dense"), "john.dense@example.com");
        assert_eq!(
            email_for("error.internal_error"),
            "error.internal.error@example.com"
        );
        assert!(phone_for("john").starts_with("+447700900"));
        assert_eq!(phone_for("john").len(), 13);
    }
}
