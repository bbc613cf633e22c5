//! The QA workbench's table of personas: the mock users offered for one-click linking, grouped,
//! each with what it is for and the outcome every workbench check must have for it. This is the
//! single source of truth for "what each persona does": the app's scenario runner compares its
//! results with [`expected`] and the UI only shows them. Behaviour comes from
//! [`crate::data::Persona`] (extend outcome, data failures), so the table cannot drift from what
//! the sandbox serves. Knows nothing about HTTP.

use std::fmt;

use serde::Serialize;

use crate::data::{ErrorScenario, Persona, UserNumber};
use crate::scopes::Scope;

/// How the persona list is grouped, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonaGroup {
    /// john/doe: the documented example data.
    HappyPath,
    /// `error.*`: login succeeds, Data API calls then fail.
    ErrorScenario,
    /// john.dense: long, dense histories for performance work.
    DenseHistory,
    /// john/eternal: extending needs no action.
    EternalConsent,
    /// john/reconfirm: extending needs the user to reconfirm their consent.
    ConsentReconfirmation,
    /// The `iban` passwords: every account has its own valid IBAN.
    Iban,
    /// john1…john100: the numbered users, each with its own data.
    Numbered,
}

impl PersonaGroup {
    /// Every group, in display order.
    pub const ALL: [PersonaGroup; 7] = [
        PersonaGroup::HappyPath,
        PersonaGroup::ErrorScenario,
        PersonaGroup::DenseHistory,
        PersonaGroup::EternalConsent,
        PersonaGroup::ConsentReconfirmation,
        PersonaGroup::Iban,
        PersonaGroup::Numbered,
    ];

    /// The group's heading.
    pub fn label(self) -> &'static str {
        match self {
            PersonaGroup::HappyPath => "Happy path",
            PersonaGroup::ErrorScenario => "Error scenarios",
            PersonaGroup::DenseHistory => "Dense history",
            PersonaGroup::EternalConsent => "Eternal consent",
            PersonaGroup::ConsentReconfirmation => "Consent reconfirmation",
            PersonaGroup::Iban => "IBAN",
            PersonaGroup::Numbered => "Numbered users",
        }
    }
}

/// One check the scenario runner makes per persona: a Data API endpoint (for per-account and
/// per-card endpoints: on every account or card listed) or a lifecycle action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// `GET /data/v1/me`
    Me,
    /// `GET /data/v1/info`
    Info,
    /// `GET /data/v1/accounts`
    Accounts,
    /// `GET /data/v1/accounts/{id}/balance`
    Balance,
    /// `GET /data/v1/accounts/{id}/transactions`
    Transactions,
    /// `GET /data/v1/accounts/{id}/transactions/pending`
    PendingTransactions,
    /// `GET /data/v1/accounts/{id}/standing_orders`
    StandingOrders,
    /// `GET /data/v1/accounts/{id}/direct_debits`
    DirectDebits,
    /// `GET /data/v1/cards`
    Cards,
    /// `GET /data/v1/cards/{id}/balance`
    CardBalance,
    /// `GET /data/v1/cards/{id}/transactions`
    CardTransactions,
    /// `GET /data/v1/cards/{id}/transactions/pending`
    CardPendingTransactions,
    /// `GET /signup-plus/accounts`
    SignupPlus,
    /// `POST /connect/token` with the refresh token.
    Refresh,
    /// `POST /data/v1/connections/extend`
    Extend,
    /// `DELETE /api/delete`
    Revoke,
}

/// What a check needs listed first: per-account and per-card endpoints are called on each item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Parent {
    /// Called on every account from `/accounts`.
    Account,
    /// Called on every card from `/cards`.
    Card,
}

impl Check {
    /// Every check, in the order the runner makes them (data first, revoke last).
    pub const ALL: [Check; 16] = [
        Check::Me,
        Check::Info,
        Check::Accounts,
        Check::Balance,
        Check::Transactions,
        Check::PendingTransactions,
        Check::StandingOrders,
        Check::DirectDebits,
        Check::Cards,
        Check::CardBalance,
        Check::CardTransactions,
        Check::CardPendingTransactions,
        Check::SignupPlus,
        Check::Refresh,
        Check::Extend,
        Check::Revoke,
    ];

    /// The coverage matrix's checks: every read, no lifecycle action.
    pub const DATA: [Check; 13] = [
        Check::Me,
        Check::Info,
        Check::Accounts,
        Check::Balance,
        Check::Transactions,
        Check::PendingTransactions,
        Check::StandingOrders,
        Check::DirectDebits,
        Check::Cards,
        Check::CardBalance,
        Check::CardTransactions,
        Check::CardPendingTransactions,
        Check::SignupPlus,
    ];

    /// A stable id (`card_balance`), used in exports and JUnit test names.
    pub fn id(self) -> &'static str {
        match self {
            Check::Me => "me",
            Check::Info => "info",
            Check::Accounts => "accounts",
            Check::Balance => "balance",
            Check::Transactions => "transactions",
            Check::PendingTransactions => "pending_transactions",
            Check::StandingOrders => "standing_orders",
            Check::DirectDebits => "direct_debits",
            Check::Cards => "cards",
            Check::CardBalance => "card_balance",
            Check::CardTransactions => "card_transactions",
            Check::CardPendingTransactions => "card_pending_transactions",
            Check::SignupPlus => "signup_plus",
            Check::Refresh => "refresh",
            Check::Extend => "extend",
            Check::Revoke => "revoke",
        }
    }

    /// The method and path template it calls (`{id}` = each account or card).
    pub fn endpoint(self) -> &'static str {
        match self {
            Check::Me => "GET /data/v1/me",
            Check::Info => "GET /data/v1/info",
            Check::Accounts => "GET /data/v1/accounts",
            Check::Balance => "GET /data/v1/accounts/{id}/balance",
            Check::Transactions => "GET /data/v1/accounts/{id}/transactions",
            Check::PendingTransactions => "GET /data/v1/accounts/{id}/transactions/pending",
            Check::StandingOrders => "GET /data/v1/accounts/{id}/standing_orders",
            Check::DirectDebits => "GET /data/v1/accounts/{id}/direct_debits",
            Check::Cards => "GET /data/v1/cards",
            Check::CardBalance => "GET /data/v1/cards/{id}/balance",
            Check::CardTransactions => "GET /data/v1/cards/{id}/transactions",
            Check::CardPendingTransactions => "GET /data/v1/cards/{id}/transactions/pending",
            Check::SignupPlus => "GET /signup-plus/accounts",
            Check::Refresh => "POST /connect/token (refresh_token)",
            Check::Extend => "POST /data/v1/connections/extend",
            Check::Revoke => "DELETE /api/delete",
        }
    }

    /// The scopes the connection must hold for the check to be made (API.md §3; the same rules
    /// the Data API enforces in `api::data::Op::scopes`).
    pub fn scopes(self) -> &'static [Scope] {
        use Scope::*;
        match self {
            Check::Me | Check::Revoke => &[],
            Check::Info => &[Info],
            Check::Accounts => &[Accounts],
            Check::Balance => &[Accounts, Balance],
            Check::Transactions | Check::PendingTransactions => &[Accounts, Transactions],
            Check::StandingOrders => &[Accounts, StandingOrders],
            Check::DirectDebits => &[Accounts, DirectDebits],
            Check::Cards => &[Cards],
            Check::CardBalance => &[Cards, Balance],
            Check::CardTransactions | Check::CardPendingTransactions => &[Cards, Transactions],
            Check::SignupPlus => &[SignupPlus],
            Check::Refresh | Check::Extend => &[OfflineAccess],
        }
    }

    /// What must be listed first, for per-account and per-card checks.
    pub fn parent(self) -> Option<Parent> {
        match self {
            Check::Balance
            | Check::Transactions
            | Check::PendingTransactions
            | Check::StandingOrders
            | Check::DirectDebits => Some(Parent::Account),
            Check::CardBalance | Check::CardTransactions | Check::CardPendingTransactions => {
                Some(Parent::Card)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The outcome of one check, as expected by [`expected`] and as found by the runner; equal
/// outcomes pass.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Outcome {
    /// The call succeeded (200; for lifecycle actions: done).
    Ok,
    /// The call failed with this HTTP status and error code (TrueLayer's `error`, or the
    /// Signup+ problem's `type` slug).
    Error {
        /// HTTP status.
        status: u16,
        /// The error code.
        code: String,
    },
    /// The call succeeded with this result (`no_action_needed`, `multiple_accounts_linked`, …).
    Answered {
        /// The `action_needed` or `result` value.
        result: String,
    },
    /// Not made: there was nothing to call it on (the list before it failed or was empty).
    NotRun,
}

impl Outcome {
    fn error(status: u16, code: &str) -> Self {
        Outcome::Error {
            status,
            code: code.to_owned(),
        }
    }

    fn answered(result: &str) -> Self {
        Outcome::Answered {
            result: result.to_owned(),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Ok => f.write_str("ok"),
            Outcome::Error { status, code } => write!(f, "{status} {code}"),
            Outcome::Answered { result } => f.write_str(result),
            Outcome::NotRun => f.write_str("not run"),
        }
    }
}

/// One row of the persona table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonaSpec {
    /// Who logs in.
    pub persona: Persona,
    /// The list it is shown in.
    pub group: PersonaGroup,
    /// What QA uses it for.
    pub purpose: &'static str,
}

impl PersonaSpec {
    /// The username to type.
    pub fn username(&self) -> String {
        self.persona.username()
    }

    /// The password to type (public: the mock bank's documented passwords).
    pub fn password(&self) -> String {
        self.persona.password()
    }

    /// The stable key ([`Persona::key`]).
    pub fn key(&self) -> String {
        self.persona.key()
    }

    /// What `check` must produce for this persona.
    pub fn expected(&self, check: Check) -> Outcome {
        expected(self.persona, check)
    }
}

fn numbered(n: u8) -> Option<UserNumber> {
    UserNumber::new(n)
}

/// The persona table, in display order: every group with its representative users (the bare,
/// first and last of the numbered ranges; all five error users).
pub fn personas() -> Vec<PersonaSpec> {
    let spec = |persona, group, purpose| PersonaSpec {
        persona,
        group,
        purpose,
    };
    let mut rows = Vec::new();
    if let Some(zero) = numbered(0) {
        rows.push(spec(
            Persona::Standard(zero),
            PersonaGroup::HappyPath,
            "The documented example user: five accounts, two cards, every endpoint answers.",
        ));
    }
    for scenario in ErrorScenario::ALL {
        rows.push(spec(
            Persona::Error(scenario),
            PersonaGroup::ErrorScenario,
            error_purpose(scenario),
        ));
    }
    rows.push(spec(
        Persona::Dense,
        PersonaGroup::DenseHistory,
        "Ten accounts and six years of history (about 100 000 transactions), for performance.",
    ));
    rows.push(spec(
        Persona::Eternal,
        PersonaGroup::EternalConsent,
        "john's data; extending the connection answers no_action_needed with fresh tokens.",
    ));
    rows.push(spec(
        Persona::Reconfirm,
        PersonaGroup::ConsentReconfirmation,
        "john's data; extending answers reconfirmation_of_consent_needed: the user reconfirms on a consent page, no bank login.",
    ));
    for (n, purpose) in [
        (0, "john's data, but each account has its own valid IBAN."),
        (1, "john1's data with distinct IBANs."),
    ] {
        if let Some(n) = numbered(n) {
            rows.push(spec(Persona::Iban(n), PersonaGroup::Iban, purpose));
        }
    }
    for (n, purpose) in [
        (
            1,
            "The first numbered user: different data from john, same shape.",
        ),
        (100, "The last numbered user (john100/doe100)."),
    ] {
        if let Some(n) = numbered(n) {
            rows.push(spec(Persona::Standard(n), PersonaGroup::Numbered, purpose));
        }
    }
    rows
}

/// The table row of a persona key (`john:doe`, `error.provider_error:error`).
pub fn persona_spec(key: &str) -> Option<PersonaSpec> {
    personas().into_iter().find(|p| p.key() == key)
}

fn error_purpose(scenario: ErrorScenario) -> &'static str {
    match scenario {
        ErrorScenario::AccountPermanentlyLocked => {
            "Data calls fail 403 account_permanently_locked: the user must contact the bank."
        }
        ErrorScenario::AccountTemporarilyLocked => {
            "Data calls fail 403 account_temporarily_locked: the lock lifts by itself."
        }
        ErrorScenario::InternalError => "Data calls fail 500 internal_error.",
        ErrorScenario::ProviderError => "Data calls fail 503 provider_error: the bank is down.",
        ErrorScenario::UserInputRequired => {
            "Data calls fail 403 user_input_required: the user must re-authenticate."
        }
    }
}

/// What `check` produces for `persona`, for a connection linked with every scope the check
/// needs, all accounts shared:
/// - `/me`, refresh and revoke work for everyone (they do not reach the bank).
/// - An `error.*` user's reads fail as [`Persona::data_error`] says; what needs a list is not
///   run; Signup+ answers its own problem (`internal-server-error` for server-side failures,
///   else `user-data-not-found`).
/// - Everyone else's reads succeed; Signup+ finds several single-holder current accounts and
///   answers `multiple_accounts_linked`.
/// - Extend answers [`Persona::extend_outcome`], except for `error.*` users: extending needs the
///   user's name from `/info`, which fails for them, so the sandbox refuses the request (400).
pub fn expected(persona: Persona, check: Check) -> Outcome {
    match check {
        Check::Me | Check::Refresh | Check::Revoke => return Outcome::Ok,
        // Unregulated clients must send the user's name (TrueLayer's rule, `api::extend`); it
        // comes from `/info`, which fails for an `error.*` user, so the request is refused.
        Check::Extend if persona.data_error().is_some() => {
            return Outcome::error(400, "connection-api-errors")
        }
        Check::Extend => return Outcome::answered(persona.extend_outcome().as_str()),
        _ => {}
    }
    match (persona.data_error(), check) {
        (Some(failure), Check::SignupPlus) if failure.status >= 500 => {
            Outcome::error(500, "internal-server-error")
        }
        (Some(_), Check::SignupPlus) => Outcome::error(422, "user-data-not-found"),
        (Some(_), c) if c.parent().is_some() => Outcome::NotRun,
        (Some(failure), _) => Outcome::error(failure.status, failure.error),
        (None, Check::SignupPlus) => Outcome::answered("multiple_accounts_linked"),
        (None, _) => Outcome::Ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_has_a_persona_and_every_key_is_unique() {
        let rows = personas();
        for group in PersonaGroup::ALL {
            assert!(rows.iter().any(|r| r.group == group), "{group:?} is empty");
        }
        let mut keys: Vec<String> = rows.iter().map(PersonaSpec::key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), rows.len(), "duplicate persona keys");
        for row in &rows {
            assert_eq!(persona_spec(&row.key()).as_ref(), Some(row));
            assert_eq!(
                crate::data::login(&row.username(), &row.password()),
                Ok(row.persona),
                "{} must log in",
                row.key()
            );
        }
        assert_eq!(persona_spec("john:nope"), None);
    }

    #[test]
    fn the_documented_outcomes_are_in_the_table() {
        let provider_error = Persona::Error(ErrorScenario::ProviderError);
        assert_eq!(
            expected(provider_error, Check::Accounts),
            Outcome::error(503, "provider_error")
        );
        assert_eq!(expected(provider_error, Check::Balance), Outcome::NotRun);
        assert_eq!(expected(provider_error, Check::Me), Outcome::Ok);
        assert_eq!(
            expected(Persona::Eternal, Check::Extend),
            Outcome::answered("no_action_needed")
        );
        assert_eq!(
            expected(Persona::Reconfirm, Check::Extend),
            Outcome::answered("reconfirmation_of_consent_needed")
        );
        let john = personas()
            .into_iter()
            .find(|p| p.key() == "john:doe")
            .map(|p| p.persona);
        assert_eq!(
            john.map(|p| expected(p, Check::Extend)),
            Some(Outcome::answered("authentication_needed"))
        );
        assert_eq!(
            john.map(|p| expected(p, Check::SignupPlus)),
            Some(Outcome::answered("multiple_accounts_linked"))
        );
    }
}
