//! Five years of transactions in ≤3-month windows, checked against one single-window fetch of
//! the same range (TrueLayer allows long ranges right after the user authenticates; the sandbox
//! enforces that window too, so these tests fetch straight after linking).

use std::sync::{Arc, Mutex};

use chrono::{Months, Utc};
use linkscope_truelayer::{
    CancelToken, DateRange, Error, Scope, TransactionSource, WindowProgress, WindowedRequest,
};

use crate::support::Harness;

fn five_years() -> DateRange {
    let to = Utc::now().date_naive();
    DateRange::new(to.checked_sub_months(Months::new(60)).unwrap(), to).unwrap()
}

fn scopes() -> Vec<Scope> {
    vec![Scope::ACCOUNTS, Scope::TRANSACTIONS, Scope::OFFLINE_ACCESS]
}

#[tokio::test]
async fn five_years_in_windows_match_one_single_window_fetch_in_order_and_count() {
    let h = Harness::start().await;
    let linked = h.link("john.dense", "dense", &scopes()).await;
    let token = &linked.tokens.access_token;
    let account_id = h.client.accounts(token).await.unwrap().data[0]
        .account_id
        .clone();
    let range = five_years();

    let single = h
        .client
        .account_transactions(token, &account_id, Some(range))
        .await
        .unwrap();
    assert!(
        single.data.len() > 1000,
        "the dense user has years of history: {}",
        single.data.len()
    );

    let progress: Arc<Mutex<Vec<WindowProgress>>> = Arc::default();
    let request = WindowedRequest::new(TransactionSource::Account(account_id.clone()), range);
    let expected_windows = request.windows().len();
    assert!(
        expected_windows >= 20,
        "five years is at least twenty 3-month windows"
    );
    let windowed = h
        .client
        .transactions_windowed(token, &request, None, {
            let progress = progress.clone();
            move |p| progress.lock().unwrap().push(p)
        })
        .await
        .unwrap();

    assert_eq!(
        windowed.transactions.len(),
        single.data.len(),
        "same count as one fetch"
    );
    let ids = |ts: &[linkscope_truelayer::Transaction]| {
        ts.iter()
            .map(|t| t.stable_id().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&windowed.transactions),
        ids(&single.data),
        "same transactions in the same order"
    );
    assert_eq!(windowed.windows.len(), expected_windows);
    assert!(
        windowed.windows.iter().all(|w| w.raw.is_some()),
        "raw bodies kept for the raw view"
    );

    let progress = progress.lock().unwrap();
    assert_eq!(
        progress.len(),
        expected_windows,
        "one progress report per window"
    );
    assert_eq!(progress.last().unwrap().completed, expected_windows);
    assert!(progress.iter().all(|p| p.total == expected_windows));
    assert!(progress.windows(2).all(|w| w[0].completed < w[1].completed));
}

#[tokio::test]
async fn windows_are_fetched_concurrently_up_to_the_bound() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &scopes()).await;
    let token = &linked.tokens.access_token;
    let account_id = h.client.accounts(token).await.unwrap().data[0]
        .account_id
        .clone();
    // Slow every answer so that overlapping requests are visible in the recording.
    h.inject_fault(serde_json::json!({"latency_ms": 300})).await;
    let mut request = WindowedRequest::new(TransactionSource::Account(account_id), five_years());
    request.concurrency = 3;
    request.keep_raw = false;
    let before = h.recorder.exchanges().len();
    h.client
        .transactions_windowed(token, &request, None, |_| {})
        .await
        .unwrap();
    let exchanges: Vec<_> = h.recorder.exchanges().into_iter().skip(before).collect();
    let spans: Vec<_> = exchanges
        .iter()
        .map(|e| {
            (
                e.started_at,
                e.started_at + chrono::Duration::from_std(e.duration).unwrap(),
            )
        })
        .collect();
    let max_overlap = spans
        .iter()
        .map(|(start, _)| {
            spans
                .iter()
                .filter(|(s, e)| s <= start && start < e)
                .count()
        })
        .max()
        .unwrap();
    assert!(max_overlap > 1, "windows overlap in time");
    assert!(
        max_overlap <= 3,
        "never more than the bound at once: {max_overlap}"
    );
}

#[tokio::test]
async fn a_cancelled_windowed_fetch_stops_and_says_so() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &scopes()).await;
    let token = &linked.tokens.access_token;
    let account_id = h.client.accounts(token).await.unwrap().data[0]
        .account_id
        .clone();
    let request = WindowedRequest::new(TransactionSource::Account(account_id), five_years());
    let total = request.windows().len();
    let cancel = CancelToken::new();
    let before = h.recorder.exchanges().len();
    let result = h
        .client
        .transactions_windowed(token, &request, Some(&cancel), {
            let cancel = cancel.clone();
            move |p| {
                if p.completed == 1 {
                    cancel.cancel();
                }
            }
        })
        .await;
    assert!(matches!(result, Err(Error::Cancelled)), "{result:?}");
    let sent = h.recorder.exchanges().len() - before;
    assert!(
        sent < total,
        "cancelling stopped the fetch early ({sent} of {total} windows)"
    );

    let already = CancelToken::new();
    already.cancel();
    let result = h
        .client
        .transactions_windowed(token, &request, Some(&already), |_| {})
        .await;
    assert!(matches!(result, Err(Error::Cancelled)));
}
