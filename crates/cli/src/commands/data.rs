//! The read commands (`accounts`, `balances`, `cards`, `standing-orders`, `direct-debits`,
//! `identity`, `signup-plus`, `verify`) and `connections …`: each one core call on the chosen
//! connection and one print.

use linkscope_core::dto::RedirectKind;
use serde_json::{json, Value};

use super::Ctx;
use crate::args::{ConnectionsCommand, SignupPlusArgs, Target, VerifyArgs};
use crate::failure::Failure;
use crate::output::{cell, Table};

const CONNECTION_COLUMNS: [(&str, &str); 6] = [
    ("ID", "/id"),
    ("LABEL", "/label"),
    ("PROVIDER", "/providerId"),
    ("STATUS", "/status"),
    ("CONSENT EXPIRES", "/consentExpiresAt"),
    ("LINKED", "/createdAt"),
];

fn connection_table(v: &Value) -> Table {
    Table::of(&CONNECTION_COLUMNS, &json!([v]), "")
}

pub async fn connections(ctx: &Ctx<'_>, command: ConnectionsCommand) -> Result<(), Failure> {
    let connections = ctx.core.connections();
    let lifecycle = ctx.core.lifecycle();
    match command {
        ConnectionsCommand::Ls => {
            let all = connections.list().await?;
            ctx.out.show(&all, |v| {
                Table::of(
                    &CONNECTION_COLUMNS,
                    v,
                    "no connection (link one with `linkscope link`)",
                )
            })
        }
        ConnectionsCommand::Show(target) => {
            let c = ctx.connection(&target).await?;
            let detail = connections.get_detail(&c.id).await?;
            ctx.out.show(&detail, |v| {
                let mut t = Table::new(&["FIELD", "VALUE"], "");
                for (key, value) in v["connection"].as_object().into_iter().flatten() {
                    t.push(vec![key.clone(), cell(Some(value))]);
                }
                for (key, value) in v["tokenClaims"].as_object().into_iter().flatten() {
                    t.push(vec![format!("claim {key}"), cell(Some(value))]);
                }
                t
            })
        }
        ConnectionsCommand::Rename { target, label } => {
            let c = ctx.connection(&target).await?;
            let renamed = connections.rename(&c.id, &label).await?;
            ctx.out.show(&renamed, connection_table)
        }
        ConnectionsCommand::Refresh(target) => {
            let c = ctx.connection(&target).await?;
            let refreshed = connections.refresh(&c.id).await?;
            ctx.out.show(&refreshed, connection_table)
        }
        ConnectionsCommand::Extend(target) => {
            let c = ctx.connection(&target).await?;
            let outcome = lifecycle.extend(&c.id, RedirectKind::Loopback).await?;
            ctx.out.show(&outcome, |v| {
                let mut t = Table::new(&["OUTCOME", "NEXT"], "");
                let next = v
                    .pointer("/preview/url")
                    .map(|u| format!("open {} to renew", cell(Some(u))))
                    .unwrap_or_else(|| "renewed".into());
                t.push(vec![cell(v.get("kind")), next]);
                t
            })
        }
        ConnectionsCommand::Revoke(target) => {
            let c = ctx.connection(&target).await?;
            let revoked = lifecycle.revoke(&c.id).await?;
            ctx.out.show(&revoked, connection_table)
        }
        ConnectionsCommand::Forget(target) => {
            let c = ctx.connection(&target).await?;
            lifecycle.forget(&c.id).await?;
            ctx.out.say(&format!("forgot {} ({})", c.label, c.id))
        }
    }
}

pub async fn accounts(ctx: &Ctx<'_>, target: &Target) -> Result<(), Failure> {
    let c = ctx.connection(target).await?;
    let accounts = ctx.core.accounts().list(&c.id).await?;
    ctx.out.show(&accounts, |v| {
        Table::of(
            &[
                ("ACCOUNT ID", "/account/accountId"),
                ("NAME", "/account/displayName"),
                ("TYPE", "/account/accountType"),
                ("NUMBER", "/account/number"),
                ("SORT CODE", "/account/sortCode"),
                ("CURRENT", "/balance/current"),
                ("AVAILABLE", "/balance/available"),
                ("CURRENCY", "/account/currency"),
            ],
            &v["data"],
            "no account",
        )
    })
}

pub async fn balances(ctx: &Ctx<'_>, target: &Target) -> Result<(), Failure> {
    let c = ctx.connection(target).await?;
    let scopes = &c.scopes;
    let accounts = if scopes.iter().any(|s| s == "accounts") {
        Some(ctx.core.accounts().list(&c.id).await?)
    } else {
        None
    };
    let cards = if scopes.iter().any(|s| s == "cards") {
        Some(ctx.core.cards().list(&c.id).await?)
    } else {
        None
    };
    let mut rows = Vec::new();
    for a in accounts.iter().flat_map(|a| &a.data) {
        rows.push(
            json!({"kind": "account", "id": a.account.account_id, "name": a.account.display_name,
            "balance": a.balance, "error": a.balance_error}),
        );
    }
    for c in cards.iter().flat_map(|c| &c.data) {
        rows.push(
            json!({"kind": "card", "id": c.card.account_id, "name": c.card.display_name,
            "balance": c.balance, "error": c.balance_error}),
        );
    }
    ctx.out.show(&rows, |v| {
        Table::of(
            &[
                ("KIND", "/kind"),
                ("ID", "/id"),
                ("NAME", "/name"),
                ("CURRENT", "/balance/current"),
                ("AVAILABLE", "/balance/available"),
                ("CURRENCY", "/balance/currency"),
                ("ERROR", "/error/message"),
            ],
            v,
            "no account or card",
        )
    })
}

pub async fn cards(ctx: &Ctx<'_>, target: &Target) -> Result<(), Failure> {
    let c = ctx.connection(target).await?;
    let cards = ctx.core.cards().list(&c.id).await?;
    ctx.out.show(&cards, |v| {
        Table::of(
            &[
                ("CARD ID", "/card/accountId"),
                ("NAME", "/card/displayName"),
                ("NETWORK", "/card/cardNetwork"),
                ("NUMBER", "/card/partialCardNumber"),
                ("CURRENT", "/balance/current"),
                ("CURRENCY", "/card/currency"),
            ],
            &v["data"],
            "no card",
        )
    })
}

/// Every account's items of one per-account endpoint.
async fn per_account<T: serde::Serialize>(
    ctx: &Ctx<'_>,
    target: &Target,
    read: impl AsyncFn(&str, &str) -> linkscope_core::Result<T>,
) -> Result<Vec<Value>, Failure> {
    let c = ctx.connection(target).await?;
    let accounts = ctx.core.accounts().list(&c.id).await?;
    let mut out = Vec::new();
    for a in &accounts.data {
        let answer = read(&c.id, &a.account.account_id).await?;
        out.push(json!({
            "accountId": a.account.account_id,
            "displayName": a.account.display_name,
            "answer": answer,
        }));
    }
    Ok(out)
}

/// One row per item of each account's answer, with the account's name first.
fn per_account_table(v: &Value, columns: &[(&str, &str)], empty: &str) -> Table {
    let mut headers = vec!["ACCOUNT"];
    headers.extend(columns.iter().map(|(h, _)| *h));
    let mut t = Table::new(&headers, empty);
    for account in v.as_array().into_iter().flatten() {
        for item in account
            .pointer("/answer/data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mut row = vec![cell(account.get("displayName"))];
            row.extend(columns.iter().map(|(_, p)| cell(item.pointer(p))));
            t.push(row);
        }
    }
    t
}

pub async fn standing_orders(ctx: &Ctx<'_>, target: &Target) -> Result<(), Failure> {
    let data = ctx.core.data();
    let all = per_account(ctx, target, async |c, a| data.standing_orders(c, a).await).await?;
    ctx.out.show(&all, |v| {
        per_account_table(
            v,
            &[
                ("PAYEE", "/payee"),
                ("FREQUENCY", "/frequency"),
                ("NEXT", "/nextPaymentDate"),
                ("AMOUNT", "/nextPaymentAmount"),
                ("REFERENCE", "/reference"),
            ],
            "no standing order",
        )
    })
}

pub async fn direct_debits(ctx: &Ctx<'_>, target: &Target) -> Result<(), Failure> {
    let data = ctx.core.data();
    let all = per_account(ctx, target, async |c, a| data.direct_debits(c, a).await).await?;
    ctx.out.show(&all, |v| {
        per_account_table(
            v,
            &[
                ("NAME", "/name"),
                ("STATUS", "/status"),
                ("LAST PAID", "/previousPaymentTimestamp"),
                ("AMOUNT", "/previousPaymentAmount"),
            ],
            "no direct debit",
        )
    })
}

pub async fn identity(ctx: &Ctx<'_>, target: &Target) -> Result<(), Failure> {
    let c = ctx.connection(target).await?;
    let identity = ctx.core.data().identity(&c.id).await?;
    ctx.out.show(&identity, |v| {
        Table::of(
            &[
                ("NAME", "/fullName"),
                ("BORN", "/dateOfBirth"),
                ("EMAILS", "/emails"),
                ("PHONES", "/phones"),
            ],
            &v["data"],
            "no identity",
        )
    })
}

pub async fn me(ctx: &Ctx<'_>, target: &Target) -> Result<(), Failure> {
    let c = ctx.connection(target).await?;
    let me = ctx.core.connections().read_me(&c.id).await?;
    ctx.out.show(&me, |v| {
        let mut t = Table::new(&["FIELD", "VALUE"], "");
        for (key, value) in v.as_object().into_iter().flatten() {
            t.push(vec![key.clone(), compact(value)]);
        }
        t
    })
}

pub async fn signup_plus(ctx: &Ctx<'_>, args: &SignupPlusArgs) -> Result<(), Failure> {
    let c = ctx.connection(&args.target).await?;
    let answer = ctx
        .core
        .data()
        .signup_plus(&c.id, args.account.as_deref())
        .await?;
    ctx.out.show(&answer, |v| {
        let mut t = Table::new(&["FIELD", "VALUE"], "");
        for (key, value) in v["data"].as_object().into_iter().flatten() {
            t.push(vec![key.clone(), compact(value)]);
        }
        t
    })
}

pub async fn verify(ctx: &Ctx<'_>, args: &VerifyArgs) -> Result<(), Failure> {
    let c = ctx.connection(&args.target).await?;
    let answer = ctx.core.data().verify_name(&c.id, &args.name).await?;
    ctx.out.show(&answer, |v| {
        let mut t = Table::new(&["FIELD", "VALUE"], "");
        for (key, value) in v["data"].as_object().into_iter().flatten() {
            t.push(vec![key.clone(), compact(value)]);
        }
        t
    })
}

/// A nested value on one line.
fn compact(value: &Value) -> String {
    match value {
        Value::Object(_) | Value::Array(_) => value.to_string(),
        other => cell(Some(other)),
    }
}
