//! Accounts and their balances for a connection: `GET /accounts`, then every
//! `GET /accounts/{id}/balance` concurrently. A failed balance is reported on its account, not
//! as a failure of the whole list.
//!
//! Everything TrueLayer sent is kept: unknown account fields in `extra`, and the exact bodies in
//! `raw`, keyed by endpoint path.

use linkscope_truelayer as tl;
use serde_json::Value;

use crate::connections::ConnectionService;
use crate::data::fetched::{list_with_balances, WithBalance};
use crate::dto::{Account, AccountWithBalance, Balance, Fetched};
use crate::error::Result;

/// The accounts service.
#[derive(Debug, Clone)]
pub struct AccountService {
    connections: ConnectionService,
}

impl AccountService {
    pub(crate) fn new(connections: ConnectionService) -> Self {
        Self { connections }
    }

    /// `list_accounts`: the accounts with their balances (fetched concurrently; skipped when the
    /// connection was not granted `balance`).
    pub async fn list(&self, connection_id: &str) -> Result<Fetched<Vec<AccountWithBalance>>> {
        let fetched = list_with_balances::<tl::Account>(&self.connections, connection_id).await?;
        Ok(fetched.map(|all| {
            all.into_iter()
                .map(|b| AccountWithBalance {
                    account: account_dto(b.item),
                    balance: b.balance.map(balance_dto),
                    balance_error: b.balance_error,
                })
                .collect()
        }))
    }
}

impl WithBalance for tl::Account {
    type Balance = tl::AccountBalance;
    const KIND: &'static str = "accounts";

    fn id(&self) -> &str {
        &self.account_id
    }

    async fn list(
        client: tl::Client,
        token: tl::AccessToken,
    ) -> tl::Result<tl::ApiResponse<Vec<Self>>> {
        client.accounts(&token).await
    }

    async fn balance(
        client: tl::Client,
        token: tl::AccessToken,
        id: String,
    ) -> tl::Result<tl::ApiResponse<Self::Balance>> {
        client.account_balance(&token, &id).await
    }
}

fn account_dto(a: tl::Account) -> Account {
    let mut extra = a.extra;
    if let Some(ts) = a.update_timestamp {
        extra.insert(
            "update_timestamp".into(),
            Value::String(ts.as_str().to_owned()),
        );
    }
    if let Some(p) = &a.provider {
        if let Ok(v) = serde_json::to_value(p) {
            extra.insert("provider".into(), v);
        }
    }
    if !a.account_number.extra.is_empty() || a.account_number.routing_number.is_some() {
        if let Ok(v) = serde_json::to_value(&a.account_number) {
            extra.insert("account_number".into(), v);
        }
    }
    Account {
        account_id: a.account_id,
        account_type: a.account_type.unwrap_or_default(),
        display_name: a.display_name.unwrap_or_default(),
        currency: a.currency.unwrap_or_default(),
        number: a.account_number.number,
        sort_code: a.account_number.sort_code,
        iban: a.account_number.iban,
        swift_bic: a.account_number.swift_bic,
        provider_id: a.provider.and_then(|p| p.provider_id),
        extra,
    }
}

fn balance_dto(b: tl::AccountBalance) -> Balance {
    let credit_limit = b.extra.get("credit_limit").and_then(Value::as_f64);
    Balance {
        currency: b.currency.unwrap_or_default(),
        available: b.available,
        current: b.current,
        overdraft: b.overdraft,
        credit_limit,
        update_timestamp: b.update_timestamp.map(|t| t.as_str().to_owned()),
    }
}
