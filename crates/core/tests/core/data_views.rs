//! Every data view against the sandbox's mock bank (john/doe): accounts, cards, transactions,
//! standing orders, direct debits, identity; Signup+ (both answers) and name verification; and
//! an `error.*` persona whose every data call is explained, not a crash.

use chrono::{Days, Months, Utc};
use linkscope_core::dto::{
    ErrorCode, FetchTransactionsInput, SignupPlusResult, TransactionQuery, TransactionSortField,
    TransactionSource,
};

use crate::support::{link, link_accounts, link_as, start};

pub fn days_ago(n: u64) -> String {
    Utc::now()
        .date_naive()
        .checked_sub_days(Days::new(n))
        .unwrap()
        .to_string()
}

pub fn today() -> String {
    Utc::now().date_naive().to_string()
}

pub fn input(
    fetch_id: &str,
    connection_id: &str,
    source: TransactionSource,
    account_id: &str,
    from: String,
) -> FetchTransactionsInput {
    FetchTransactionsInput {
        fetch_id: fetch_id.into(),
        connection_id: connection_id.into(),
        source,
        account_id: account_id.into(),
        from,
        to: today(),
    }
}

pub fn page(fetch_id: &str, offset: u32, limit: u32) -> TransactionQuery {
    TransactionQuery {
        fetch_id: fetch_id.into(),
        offset,
        limit,
        search: None,
        sort: TransactionSortField::Timestamp,
        descending: true,
    }
}

#[tokio::test]
async fn john_doe_shows_accounts_cards_transactions_orders_debits_and_identity() {
    let h = start().await;
    let connection = link(&h.core).await;
    let id = connection.id.as_str();

    let accounts = h.core.accounts().list(id).await.unwrap();
    let main = accounts
        .data
        .iter()
        .find(|a| a.account.display_name == "TRANSACTION ACCOUNT 1")
        .expect("the mock bank's first account is listed by its documented name");
    let balance = main.balance.as_ref().expect("its balance was fetched");
    assert_eq!(balance.currency, "GBP");

    let cards = h.core.cards().list(id).await.unwrap();
    let card = cards
        .data
        .iter()
        .find(|c| c.card.display_name == "CREDIT CARD 1")
        .expect("the mock bank's first card is listed");
    assert_eq!(card.card.card_network.as_deref(), Some("MASTERCARD"));
    assert!(card.balance.is_some(), "{:?}", card.balance_error);
    assert!(
        cards.raw.get("/data/v1/cards").is_some(),
        "the raw body is kept by endpoint"
    );
    assert!(!cards.trace_ids.is_empty());

    let summary = h
        .core
        .transactions()
        .fetch(input(
            "doe-90",
            id,
            TransactionSource::Account,
            &main.account.account_id,
            days_ago(89),
        ))
        .await
        .unwrap();
    assert!(summary.total > 20, "three months of everyday spending");
    assert_eq!(summary.windows, 1, "90 days fit one window");
    assert_eq!(summary.currency, "GBP");
    assert!(!summary.balance_series.is_empty(), "the chart has points");
    let rows = h
        .core
        .transactions()
        .query(page("doe-90", 0, 1000))
        .await
        .unwrap();
    assert!(
        rows.rows
            .description
            .iter()
            .any(|d| d.starts_with("REGENDA REDWING")),
        "the monthly rent standing order appears as a transaction"
    );
    assert_eq!(
        rows.rows.running_balance[0],
        Some(balance.current),
        "the running balance after the newest transaction is the current balance"
    );
    for t in &summary.pending {
        assert!(t.pending, "pending rows are flagged");
    }
    assert!(
        summary.pending_error.is_none(),
        "{:?}",
        summary.pending_error
    );

    let card_summary = h
        .core
        .transactions()
        .fetch(input(
            "card-90",
            id,
            TransactionSource::Card,
            &card.card.account_id,
            days_ago(89),
        ))
        .await
        .unwrap();
    assert!(card_summary.total > 0, "card spending is fetched too");

    let orders = h
        .core
        .data()
        .standing_orders(id, &main.account.account_id)
        .await
        .unwrap();
    assert!(
        orders
            .data
            .iter()
            .any(|o| o.payee.as_deref() == Some("REGENDA REDWING")),
        "{:?}",
        orders.data
    );
    let debits = h
        .core
        .data()
        .direct_debits(id, &main.account.account_id)
        .await
        .unwrap();
    assert!(
        !debits.data.is_empty(),
        "the main account pays bills by direct debit"
    );
    assert!(debits.data.iter().all(|d| !d.name.is_empty()));

    let identity = h.core.data().identity(id).await.unwrap();
    assert_eq!(identity.data[0].full_name.as_deref(), Some("John Doe"));
    assert!(identity.raw.get("/data/v1/info").is_some());
}

#[tokio::test]
async fn signup_plus_asks_for_an_account_then_reads_the_identity_through_it() {
    let h = start().await;
    let scopes = ["info", "accounts", "signupplus", "offline_access"];
    let linked = link_as(&h.core, &scopes, "john", "doe").await;
    let id = linked.connection.id.as_str();

    let first = h.core.data().signup_plus(id, None).await.unwrap();
    let SignupPlusResult::MultipleAccounts { detail, accounts } = first.data else {
        panic!("two current accounts are linked: {:?}", first.data);
    };
    assert!(!detail.is_empty());
    assert!(accounts.len() >= 2, "{accounts:?}");
    let chosen = &accounts[0];

    let second = h
        .core
        .data()
        .signup_plus(id, Some(&chosen.account_id))
        .await
        .unwrap();
    let SignupPlusResult::Identity { identity } = second.data else {
        panic!("an account was chosen: {:?}", second.data);
    };
    assert_eq!(identity.first_name.as_deref(), Some("John"));
    assert_eq!(identity.last_name.as_deref(), Some("Doe"));
    assert!(identity.address.is_some(), "Signup+ reads the address");
    assert!(
        second
            .raw
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.contains(&chosen.account_id)),
        "the raw body is kept under the query asked"
    );

    // With one current account shared, the identity comes at once.
    let single = link_accounts(
        &h.core,
        &scopes,
        "john",
        "doe",
        Some(vec![chosen.account_id.clone()]),
    )
    .await;
    let direct = h
        .core
        .data()
        .signup_plus(&single.connection.id, None)
        .await
        .unwrap();
    assert!(
        matches!(&direct.data, SignupPlusResult::Identity { identity } if identity.first_name.as_deref() == Some("John")),
        "{:?}",
        direct.data
    );
}

#[tokio::test]
async fn verification_scores_the_holder_s_name_and_refuses_an_empty_one() {
    let h = start().await;
    let linked = link_as(&h.core, &["verification"], "john", "doe").await;
    let id = linked.connection.id.as_str();

    let matched = h.core.data().verify_name(id, "John Doe").await.unwrap();
    assert!(matched.data.verified, "{:?}", matched.data);
    assert!(
        matched.data.match_score.unwrap_or_default() >= 80.0,
        "{:?}",
        matched.data.match_score
    );
    assert!(!matched.data.report.is_empty(), "a report per account");

    let other = h
        .core
        .data()
        .verify_name(id, "Sherlock Holmes")
        .await
        .unwrap();
    assert!(!other.data.verified, "another name does not match");

    let err = h.core.data().verify_name(id, "  ").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
}

#[tokio::test]
async fn an_error_persona_s_data_calls_are_explained_with_their_trace_id() {
    let h = start().await;
    let linked = link_as(
        &h.core,
        &[
            "info",
            "accounts",
            "balance",
            "transactions",
            "offline_access",
        ],
        "error.provider_error",
        "error",
    )
    .await;
    let id = linked.connection.id.as_str();

    let err = h.core.accounts().list(id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Truelayer, "{err}");
    assert!(
        err.to_string().contains("unavailable"),
        "explained in plain words: {err}"
    );
    let detail = err.detail().expect("TrueLayer's part is kept");
    assert_eq!(detail.tl_error.as_deref(), Some("provider_error"));
    assert_eq!(detail.status, Some(503));
    assert!(detail.trace_id.is_some(), "the trace id comes along");
    assert!(detail.raw.is_some(), "and the error body");

    let err = h.core.data().identity(id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Truelayer, "{err}");

    let from = Utc::now()
        .date_naive()
        .checked_sub_months(Months::new(1))
        .unwrap()
        .to_string();
    let err = h
        .core
        .transactions()
        .fetch(input("e", id, TransactionSource::Account, "any", from))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Truelayer, "{err}");
}
