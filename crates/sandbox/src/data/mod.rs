//! The mock bank behind the built-in sandbox: who can log in (`personas`), which providers the
//! sandbox lists (`providers`), the deterministic data each persona sees (`bank`, `generate`),
//! name matching for verification (`verify`) and the TrueLayer shapes it all serializes to
//! (`model`). No HTTP, no clock, no global state: the server passes "today" and a seed in.
//!
//! # Personas
//!
//! | username | password | data | behaviour |
//! |---|---|---|---|
//! | `john`, `john1`…`john100` | `doe`, `doe1`…`doe100` (numbers must agree) | 5 accounts, 2 cards, 2 years | every account carries the Mock bank's shared IBAN `GB08CLRB04066800003435`; extend → `authentication_needed` |
//! | `john`…`john100` | `iban`…`iban100` | same data as `johnN`/`doeN` | each account has its own valid IBAN (`GBkk CLRB 012131 <number>`) |
//! | `john` | `eternal` | `john`'s data | extend → `no_action_needed` |
//! | `john` | `reconfirm` | `john`'s data | extend → `reconfirmation_of_consent_needed`: its `user_input_link` is a consent page the user reconfirms on, no bank login (a Linkscope addition) |
//! | `error.<code>` | `error` | (generated, never served) | login succeeds; every Data call fails: `account_permanently_locked` 403, `account_temporarily_locked` 403, `internal_error` 500, `provider_error` 503, `user_input_required` 403 |
//! | `john.dense` | `dense` | 10 accounts, 2 cards, 6 years, ~100 000 transactions | for performance work |
//!
//! Usernames are matched case-insensitively after trimming; passwords exactly. The username
//! decides the data, the password the behaviour.
//!
//! # Data
//!
//! Built like the Mock bank's captured answers (API.md §2): accounts `TRANSACTION ACCOUNT 1`,
//! `SAVINGS ACCOUNT 1`, `TRANSACTION ACCOUNT 2` (joint with Jane Doe), `SAVINGS ACCOUNT 2`,
//! `TRANSACTION ACCOUNT 3`, numbers 10000000, 20000000, …, sort code 01-21-31, BIC CPBKGB00;
//! cards `CREDIT CARD 1` (MASTERCARD `1000`) and `CREDIT CARD 2` (VISA `2000`), `name_on_card`
//! `"John Doe "`. The main account has a salary, rent and savings standing orders (plus a
//! weekly one and a cancelled one), eight household direct debits plus a cancelled one and the
//! two card repayments, card spending at ~40 UK merchants, cash machines, refunds and cheques;
//! savings earn monthly interest; standing orders between our own accounts appear on both
//! sides. Running balances are exact (money is held in pence); `current` is the last running
//! balance and `available = current + pending + overdraft`. Cards: purchases are positive
//! DEBITs, repayments negative CREDITs, the running balance is what is owed (as in the spec's
//! example). History ends the day before the anchor; pending items are in the last 3 days.
//!
//! Deterministic: `Bank::generate(persona, anchor, seed)` gives equal banks for equal inputs
//! (own xoshiro256** generator seeded via SHA-256, so `rand` upgrades cannot change the data).
//! Account and card ids depend only on the username and the index. History is also
//! anchor-invariant: ledgers are generated forward from a fixed origin (2021-01-01; 2017-01-01
//! for the dense persona), so a transaction dated D is the same for every anchor after D and
//! moving the clock forward only adds days (pending items and `update_timestamp`s do follow the
//! anchor). Transactions are stored ascending by timestamp; windows are found by binary search.
//!
//! Measured on the 2-core build machine (release, anchor 2026-11-21): an ordinary user
//! generates in ~7 ms (about 3 200 visible transactions); the dense user in ~90 ms (97 500
//! visible transactions out of ~160 000 generated since its origin; peak RSS ~40 MB, ~25 MB
//! kept). A 3-month window of the dense main account (868 transactions) is found and
//! serialized in ~8 ms (450 kB).
//!
//! Where the spec types an amount as a string (card `available`, standing-order amounts) the
//! mock sends a string (`"12.50"`), although TrueLayer's own examples show numbers.

mod bank;
mod catalog;
mod generate;
pub mod iban;
pub mod model;
mod personas;
mod providers;
mod rng;
mod schedule;
mod verify;

pub use bank::{day_window, Bank, SignupUnavailable};
pub use personas::{
    login, mock_users, persona_from_key, DataFailure, ErrorScenario, ExtendOutcome, LoginRefusal,
    LoginResult, MockUser, Persona, UserNumber, DENSE_PASSWORD, DENSE_USERNAME, MAX_USER_NUMBER,
};
pub use providers::{
    is_known_provider_token, logo_svg, provider, provider_matches_token, providers,
    providers_with_logo_base, AuthInputStep, Availability, Provider, ProviderKind, StepValue,
    ALL_DATA_SCOPES,
};
pub use verify::{verify_name, VERIFY_THRESHOLD};

#[cfg(test)]
mod tests;
