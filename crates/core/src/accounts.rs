//! Accounts and their balances for a connection: `GET /accounts`, then every
//! `GET /accounts/{id}/balance` concurrently. A failed balance is reported on its account, not
//! as a failure of the whole list.
//!
//! Everything TrueLayer sent is kept: unknown account fields in `extra`, and the exact bodies in
//! `raw`, keyed by endpoint path.

use std::sync::Arc;

use linkscope_truelayer as tl;
use serde_json::{Map, Value};

use crate::app::Shared;
use crate::connections::ConnectionService;
use crate::dto::{Account, AccountWithBalance, Balance, Fetched};
use crate::error::Result;

/// The accounts service.
#[derive(Debug, Clone)]
pub struct AccountService {
    _shared: Arc<Shared>,
    connections: ConnectionService,
}

impl AccountService {
    pub(crate) fn new(shared: Arc<Shared>, connections: ConnectionService) -> Self {
        Self {
            _shared: shared,
            connections,
        }
    }

    /// `list_accounts`: the accounts with their balances (fetched concurrently; skipped when the
    /// connection was not granted `balance`).
    pub async fn list(&self, connection_id: &str) -> Result<Fetched<Vec<AccountWithBalance>>> {
        let connection = self.connections.get(connection_id).await?;
        let with_balance = connection.scopes.iter().any(|s| s == "balance");
        let accounts = self
            .connections
            .call(connection_id, |client, token| async move {
                client.accounts(&token).await
            })
            .await?;

        let mut raw = Map::new();
        let mut trace_ids: Vec<String> = Vec::new();
        raw.insert("/data/v1/accounts".into(), raw_json(&accounts.raw));
        push_trace(&mut trace_ids, &accounts.trace_ids);

        let balances = if with_balance {
            futures::future::join_all(accounts.data.iter().map(|account| {
                let id = account.account_id.clone();
                self.connections.call(connection_id, move |client, token| {
                    let id = id.clone();
                    async move { client.account_balance(&token, &id).await }
                })
            }))
            .await
            .into_iter()
            .map(Some)
            .collect::<Vec<_>>()
        } else {
            accounts.data.iter().map(|_| None).collect()
        };

        let mut data = Vec::with_capacity(accounts.data.len());
        for (account, balance) in accounts.data.into_iter().zip(balances) {
            let path = format!("/data/v1/accounts/{}/balance", account.account_id);
            let (balance, balance_error) = match balance {
                None => (None, None),
                Some(Ok(answer)) => {
                    raw.insert(path, raw_json(&answer.raw));
                    push_trace(&mut trace_ids, &answer.trace_ids);
                    (Some(balance_dto(answer.data)), None)
                }
                Some(Err(e)) => (None, Some(failed_part(&e, path, &mut raw, &mut trace_ids))),
            };
            data.push(AccountWithBalance {
                account: account_dto(account),
                balance,
                balance_error,
            });
        }
        Ok(Fetched {
            data,
            raw: Value::Object(raw),
            trace_ids,
            fetched_at: crate::now_rfc3339(),
        })
    }
}

/// A raw body as JSON (a string when it is not JSON).
pub(crate) fn raw_json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_owned()))
}

/// Adds the primary trace id of an answer, once.
pub(crate) fn push_trace(out: &mut Vec<String>, ids: &tl::TraceIds) {
    if let Some(id) = ids.primary() {
        if !out.iter().any(|t| t == id) {
            out.push(id.to_owned());
        }
    }
}

/// A part of a view that failed (a balance, pending transactions): its error for the UI, its
/// body kept under `path` in `raw`, its trace id with the others.
pub(crate) fn failed_part(
    e: &crate::Error,
    path: String,
    raw: &mut Map<String, Value>,
    trace_ids: &mut Vec<String>,
) -> crate::dto::ApiError {
    let api = e.to_api_error();
    if let Some(detail) = &api.detail {
        if let Some(body) = &detail.raw {
            raw.insert(path, body.clone());
        }
        if let Some(t) = &detail.trace_id {
            if !trace_ids.contains(t) {
                trace_ids.push(t.clone());
            }
        }
    }
    api
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
