//! `transactions --account ID | --card ID | --all`: core's transaction stream, printed as each
//! window arrives, in constant memory whatever the format: `--ndjson` (one object per row),
//! `--csv` (the export's columns after the source's), `--json` (one document, written as it
//! streams) or a table with fixed columns. Rows carry the account or card they belong to.
//! `--async` makes the same stream through TrueLayer's async mode and reports each task's
//! timeline (in the JSON summary as `asyncTasks`, else one line per task on stderr).

use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::time::Duration;

use chrono::{Days, Utc};
use linkscope_core::dto::{
    AsyncModeInput, AsyncRun, Transaction, TransactionBatch, TransactionSource,
    TransactionSourceRef, TransactionStreamInput, WebhookSignature,
};
use linkscope_core::export::{csv_row, CSV_HEADER};
use linkscope_core::inspect::mask::{mask_json, Masker};
use serde_json::{json, Value};

use super::Ctx;
use crate::args::TransactionsArgs;
use crate::failure::Failure;
use crate::output::{closed, note, Out};

/// Days before today the range starts when `--from` is not given.
const DEFAULT_DAYS: u64 = 90;

pub async fn run(ctx: &Ctx<'_>, args: &TransactionsArgs) -> Result<(), Failure> {
    let only = match (&args.account, &args.card, args.all) {
        (Some(id), None, false) => Some(source_ref(TransactionSource::Account, id)),
        (None, Some(id), false) => Some(source_ref(TransactionSource::Card, id)),
        (None, None, true) => None,
        _ => {
            return Err(Failure::Usage(
                "say whose transactions: --account ID, --card ID or --all".into(),
            ))
        }
    };
    let today = Utc::now().date_naive();
    let from = args.from.clone().unwrap_or_else(|| {
        today
            .checked_sub_days(Days::new(DEFAULT_DAYS))
            .unwrap_or(today)
            .to_string()
    });
    let to = args.to.clone().unwrap_or_else(|| today.to_string());
    let connection = ctx.connection(&args.target).await?;
    if args.async_mode {
        ctx.core
            .async_mode()
            .set(AsyncModeInput {
                connection_id: connection.id.clone(),
                enabled: true,
            })
            .await?;
    }

    let mut printer = Printer::new(ctx.out);
    printer.start().map_err(closed)?;
    let mut failed: Option<std::io::Error> = None;
    let mut bar = None;
    let result = ctx
        .core
        .transactions()
        .stream(
            TransactionStreamInput {
                connection_id: connection.id.clone(),
                from,
                to,
                only,
            },
            |batch| {
                let bar = bar.get_or_insert_with(|| {
                    ctx.out.progress(u64::from(batch.windows_total), "windows")
                });
                if let Some(bar) = bar {
                    bar.set_position(u64::from(batch.windows_done));
                }
                match printer.batch(&batch) {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(e) => {
                        failed = Some(e);
                        ControlFlow::Break(())
                    }
                }
            },
        )
        .await;
    if let Some(Some(bar)) = bar {
        bar.finish_and_clear();
    }
    if let Some(e) = failed {
        return Err(closed(e));
    }
    let summary = result?;
    let mut encoded = ctx.out.encode(&summary)?;
    if args.async_mode {
        let runs = settled_runs(ctx, &connection.id).await?;
        if ctx.out.json {
            if let Value::Object(map) = &mut encoded {
                map.insert("asyncTasks".into(), ctx.out.encode(&runs)?);
            }
        } else if !ctx.out.quiet {
            for run in &runs {
                note(&async_line(run));
            }
        }
    }
    printer.finish(&encoded).map_err(closed)
}

/// How long to wait, after the last results came, for the webhooks' signature checks.
const WEBHOOK_GRACE: Duration = Duration::from_secs(5);

/// The connection's async tasks once every webhook that is coming has been checked (or the
/// grace has passed: a task may end without one), oldest first.
async fn settled_runs(ctx: &Ctx<'_>, connection_id: &str) -> Result<Vec<AsyncRun>, Failure> {
    let deadline = tokio::time::Instant::now() + WEBHOOK_GRACE;
    loop {
        let mut runs = ctx.core.async_mode().runs(connection_id)?;
        let settled = runs.iter().all(|r| {
            r.webhooks
                .last()
                .is_some_and(|w| w.signature != WebhookSignature::Checking)
        });
        if settled || tokio::time::Instant::now() >= deadline {
            runs.reverse();
            return Ok(runs);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `async <task>: Queued 12:00:01 → Running … → Succeeded …; webhook: signature valid (kid)`.
fn async_line(run: &AsyncRun) -> String {
    let steps: Vec<String> = run
        .steps
        .iter()
        .map(|s| format!("{} {}", s.status, s.at.get(11..19).unwrap_or(&s.at)))
        .collect();
    let webhook = match run.webhooks.last().map(|w| &w.signature) {
        None => "no webhook".to_owned(),
        Some(WebhookSignature::Checking) => "webhook: signature not checked yet".to_owned(),
        Some(WebhookSignature::Valid { kid, .. }) => format!("webhook: signature valid ({kid})"),
        Some(WebhookSignature::Invalid { reason }) => {
            format!("webhook: signature invalid ({reason})")
        }
    };
    let error = run
        .error
        .as_deref()
        .map(|e| format!("; {e}"))
        .unwrap_or_default();
    format!(
        "async {} {}: {}; {webhook}{error}",
        run.operation,
        run.task_id,
        steps.join(" → ")
    )
}

fn source_ref(source: TransactionSource, id: &str) -> TransactionSourceRef {
    TransactionSourceRef {
        source,
        account_id: id.to_owned(),
    }
}

/// Writes rows as they come, in the chosen format.
struct Printer {
    out: Out,
    writer: BufWriter<std::io::Stdout>,
    masker: Option<Masker>,
    rows: u64,
}

impl Printer {
    fn new(out: Out) -> Self {
        Self {
            out,
            writer: BufWriter::new(std::io::stdout()),
            masker: out.mask.then(Masker::default),
            rows: 0,
        }
    }

    fn start(&mut self) -> std::io::Result<()> {
        if self.out.csv {
            writeln!(self.writer, "source,account_id,{CSV_HEADER}")?;
        } else if self.out.json {
            write!(self.writer, "{{\"transactions\":[")?;
        } else if !self.out.ndjson {
            writeln!(
                self.writer,
                "{:<10}  {:>12}  {:<3}  {:<22}  DESCRIPTION",
                "DATE", "AMOUNT", "CUR", "ACCOUNT"
            )?;
        }
        Ok(())
    }

    fn batch(&mut self, batch: &TransactionBatch) -> std::io::Result<()> {
        for row in &batch.rows {
            self.row(batch, row)?;
        }
        // Each window reaches the reader as soon as it arrived.
        self.writer.flush()
    }

    fn row(&mut self, batch: &TransactionBatch, t: &Transaction) -> std::io::Result<()> {
        let source = match batch.source {
            TransactionSource::Account => "account",
            TransactionSource::Card => "card",
        };
        if self.out.csv {
            self.rows += 1;
            return writeln!(
                self.writer,
                "{source},{},{}",
                batch.account_id,
                csv_row(t, self.masker.as_ref())
            );
        }
        let mut value = json!({"source": source, "accountId": batch.account_id});
        if let (Value::Object(map), Ok(Value::Object(fields))) =
            (&mut value, serde_json::to_value(t))
        {
            map.extend(fields);
        }
        if self.out.mask {
            value = mask_json(&value);
        }
        if self.out.ndjson {
            self.rows += 1;
            return writeln!(self.writer, "{value}");
        }
        if self.out.json {
            let comma = if self.rows == 0 { "" } else { "," };
            self.rows += 1;
            return write!(self.writer, "{comma}{value}");
        }
        self.rows += 1;
        let text = |k: &str| {
            value
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let account: String = if batch.display_name.is_empty() {
            batch.account_id.clone()
        } else {
            batch.display_name.clone()
        };
        writeln!(
            self.writer,
            "{:<10}  {:>12.2}  {:<3}  {:<22}  {}",
            text("timestamp").chars().take(10).collect::<String>(),
            t.amount,
            text("currency"),
            account.chars().take(22).collect::<String>(),
            text("description"),
        )
    }

    fn finish(&mut self, summary: &Value) -> std::io::Result<()> {
        if self.out.json {
            write!(self.writer, "],\"summary\":{summary}}}")?;
            writeln!(self.writer)?;
        } else if !self.out.csv && !self.out.ndjson {
            writeln!(
                self.writer,
                "{} transactions from {} accounts and cards ({} windows)",
                self.rows, summary["sources"], summary["windows"]
            )?;
        }
        self.writer.flush()
    }
}
