//! Exports: a finished transaction fetch as CSV or JSON, recorded exchanges as HAR
//! ([`crate::inspect::har`]), and a connection's support bundle (Markdown: app version, environment, provider, credentials_id, consent dates, the last failing
//! requests with trace ids and error bodies).
//!
//! Everything exported comes from data that holds no secret (TrueLayer's transactions, the
//! connection row, request-log rows redacted by the client's hook). While presenter mode is on,
//! exports are masked with [`crate::inspect::mask`]. The shell shows the save dialog and writes the file
//! (or calls the `write_*` functions with the chosen path).

use std::path::Path;
use std::sync::Arc;

use serde_json::{json, Value};

use crate::connections::ConnectionService;
use crate::context::Shared;
use crate::data::transactions::{FetchedSet, TransactionService};
use crate::dto::{ExportFormat, HarSelection, Transaction, TransactionSource};
use crate::error::{Error, Result};
use crate::inspect::mask::Masker;
use crate::inspect::requests::{body_value, error_of, headers_of};
use crate::storage::store::RequestFilter;

/// How many failing requests a support bundle lists.
pub const BUNDLE_FAILED_REQUESTS: u32 = 10;
/// Each error body in a bundle is cut to this many characters.
pub const BUNDLE_BODY_CHARS: usize = 4000;

/// An export's content with a suggested file name (for the save dialog).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    pub file_name: String,
    pub content: String,
}

impl ExportFile {
    /// Writes the content to `path` (the one the user chose), whole or not at all: into a
    /// `.part` file beside it first, renamed over `path` once written (a reader never sees half
    /// a file, and a failed write leaves what was there).
    pub fn save(&self, path: &Path) -> Result<()> {
        let name = path
            .file_name()
            .ok_or_else(|| Error::Validation(format!("{} is not a file name.", path.display())))?;
        let mut part_name = std::ffi::OsString::from(".");
        part_name.push(name);
        part_name.push(".part");
        let part = path.with_file_name(part_name);
        let written =
            std::fs::write(&part, &self.content).and_then(|()| std::fs::rename(&part, path));
        if written.is_err() {
            let _ = std::fs::remove_file(&part);
        }
        written.map_err(Error::from)
    }
}

/// Transaction exports and support bundles.
#[derive(Debug, Clone)]
pub struct ExportService {
    shared: Arc<Shared>,
    connections: ConnectionService,
    transactions: TransactionService,
}

impl ExportService {
    pub(crate) fn new(
        shared: Arc<Shared>,
        connections: ConnectionService,
        transactions: TransactionService,
    ) -> Self {
        Self {
            shared,
            connections,
            transactions,
        }
    }

    /// `export_transactions`: a finished fetch (settled and pending) as CSV or JSON.
    pub fn transactions(&self, fetch_id: &str, format: ExportFormat) -> Result<ExportFile> {
        let set = self.transactions.set(fetch_id)?;
        let masker = self.shared.presenter_mode().then(Masker::default);
        let stem = format!(
            "transactions-{}-{}-{}",
            set.meta
                .only
                .as_ref()
                .map_or_else(|| "all".to_owned(), |(_, id)| file_safe(id)),
            set.meta.from,
            set.meta.to
        );
        Ok(match format {
            ExportFormat::Csv => ExportFile {
                file_name: format!("{stem}.csv"),
                content: transactions_csv(&set, masker.as_ref()),
            },
            ExportFormat::Json => ExportFile {
                file_name: format!("{stem}.json"),
                content: transactions_json(&set, masker.as_ref()),
            },
        })
    }

    /// `export_har`: the selected exchanges as a HAR 1.2 file ([`crate::inspect::har`]).
    pub async fn har(&self, selection: &HarSelection) -> Result<ExportFile> {
        self.shared.flush_request_log().await;
        let shared = self.shared.clone();
        let selection = selection.clone();
        tokio::task::spawn_blocking(move || crate::inspect::har::har_file(&shared, &selection))
            .await
            .map_err(Error::internal)?
    }

    /// `export_support_bundle`: the connection, its environment and its last failing requests,
    /// as Markdown to paste into a ticket.
    pub async fn support_bundle(&self, connection_id: &str) -> Result<ExportFile> {
        self.shared.flush_request_log().await;
        let connection = self.connections.get(connection_id).await?;
        let row = self.connections.row(connection_id)?;
        let env = self.shared.store.environment(&row.environment_id)?;
        let failing = self.shared.store.list_requests(&RequestFilter {
            connection_id: Some(connection_id.to_owned()),
            failed: Some(true),
            limit: Some(BUNDLE_FAILED_REQUESTS),
            ..Default::default()
        })?;
        let c = &self.shared.config;
        let build = match c.build {
            crate::dto::BuildKind::Dev => "dev",
            crate::dto::BuildKind::Release => "release",
        };
        let mut md = String::new();
        md.push_str("# Linkscope support bundle\n\n");
        md.push_str(&format!(
            "Generated {} by Linkscope {} ({build} build). Secrets are redacted: tokens, codes, \
             verifiers and client secrets never appear here.\n\n",
            crate::now_rfc3339(),
            c.version
        ));
        md.push_str("## Connection\n\n| Field | Value |\n|---|---|\n");
        let mut field = |name: &str, value: &str| {
            md.push_str(&format!("| {name} | {} |\n", cell(value)));
        };
        let none = "—".to_owned();
        field("Label", &connection.label);
        field("Connection id", &connection.id);
        field("Status", connection.status.as_str());
        if let Some(env) = &env {
            field(
                "Environment",
                &format!("{} ({})", env.name, env.kind.as_str()),
            );
            field("Auth URL", &env.auth_url);
            field("API URL", &env.api_url);
            field("Client id", &env.client_id);
        }
        field(
            "Provider",
            &format!("{} ({})", connection.provider_name, connection.provider_id),
        );
        field(
            "credentials_id",
            connection.credentials_id.as_ref().unwrap_or(&none),
        );
        field(
            "consent_status",
            row.consent_status.as_ref().unwrap_or(&none),
        );
        field("Consent created", &connection.consent_created_at);
        field(
            "Consent expires",
            connection.consent_expires_at.as_ref().unwrap_or(&none),
        );
        field("Scopes", &connection.scopes.join(" "));
        field(
            "Access token expires",
            connection.access_token_expires_at.as_ref().unwrap_or(&none),
        );
        field(
            "Refresh token",
            if connection.has_refresh_token {
                "yes"
            } else {
                "no"
            },
        );
        field(
            "Last refresh",
            connection.last_refresh_at.as_ref().unwrap_or(&none),
        );
        field("Linked", &connection.created_at);

        md.push_str(&format!(
            "\n## Failing requests (the last {} at most, newest first)\n\n",
            BUNDLE_FAILED_REQUESTS
        ));
        if failing.is_empty() {
            md.push_str("No failing request is recorded for this connection.\n");
        }
        for (n, request) in failing.iter().enumerate() {
            let r = &request.record;
            let status = r
                .status
                .map_or_else(|| "no answer".to_owned(), |s| s.to_string());
            md.push_str(&format!(
                "### {}. {} {} → {status}\n\n",
                n + 1,
                r.method,
                r.endpoint
            ));
            md.push_str(&format!("- Time: {}\n", r.at));
            md.push_str(&format!(
                "- Trace id: `{}`\n",
                r.trace_id.as_deref().unwrap_or("—")
            ));
            if let Some(id) = &r.correlation_id {
                md.push_str(&format!("- Correlation id: `{id}`\n"));
            }
            if let Some(e) = error_of(r) {
                md.push_str(&format!("- Error: {e}\n"));
            }
            md.push_str(&format!("- Duration: {} ms\n", r.duration_ms));
            md.push_str(&format!("- URL: `{}`\n", r.url));
            let headers = headers_of(&r.response_headers);
            let body = body_value(r.response_body.as_deref(), &headers);
            if !body.is_null() {
                let mut text = match &body {
                    Value::String(s) => s.clone(),
                    other => serde_json::to_string_pretty(other).unwrap_or_default(),
                };
                if text.chars().count() > BUNDLE_BODY_CHARS {
                    text = text.chars().take(BUNDLE_BODY_CHARS).collect::<String>() + "\n…";
                }
                md.push_str(&format!("\n```json\n{}\n```\n", text.replace("```", "'''")));
            }
            md.push('\n');
        }
        if self.shared.presenter_mode() {
            md = Masker::default().text(&md);
        }
        Ok(ExportFile {
            file_name: format!("linkscope-support-{}.md", file_safe(&connection.label)),
            content: md,
        })
    }
}

/// A Markdown table cell: one line, pipes escaped.
fn cell(value: &str) -> String {
    value.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// A piece of a file name: letters, digits, `-` and `_` only, at most 32 characters.
pub(crate) fn file_safe(value: &str) -> String {
    let safe: String = value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(32)
        .collect();
    if safe.trim_matches('-').is_empty() {
        "export".to_owned()
    } else {
        safe
    }
}

/// The header of a transaction CSV export (the columns of [`csv_row`]).
pub const CSV_HEADER: &str = "status,timestamp,description,merchant_name,amount,currency,\
transaction_type,transaction_category,classification,running_balance,transaction_id";

/// One CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a formula (`=`, `+`,
/// `-`, `@`, tab, CR first) gets a leading `'`.
fn csv_text(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// One transaction as a CSV line (without its line end), formulas defused, masked when given a
/// masker: the export's rows, and the CLI's streamed `--csv`.
pub fn csv_row(t: &Transaction, masker: Option<&Masker>) -> String {
    let text = |s: &str| csv_text(&masker.map_or_else(|| s.to_owned(), |m| m.text(s)));
    [
        if t.pending { "pending" } else { "booked" }.to_owned(),
        text(&t.timestamp),
        text(&t.description),
        text(t.merchant_name.as_deref().unwrap_or_default()),
        t.amount.to_string(),
        text(&t.currency),
        text(&t.transaction_type),
        text(&t.transaction_category),
        text(&t.classification.join(" / ")),
        t.running_balance.map(|b| b.to_string()).unwrap_or_default(),
        text(&t.transaction_id),
    ]
    .join(",")
}

/// A fetch of every account and card leads each row with its source and account id, as the
/// CLI's `transactions --all --csv` does.
fn transactions_csv(set: &FetchedSet, masker: Option<&Masker>) -> String {
    let mut out = String::with_capacity(set.len() * 140 + 200);
    let all = set.meta.only.is_none();
    if all {
        out.push_str("source,account_id,");
    }
    out.push_str(CSV_HEADER);
    out.push_str("\r\n");
    for t in &set.pending {
        out.push_str(&csv_row(t, masker));
        out.push_str("\r\n");
    }
    for (t, source) in set.transactions().zip(&set.row_source) {
        if all {
            if let Some(s) = set.summary.sources.get(usize::from(*source)) {
                let kind = match s.source {
                    TransactionSource::Account => "account",
                    TransactionSource::Card => "card",
                };
                out.push_str(kind);
                out.push(',');
                out.push_str(&csv_text(&s.account_id));
                out.push(',');
            }
        }
        out.push_str(&csv_row(&t, masker));
        out.push_str("\r\n");
    }
    out
}

fn transactions_json(set: &FetchedSet, masker: Option<&Masker>) -> String {
    let parse = |raw: &str| serde_json::from_str(raw).unwrap_or(Value::Null);
    let mut transactions = Vec::with_capacity(set.raw.len());
    set.raw.for_each(|raw| transactions.push(parse(raw)));
    let m = &set.meta;
    let (source, account_id) = match &m.only {
        Some((source, id)) => (json!(source), json!(id)),
        None => (json!("all"), Value::Null),
    };
    let value = json!({
        "fetchId": m.fetch_id,
        "connectionId": m.connection_id,
        "source": source,
        "accountId": account_id,
        "sources": set.summary.sources,
        // Each transaction's index into `sources`.
        "transactionSources": set.row_source,
        "from": m.from.to_string(),
        "to": m.to.to_string(),
        "fetchedAt": m.fetched_at,
        "traceIds": m.trace_ids,
        "transactions": transactions,
        "pending": set.pending_raw.iter().map(|r| parse(r)).collect::<Vec<_>>(),
    });
    let value = match masker {
        Some(masker) => masker.json(&value),
        None => value,
    };
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_are_defused() {
        let cases = [
            ("TESCO", "TESCO"),
            ("A, B", "\"A, B\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("two\nlines", "\"two\nlines\""),
        ];
        for (input, expected) in cases {
            assert_eq!(csv_text(input), expected, "{input}");
        }
    }

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(file_safe("Mock (2)"), "Mock--2-");
        assert_eq!(file_safe("../../etc"), "------etc");
        assert_eq!(file_safe("///"), "export");
    }

    #[test]
    fn a_save_replaces_the_file_whole_and_leaves_no_part_file() {
        let dir = std::env::temp_dir().join(format!("linkscope-save-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("requests.har");
        std::fs::write(&path, "old").unwrap();
        let file = ExportFile {
            file_name: "requests.har".into(),
            content: "new content".into(),
        };
        file.save(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new content");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("requests.har")]);
        let missing = dir.join("no-such-dir").join("x.har");
        assert!(
            file.save(&missing).is_err(),
            "a folder that does not exist is an error"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_markdown_cell_stays_one_cell() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
    }
}
