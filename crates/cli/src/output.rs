//! Everything the CLI prints: a readable table by default, `--json` (one document), `--ndjson`
//! and `--csv` (streamed rows), masked with `--mask` by core's one rule table; notes and
//! progress on stderr only (progress only when stderr is a terminal, never with `--quiet`).
//! Stdout carries data only.

use std::io::{IsTerminal as _, Write};

use indicatif::{ProgressBar, ProgressStyle};
use linkscope_core::inspect::mask::mask_json;
use serde::Serialize;
use serde_json::Value;

use crate::args::Global;
use crate::failure::Failure;

/// A note on stderr (`linkscope: …`).
pub fn note(text: &str) {
    eprintln!("linkscope: {text}");
}

/// How this invocation prints.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    pub json: bool,
    pub ndjson: bool,
    pub csv: bool,
    pub mask: bool,
    pub quiet: bool,
}

impl Out {
    pub fn new(global: &Global) -> Self {
        Self {
            json: global.json,
            ndjson: global.ndjson,
            csv: global.csv,
            mask: global.mask,
            quiet: global.quiet,
        }
    }

    /// `value` as JSON (masked with `--mask`).
    pub fn encode(&self, value: &impl Serialize) -> Result<Value, Failure> {
        let value = serde_json::to_value(value)
            .map_err(|e| Failure::Usage(format!("the answer could not be encoded: {e}")))?;
        Ok(if self.mask { mask_json(&value) } else { value })
    }

    /// Prints `value`: the whole document with `--json` (or `--ndjson`), else the table `table`
    /// makes of its JSON form.
    pub fn show(
        &self,
        value: &impl Serialize,
        table: impl FnOnce(&Value) -> Table,
    ) -> Result<(), Failure> {
        let value = self.encode(value)?;
        if self.json || self.ndjson {
            let text = if self.ndjson {
                value.to_string()
            } else {
                serde_json::to_string_pretty(&value).unwrap_or_default()
            };
            return line(&text);
        }
        let table = table(&value);
        write_out(&table.render())
    }

    /// Prints a plain message (a table's caption, a confirmation) on stdout unless `--json`.
    pub fn say(&self, text: &str) -> Result<(), Failure> {
        if self.json || self.ndjson {
            return Ok(());
        }
        line(text)
    }

    /// A progress bar on stderr when it is a terminal and not `--quiet`.
    pub fn progress(&self, total: u64, what: &str) -> Option<ProgressBar> {
        if self.quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::new(total);
        let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(what.to_owned());
        Some(bar)
    }
}

/// One line on stdout.
pub fn line(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}").map_err(closed)
}

/// Text on stdout as is.
pub fn write_out(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).map_err(closed)
}

/// A write error on stdout: the reader went away (stop quietly), else a storage error.
pub fn closed(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Failure::ClosedOutput
    } else {
        Failure::Storage(format!("cannot write to stdout: {e}"))
    }
}

/// A text table: headers and rows of cells, columns padded to their widest cell.
#[derive(Debug, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    empty: String,
}

impl Table {
    /// A table with these columns; `empty` is printed when there is no row.
    pub fn new(headers: &[&str], empty: &str) -> Self {
        Self {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            empty: empty.to_owned(),
        }
    }

    /// One row per item of `items` (a JSON array), each cell read at a JSON pointer.
    pub fn of(headers: &[(&str, &str)], items: &Value, empty: &str) -> Self {
        let names: Vec<&str> = headers.iter().map(|(h, _)| *h).collect();
        let mut table = Self::new(&names, empty);
        for item in items.as_array().into_iter().flatten() {
            table.push(
                headers
                    .iter()
                    .map(|(_, pointer)| cell(item.pointer(pointer)))
                    .collect(),
            );
        }
        table
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// The table as text, ending with a newline.
    pub fn render(&self) -> String {
        if self.rows.is_empty() {
            return format!("{}\n", self.empty);
        }
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, c) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(c.chars().count());
                }
            }
        }
        let mut out = String::new();
        let mut push_row = |cells: &[String]| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect();
            out.push_str(padded.join("  ").trim_end());
            out.push('\n');
        };
        push_row(&self.headers);
        for row in &self.rows {
            push_row(row);
        }
        out
    }
}

/// A JSON value as a table cell: strings bare, lists joined, nothing as `-`.
pub fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "-".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| cell(Some(v)))
            .collect::<Vec<_>>()
            .join(" "),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_pads_columns_to_the_widest_cell_and_shows_missing_values_as_dashes() {
        let items = serde_json::json!([{"a": "x", "b": 1}, {"a": "longer"}]);
        let text = Table::of(&[("A", "/a"), ("B", "/b")], &items, "none").render();
        assert_eq!(text, "A       B\nx       1\nlonger  -\n");
        assert_eq!(
            Table::of(&[("A", "/a")], &serde_json::json!([]), "none").render(),
            "none\n"
        );
    }
}
