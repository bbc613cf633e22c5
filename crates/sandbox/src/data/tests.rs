//! Cross-cutting tests of the generated banks: determinism, IBANs, balances, windows, the dense
//! persona, and the serialized shapes against TrueLayer's OpenAPI schemas (a small structural
//! check here; the server's conformance test runs full JSON Schema validation).

use std::collections::HashSet;

use chrono::{DateTime, Days, Months, NaiveDate, TimeDelta, Utc};
use serde_json::Value;

use super::iban::{is_valid_iban, MOCK_SHARED_IBAN};
use super::model::{AccountType, MandateStatus, TransactionType};
use super::*;

/// Late enough that the fixed-date events (a cancelled standing order and direct debit, a
/// recent weekly order) have happened.
fn anchor() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 15).unwrap()
}

fn bank_of(username: &str, password: &str) -> Bank {
    Bank::generate(&login(username, password).unwrap(), anchor(), 7)
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap().and_utc()
}

// ---------------------------------------------------------------- determinism and ids

#[test]
fn the_same_persona_anchor_and_seed_generate_byte_identical_banks() {
    for (user, pass) in [
        ("john", "doe"),
        ("john42", "iban42"),
        ("error.internal_error", "error"),
    ] {
        let a = bank_of(user, pass);
        let b = bank_of(user, pass);
        assert_eq!(a, b, "{user}: two generations must be equal");
        for account in a.accounts() {
            let ta =
                serde_json::to_string(a.all_transactions(&account.account_id).unwrap()).unwrap();
            let tb =
                serde_json::to_string(b.all_transactions(&account.account_id).unwrap()).unwrap();
            assert_eq!(
                ta, tb,
                "{user}: serialized histories must be byte-identical"
            );
        }
    }
}

#[test]
fn a_different_seed_changes_the_history_but_not_the_account_ids() {
    let persona = login("john", "doe").unwrap();
    let a = Bank::generate(&persona, anchor(), 1);
    let b = Bank::generate(&persona, anchor(), 2);
    let ids = |bank: &Bank| {
        bank.accounts()
            .iter()
            .map(|x| x.account_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&a),
        ids(&b),
        "account ids depend only on persona and index"
    );
    let first = &a.accounts()[0].account_id;
    assert_ne!(
        a.all_transactions(first),
        b.all_transactions(first),
        "the seed must matter"
    );
}

#[test]
fn different_users_get_different_ids_and_data_but_doe_and_iban_share_the_person() {
    let john7 = bank_of("john7", "doe7");
    let john8 = bank_of("john8", "doe8");
    let john7_iban = bank_of("john7", "iban7");
    assert_ne!(
        john7.accounts()[0].account_id,
        john8.accounts()[0].account_id
    );
    assert_eq!(
        john7.accounts()[0].account_id,
        john7_iban.accounts()[0].account_id,
        "same username, same person"
    );
    let id = &john7.accounts()[0].account_id;
    assert_eq!(john7.all_transactions(id), john7_iban.all_transactions(id));
    assert_eq!(
        bank_of("john", "eternal").accounts(),
        bank_of("john", "doe").accounts()
    );
}

#[test]
fn transaction_ids_are_unique_and_well_formed() {
    let bank = bank_of("john", "doe");
    let mut seen = HashSet::new();
    let mut normalised = HashSet::new();
    let all_ledgers = bank
        .accounts()
        .iter()
        .flat_map(|a| {
            [
                bank.all_transactions(&a.account_id).unwrap(),
                bank.pending(&a.account_id).unwrap(),
            ]
        })
        .chain(bank.cards().iter().flat_map(|c| {
            [
                bank.all_card_transactions(&c.account_id).unwrap(),
                bank.card_pending(&c.account_id).unwrap(),
            ]
        }));
    for t in all_ledgers.flatten() {
        let id = t.transaction_id.to_string();
        let n = t.normalised_provider_transaction_id.to_string();
        assert!(
            id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()),
            "{id}"
        );
        assert!(
            n.len() == 21 && n.starts_with("txn-") && n[4..].chars().all(|c| c.is_ascii_hexdigit()),
            "{n}"
        );
        assert_eq!(t.provider_transaction_id.to_string().len(), 18);
        assert!(seen.insert(id), "duplicate transaction_id");
        assert!(normalised.insert(n), "duplicate normalised id");
    }
    assert!(
        seen.len() > 2_000,
        "an ordinary user has a couple of thousand transactions"
    );
}

#[test]
fn moving_the_anchor_forward_keeps_every_earlier_transaction_identical() {
    let persona = login("john3", "doe3").unwrap();
    let early = Bank::generate(&persona, anchor(), 11);
    let later_anchor = anchor().checked_add_days(Days::new(45)).unwrap();
    let later = Bank::generate(&persona, later_anchor, 11);
    let cut = midnight(anchor());
    let overlap_from = midnight(later_anchor.checked_sub_days(Days::new(730)).unwrap());
    let pairs = early
        .accounts()
        .iter()
        .map(|a| {
            (
                early.all_transactions(&a.account_id).unwrap(),
                later.all_transactions(&a.account_id).unwrap(),
            )
        })
        .chain(early.cards().iter().map(|c| {
            (
                early.all_card_transactions(&c.account_id).unwrap(),
                later.all_card_transactions(&c.account_id).unwrap(),
            )
        }));
    let mut compared = 0;
    for (before, after) in pairs {
        let old: Vec<_> = before
            .iter()
            .filter(|t| t.timestamp >= overlap_from)
            .collect();
        let new: Vec<_> = after.iter().filter(|t| t.timestamp < cut).collect();
        assert_eq!(old, new, "history before the old anchor must not change");
        assert!(
            after.iter().any(|t| t.timestamp >= cut),
            "the later anchor adds days"
        );
        compared += old.len();
    }
    assert!(compared > 2_000, "compared {compared}");
}

// ---------------------------------------------------------------- IBANs and accounts

#[test]
fn iban_users_get_distinct_valid_ibans_and_doe_users_the_mock_banks_shared_one() {
    for n in [0u8, 1, 7, 100] {
        let suffix = if n == 0 { String::new() } else { n.to_string() };
        let iban_bank = bank_of(&format!("john{suffix}"), &format!("iban{suffix}"));
        let ibans: Vec<&str> = iban_bank
            .accounts()
            .iter()
            .map(|a| a.account_number.iban.as_str())
            .collect();
        assert!(ibans.iter().all(|i| is_valid_iban(i)), "{ibans:?}");
        assert_eq!(
            ibans.iter().collect::<HashSet<_>>().len(),
            ibans.len(),
            "each account its own IBAN"
        );
        for a in iban_bank.accounts() {
            assert!(
                a.account_number.iban.ends_with(&a.account_number.number),
                "IBAN embeds the number"
            );
        }
        let doe_bank = bank_of(&format!("john{suffix}"), &format!("doe{suffix}"));
        assert!(doe_bank
            .accounts()
            .iter()
            .all(|a| a.account_number.iban == MOCK_SHARED_IBAN));
    }
}

#[test]
fn ordinary_users_have_the_mock_banks_five_accounts_and_two_cards() {
    let bank = bank_of("john", "doe");
    let names: Vec<&str> = bank
        .accounts()
        .iter()
        .map(|a| a.display_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "TRANSACTION ACCOUNT 1",
            "SAVINGS ACCOUNT 1",
            "TRANSACTION ACCOUNT 2",
            "SAVINGS ACCOUNT 2",
            "TRANSACTION ACCOUNT 3"
        ]
    );
    let numbers: Vec<&str> = bank
        .accounts()
        .iter()
        .map(|a| a.account_number.number.as_str())
        .collect();
    assert_eq!(
        numbers,
        ["10000000", "20000000", "30000000", "40000000", "50000000"]
    );
    assert!(bank
        .accounts()
        .iter()
        .all(|a| a.account_number.sort_code == "01-21-31"));
    let cards: Vec<(&str, &str)> = bank
        .cards()
        .iter()
        .map(|c| (c.card_network.as_str(), c.partial_card_number.as_str()))
        .collect();
    assert_eq!(cards, [("MASTERCARD", "1000"), ("VISA", "2000")]);
    assert_eq!(bank.holder_name(), "John Doe");
    assert_eq!(
        bank.holders(&bank.accounts()[2].account_id).unwrap().len(),
        2,
        "account 2 is joint"
    );
}

// ---------------------------------------------------------------- balances and time

#[test]
fn running_balances_add_up_and_end_at_the_current_balance() {
    for bank in [bank_of("john", "doe"), bank_of("john99", "iban99")] {
        for a in bank.accounts() {
            let all = bank.all_transactions(&a.account_id).unwrap();
            assert!(!all.is_empty(), "{} has a history", a.display_name);
            for pair in all.windows(2) {
                let before = pair[0].running_balance.unwrap().amount.0;
                let after = pair[1].running_balance.unwrap().amount.0;
                assert_eq!(
                    before + pair[1].amount.0,
                    after,
                    "{}: {:?}",
                    a.display_name,
                    pair[1]
                );
            }
            for t in all {
                let debit = t.amount.0 < 0;
                assert_eq!(
                    t.transaction_type == TransactionType::Debit,
                    debit,
                    "account sign convention"
                );
            }
            let balance = bank.balance(&a.account_id).unwrap();
            assert_eq!(
                balance.current.0,
                all.last().unwrap().running_balance.unwrap().amount.0
            );
            let pending: i64 = bank
                .pending(&a.account_id)
                .unwrap()
                .iter()
                .map(|t| t.amount.0)
                .sum();
            let overdraft = balance.overdraft.map_or(0, |o| o.0);
            assert_eq!(
                balance.available.0,
                balance.current.0 + pending + overdraft,
                "available"
            );
            assert_eq!(
                balance.overdraft.is_some(),
                a.account_type == AccountType::Transaction
            );
            let lowest = all
                .iter()
                .map(|t| t.running_balance.unwrap().amount.0)
                .min()
                .unwrap();
            assert!(
                lowest >= -overdraft,
                "{} never exceeds its overdraft ({lowest})",
                a.display_name
            );
        }
        for c in bank.cards() {
            let all = bank.all_card_transactions(&c.account_id).unwrap();
            // The visible history starts mid-life: begin from what was owed before it.
            let mut owed = all[0].running_balance.unwrap().amount.0 - all[0].amount.0;
            for t in all {
                owed += t.amount.0;
                assert_eq!(
                    t.running_balance.unwrap().amount.0,
                    owed,
                    "card running balance is the amount owed"
                );
                assert_eq!(
                    t.transaction_type == TransactionType::Debit,
                    t.amount.0 > 0,
                    "card sign convention"
                );
                assert!(t.meta.card_number.is_some());
            }
            let balance = bank.card_balance(&c.account_id).unwrap();
            assert_eq!(balance.current.0, owed);
            assert!(owed <= balance.credit_limit.0, "within the limit");
            let pending: i64 = bank
                .card_pending(&c.account_id)
                .unwrap()
                .iter()
                .map(|t| t.amount.0)
                .sum();
            assert_eq!(balance.available.0, balance.credit_limit.0 - owed - pending);
        }
    }
}

#[test]
fn history_is_sorted_ends_before_the_anchor_and_pending_is_recent() {
    let bank = bank_of("john", "doe");
    let end = midnight(anchor());
    let two_years_ago = midnight(anchor().checked_sub_days(Days::new(730)).unwrap());
    let recent = midnight(anchor().checked_sub_days(Days::new(3)).unwrap());
    let ledgers = bank
        .accounts()
        .iter()
        .map(|a| {
            (
                bank.all_transactions(&a.account_id).unwrap(),
                bank.pending(&a.account_id).unwrap(),
            )
        })
        .chain(bank.cards().iter().map(|c| {
            (
                bank.all_card_transactions(&c.account_id).unwrap(),
                bank.card_pending(&c.account_id).unwrap(),
            )
        }));
    let mut pending_seen = 0;
    for (settled, pending) in ledgers {
        assert!(
            settled.windows(2).all(|w| w[0].timestamp <= w[1].timestamp),
            "ascending"
        );
        assert!(settled.first().unwrap().timestamp >= two_years_ago);
        assert!(
            settled.first().unwrap().timestamp < two_years_ago + TimeDelta::days(35),
            "two full years"
        );
        assert!(
            settled.last().unwrap().timestamp < end,
            "nothing on or after the anchor day"
        );
        for t in pending {
            assert!(
                t.timestamp >= recent && t.timestamp < end,
                "pending within the last 3 days"
            );
            assert!(
                t.running_balance.is_none(),
                "pending items carry no running balance"
            );
        }
        pending_seen += pending.len();
    }
    assert!(pending_seen > 0, "some pending transactions exist");
}

// ---------------------------------------------------------------- windows

#[test]
fn windows_include_both_bounds_and_reject_nothing_else() {
    let bank = bank_of("john", "doe");
    let id = bank.accounts()[0].account_id.clone();
    let all = bank.all_transactions(&id).unwrap();
    let pick = &all[all.len() / 2];
    let exact = bank
        .transactions(&id, pick.timestamp, pick.timestamp)
        .unwrap();
    assert!(exact.contains(pick), "from == to == timestamp includes it");
    assert!(exact.iter().all(|t| t.timestamp == pick.timestamp));
    let one_second = TimeDelta::seconds(1);
    let after = bank
        .transactions(
            &id,
            pick.timestamp + one_second,
            pick.timestamp + TimeDelta::days(3),
        )
        .unwrap();
    assert!(
        !after.contains(pick),
        "a window starting after it excludes it"
    );
    let before = bank
        .transactions(
            &id,
            pick.timestamp - TimeDelta::days(3),
            pick.timestamp - one_second,
        )
        .unwrap();
    assert!(
        !before.contains(pick),
        "a window ending before it excludes it"
    );
    assert!(
        bank.transactions(&id, pick.timestamp, pick.timestamp - one_second)
            .unwrap()
            .is_empty(),
        "from > to"
    );
    assert_eq!(
        bank.transactions("no-such-account", pick.timestamp, pick.timestamp),
        None
    );

    let everything = bank
        .transactions(&id, DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC)
        .unwrap();
    assert_eq!(everything.len(), all.len());

    let day = pick.timestamp.date_naive();
    let (from, to) = day_window(day, day);
    let same_day = bank.transactions(&id, from, to).unwrap();
    let expected = all
        .iter()
        .filter(|t| t.timestamp.date_naive() == day)
        .count();
    assert_eq!(
        same_day.len(),
        expected,
        "a date-only window covers the whole day"
    );
}

// ---------------------------------------------------------------- the dense persona

#[test]
fn the_dense_persona_has_ten_accounts_five_plus_years_and_about_100k_transactions() {
    let bank = bank_of(DENSE_USERNAME, DENSE_PASSWORD);
    assert_eq!(bank.accounts().len(), 10);
    assert_eq!(bank.cards().len(), 2);
    let count = bank.transaction_count();
    assert!(
        (90_000..=115_000).contains(&count),
        "about 100k settled transactions, got {count}"
    );
    let earliest = bank
        .accounts()
        .iter()
        .map(|a| bank.all_transactions(&a.account_id).unwrap()[0].timestamp)
        .min()
        .unwrap();
    let five_years_ago = midnight(anchor().checked_sub_months(Months::new(60)).unwrap());
    assert!(
        earliest <= five_years_ago,
        "history starts {earliest}, at least five years back"
    );
    let main = &bank.accounts()[0].account_id;
    let (from, to) = day_window(
        anchor().checked_sub_months(Months::new(3)).unwrap(),
        anchor().checked_sub_days(Days::new(1)).unwrap(),
    );
    let window = bank.transactions(main, from, to).unwrap();
    assert!(
        window.len() > 500,
        "a dense 3-month window holds hundreds of items, got {}",
        window.len()
    );
}

// ---------------------------------------------------------------- standing orders, direct debits, cards

#[test]
fn standing_orders_match_the_history_on_both_sides() {
    let bank = bank_of("john", "doe");
    let main = &bank.accounts()[0];
    let savings = &bank.accounts()[1];
    let orders = bank.standing_orders(&main.account_id).unwrap();
    assert!(
        orders.iter().any(|o| o.status == MandateStatus::Inactive),
        "one cancelled order"
    );
    let to_savings = orders
        .iter()
        .find(|o| o.reference.as_deref() == Some("SAVINGS"))
        .unwrap();
    assert_eq!(to_savings.frequency, "IntrvlMnthDay:01:26");
    let out: Vec<_> = bank
        .all_transactions(&main.account_id)
        .unwrap()
        .iter()
        .filter(|t| t.meta.provider_reference.as_deref() == Some("SAVINGS"))
        .map(|t| (t.timestamp, -t.amount.0))
        .collect();
    let into: Vec<_> = bank
        .all_transactions(&savings.account_id)
        .unwrap()
        .iter()
        .filter(|t| t.meta.provider_reference.as_deref() == Some("SAVINGS"))
        .map(|t| (t.timestamp, t.amount.0))
        .collect();
    assert!(out.len() >= 23, "monthly for two years");
    assert_eq!(
        out, into,
        "every transfer leaves one account and arrives in the other"
    );
    for o in orders.iter().filter(|o| o.status == MandateStatus::Active) {
        assert!(
            o.next_payment_date.unwrap() >= anchor(),
            "next payment is in the future"
        );
    }
    assert!(bank
        .standing_orders(&savings.account_id)
        .unwrap()
        .is_empty());
}

#[test]
fn direct_debits_report_their_last_collection_and_card_repayments_match() {
    let bank = bank_of("john", "doe");
    let main = &bank.accounts()[0];
    let history = bank.all_transactions(&main.account_id).unwrap();
    let debits = bank.direct_debits(&main.account_id).unwrap();
    assert!(
        debits.iter().any(|d| d.status == MandateStatus::Inactive),
        "one cancelled mandate"
    );
    for dd in debits {
        let last = history
            .iter()
            .rev()
            .find(|t| {
                t.meta.provider_reference.as_deref()
                    == Some(dd.meta.provider_mandate_identification.as_str())
            })
            .unwrap();
        assert_eq!(
            dd.previous_payment_timestamp,
            Some(last.timestamp),
            "{}",
            dd.name
        );
        assert_eq!(
            dd.previous_payment_amount.map(|m| m.0),
            Some(-last.amount.0),
            "{}",
            dd.name
        );
    }
    for card in bank.cards() {
        let repayments: Vec<_> = bank
            .all_card_transactions(&card.account_id)
            .unwrap()
            .iter()
            .filter(|t| t.transaction_type == TransactionType::Credit)
            .map(|t| (t.timestamp, -t.amount.0))
            .collect();
        let mandate = format!("CARD{}", card.partial_card_number);
        let paid: Vec<_> = history
            .iter()
            .filter(|t| t.meta.provider_reference.as_deref() == Some(mandate.as_str()))
            .map(|t| (t.timestamp, -t.amount.0))
            .collect();
        assert!(!repayments.is_empty());
        assert_eq!(
            repayments, paid,
            "the current account pays each card statement"
        );
    }
}

// ---------------------------------------------------------------- identity, Signup+, provider

#[test]
fn signup_returns_the_identity_for_sole_accounts_and_refuses_joint_ones() {
    let bank = bank_of("john", "doe");
    let sole = &bank.accounts()[0];
    let identity = bank.signup_identity(&sole.account_id).unwrap();
    assert_eq!(
        (identity.first_name.as_str(), identity.last_name.as_str()),
        ("John", "Doe")
    );
    assert_eq!(identity.account_details.account_number, "10000000");
    assert_eq!(identity.account_details.provider_id, "mock");
    assert_eq!(
        bank.signup_identity(&bank.accounts()[2].account_id),
        Err(SignupUnavailable::JointAccount)
    );
    assert_eq!(
        bank.signup_identity("nope"),
        Err(SignupUnavailable::UnknownAccount)
    );
    let item = bank.signup_account(&bank.accounts()[1].account_id).unwrap();
    assert_eq!(item.account_type, "SAVINGS");
    assert_eq!(verify_name(bank.holder_name(), "John Doe"), (true, 100));
}

#[test]
fn set_provider_and_touch_update_what_they_say() {
    let mut bank = bank_of("john", "doe");
    bank.set_provider("ob-monzo", None, None);
    assert!(bank
        .accounts()
        .iter()
        .all(|a| a.provider.provider_id == "ob-monzo" && a.provider.display_name.is_none()));
    assert!(bank
        .cards()
        .iter()
        .all(|c| c.provider.provider_id == "ob-monzo"));
    let id = bank.accounts()[0].account_id.clone();
    assert_eq!(
        bank.signup_identity(&id)
            .unwrap()
            .account_details
            .provider_id,
        "ob-monzo"
    );
    let now = midnight(anchor()) + TimeDelta::hours(9);
    bank.touch(now);
    assert_eq!(bank.account(&id).unwrap().update_timestamp, now);
    assert_eq!(bank.balance(&id).unwrap().update_timestamp, now);
    assert_eq!(bank.info().update_timestamp, now);
    assert!(bank
        .standing_orders(&id)
        .unwrap()
        .iter()
        .all(|s| s.timestamp == now));
}

#[test]
fn every_persona_generates_including_error_users() {
    for user in mock_users()
        .into_iter()
        .step_by(9)
        .chain(mock_users().into_iter().rev().take(6))
    {
        if user.persona.is_dense() {
            continue; // covered by its own test
        }
        let bank = Bank::generate(&user.persona, anchor(), 3);
        assert_eq!(bank.accounts().len(), 5, "{}", user.username);
        assert_eq!(bank.persona(), user.persona);
    }
}

// ---------------------------------------------------------------- OpenAPI shapes

fn spec(file: &str) -> Value {
    let dir = linkscope_openapi::dir().expect("the spec checks start with dir_or_skip");
    linkscope_openapi::load(&dir, file)
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            resolve(
                root,
                root.pointer(pointer)
                    .unwrap_or_else(|| panic!("dangling {reference}")),
            )
        }
        None => schema,
    }
}

/// A structural check: `$ref`, `allOf`, `required`, `type`, `enum`, `properties`, `items`.
/// Collects every violation with its JSON path.
fn check(root: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let schema = resolve(root, schema);
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        for part in parts {
            check(root, part, value, path, errors);
        }
    }
    if let Some(kind) = schema.get("type").and_then(Value::as_str) {
        let ok = match kind {
            "string" => value.is_string(),
            "number" => value.is_number(),
            "integer" => value.is_i64() || value.is_u64(),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => true,
        };
        if !ok {
            errors.push(format!("{path}: expected {kind}, got {value}"));
            return;
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            errors.push(format!("{path}: {value} not in {allowed:?}"));
        }
    }
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for key in required.iter().filter_map(Value::as_str) {
            if value.get(key).is_none() {
                errors.push(format!("{path}: missing required {key}"));
            }
        }
    }
    if let (Some(properties), Some(object)) = (
        schema.get("properties").and_then(Value::as_object),
        value.as_object(),
    ) {
        for (key, sub) in properties {
            if let Some(v) = object.get(key) {
                check(root, sub, v, &format!("{path}.{key}"), errors);
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, v) in array.iter().enumerate() {
            check(root, items, v, &format!("{path}[{i}]"), errors);
        }
    }
}

fn assert_conforms(root: &Value, schema_name: &str, value: &Value) {
    let schema = root
        .pointer(&format!("/components/schemas/{schema_name}"))
        .unwrap();
    let mut errors = Vec::new();
    check(root, schema, value, schema_name, &mut errors);
    assert!(
        errors.is_empty(),
        "{schema_name} violations:\n{}",
        errors.join("\n")
    );
}

fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

#[test]
fn every_generated_value_has_the_openapi_shape() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let data = spec("data-api-v1.json");
    for bank in [bank_of("john", "doe"), bank_of("john5", "iban5")] {
        assert_conforms(&data, "Info", &json(bank.info()));
        for a in bank.accounts() {
            assert_conforms(&data, "Account", &json(a));
            assert_conforms(
                &data,
                "AccountBalance",
                &json(bank.balance(&a.account_id).unwrap()),
            );
            for t in bank
                .all_transactions(&a.account_id)
                .unwrap()
                .iter()
                .chain(bank.pending(&a.account_id).unwrap())
            {
                assert_conforms(&data, "AccountTransaction", &json(t));
                assert!(
                    t.transaction_classification.len() <= 2,
                    "at most two classification levels"
                );
            }
            for so in bank.standing_orders(&a.account_id).unwrap() {
                assert_conforms(&data, "AccountStandingOrder", &json(so));
            }
            for dd in bank.direct_debits(&a.account_id).unwrap() {
                assert_conforms(&data, "AccountDirectDebit", &json(dd));
            }
        }
        for c in bank.cards() {
            assert_conforms(&data, "Card", &json(c));
            assert_conforms(
                &data,
                "CardBalance",
                &json(bank.card_balance(&c.account_id).unwrap()),
            );
            for t in bank
                .all_card_transactions(&c.account_id)
                .unwrap()
                .iter()
                .chain(bank.card_pending(&c.account_id).unwrap())
            {
                assert_conforms(&data, "CardTransaction", &json(t));
            }
        }
    }

    let signup = spec("signup-plus.json");
    let bank = bank_of("john", "doe");
    let identity = json(
        &bank
            .signup_identity(&bank.accounts()[0].account_id)
            .unwrap(),
    );
    assert_conforms(&signup, "User", &identity);
    for key in [
        "title",
        "first_name",
        "last_name",
        "date_of_birth",
        "address",
        "account_details",
    ] {
        assert!(
            identity.get(key).is_some(),
            "Signup+ identity carries {key}"
        );
    }
    let items: Vec<Value> = bank
        .accounts()
        .iter()
        .map(|a| json(&bank.signup_account(&a.account_id).unwrap()))
        .collect();
    let list = serde_json::json!({"result": "multiple_accounts_linked", "detail": "…", "links": {}, "accounts": items});
    assert_conforms(&signup, "MultipleAccountsLinked", &list);
}

#[test]
fn providers_carry_every_field_the_providers_schema_requires() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let auth = spec("auth-server.json");
    let required = auth
        .pointer("/components/schemas/GetProvidersResponse/required")
        .unwrap()
        .as_array()
        .unwrap();
    let step = auth.pointer("/components/schemas/AuthInputStep").unwrap();
    for p in providers() {
        let v = json(&p);
        for key in required.iter().filter_map(Value::as_str) {
            assert!(v.get(key).is_some(), "{} lacks {key}", p.provider_id);
        }
        for s in v
            .get("steps")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mut errors = Vec::new();
            check(&auth, step, s, &p.provider_id, &mut errors);
            assert!(errors.is_empty(), "{errors:?}");
        }
    }
}
