//! The `request_log` table: every recorded exchange (already redacted), bounded by rows and by
//! bytes of bodies, newest first.

use rusqlite::{params, OptionalExtension};

use super::Store;
use crate::error::{Error, Result};

/// The request log keeps at most this many rows; the oldest are dropped first.
pub const REQUEST_LOG_MAX_ROWS: i64 = 5_000;
/// …and at most this many bytes of bodies in total (a 5-year transactions page is large).
pub const REQUEST_LOG_MAX_BODY_BYTES: i64 = 64 * 1024 * 1024;
/// Each recorded body is cut to this many bytes (the cut is marked).
pub const REQUEST_LOG_BODY_CAP: usize = 512 * 1024;

/// One recorded HTTP exchange, already redacted by the client's hook.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestRecord {
    pub at: String,
    pub connection_id: Option<String>,
    pub environment_id: Option<String>,
    pub method: String,
    pub url: String,
    pub endpoint: String,
    pub status: Option<u16>,
    pub duration_ms: u64,
    pub trace_id: Option<String>,
    pub correlation_id: Option<String>,
    /// JSON array of `[name, value]` pairs.
    pub request_headers: String,
    pub request_body: Option<String>,
    /// JSON array of `[name, value]` pairs.
    pub response_headers: String,
    pub response_body: Option<String>,
    pub error: Option<String>,
}

/// A stored request-log row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    pub id: i64,
    pub record: RequestRecord,
}

/// Filters for [`Store::list_requests`]; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestFilter {
    pub connection_id: Option<String>,
    /// Exact status, or a class when < 10 (e.g. `4` = 4xx); `Some(0)` = no response (network).
    pub status: Option<u16>,
    /// `Some(true)`: failures only (400 and above, or no response); `Some(false)`: answers
    /// below 400 only.
    pub failed: Option<bool>,
    /// Substring of the endpoint path.
    pub endpoint: Option<String>,
    /// Substring of the URL, trace id or bodies.
    pub text: Option<String>,
    /// Only rows with an id below this (paging, newest first).
    pub before_id: Option<i64>,
    pub limit: Option<u32>,
}

impl Store {
    /// Appends an exchange (bodies capped at [`REQUEST_LOG_BODY_CAP`]) and drops the oldest rows
    /// past [`REQUEST_LOG_MAX_ROWS`] rows or [`REQUEST_LOG_MAX_BODY_BYTES`] bytes of bodies.
    pub fn append_request(&self, record: &RequestRecord) -> Result<i64> {
        self.append_requests(std::slice::from_ref(record))
    }

    /// Appends exchanges in order, as [`Self::append_request`] does, in one transaction: one
    /// write to disk and one pass of the bounds for them all (a 185 KB transactions page took
    /// 10 to 22 ms appended alone, and the dense user's All view records 348 of them). Returns
    /// the last one's id (0 for none).
    pub fn append_requests(&self, records: &[RequestRecord]) -> Result<i64> {
        self.append_requests_bounded(records, REQUEST_LOG_MAX_ROWS, REQUEST_LOG_MAX_BODY_BYTES)
    }

    fn append_requests_bounded(
        &self,
        records: &[RequestRecord],
        max_rows: i64,
        max_bytes: i64,
    ) -> Result<i64> {
        if records.is_empty() {
            return Ok(0);
        }
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        let mut id = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO request_log(at, connection_id, environment_id, method, url, endpoint,
                    status, duration_ms, trace_id, correlation_id, request_headers, request_body,
                    response_headers, response_body, error, body_bytes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?;
            for record in records {
                let request_body = record.request_body.as_deref().map(cap_body);
                let response_body = record.response_body.as_deref().map(cap_body);
                let body_bytes = request_body.as_ref().map_or(0, String::len)
                    + response_body.as_ref().map_or(0, String::len);
                insert.execute(params![
                    record.at,
                    record.connection_id,
                    record.environment_id,
                    record.method,
                    record.url,
                    record.endpoint,
                    record.status,
                    i64::try_from(record.duration_ms).unwrap_or(i64::MAX),
                    record.trace_id,
                    record.correlation_id,
                    record.request_headers,
                    request_body,
                    record.response_headers,
                    response_body,
                    record.error,
                    body_bytes as i64
                ])?;
                id = tx.last_insert_rowid();
            }
        }
        tx.execute(
            "DELETE FROM request_log WHERE id <= (
                SELECT id FROM request_log ORDER BY id DESC LIMIT 1 OFFSET ?1)",
            [max_rows],
        )?;
        tx.execute(
            "DELETE FROM request_log WHERE id IN (
                SELECT id FROM (SELECT id, SUM(body_bytes) OVER (ORDER BY id DESC) AS total
                                FROM request_log)
                WHERE total > ?1 AND id != ?2)",
            [max_bytes, id],
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Recorded exchanges, newest first.
    pub fn list_requests(&self, filter: &RequestFilter) -> Result<Vec<RequestRow>> {
        let mut sql = format!("{REQUEST_SELECT} WHERE 1 = 1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        let mut arg = |sql: &mut String, clause: &str, v: rusqlite::types::Value| {
            args.push(v);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(c) = &filter.connection_id {
            arg(&mut sql, " AND connection_id = ?", c.clone().into());
        }
        match filter.status {
            Some(0) => sql.push_str(" AND status IS NULL"),
            Some(class @ 1..=9) => arg(&mut sql, " AND status / 100 = ?", i64::from(class).into()),
            Some(s) => arg(&mut sql, " AND status = ?", i64::from(s).into()),
            None => {}
        }
        match filter.failed {
            Some(true) => sql.push_str(" AND (status IS NULL OR status >= 400)"),
            Some(false) => sql.push_str(" AND status IS NOT NULL AND status < 400"),
            None => {}
        }
        if let Some(e) = &filter.endpoint {
            arg(&mut sql, " AND instr(endpoint, ?) > 0", e.clone().into());
        }
        if let Some(t) = &filter.text {
            arg(
                &mut sql,
                " AND (instr(url, ?) > 0 OR instr(coalesce(trace_id, ''), ?) > 0
                       OR instr(coalesce(request_body, ''), ?) > 0
                       OR instr(coalesce(response_body, ''), ?) > 0
                       OR instr(coalesce(error, ''), ?) > 0)",
                t.clone().into(),
            );
        }
        if let Some(b) = filter.before_id {
            arg(&mut sql, " AND id < ?", b.into());
        }
        sql.push_str(" ORDER BY id DESC");
        arg(
            &mut sql,
            " LIMIT ?",
            i64::from(filter.limit.unwrap_or(200)).into(),
        );
        let conn = self.lock()?;
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), request_from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(Error::from)
    }

    /// One recorded exchange.
    pub fn request(&self, id: i64) -> Result<Option<RequestRow>> {
        Ok(self
            .lock()?
            .query_row(
                &format!("{REQUEST_SELECT} WHERE id = ?1"),
                [id],
                request_from_row,
            )
            .optional()?)
    }

    /// How many exchanges are recorded.
    #[cfg(test)]
    pub fn request_count(&self) -> Result<i64> {
        Ok(self
            .lock()?
            .query_row("SELECT COUNT(*) FROM request_log", [], |r| r.get(0))?)
    }
}

const REQUEST_SELECT: &str = "SELECT id, at, connection_id, environment_id, method, url, endpoint,
    status, duration_ms, trace_id, correlation_id, request_headers, request_body,
    response_headers, response_body, error FROM request_log";

fn request_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RequestRow> {
    let duration: i64 = r.get(8)?;
    Ok(RequestRow {
        id: r.get(0)?,
        record: RequestRecord {
            at: r.get(1)?,
            connection_id: r.get(2)?,
            environment_id: r.get(3)?,
            method: r.get(4)?,
            url: r.get(5)?,
            endpoint: r.get(6)?,
            status: r.get(7)?,
            duration_ms: u64::try_from(duration).unwrap_or(0),
            trace_id: r.get(9)?,
            correlation_id: r.get(10)?,
            request_headers: r.get(11)?,
            request_body: r.get(12)?,
            response_headers: r.get(13)?,
            response_body: r.get(14)?,
            error: r.get(15)?,
        },
    })
}

/// Cuts a body to [`REQUEST_LOG_BODY_CAP`] bytes at a char boundary and says so.
fn cap_body(body: &str) -> String {
    if body.len() <= REQUEST_LOG_BODY_CAP {
        return body.to_owned();
    }
    let mut end = REQUEST_LOG_BODY_CAP;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n… [cut by Linkscope: {} bytes in total]",
        &body[..end],
        body.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(endpoint: &str, status: Option<u16>, body: &str) -> RequestRecord {
        RequestRecord {
            at: "2025-01-01T00:00:00Z".into(),
            method: "GET".into(),
            url: format!("http://127.0.0.1/data/v1{endpoint}"),
            endpoint: endpoint.into(),
            status,
            request_headers: "{}".into(),
            response_headers: "{}".into(),
            response_body: Some(body.into()),
            ..Default::default()
        }
    }

    #[test]
    fn the_request_log_drops_the_oldest_rows_past_its_row_bound() {
        let store = Store::open_in_memory().unwrap();
        for i in 0..12 {
            store
                .append_requests_bounded(
                    &[record(&format!("/r{i}"), Some(200), "{}")],
                    10,
                    i64::MAX,
                )
                .unwrap();
        }
        assert_eq!(store.request_count().unwrap(), 10);
        let rows = store.list_requests(&RequestFilter::default()).unwrap();
        assert_eq!(
            rows.first().unwrap().record.endpoint,
            "/r11",
            "newest first"
        );
        assert_eq!(
            rows.last().unwrap().record.endpoint,
            "/r2",
            "r0 and r1 were dropped"
        );
    }

    #[test]
    fn the_request_log_drops_the_oldest_rows_past_its_byte_bound() {
        let store = Store::open_in_memory().unwrap();
        let body = "x".repeat(100);
        for i in 0..5 {
            store
                .append_requests_bounded(&[record(&format!("/r{i}"), Some(200), &body)], 100, 250)
                .unwrap();
        }
        let rows = store.list_requests(&RequestFilter::default()).unwrap();
        let endpoints: Vec<_> = rows.iter().map(|r| r.record.endpoint.as_str()).collect();
        assert_eq!(
            endpoints,
            ["/r4", "/r3"],
            "only the newest 250 bytes of bodies are kept"
        );
    }

    #[test]
    fn a_batch_is_appended_in_order_and_bounded_as_one_by_one() {
        let store = Store::open_in_memory().unwrap();
        let body = "x".repeat(100);
        let batch: Vec<_> = (0..5)
            .map(|i| record(&format!("/r{i}"), Some(200), &body))
            .collect();
        let last = store.append_requests_bounded(&batch, 100, 250).unwrap();
        let rows = store.list_requests(&RequestFilter::default()).unwrap();
        let endpoints: Vec<_> = rows.iter().map(|r| r.record.endpoint.as_str()).collect();
        assert_eq!(endpoints, ["/r4", "/r3"], "the same rows as one by one");
        assert_eq!(rows.first().unwrap().id, last);
        let last = store.append_requests_bounded(&batch, 3, i64::MAX).unwrap();
        let rows = store.list_requests(&RequestFilter::default()).unwrap();
        let endpoints: Vec<_> = rows.iter().map(|r| r.record.endpoint.as_str()).collect();
        assert_eq!(endpoints, ["/r4", "/r3", "/r2"]);
        assert_eq!(rows.first().unwrap().id, last);
        assert_eq!(store.append_requests(&[]).unwrap(), 0, "nothing to append");
    }

    #[test]
    fn the_newest_request_is_kept_even_when_its_body_alone_is_over_budget() {
        let store = Store::open_in_memory().unwrap();
        store
            .append_requests_bounded(&[record("/big", Some(200), &"x".repeat(500))], 10, 100)
            .unwrap();
        assert_eq!(store.request_count().unwrap(), 1);
    }

    #[test]
    fn a_huge_body_is_cut_and_marked() {
        let store = Store::open_in_memory().unwrap();
        let id = store
            .append_request(&record(
                "/big",
                Some(200),
                &"é".repeat(REQUEST_LOG_BODY_CAP),
            ))
            .unwrap();
        let body = store
            .request(id)
            .unwrap()
            .unwrap()
            .record
            .response_body
            .unwrap();
        assert!(body.len() < REQUEST_LOG_BODY_CAP + 100);
        assert!(body.ends_with("bytes in total]"));
    }

    #[test]
    fn request_filters_narrow_by_connection_status_endpoint_and_text() {
        let store = Store::open_in_memory().unwrap();
        let mut a = record("/accounts", Some(200), "{\"results\":[]}");
        a.connection_id = Some("c1".into());
        let mut b = record(
            "/accounts/1/balance",
            Some(503),
            "{\"error\":\"provider_error\"}",
        );
        b.connection_id = Some("c1".into());
        b.trace_id = Some("trace-123".into());
        let c = record("/me", None, "");
        for r in [&a, &b, &c] {
            store.append_request(r).unwrap();
        }
        let count = |f: RequestFilter| store.list_requests(&f).unwrap().len();
        assert_eq!(count(RequestFilter::default()), 3);
        assert_eq!(
            count(RequestFilter {
                connection_id: Some("c1".into()),
                ..Default::default()
            }),
            2
        );
        assert_eq!(
            count(RequestFilter {
                status: Some(5),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(RequestFilter {
                status: Some(200),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(RequestFilter {
                status: Some(0),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(RequestFilter {
                failed: Some(true),
                ..Default::default()
            }),
            2,
            "failures are 4xx/5xx and no answer at all"
        );
        assert_eq!(
            count(RequestFilter {
                failed: Some(false),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(RequestFilter {
                endpoint: Some("balance".into()),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(RequestFilter {
                text: Some("trace-123".into()),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(RequestFilter {
                text: Some("provider_error".into()),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            count(RequestFilter {
                limit: Some(1),
                ..Default::default()
            }),
            1
        );
    }
}
