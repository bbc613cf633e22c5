//! The dense persona's five-year history: windowed fetch with progress events, the same count as
//! one single-range request, cancelling, and paging / search / sort over the result.

use std::time::Instant;

use chrono::{Months, Utc};
use linkscope_core::dto::{
    ErrorCode, FetchAllTransactionsInput, FetchTransactionsInput, TransactionSortField,
    TransactionSource, TransactionSourceRef, TransactionStreamInput,
};
use linkscope_core::secrets::SecretKey;
use linkscope_core::{Core, CoreEvent};
use linkscope_truelayer as tl;

use crate::data_views::{input, page};
use crate::support::{link_as, set_latency, start, stored};

const SCOPES: [&str; 4] = ["accounts", "balance", "transactions", "offline_access"];

fn five_years_ago() -> String {
    Utc::now()
        .date_naive()
        .checked_sub_months(Months::new(60))
        .unwrap()
        .to_string()
}

/// The dense user's busiest account (its first).
async fn dense_main_account(core: &Core, connection_id: &str) -> String {
    let accounts = core.accounts().list(connection_id).await.unwrap();
    assert_eq!(
        accounts.data.len(),
        10,
        "the dense persona has ten accounts"
    );
    accounts.data[0].account.account_id.clone()
}

#[tokio::test]
async fn five_dense_years_come_in_windows_with_progress_and_match_a_single_request() {
    let h = start().await;
    let linked = link_as(&h.core, &SCOPES, "john.dense", "dense").await;
    let id = linked.connection.id.clone();
    let account = dense_main_account(&h.core, &id).await;
    let mut events = h.core.subscribe();

    let summary = h
        .core
        .transactions()
        .fetch(input(
            "dense-5y",
            &id,
            TransactionSource::Account,
            &account,
            five_years_ago(),
        ))
        .await
        .unwrap();
    assert!(
        summary.windows >= 20,
        "five years in windows of at most three months: {}",
        summary.windows
    );
    let mut progress = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let CoreEvent::TransactionsProgress(p) = event {
            assert_eq!(p.fetch_id, "dense-5y");
            progress.push(p);
        }
    }
    assert_eq!(
        progress.len() as u32,
        summary.windows,
        "one progress event per window"
    );
    let last = progress.last().unwrap();
    assert_eq!(last.windows_done, last.windows_total);
    assert!(
        last.rows >= summary.total,
        "rows received before de-duplication"
    );

    // The same range in one request (allowed: the user authenticated minutes ago).
    let env = h.core.store().environment("builtin").unwrap().unwrap();
    let secret = stored(&h.secrets, &SecretKey::client_secret("builtin")).unwrap();
    let client = tl::Client::new(
        tl::Environment::new(
            &env.auth_url,
            &env.api_url,
            tl::ClientId::new(env.client_id.clone()).unwrap(),
            tl::ClientSecret::new(secret),
        )
        .unwrap(),
    )
    .unwrap();
    let token = h.core.connections().access_token(&id).await.unwrap();
    let range =
        tl::DateRange::new(five_years_ago().parse().unwrap(), Utc::now().date_naive()).unwrap();
    let single = client
        .account_transactions(&token, &account, Some(range))
        .await
        .unwrap();
    assert_eq!(
        summary.total as usize,
        single.data.len(),
        "the windows hold exactly what one request over the whole range returns"
    );
    eprintln!(
        "dense 5-year fetch: {} settled rows in {} windows, {} pending",
        summary.total,
        summary.windows,
        summary.pending.len()
    );
    assert!(summary.total > 10_000, "a dense history: {}", summary.total);
    assert!(summary.balance_series.len() <= 400);
    assert!(
        summary.first_date.as_deref() < summary.last_date.as_deref(),
        "the span runs forward"
    );

    // Paging: the last page is short, a page past the end is empty.
    let transactions = h.core.transactions();
    let t = Instant::now();
    let first = transactions.query(page("dense-5y", 0, 100)).await.unwrap();
    eprintln!("first page of {} rows: {:?}", summary.total, t.elapsed());
    assert_eq!(first.total, summary.total);
    assert_eq!(first.rows.index.len(), 100);
    assert!(
        first.rows.timestamp.windows(2).all(|w| w[0] >= w[1]),
        "newest first"
    );
    let item = transactions.item("dense-5y", first.rows.index[0]).unwrap();
    assert_eq!(
        item.raw["transaction_id"].as_str(),
        Some(item.transaction.transaction_id.as_str()),
        "a row's raw item is read by its index"
    );
    let lean = serde_json::to_string(&transactions.query(page("dense-5y", 0, 1000)).await.unwrap())
        .unwrap()
        .len();
    // The same 1,000 rows in the shape pages had before (an object per row plus its raw item).
    let thousand = transactions.query(page("dense-5y", 0, 1000)).await.unwrap();
    let items: Vec<_> = thousand
        .rows
        .index
        .iter()
        .map(|i| transactions.item("dense-5y", *i).unwrap())
        .collect();
    let before = serde_json::json!({
        "total": thousand.total,
        "offset": 0,
        "rows": items.iter().map(|i| &i.transaction).collect::<Vec<_>>(),
        "raw": items.iter().map(|i| &i.raw).collect::<Vec<_>>(),
    });
    let before = serde_json::to_string(&before).unwrap().len();
    eprintln!("one page of 1,000 rows over IPC: {lean} bytes (objects with raw items: {before})");
    assert!(
        lean * 3 < before,
        "the lean page is much smaller: {lean} vs {before}"
    );
    let t = Instant::now();
    let tail = transactions
        .query(page("dense-5y", summary.total - 10, 100))
        .await
        .unwrap();
    eprintln!("last page: {:?}", t.elapsed());
    assert_eq!(tail.rows.index.len(), 10);
    assert!(transactions
        .query(page("dense-5y", summary.total + 5, 100))
        .await
        .unwrap()
        .rows
        .index
        .is_empty());

    // Search over description and merchant, case-insensitive.
    let mut search = page("dense-5y", 0, 1000);
    search.search = Some("tesco".into());
    let t = Instant::now();
    let found = transactions.query(search).await.unwrap();
    eprintln!("search 'tesco': {:?} ({} match)", t.elapsed(), found.total);
    assert!(found.total > 0 && found.total < summary.total);
    assert!(found
        .rows
        .description
        .iter()
        .zip(&found.rows.merchant_name)
        .all(|(d, m)| {
            d.to_lowercase().contains("tesco")
                || m.as_deref()
                    .is_some_and(|m| m.to_lowercase().contains("tesco"))
        }));

    // Sorts.
    let mut by_amount = page("dense-5y", 0, 1000);
    by_amount.sort = TransactionSortField::Amount;
    by_amount.descending = false;
    let t = Instant::now();
    let rows = transactions.query(by_amount).await.unwrap().rows;
    eprintln!("first sort by amount: {:?}", t.elapsed());
    assert!(rows.amount.windows(2).all(|w| w[0] <= w[1]));
    let mut by_description = page("dense-5y", 0, 1000);
    by_description.sort = TransactionSortField::Description;
    by_description.descending = false;
    let rows = transactions.query(by_description).await.unwrap().rows;
    assert!(rows
        .description
        .windows(2)
        .all(|w| w[0].to_lowercase() <= w[1].to_lowercase()));
}

#[tokio::test]
async fn every_account_is_fetched_as_one_set_readable_while_it_runs_and_sorted_once_done() {
    let h = start().await;
    let linked = link_as(&h.core, &SCOPES, "john.dense", "dense").await;
    let id = linked.connection.id.clone();
    let from = Utc::now()
        .date_naive()
        .checked_sub_months(Months::new(12))
        .unwrap()
        .to_string();
    let to = Utc::now().date_naive().to_string();
    set_latency(&h.core, 100).await;
    let mut events = h.core.subscribe();
    let core = h.core.clone();
    let fetch = tokio::spawn({
        let (id, from, to) = (id.clone(), from.clone(), to.clone());
        async move {
            core.transactions()
                .fetch_all(FetchAllTransactionsInput {
                    fetch_id: "all-1y".into(),
                    connection_id: id,
                    from,
                    to,
                })
                .await
        }
    });
    let first = loop {
        if let CoreEvent::TransactionsProgress(p) = events.recv().await.unwrap() {
            break p;
        }
    };
    let early = h
        .core
        .transactions()
        .query(page("all-1y", 0, 1000))
        .await
        .unwrap();
    assert!(
        early.partial && early.total > 0,
        "the first rows are readable before the last window ({} of {} windows, {} rows)",
        first.windows_done,
        first.windows_total,
        early.total
    );
    let summary = fetch.await.unwrap().unwrap();
    set_latency(&h.core, 0).await;
    assert_eq!(summary.sources.len(), 10, "every account of the dense user");
    assert_eq!(
        summary.source_series.len(),
        10,
        "a balance series per account"
    );
    assert!(!summary.balance_series.is_empty(), "and their total");

    // The same as the stream, row for row.
    let mut streamed = 0usize;
    h.core
        .transactions()
        .stream(
            TransactionStreamInput {
                connection_id: id.clone(),
                from,
                to,
                only: None,
            },
            |batch| {
                streamed += batch.rows.len();
                std::ops::ControlFlow::Continue(())
            },
        )
        .await
        .unwrap();
    assert_eq!(
        summary.total as usize, streamed,
        "the set holds what the stream delivers"
    );

    let done = h
        .core
        .transactions()
        .query(page("all-1y", 0, 1000))
        .await
        .unwrap();
    assert!(!done.partial);
    assert_eq!(done.total, summary.total);
    assert!(
        done.rows.timestamp.windows(2).all(|w| w[0] >= w[1]),
        "one timeline, newest first"
    );
    let sources: std::collections::HashSet<u16> = done.rows.source.iter().copied().collect();
    assert!(sources.len() > 1, "rows of several accounts on one page");
    // Running balances per account: each account's next-older row plus this amount.
    let mut search = page("all-1y", 0, 1000);
    search.search = Some("tesco".into());
    let found = h.core.transactions().query(search).await.unwrap();
    assert!(found.total > 0 && found.total < done.total, "searchable");
    let item = h
        .core
        .transactions()
        .item("all-1y", done.rows.index[0])
        .unwrap();
    assert_eq!(
        item.source.account_id,
        done.sources[usize::from(done.rows.source[0])].account_id,
        "a row's item names its account"
    );
}

#[tokio::test]
async fn a_cancelled_fetch_stops_early_and_keeps_nothing() {
    let h = start().await;
    let linked = link_as(&h.core, &SCOPES, "john.dense", "dense").await;
    let id = linked.connection.id.clone();
    let account = dense_main_account(&h.core, &id).await;
    set_latency(&h.core, 400).await;
    let mut events = h.core.subscribe();

    let core = h.core.clone();
    let fetch = tokio::spawn({
        let (id, account) = (id.clone(), account.clone());
        async move {
            core.transactions()
                .fetch(input(
                    "to-cancel",
                    &id,
                    TransactionSource::Account,
                    &account,
                    five_years_ago(),
                ))
                .await
        }
    });
    let first = loop {
        if let CoreEvent::TransactionsProgress(p) = events.recv().await.unwrap() {
            break p;
        }
    };
    h.core.transactions().cancel("to-cancel").unwrap();
    let err = fetch.await.unwrap().unwrap_err();
    assert_eq!(err.code(), ErrorCode::Cancelled, "{err}");
    let mut seen = 1;
    while let Ok(event) = events.try_recv() {
        if matches!(event, CoreEvent::TransactionsProgress(_)) {
            seen += 1;
        }
    }
    assert!(
        seen < first.windows_total,
        "it stopped before every window arrived ({seen} of {})",
        first.windows_total
    );
    let err = h
        .core
        .transactions()
        .query(page("to-cancel", 0, 10))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "nothing partial is kept");

    // A cancel that arrives before its fetch starts still cancels it.
    h.core.transactions().cancel("early").unwrap();
    let err = h
        .core
        .transactions()
        .fetch(input(
            "early",
            &id,
            TransactionSource::Account,
            &account,
            five_years_ago(),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Cancelled);
}

#[tokio::test]
async fn bad_fetch_input_is_refused_before_anything_is_sent() {
    let h = start().await;
    let cases = [
        ("2024-13-01", "2024-12-01", "from"),
        ("2024-02-01", "yesterday", "to"),
        ("2024-03-01", "2024-02-01", "after"),
    ];
    for (from, to, said) in cases {
        let mut i = input("bad", "c", TransactionSource::Account, "a", from.into());
        i.to = to.into();
        let err = h.core.transactions().fetch(i).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::Validation, "{from}..{to}: {err}");
        assert!(err.to_string().contains(said), "{err}");
    }
}

#[tokio::test]
async fn the_stream_delivers_every_account_window_by_window_in_order_and_without_repeats() {
    let h = start().await;
    let linked = link_as(&h.core, &SCOPES, "john.dense", "dense").await;
    let id = linked.connection.id.clone();
    let account = dense_main_account(&h.core, &id).await;
    let from = Utc::now()
        .date_naive()
        .checked_sub_months(Months::new(12))
        .unwrap()
        .to_string();
    let to = Utc::now().date_naive().to_string();

    let mut batches: Vec<(String, String, usize)> = Vec::new();
    let mut ids = std::collections::HashSet::new();
    let summary = h
        .core
        .transactions()
        .stream(
            TransactionStreamInput {
                connection_id: id.clone(),
                from: from.clone(),
                to: to.clone(),
                only: None,
            },
            |batch| {
                for row in &batch.rows {
                    ids.insert(row.transaction_id.clone());
                }
                batches.push((
                    batch.account_id.clone(),
                    batch.from.clone(),
                    batch.rows.len(),
                ));
                assert_eq!(
                    batch.windows_done as usize,
                    batches.len(),
                    "counted as they come"
                );
                std::ops::ControlFlow::Continue(())
            },
        )
        .await
        .unwrap();
    assert_eq!(
        summary.sources, 10,
        "every account (the dense user has no card scope here)"
    );
    assert_eq!(batches.len() as u32, summary.windows);
    assert_eq!(summary.rows as usize, ids.len(), "each transaction once");
    // Source by source, each one's windows oldest first.
    for pair in batches.windows(2) {
        if pair[0].0 == pair[1].0 {
            assert!(pair[0].1 < pair[1].1, "windows in order: {pair:?}");
        }
    }

    // The same account through the kept fetch: the same number of settled rows.
    let kept = h
        .core
        .transactions()
        .fetch(FetchTransactionsInput {
            fetch_id: "compare".into(),
            connection_id: id.clone(),
            source: TransactionSource::Account,
            account_id: account.clone(),
            from: from.clone(),
            to: to.clone(),
        })
        .await
        .unwrap();
    let streamed: usize = batches
        .iter()
        .filter(|(a, _, _)| *a == account)
        .map(|(_, _, n)| n)
        .sum();
    assert_eq!(
        streamed as u32, kept.total,
        "the stream and the fetch agree"
    );

    let mut seen = 0;
    let stopped = h
        .core
        .transactions()
        .stream(
            TransactionStreamInput {
                connection_id: id,
                from,
                to,
                only: Some(TransactionSourceRef {
                    source: TransactionSource::Account,
                    account_id: account,
                }),
            },
            |_| {
                seen += 1;
                std::ops::ControlFlow::Break(())
            },
        )
        .await
        .unwrap_err();
    assert_eq!(stopped.code(), ErrorCode::Cancelled, "a Break stops it");
    assert_eq!(seen, 1, "nothing is delivered after a Break");
}
