//! Every Data API v1 endpoint (plus providers and batch) against the sandbox, checking the typed
//! data against the raw body the client keeps for the raw-JSON view.

use chrono::{Days, Utc};
use linkscope_truelayer::{
    AccessToken, ApiResponse, BatchRequest, DataRequest, DateRange, ProvidersQuery, Scope,
};
use serde_json::Value;

use crate::support::{all_data_scopes, Harness};

/// The raw body parses, and is exactly what the typed data came from.
fn check_raw<T>(response: &ApiResponse<T>) -> Value {
    let raw = response.raw_json().expect("raw is JSON");
    assert_eq!(response.status, 200);
    assert!(response.trace_ids.primary().is_some(), "a trace id is kept");
    raw
}

fn last_days(days: u64) -> DateRange {
    let to = Utc::now().date_naive();
    DateRange::new(to.checked_sub_days(Days::new(days)).unwrap(), to).unwrap()
}

#[tokio::test]
async fn every_account_endpoint_answers_typed_data_and_the_raw_body() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let token = &linked.tokens.access_token;
    let c = &h.client;

    let me = c.me(token).await.unwrap();
    check_raw(&me);
    assert_eq!(
        me.data.client_id.as_deref(),
        Some(c.environment().client_id().as_str())
    );
    assert!(me.data.scopes.iter().any(|s| s == "accounts"));

    let info = c.info(token).await.unwrap();
    check_raw(&info);
    assert!(info.data[0].full_name.is_some());

    let accounts = c.accounts(token).await.unwrap();
    let raw = check_raw(&accounts);
    assert_eq!(
        accounts.data.len(),
        raw["results"].as_array().unwrap().len()
    );
    for (account, raw_account) in accounts.data.iter().zip(raw["results"].as_array().unwrap()) {
        assert_eq!(
            account.account_id,
            raw_account["account_id"].as_str().unwrap()
        );
    }
    let account_id = accounts.data[0].account_id.clone();

    let one = c.account(token, &account_id).await.unwrap();
    check_raw(&one);
    assert_eq!(one.data.account_id, account_id);
    assert_eq!(one.data.account_number, accounts.data[0].account_number);

    let balance = c.account_balance(token, &account_id).await.unwrap();
    let raw = check_raw(&balance);
    assert_eq!(
        Some(balance.data.current),
        raw["results"][0]["current"].as_f64()
    );

    let range = last_days(60);
    let transactions = c
        .account_transactions(token, &account_id, Some(range))
        .await
        .unwrap();
    let raw = check_raw(&transactions);
    assert!(
        !transactions.data.is_empty(),
        "john has transactions in the last 60 days"
    );
    assert_eq!(
        transactions.data.len(),
        raw["results"].as_array().unwrap().len()
    );
    for t in &transactions.data {
        let day = t.timestamp.date().expect("readable timestamp");
        assert!(
            day >= range.from() && day <= range.to(),
            "{day} outside {range:?}"
        );
    }
    check_raw(
        &c.account_pending_transactions(token, &account_id, None)
            .await
            .unwrap(),
    );

    let mut saw_standing_order = false;
    let mut saw_direct_debit = false;
    for account in &accounts.data {
        let so = c.standing_orders(token, &account.account_id).await.unwrap();
        check_raw(&so);
        saw_standing_order |= !so.data.is_empty();
        let dd = c.direct_debits(token, &account.account_id).await.unwrap();
        check_raw(&dd);
        saw_direct_debit |= !dd.data.is_empty();
    }
    assert!(
        saw_standing_order && saw_direct_debit,
        "john has standing orders and direct debits"
    );
}

#[tokio::test]
async fn every_card_endpoint_answers_typed_data() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let token = &linked.tokens.access_token;
    let c = &h.client;

    let cards = c.cards(token).await.unwrap();
    check_raw(&cards);
    assert!(!cards.data.is_empty(), "john has cards");
    let card_id = cards.data[0].account_id.clone();
    let card = c.card(token, &card_id).await.unwrap();
    assert_eq!(card.data.account_id, card_id);
    let balance = c.card_balance(token, &card_id).await.unwrap();
    let raw = check_raw(&balance);
    // The sandbox sends `available` as a string, as the spec's schema says: read as a number.
    if let Some(available) = raw["results"][0]["available"].as_str() {
        assert_eq!(
            balance.data.available,
            Some(available.parse::<f64>().unwrap())
        );
    }
    let transactions = c
        .card_transactions(token, &card_id, Some(last_days(60)))
        .await
        .unwrap();
    check_raw(&transactions);
    check_raw(
        &c.card_pending_transactions(token, &card_id, None)
            .await
            .unwrap(),
    );
}

#[tokio::test]
async fn the_generic_data_call_covers_every_request_and_names_its_scope() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let token = &linked.tokens.access_token;
    let accounts = h.client.accounts(token).await.unwrap().data;
    let cards = h.client.cards(token).await.unwrap().data;
    let (a, k) = (accounts[0].account_id.clone(), cards[0].account_id.clone());
    let requests = [
        DataRequest::Me,
        DataRequest::Info,
        DataRequest::Accounts,
        DataRequest::Account(a.clone()),
        DataRequest::AccountBalance(a.clone()),
        DataRequest::AccountTransactions(a.clone(), Some(last_days(10))),
        DataRequest::AccountPendingTransactions(a.clone(), None),
        DataRequest::StandingOrders(a.clone()),
        DataRequest::DirectDebits(a.clone()),
        DataRequest::Cards,
        DataRequest::Card(k.clone()),
        DataRequest::CardBalance(k.clone()),
        DataRequest::CardTransactions(k.clone(), Some(last_days(10))),
        DataRequest::CardPendingTransactions(k, None),
    ];
    for request in &requests {
        let response = h.client.data::<Value>(token, request).await;
        assert!(response.is_ok(), "{request:?}: {response:?}");
    }
}

#[tokio::test]
async fn a_missing_scope_is_refused_by_the_sandbox_with_a_truelayer_error() {
    let h = Harness::start().await;
    let linked = h
        .link("john", "doe", &[Scope::INFO, Scope::OFFLINE_ACCESS])
        .await;
    let err = h
        .client
        .cards(&linked.tokens.access_token)
        .await
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert!(api.status == 403 || api.status == 401, "{api}");
    assert!(api.code.is_some(), "{api}");
    assert!(!api.raw_body.is_empty());
}

#[tokio::test]
async fn an_unknown_account_is_account_not_found() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let err = h
        .client
        .account(&linked.tokens.access_token, "no-such-account")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("account_not_found"), "{err}");
    assert!(err.explain().contains("list the accounts again"));
}

#[tokio::test]
async fn the_provider_list_is_a_bare_array_with_mock_in_it() {
    let h = Harness::start().await;
    let all = h
        .client
        .providers(&ProvidersQuery::default())
        .await
        .unwrap();
    assert!(all.raw_json().unwrap().is_array());
    assert!(all.data.iter().any(|p| p.provider_id == "mock"));
    let filtered = h
        .client
        .providers(&ProvidersQuery {
            enabled_for_client: true,
            scopes: vec![Scope::ACCOUNTS, Scope::CARDS],
            countries: vec!["uk".into()],
        })
        .await
        .unwrap();
    assert!(!filtered.data.is_empty());
    assert!(filtered
        .data
        .iter()
        .all(|p| p.country.as_deref() == Some("uk")));
}

#[tokio::test]
async fn a_batch_starts_and_its_results_come_back() {
    let h = Harness::start().await;
    let linked = h.link("john", "doe", &all_data_scopes()).await;
    let token: &AccessToken = &linked.tokens.access_token;
    let range = last_days(30);
    let started = h
        .client
        .batch_transactions(
            token,
            &BatchRequest {
                from: Some(range.from()),
                to: Some(range.to()),
                pending: true,
                balance: true,
                ..BatchRequest::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(started.status, 202);
    h.advance_clock(10).await;
    let results = h.client.batch_results(token).await.unwrap();
    assert_eq!(
        results.data.status.as_deref(),
        Some("Succeeded"),
        "{}",
        results.raw
    );
    assert!(!results.data.results.accounts.is_empty());
    assert!(results
        .data
        .results
        .accounts
        .iter()
        .any(|a| a.balance.is_some()));
}
