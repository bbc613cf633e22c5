//! Building a [`Fetched`] view from TrueLayer's answers: the exact bodies kept in `raw` (keyed
//! by endpoint path), the trace ids gathered, and a failed part reported in place. Also the one
//! shape two lists share: items, then every item's balance concurrently ([`list_with_balances`],
//! for accounts and cards). Must not: turn a failed balance into a failed list.

use linkscope_truelayer as tl;
use serde_json::{Map, Value};

use crate::connections::ConnectionService;
use crate::context::{push_trace, push_trace_id};
use crate::dto::{ApiError, Fetched};
use crate::error::Result;

/// Something listed with its own balance endpoint: an account or a card.
pub(crate) trait WithBalance: Sized {
    type Balance;
    /// `accounts` or `cards`: the path segment under `/data/v1`.
    const KIND: &'static str;
    fn id(&self) -> &str;
    async fn list(
        client: tl::Client,
        token: tl::AccessToken,
    ) -> tl::Result<tl::ApiResponse<Vec<Self>>>;
    async fn balance(
        client: tl::Client,
        token: tl::AccessToken,
        id: String,
    ) -> tl::Result<tl::ApiResponse<Self::Balance>>;
}

/// One listed item with its balance, or why its balance is missing.
pub(crate) struct Balanced<I: WithBalance> {
    pub item: I,
    pub balance: Option<I::Balance>,
    pub balance_error: Option<ApiError>,
}

/// `GET /{kind}`, then every `GET /{kind}/{id}/balance` concurrently (skipped without the
/// `balance` scope). A failed balance stays on its item.
pub(crate) async fn list_with_balances<I: WithBalance>(
    connections: &ConnectionService,
    connection_id: &str,
) -> Result<Fetched<Vec<Balanced<I>>>> {
    let caller = connections.caller(connection_id).await?;
    let with_balance = caller.has_scope("balance");
    let items = caller.call(I::list).await?;

    let mut raw = Map::new();
    let mut trace_ids: Vec<String> = Vec::new();
    raw.insert(format!("/data/v1/{}", I::KIND), raw_json(&items.raw));
    push_trace(&mut trace_ids, &items.trace_ids);

    let balances = if with_balance {
        futures::future::join_all(items.data.iter().map(|item| {
            let id = item.id().to_owned();
            caller.call(move |client, token| I::balance(client, token, id.clone()))
        }))
        .await
        .into_iter()
        .map(Some)
        .collect::<Vec<_>>()
    } else {
        items.data.iter().map(|_| None).collect()
    };

    let mut data = Vec::with_capacity(items.data.len());
    for (item, balance) in items.data.into_iter().zip(balances) {
        let path = format!("/data/v1/{}/{}/balance", I::KIND, item.id());
        let (balance, balance_error) = match balance {
            None => (None, None),
            Some(Ok(answer)) => {
                raw.insert(path, raw_json(&answer.raw));
                push_trace(&mut trace_ids, &answer.trace_ids);
                (Some(answer.data), None)
            }
            Some(Err(e)) => (None, Some(failed_part(&e, path, &mut raw, &mut trace_ids))),
        };
        data.push(Balanced {
            item,
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

/// A raw body as JSON (a string when it is not JSON).
pub(crate) fn raw_json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_owned()))
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
            push_trace_id(trace_ids, t);
        }
    }
    api
}
