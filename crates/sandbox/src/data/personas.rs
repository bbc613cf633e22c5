//! The mock bank's users: who may log in with which password (TrueLayer docs "Mock users",
//! API.md §2), and how each one behaves afterwards (extend outcome, failing Data calls). Holds
//! no data itself; `bank` generates it from a persona.

use std::fmt;

/// Highest documented number of the numbered mock users (`john100`/`doe100`).
pub const MAX_USER_NUMBER: u8 = 100;

/// The username and password of the dense performance persona (a Linkscope addition).
pub const DENSE_USERNAME: &str = "john.dense";
/// See [`DENSE_USERNAME`].
pub const DENSE_PASSWORD: &str = "dense";

/// The number in `john7`; 0 stands for the bare `john`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserNumber(u8);

impl UserNumber {
    /// `Some` for 0 (bare `john`) through [`MAX_USER_NUMBER`].
    pub fn new(n: u8) -> Option<Self> {
        (n <= MAX_USER_NUMBER).then_some(Self(n))
    }

    /// The number; 0 for bare `john`.
    pub fn get(self) -> u8 {
        self.0
    }

    /// `""` for 0, else the decimal number: the suffix of both username and password.
    fn suffix(self) -> String {
        if self.0 == 0 {
            String::new()
        } else {
            self.0.to_string()
        }
    }
}

/// The documented `error.*` mock users: login succeeds, every Data API call then fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorScenario {
    /// `error.account_permanently_locked`
    AccountPermanentlyLocked,
    /// `error.account_temporarily_locked`
    AccountTemporarilyLocked,
    /// `error.internal_error`
    InternalError,
    /// `error.provider_error`
    ProviderError,
    /// `error.user_input_required`
    UserInputRequired,
}

impl ErrorScenario {
    /// Every documented scenario, in documentation order.
    pub const ALL: [ErrorScenario; 5] = [
        ErrorScenario::AccountPermanentlyLocked,
        ErrorScenario::AccountTemporarilyLocked,
        ErrorScenario::InternalError,
        ErrorScenario::ProviderError,
        ErrorScenario::UserInputRequired,
    ];

    /// The TrueLayer error code, also the part of the username after `error.`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorScenario::AccountPermanentlyLocked => "account_permanently_locked",
            ErrorScenario::AccountTemporarilyLocked => "account_temporarily_locked",
            ErrorScenario::InternalError => "internal_error",
            ErrorScenario::ProviderError => "provider_error",
            ErrorScenario::UserInputRequired => "user_input_required",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The failure every Data API call returns for this user. TrueLayer documents the codes but
    /// not the statuses (API.md §2, open question 7); these are our choices:
    /// - `account_permanently_locked` → 403: the bank refuses access until the user acts there,
    ///   like `access_denied`; retrying cannot help.
    /// - `account_temporarily_locked` → 403: same refusal, but the lock lifts by itself.
    /// - `internal_error` → 500, like TrueLayer's `internal_server_error`.
    /// - `provider_error` → 503: TrueLayer documents `provider_error` as 503.
    /// - `user_input_required` → 403: the bank wants the user back (re-authentication), the
    ///   same status TrueLayer gives `sca_exceeded`.
    pub fn failure(self) -> DataFailure {
        match self {
            ErrorScenario::AccountPermanentlyLocked => DataFailure {
                status: 403,
                error: self.code(),
                description: "The account is permanently locked at the provider. The user must \
                              contact their bank.",
            },
            ErrorScenario::AccountTemporarilyLocked => DataFailure {
                status: 403,
                error: self.code(),
                description: "The account is temporarily locked at the provider. Try again later.",
            },
            ErrorScenario::InternalError => DataFailure {
                status: 500,
                error: self.code(),
                description: "Internal server error.",
            },
            ErrorScenario::ProviderError => DataFailure {
                status: 503,
                error: self.code(),
                description: "The provider service is unavailable.",
            },
            ErrorScenario::UserInputRequired => DataFailure {
                status: 403,
                error: self.code(),
                description: "The provider requires the user to take an action. Ask the user to \
                              re-authenticate.",
            },
        }
    }
}

/// How a Data API call fails for an `error.*` user: the HTTP status and TrueLayer's error body
/// fields (`{"error": error, "error_description": description, "error_details": {}}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataFailure {
    /// HTTP status code.
    pub status: u16,
    /// TrueLayer's `error` code.
    pub error: &'static str,
    /// TrueLayer's `error_description`.
    pub description: &'static str,
}

/// What `POST /data/v1/connections/extend` answers for a persona's connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExtendOutcome {
    /// `action_needed: "no_action_needed"` with fresh tokens (john/eternal).
    NoActionNeeded,
    /// `action_needed: "reconfirmation_of_consent_needed"` with a `user_input_link` to a
    /// TrueLayer page where the user reconfirms, without a bank login (john/reconfirm).
    ReconfirmationOfConsentNeeded,
    /// `action_needed: "authentication_needed"` with a `user_input_link` (everyone else).
    AuthenticationNeeded,
}

impl ExtendOutcome {
    /// The `action_needed` value.
    pub fn as_str(self) -> &'static str {
        match self {
            ExtendOutcome::NoActionNeeded => "no_action_needed",
            ExtendOutcome::ReconfirmationOfConsentNeeded => "reconfirmation_of_consent_needed",
            ExtendOutcome::AuthenticationNeeded => "authentication_needed",
        }
    }
}

/// A mock-bank user after a successful login. The *username* decides the data (john7/doe7 and
/// john7/iban7 are the same person with the same accounts); the *password* decides behaviour
/// (distinct IBANs, eternal extend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Persona {
    /// `john`/`doe` (number 0) and `johnN`/`doeN`: example data; every account carries the Mock
    /// bank's shared IBAN, like TrueLayer's sandbox.
    Standard(UserNumber),
    /// `john`/`iban` and `johnN`/`ibanN`: the same data, but each account has its own valid IBAN.
    Iban(UserNumber),
    /// `john`/`eternal`: `john`'s data; extending the connection needs no action.
    Eternal,
    /// `john`/`reconfirm`: `john`'s data; extending the connection needs the user to reconfirm
    /// their consent (no bank login).
    Reconfirm,
    /// `error.<code>`/`error`: login succeeds, every Data API call fails.
    Error(ErrorScenario),
    /// `john.dense`/`dense`: 10 accounts, 6 years, about 100 000 transactions, for performance work.
    Dense,
}

impl Persona {
    /// The username that logs in as this persona.
    pub fn username(&self) -> String {
        match self {
            Persona::Standard(n) | Persona::Iban(n) => format!("john{}", n.suffix()),
            Persona::Eternal | Persona::Reconfirm => "john".to_owned(),
            Persona::Error(s) => format!("error.{}", s.code()),
            Persona::Dense => DENSE_USERNAME.to_owned(),
        }
    }

    /// The password that logs in as this persona.
    pub fn password(&self) -> String {
        match self {
            Persona::Standard(n) => format!("doe{}", n.suffix()),
            Persona::Iban(n) => format!("iban{}", n.suffix()),
            Persona::Eternal => "eternal".to_owned(),
            Persona::Reconfirm => "reconfirm".to_owned(),
            Persona::Error(_) => "error".to_owned(),
            Persona::Dense => DENSE_PASSWORD.to_owned(),
        }
    }

    /// A stable text key for storing the persona (e.g. in the sandbox's state file);
    /// [`persona_from_key`] reverses it. Shape: `"<username>:<password kind>"`, e.g. `john7:doe`,
    /// `john7:iban`, `john:eternal`, `error.internal_error:error`, `john.dense:dense`.
    /// Contains no secret (the mock passwords are public and derivable).
    pub fn key(&self) -> String {
        let kind = match self {
            Persona::Standard(_) => "doe",
            Persona::Iban(_) => "iban",
            Persona::Eternal => "eternal",
            Persona::Reconfirm => "reconfirm",
            Persona::Error(_) => "error",
            Persona::Dense => "dense",
        };
        format!("{}:{kind}", self.username())
    }

    /// The name the data is generated from: the username, except that every bare-`john` login
    /// (doe, iban, eternal) shares `john`'s data.
    pub fn data_key(&self) -> String {
        self.username()
    }

    /// Whether each account gets its own valid IBAN (the `iban` passwords) instead of the Mock
    /// bank's shared one.
    pub fn distinct_ibans(&self) -> bool {
        matches!(self, Persona::Iban(_) | Persona::Dense)
    }

    /// What extending this persona's connection answers: only john/eternal gets
    /// `no_action_needed` (TrueLayer docs, API.md §7); john/reconfirm (the sandbox's choice:
    /// TrueLayer documents no persona for it) `reconfirmation_of_consent_needed`.
    pub fn extend_outcome(&self) -> ExtendOutcome {
        match self {
            Persona::Eternal => ExtendOutcome::NoActionNeeded,
            Persona::Reconfirm => ExtendOutcome::ReconfirmationOfConsentNeeded,
            _ => ExtendOutcome::AuthenticationNeeded,
        }
    }

    /// `Some` for the `error.*` users: every Data API call must fail this way.
    pub fn data_error(&self) -> Option<DataFailure> {
        match self {
            Persona::Error(s) => Some(s.failure()),
            _ => None,
        }
    }

    /// True for the dense performance persona.
    pub fn is_dense(&self) -> bool {
        matches!(self, Persona::Dense)
    }
}

impl fmt::Display for Persona {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

/// Why the mock bank refused a login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LoginRefusal {
    /// The username is not one of the documented mock users.
    UnknownUser,
    /// The username exists but the password does not belong to it (e.g. john7 with doe8).
    WrongPassword,
}

impl LoginRefusal {
    /// What the login page shows. Deliberately the same text for both cases, like a real bank.
    pub fn message(self) -> &'static str {
        "The username or password is incorrect. Mock users: john/doe, john1…john100 with \
         doe1…doe100 or iban1…iban100, john/eternal, john/reconfirm, error.<scenario>/error."
    }
}

impl fmt::Display for LoginRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for LoginRefusal {}

/// The outcome of a mock-bank login.
pub type LoginResult = Result<Persona, LoginRefusal>;

/// Checks a mock-bank login. The username is matched case-insensitively after trimming spaces
/// (bank usernames usually are); the password exactly. Numbers must agree: john7 takes doe7 or
/// iban7, never doe8; `john` takes doe, iban or eternal.
pub fn login(username: &str, password: &str) -> LoginResult {
    let username = username.trim().to_ascii_lowercase();
    if let Some(code) = username.strip_prefix("error.") {
        let scenario = ErrorScenario::from_code(code).ok_or(LoginRefusal::UnknownUser)?;
        return if password == "error" {
            Ok(Persona::Error(scenario))
        } else {
            Err(LoginRefusal::WrongPassword)
        };
    }
    if username == DENSE_USERNAME {
        return if password == DENSE_PASSWORD {
            Ok(Persona::Dense)
        } else {
            Err(LoginRefusal::WrongPassword)
        };
    }
    let number = username
        .strip_prefix("john")
        .and_then(parse_user_number)
        .ok_or(LoginRefusal::UnknownUser)?;
    if number.get() == 0 && password == "eternal" {
        return Ok(Persona::Eternal);
    }
    if number.get() == 0 && password == "reconfirm" {
        return Ok(Persona::Reconfirm);
    }
    let suffix = number.suffix();
    match password.strip_suffix(suffix.as_str()) {
        Some("doe") => Ok(Persona::Standard(number)),
        Some("iban") => Ok(Persona::Iban(number)),
        _ => Err(LoginRefusal::WrongPassword),
    }
}

/// `""` → 0; `"1"`…`"100"` without leading zeros → that number; anything else → `None`.
fn parse_user_number(digits: &str) -> Option<UserNumber> {
    if digits.is_empty() {
        return UserNumber::new(0);
    }
    if digits.starts_with('0') || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 3 {
        return None;
    }
    digits
        .parse::<u8>()
        .ok()
        .filter(|n| *n >= 1)
        .and_then(UserNumber::new)
}

/// Rebuilds a persona from [`Persona::key`]; `None` for anything that is not such a key.
pub fn persona_from_key(key: &str) -> Option<Persona> {
    let (username, kind) = key.rsplit_once(':')?;
    let password = match kind {
        "doe" | "iban" => {
            let n = username.strip_prefix("john").and_then(parse_user_number)?;
            format!("{kind}{}", n.suffix())
        }
        "eternal" | "reconfirm" | "error" | "dense" => kind.to_owned(),
        _ => return None,
    };
    let persona = login(username, &password).ok()?;
    (persona.key() == key).then_some(persona)
}

/// One documented login (for dialogs' hint text and for tests that walk every mock user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockUser {
    /// What to type as username.
    pub username: String,
    /// What to type as password.
    pub password: String,
    /// Who that logs in as.
    pub persona: Persona,
}

/// Every login the mock bank accepts: john…john100 × doe/iban, john/eternal, john/reconfirm,
/// the five error users and the dense user (209 entries).
pub fn mock_users() -> Vec<MockUser> {
    let numbered = (0..=MAX_USER_NUMBER).filter_map(UserNumber::new);
    let personas = numbered
        .clone()
        .map(Persona::Standard)
        .chain(numbered.map(Persona::Iban))
        .chain([Persona::Eternal, Persona::Reconfirm])
        .chain(ErrorScenario::ALL.into_iter().map(Persona::Error))
        .chain([Persona::Dense]);
    personas
        .map(|persona| MockUser {
            username: persona.username(),
            password: persona.password(),
            persona,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: u8) -> UserNumber {
        UserNumber::new(v).unwrap()
    }

    #[test]
    fn every_documented_login_is_accepted_as_the_right_persona() {
        let cases = [
            ("john", "doe", Persona::Standard(n(0))),
            ("john1", "doe1", Persona::Standard(n(1))),
            ("john7", "doe7", Persona::Standard(n(7))),
            ("john100", "doe100", Persona::Standard(n(100))),
            ("john", "iban", Persona::Iban(n(0))),
            ("john42", "iban42", Persona::Iban(n(42))),
            ("john100", "iban100", Persona::Iban(n(100))),
            ("john", "eternal", Persona::Eternal),
            ("john", "reconfirm", Persona::Reconfirm),
            ("  JOHN7 ", "doe7", Persona::Standard(n(7))),
            (
                "error.account_permanently_locked",
                "error",
                Persona::Error(ErrorScenario::AccountPermanentlyLocked),
            ),
            (
                "error.account_temporarily_locked",
                "error",
                Persona::Error(ErrorScenario::AccountTemporarilyLocked),
            ),
            (
                "error.internal_error",
                "error",
                Persona::Error(ErrorScenario::InternalError),
            ),
            (
                "error.provider_error",
                "error",
                Persona::Error(ErrorScenario::ProviderError),
            ),
            (
                "error.user_input_required",
                "error",
                Persona::Error(ErrorScenario::UserInputRequired),
            ),
            ("john.dense", "dense", Persona::Dense),
        ];
        for (user, pass, expected) in cases {
            assert_eq!(login(user, pass), Ok(expected), "{user}/{pass}");
        }
    }

    #[test]
    fn wrong_or_mismatched_logins_are_refused() {
        let cases = [
            ("john7", "doe8", LoginRefusal::WrongPassword),
            ("john7", "doe", LoginRefusal::WrongPassword),
            ("john", "doe1", LoginRefusal::WrongPassword),
            ("john", "wrong", LoginRefusal::WrongPassword),
            ("john", "DOE", LoginRefusal::WrongPassword),
            ("john7", "eternal", LoginRefusal::WrongPassword),
            ("john7", "iban70", LoginRefusal::WrongPassword),
            ("error.internal_error", "doe", LoginRefusal::WrongPassword),
            ("john.dense", "doe", LoginRefusal::WrongPassword),
            ("john101", "doe101", LoginRefusal::UnknownUser),
            ("john0", "doe0", LoginRefusal::UnknownUser),
            ("john07", "doe07", LoginRefusal::UnknownUser),
            ("john1000", "doe1000", LoginRefusal::UnknownUser),
            ("johnx", "doex", LoginRefusal::UnknownUser),
            ("error.nope", "error", LoginRefusal::UnknownUser),
            ("jane", "doe", LoginRefusal::UnknownUser),
            ("", "", LoginRefusal::UnknownUser),
        ];
        for (user, pass, expected) in cases {
            assert_eq!(login(user, pass), Err(expected), "{user}/{pass}");
        }
    }

    #[test]
    fn every_listed_mock_user_logs_in_and_its_key_round_trips() {
        let users = mock_users();
        assert_eq!(users.len(), 101 * 2 + 2 + 5 + 1);
        for user in &users {
            assert_eq!(
                login(&user.username, &user.password),
                Ok(user.persona),
                "{user:?}"
            );
            assert_eq!(
                persona_from_key(&user.persona.key()),
                Some(user.persona),
                "{user:?}"
            );
        }
        for bad in [
            "",
            "john",
            "john:x",
            "john7:doe:doe",
            "john101:doe",
            "jane:doe",
        ] {
            assert_eq!(persona_from_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_eternal_extends_without_action_only_reconfirm_needs_reconfirmation_and_only_error_users_fail_data_calls(
    ) {
        for user in mock_users() {
            let p = user.persona;
            let expected = match p {
                Persona::Eternal => ExtendOutcome::NoActionNeeded,
                Persona::Reconfirm => ExtendOutcome::ReconfirmationOfConsentNeeded,
                _ => ExtendOutcome::AuthenticationNeeded,
            };
            assert_eq!(p.extend_outcome(), expected, "{p}");
            match (p, p.data_error()) {
                (Persona::Error(s), Some(f)) => {
                    assert_eq!(f.error, s.code());
                    assert!(matches!(f.status, 403 | 500 | 503), "{f:?}");
                }
                (Persona::Error(_), None) => panic!("{p} must fail data calls"),
                (_, Some(f)) => panic!("{p} must not fail data calls, got {f:?}"),
                (_, None) => {}
            }
        }
    }
}
