//! `snapshot take|list|compare|delete` (core's snapshot service): keep a connection's data, and
//! say what changed since. `compare` exits 6 when anything did, so a QA pipeline can use it as a
//! regression check (`--json` prints the whole diff first).

use chrono::{Duration, Utc};
use linkscope_core::dto::{CompareSnapshotsInput, TakeSnapshotInput};
use serde_json::Value;

use super::Ctx;
use crate::args::SnapshotCommand;
use crate::failure::Failure;
use crate::output::{cell, Table};

/// The range `take` reads without `--from`.
const DEFAULT_DAYS: i64 = 30;

const SUMMARY_COLUMNS: [(&str, &str); 7] = [
    ("ID", "/id"),
    ("LABEL", "/label"),
    ("TAKEN", "/takenAt"),
    ("FROM", "/from"),
    ("TO", "/to"),
    ("ACCOUNTS", "/accounts"),
    ("TRANSACTIONS", "/transactions"),
];

pub async fn run(ctx: &Ctx<'_>, command: SnapshotCommand) -> Result<(), Failure> {
    let snapshots = ctx.core.snapshots();
    match command {
        SnapshotCommand::Take(args) => {
            let c = ctx.connection(&args.target).await?;
            let today = Utc::now().date_naive();
            let taken = snapshots
                .take(TakeSnapshotInput {
                    connection_id: c.id,
                    label: args.label,
                    from: args
                        .from
                        .unwrap_or_else(|| (today - Duration::days(DEFAULT_DAYS)).to_string()),
                    to: args.to.unwrap_or_else(|| today.to_string()),
                })
                .await?;
            ctx.out.show(&taken, |v| {
                Table::of(&SUMMARY_COLUMNS, &Value::Array(vec![v.clone()]), "")
            })
        }
        SnapshotCommand::List(target) => {
            let c = ctx.connection(&target).await?;
            let all = snapshots.list(&c.id)?;
            ctx.out.show(&all, |v| {
                Table::of(
                    &SUMMARY_COLUMNS,
                    v,
                    "no snapshot yet: `linkscope snapshot take`",
                )
            })
        }
        SnapshotCommand::Delete { id } => {
            snapshots.delete(&id)?;
            ctx.out.say(&format!("deleted snapshot {}", id.trim()))
        }
        SnapshotCommand::Compare(args) => {
            let diff = snapshots
                .compare(CompareSnapshotsInput {
                    base_id: args.base,
                    against_id: args.against,
                })
                .await?;
            ctx.out.show(&diff, changes_table)?;
            if diff.identical {
                return Ok(());
            }
            let c = &diff.counts;
            Err(Failure::Differences(format!(
                "{} accounts added, {} removed, {} balances changed, {} transactions added, {} \
                 removed, {} changed",
                c.accounts_added,
                c.accounts_removed,
                c.balances_changed,
                c.transactions_added,
                c.transactions_removed,
                c.transactions_changed
            )))
        }
    }
}

/// One line per difference: what kind, which account or transaction, and the detail.
fn changes_table(v: &Value) -> Table {
    let mut t = Table::new(&["CHANGE", "WHAT", "DETAIL"], "nothing changed");
    let rows = |key: &str| v[key].as_array().cloned().unwrap_or_default();
    for (key, change) in [
        ("accountsAdded", "account added"),
        ("accountsRemoved", "account removed"),
    ] {
        for a in rows(key) {
            t.push(vec![
                change.into(),
                cell(a.get("displayName")),
                cell(a.get("accountId")),
            ]);
        }
    }
    for b in rows("balancesChanged") {
        let amount = |side: &str| {
            let x = &b[side];
            format!(
                "{side} {} → {} ({})",
                cell(x.get("before")),
                cell(x.get("after")),
                cell(x.get("delta"))
            )
        };
        t.push(vec![
            "balance changed".into(),
            cell(b["account"].get("displayName")),
            format!("{}; {}", amount("current"), amount("available")),
        ]);
    }
    for (key, change) in [
        ("transactionsAdded", "transaction added"),
        ("transactionsRemoved", "transaction removed"),
    ] {
        for tx in rows(key) {
            t.push(vec![
                change.into(),
                format!(
                    "{} {}",
                    cell(tx.get("timestamp"))
                        .chars()
                        .take(10)
                        .collect::<String>(),
                    cell(tx.get("description"))
                ),
                format!("{} {}", cell(tx.get("amount")), cell(tx.get("currency"))),
            ]);
        }
    }
    for ch in rows("transactionsChanged") {
        t.push(vec![
            "transaction changed".into(),
            cell(ch["after"].get("description")),
            cell(ch.get("fields")),
        ]);
    }
    t
}
