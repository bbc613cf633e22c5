//! The Data API scopes and their rules (API.md §3): parsing a space-separated `scope` value and
//! checking the combinations TrueLayer documents. Knows nothing about HTTP.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One end-user scope of an auth link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// `info`: the account holder's identity.
    Info,
    /// `accounts`: current and savings accounts.
    Accounts,
    /// `balance`: balances (needs accounts or cards).
    Balance,
    /// `cards`: credit cards.
    Cards,
    /// `transactions`: transactions (needs accounts or cards).
    Transactions,
    /// `direct_debits` (needs accounts).
    DirectDebits,
    /// `standing_orders` (needs accounts).
    StandingOrders,
    /// `offline_access`: yields a refresh token.
    OfflineAccess,
    /// `signupplus`: Signup+ identity.
    #[serde(rename = "signupplus")]
    SignupPlus,
    /// `verification`: name verification.
    Verification,
}

impl Scope {
    /// Every scope, in TrueLayer's usual order.
    pub const ALL: [Scope; 10] = [
        Scope::Info,
        Scope::Accounts,
        Scope::Balance,
        Scope::Cards,
        Scope::Transactions,
        Scope::DirectDebits,
        Scope::StandingOrders,
        Scope::OfflineAccess,
        Scope::SignupPlus,
        Scope::Verification,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Info => "info",
            Scope::Accounts => "accounts",
            Scope::Balance => "balance",
            Scope::Cards => "cards",
            Scope::Transactions => "transactions",
            Scope::DirectDebits => "direct_debits",
            Scope::StandingOrders => "standing_orders",
            Scope::OfflineAccess => "offline_access",
            Scope::SignupPlus => "signupplus",
            Scope::Verification => "verification",
        }
    }

    /// Parses one wire name (exact, case-sensitive).
    pub fn parse(value: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// A short human description shown on the consent page.
    pub fn describe(self) -> &'static str {
        match self {
            Scope::Info => "Your name and contact details",
            Scope::Accounts => "Your account details (names, numbers, sort codes)",
            Scope::Balance => "Your balances",
            Scope::Cards => "Your credit card details",
            Scope::Transactions => "Your transactions, including pending ones",
            Scope::DirectDebits => "Your direct debits",
            Scope::StandingOrders => "Your standing orders",
            Scope::OfflineAccess => "Access when you are not present, for up to 90 days",
            Scope::SignupPlus => "Your identity details, to fill in forms for you (Signup+)",
            Scope::Verification => "Checking the account holder's name",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of scopes, always printed in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ScopeSet(BTreeSet<Scope>);

impl ScopeSet {
    /// Builds a set from scopes.
    pub fn from_scopes(scopes: impl IntoIterator<Item = Scope>) -> Self {
        Self(scopes.into_iter().collect())
    }

    /// Parses a space-separated `scope` value of an auth link, checking TrueLayer's rules:
    /// every scope known and given once; balance and transactions need accounts or cards;
    /// direct_debits and standing_orders need accounts; offline_access needs a data scope.
    pub fn parse_link_scope(value: &str) -> Result<Self, String> {
        let mut set = BTreeSet::new();
        if value.trim().is_empty() {
            return Err("scope is empty: list the scopes separated by spaces".to_owned());
        }
        for word in value.split(' ').filter(|w| !w.is_empty()) {
            let scope = Scope::parse(word).ok_or_else(|| format!("unknown scope '{word}'"))?;
            if !set.insert(scope) {
                return Err(format!("scope '{word}' is listed twice"));
            }
        }
        let set = Self(set);
        let has_account_or_card = set.contains(Scope::Accounts) || set.contains(Scope::Cards);
        for needs_either in [Scope::Balance, Scope::Transactions] {
            if set.contains(needs_either) && !has_account_or_card {
                return Err(format!(
                    "scope '{needs_either}' needs 'accounts' or 'cards'"
                ));
            }
        }
        for needs_accounts in [Scope::DirectDebits, Scope::StandingOrders] {
            if set.contains(needs_accounts) && !set.contains(Scope::Accounts) {
                return Err(format!("scope '{needs_accounts}' needs 'accounts'"));
            }
        }
        if set.0.iter().all(|s| *s == Scope::OfflineAccess) {
            return Err("scope 'offline_access' alone grants nothing: add a data scope".to_owned());
        }
        Ok(set)
    }

    /// Whether the set holds a scope.
    pub fn contains(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }

    /// Whether the set holds every one of `required`.
    pub fn contains_all(&self, required: &[Scope]) -> bool {
        required.iter().all(|s| self.contains(*s))
    }

    /// The scopes in order.
    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }

    /// The wire names in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.iter().map(Scope::as_str).collect()
    }

    /// The space-separated form used in `/connect/token` answers.
    pub fn to_space_separated(&self) -> String {
        self.names().join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_scopes_follow_truelayers_combination_rules() {
        let cases: &[(&str, bool)] = &[
            ("info accounts balance transactions offline_access", true),
            ("cards balance transactions", true),
            ("accounts direct_debits standing_orders", true),
            ("verification", true),
            ("signupplus", true),
            ("info  accounts", true),
            ("balance", false),
            ("transactions info", false),
            ("cards direct_debits", false),
            ("cards standing_orders", false),
            ("offline_access", false),
            ("accounts accounts", false),
            ("accounts payments", false),
            ("Accounts", false),
            ("", false),
        ];
        for (value, ok) in cases {
            assert_eq!(
                ScopeSet::parse_link_scope(value).is_ok(),
                *ok,
                "scope={value:?}"
            );
        }
    }

    #[test]
    fn a_scope_set_prints_in_a_stable_order() {
        let set = ScopeSet::parse_link_scope("offline_access transactions accounts info").unwrap();
        assert_eq!(
            set.to_space_separated(),
            "info accounts transactions offline_access"
        );
    }
}
