//! `requests` (the request inspector: every exchange core recorded, already redacted) and
//! `bundle` (core's support bundle, Markdown).

use linkscope_core::dto::{RequestFilter, RequestStatusFilter};

use super::Ctx;
use crate::args::{BundleArgs, RequestsArgs};
use crate::failure::Failure;
use crate::output::{cell, write_out, Table};

pub async fn requests(ctx: &Ctx<'_>, args: &RequestsArgs) -> Result<(), Failure> {
    let connection_id = match &args.connection {
        Some(wanted) => Some(ctx.connection_named(Some(wanted)).await?.id),
        None => None,
    };
    let requests = ctx.core.requests();
    let list = requests
        .list(RequestFilter {
            connection_id,
            status: if args.failed {
                RequestStatusFilter::Failure
            } else {
                RequestStatusFilter::All
            },
            endpoint: None,
            text: args.trace.clone(),
            limit: args.limit,
        })
        .await?;
    if let Some(trace) = &args.trace {
        let found = list
            .iter()
            .find(|r| {
                r.trace_id.as_deref() == Some(trace.as_str())
                    || r.correlation_id.as_deref() == Some(trace.as_str())
            })
            .ok_or_else(|| {
                Failure::Usage(format!("no recorded request has the trace id {trace:?}"))
            })?;
        let detail = requests.get(&found.id).await?;
        return ctx.out.show(&detail, |v| {
            let mut t = Table::new(&["FIELD", "VALUE"], "");
            for (key, value) in v["summary"].as_object().into_iter().flatten() {
                t.push(vec![key.clone(), cell(Some(value))]);
            }
            t.push(vec!["curl".into(), cell(v.get("curl"))]);
            t.push(vec!["response".into(), v["responseBody"].to_string()]);
            t
        });
    }
    ctx.out.show(&list, |v| {
        Table::of(
            &[
                ("ID", "/id"),
                ("AT", "/startedAt"),
                ("METHOD", "/method"),
                ("ENDPOINT", "/endpoint"),
                ("STATUS", "/status"),
                ("MS", "/durationMs"),
                ("TRACE ID", "/traceId"),
                ("ERROR", "/error"),
            ],
            v,
            "no request recorded",
        )
    })
}

pub async fn bundle(ctx: &Ctx<'_>, args: &BundleArgs) -> Result<(), Failure> {
    let c = ctx.connection_named(args.connection.as_deref()).await?;
    let file = ctx.core.exports().support_bundle(&c.id).await?;
    match &args.output {
        Some(path) => {
            file.save(path)
                .map_err(|e| Failure::Storage(format!("cannot write {}: {e}", path.display())))?;
            ctx.out.say(&format!("wrote {}", path.display()))
        }
        None => write_out(&file.content),
    }
}
