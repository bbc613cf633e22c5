//! One persona's mock bank: its accounts, cards, histories and identity, generated once and then
//! read through cheap borrowing lookups. Lookups never allocate except the few that build a
//! small answer (Signup+). Generation (`Bank::generate`) lives in `generate`, which builds on
//! these types; this module does not know it.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::model::{
    Account, AccountBalance, Card, CardBalance, DirectDebit, Info, ProviderRef, SignupAccount,
    SignupAccountDetails, SignupAddress, SignupIdentity, StandingOrder, Transaction,
};
use super::personas::Persona;

/// The account holder's personal details (shared by `/info`, Signup+ and verification).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Holder {
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub city: String,
    pub state: String,
    pub zip: String,
}

impl Holder {
    pub(crate) fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// Everything about one account besides its `Account` item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ledger {
    pub balance: AccountBalance,
    /// Settled, ascending by timestamp.
    pub transactions: Vec<Transaction>,
    /// Pending, ascending by timestamp.
    pub pending: Vec<Transaction>,
    pub standing_orders: Vec<StandingOrder>,
    pub direct_debits: Vec<DirectDebit>,
    /// Account holders' names (two for the joint account).
    pub holders: Vec<String>,
}

/// Everything about one card besides its `Card` item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CardLedger {
    pub balance: CardBalance,
    /// Settled, ascending by timestamp.
    pub transactions: Vec<Transaction>,
    /// Pending, ascending by timestamp.
    pub pending: Vec<Transaction>,
}

/// Why `/signup-plus/accounts` cannot return an identity for an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignupUnavailable {
    /// No such account in this bank.
    UnknownAccount,
    /// The account has two holders: Signup+ answers 422 `joint-account` ("Joint accounts not
    /// supported").
    JointAccount,
}

/// A persona's generated bank. Deterministic: the same persona, anchor and seed give equal
/// banks (byte-identical JSON). Account and card ids depend only on the persona's username and
/// the index, so they survive a change of seed or anchor.
///
/// Time: settled history covers the days before `anchor` (2 years; 6 for the dense persona),
/// identical for every later anchor; pending transactions fall in the 3 days before it. All `update_timestamp`s start at the
/// anchor's midnight; [`Bank::touch`] moves them to the sandbox clock.
#[derive(Debug, Clone, PartialEq)]
pub struct Bank {
    pub(crate) persona: Persona,
    pub(crate) anchor: NaiveDate,
    pub(crate) holder: Holder,
    pub(crate) info: Info,
    pub(crate) accounts: Vec<Account>,
    pub(crate) ledgers: Vec<Ledger>,
    pub(crate) cards: Vec<Card>,
    pub(crate) card_ledgers: Vec<CardLedger>,
}

/// Inclusive bounds for [`Bank::transactions`] from TrueLayer's date-only `from`/`to`: `from`
/// at 00:00:00 and `to` at 23:59:59.999999999 (the spec: "the results include transactions from
/// this date").
pub fn day_window(from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = from.and_time(NaiveTime::MIN).and_utc();
    let end_time = NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999).unwrap_or(NaiveTime::MIN);
    (start, to.and_time(end_time).and_utc())
}

/// The slice of `items` (ascending by timestamp) with `from <= timestamp <= to`, by binary
/// search; empty when `from > to`.
fn window(items: &[Transaction], from: DateTime<Utc>, to: DateTime<Utc>) -> &[Transaction] {
    let start = items.partition_point(|t| t.timestamp < from);
    let end = items.partition_point(|t| t.timestamp <= to);
    items.get(start..end).unwrap_or(&[])
}

impl Bank {
    /// The persona this bank belongs to.
    pub fn persona(&self) -> Persona {
        self.persona
    }

    /// The date the history ends at (exclusive).
    pub fn anchor(&self) -> NaiveDate {
        self.anchor
    }

    /// Sets the provider the user connected through on every account and card
    /// (`provider.provider_id`, plus the deprecated `display_name`/`logo_uri` when given).
    /// Generated banks start as `mock` / `Mock`.
    pub fn set_provider(
        &mut self,
        provider_id: &str,
        display_name: Option<&str>,
        logo_uri: Option<&str>,
    ) {
        let provider = ProviderRef {
            provider_id: provider_id.to_owned(),
            display_name: display_name.map(str::to_owned),
            logo_uri: logo_uri.map(str::to_owned),
        };
        for account in &mut self.accounts {
            account.provider = provider.clone();
        }
        for card in &mut self.cards {
            card.provider = provider.clone();
        }
    }

    /// Sets every `update_timestamp` (accounts, balances, cards, card balances, info) and the
    /// standing orders' and direct debits' `timestamp` ("date and time the request was made") to
    /// `now`. Cheap: touches a few dozen values, never the transactions.
    pub fn touch(&mut self, now: DateTime<Utc>) {
        self.info.update_timestamp = now;
        for account in &mut self.accounts {
            account.update_timestamp = now;
        }
        for ledger in &mut self.ledgers {
            ledger.balance.update_timestamp = now;
            for so in &mut ledger.standing_orders {
                so.timestamp = now;
            }
            for dd in &mut ledger.direct_debits {
                dd.timestamp = now;
            }
        }
        for card in &mut self.cards {
            card.update_timestamp = now;
        }
        for ledger in &mut self.card_ledgers {
            ledger.balance.update_timestamp = now;
        }
    }

    fn account_index(&self, account_id: &str) -> Option<usize> {
        self.accounts
            .iter()
            .position(|a| a.account_id == account_id)
    }

    fn ledger(&self, account_id: &str) -> Option<&Ledger> {
        self.ledgers.get(self.account_index(account_id)?)
    }

    fn card_ledger(&self, card_id: &str) -> Option<&CardLedger> {
        let index = self.cards.iter().position(|c| c.account_id == card_id)?;
        self.card_ledgers.get(index)
    }

    /// All accounts, in the bank's order (current accounts and savings interleaved as the Mock
    /// bank lists them). The server filters to the ones the user selected.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// One account by id.
    pub fn account(&self, account_id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.account_id == account_id)
    }

    /// The account's balance; `None` for an unknown id.
    pub fn balance(&self, account_id: &str) -> Option<&AccountBalance> {
        self.ledger(account_id).map(|l| &l.balance)
    }

    /// Settled transactions with `from <= timestamp <= to`, ascending; `None` for an unknown id.
    /// Binary search: cost is independent of the history's length. See [`day_window`].
    pub fn transactions(
        &self,
        account_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Option<&[Transaction]> {
        self.ledger(account_id)
            .map(|l| window(&l.transactions, from, to))
    }

    /// Every settled transaction of the account, ascending.
    pub fn all_transactions(&self, account_id: &str) -> Option<&[Transaction]> {
        self.ledger(account_id).map(|l| l.transactions.as_slice())
    }

    /// Pending transactions (the last few days), ascending; no running balance.
    pub fn pending(&self, account_id: &str) -> Option<&[Transaction]> {
        self.ledger(account_id).map(|l| l.pending.as_slice())
    }

    /// Pending transactions with `from <= timestamp <= to`.
    pub fn pending_window(
        &self,
        account_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Option<&[Transaction]> {
        self.ledger(account_id)
            .map(|l| window(&l.pending, from, to))
    }

    /// Standing orders paid from the account (empty for most savings accounts).
    pub fn standing_orders(&self, account_id: &str) -> Option<&[StandingOrder]> {
        self.ledger(account_id)
            .map(|l| l.standing_orders.as_slice())
    }

    /// Direct debits collected from the account.
    pub fn direct_debits(&self, account_id: &str) -> Option<&[DirectDebit]> {
        self.ledger(account_id).map(|l| l.direct_debits.as_slice())
    }

    /// Both credit cards (MASTERCARD `1000`, VISA `2000`).
    pub fn cards(&self) -> &[Card] {
        &self.cards
    }

    /// One card by its `account_id`.
    pub fn card(&self, card_id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.account_id == card_id)
    }

    /// The card's balance.
    pub fn card_balance(&self, card_id: &str) -> Option<&CardBalance> {
        self.card_ledger(card_id).map(|l| &l.balance)
    }

    /// Settled card transactions with `from <= timestamp <= to`, ascending. Purchases are
    /// positive DEBITs, repayments negative CREDITs; the running balance is the amount owed.
    pub fn card_transactions(
        &self,
        card_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Option<&[Transaction]> {
        self.card_ledger(card_id)
            .map(|l| window(&l.transactions, from, to))
    }

    /// Every settled card transaction, ascending.
    pub fn all_card_transactions(&self, card_id: &str) -> Option<&[Transaction]> {
        self.card_ledger(card_id).map(|l| l.transactions.as_slice())
    }

    /// Pending card transactions.
    pub fn card_pending(&self, card_id: &str) -> Option<&[Transaction]> {
        self.card_ledger(card_id).map(|l| l.pending.as_slice())
    }

    /// Pending card transactions with `from <= timestamp <= to`.
    pub fn card_pending_window(
        &self,
        card_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Option<&[Transaction]> {
        self.card_ledger(card_id)
            .map(|l| window(&l.pending, from, to))
    }

    /// `/info`'s single result.
    pub fn info(&self) -> &Info {
        &self.info
    }

    /// The main account holder's name (`John Doe`), what verification matches against.
    pub fn holder_name(&self) -> &str {
        &self.info.full_name
    }

    /// The holders of one account: one name, or two for the joint account
    /// (`TRANSACTION ACCOUNT 2`: John Doe and Jane Doe).
    pub fn holders(&self, account_id: &str) -> Option<&[String]> {
        self.ledger(account_id).map(|l| l.holders.as_slice())
    }

    /// Signup+'s identity read through one account. Joint accounts are refused as Signup+ does.
    pub fn signup_identity(&self, account_id: &str) -> Result<SignupIdentity, SignupUnavailable> {
        let index = self
            .account_index(account_id)
            .ok_or(SignupUnavailable::UnknownAccount)?;
        let (account, ledger) = self
            .accounts
            .get(index)
            .zip(self.ledgers.get(index))
            .ok_or(SignupUnavailable::UnknownAccount)?;
        if ledger.holders.len() > 1 {
            return Err(SignupUnavailable::JointAccount);
        }
        let h = &self.holder;
        Ok(SignupIdentity {
            title: h.title.clone(),
            first_name: h.first_name.clone(),
            last_name: h.last_name.clone(),
            date_of_birth: h.date_of_birth,
            address: SignupAddress {
                address_line1: h.address_line1.clone(),
                address_line2: h.address_line2.clone(),
                city: h.city.clone(),
                state: h.state.clone(),
                zip: h.zip.clone(),
                country: "GB".to_owned(),
                country_code: "GB".to_owned(),
            },
            account_details: SignupAccountDetails {
                account_number: account.account_number.number.clone(),
                sort_code: account.account_number.sort_code.clone(),
                iban: account.account_number.iban.clone(),
                provider_id: account.provider.provider_id.clone(),
            },
        })
    }

    /// The account as an item of Signup+'s `multiple_accounts_linked` list.
    pub fn signup_account(&self, account_id: &str) -> Option<SignupAccount> {
        let a = self.account(account_id)?;
        Some(SignupAccount {
            account_id: a.account_id.clone(),
            currency: a.currency,
            account_type: a.account_type.signup_word(),
            display_name: a.display_name.clone(),
            iban: a.account_number.iban.clone(),
            swift_bic: a.account_number.swift_bic.clone(),
            account_number: a.account_number.number.clone(),
            sort_code: a.account_number.sort_code.clone(),
        })
    }

    /// Settled transactions across all accounts and cards.
    pub fn transaction_count(&self) -> usize {
        self.ledgers
            .iter()
            .map(|l| l.transactions.len())
            .sum::<usize>()
            + self
                .card_ledgers
                .iter()
                .map(|l| l.transactions.len())
                .sum::<usize>()
    }
}
