//! Data API v1 (`{api}/data/v1`): every endpoint as a typed call returning [`ApiResponse`] (the
//! parsed results plus the exact raw JSON body and trace ids), plus `/api/providers` and batch.
//! Async mode lives in `async_mode.rs`, long transaction ranges in `transactions_windowed.rs`.
//!
//! Owns: the `{results: [...], status}` envelope and the one-element-array convention of
//! single-object endpoints. Must not: reinterpret data (models keep what the bank sent).

pub mod async_mode;
pub mod models;
pub mod transactions_windowed;

use chrono::NaiveDate;
use http::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use url::Url;

use crate::client::Client;
use crate::error::{Error, Result, TraceIds};
use crate::http::{Body, Call, Reply, Retry};
use crate::operation::Operation;
use crate::secret::AccessToken;
use crate::types::Scope;

use models::{
    Account, AccountBalance, BatchResults, Card, CardBalance, DirectDebit, Info, Me, ProviderInfo,
    StandingOrder, Transaction,
};

/// A successful answer: the parsed data, the exact body as received (for the raw-JSON view;
/// Data API bodies carry no secrets), the status and the trace ids.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiResponse<T> {
    /// The parsed results.
    pub data: T,
    /// The body exactly as received.
    pub raw: String,
    /// The HTTP status (200, or 202 for async starts).
    pub status: u16,
    /// `X-TL-Correlation-Id`, `Tl-Trace-Id`, `X-Request-Id`.
    pub trace_ids: TraceIds,
}

impl<T> ApiResponse<T> {
    /// The raw body parsed as generic JSON (key order preserved).
    pub fn raw_json(&self) -> Result<serde_json::Value> {
        serde_json::from_str(&self.raw).map_err(|e| Error::invalid("raw body", e.to_string()))
    }

    /// Keeps raw body and ids, transforms the data.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            data: f(self.data),
            raw: self.raw,
            status: self.status,
            trace_ids: self.trace_ids,
        }
    }

    pub(crate) fn from_reply(reply: &Reply, data: T) -> Result<Self> {
        Ok(Self {
            data,
            raw: reply.text()?.to_owned(),
            status: reply.status.as_u16(),
            trace_ids: reply.trace_ids.clone(),
        })
    }
}

/// An inclusive range of dates for transactions (`from`/`to`, sent as `YYYY-MM-DD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct DateRange {
    from: NaiveDate,
    to: NaiveDate,
}

impl DateRange {
    /// `from` to `to`, both included; `from` must not be after `to`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self> {
        if from > to {
            return Err(Error::invalid(
                "date range",
                format!("from ({from}) is after to ({to})"),
            ));
        }
        Ok(Self { from, to })
    }

    /// First day.
    pub fn from(&self) -> NaiveDate {
        self.from
    }

    /// Last day.
    pub fn to(&self) -> NaiveDate {
        self.to
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        vec![
            ("from", self.from.format("%Y-%m-%d").to_string()),
            ("to", self.to.format("%Y-%m-%d").to_string()),
        ]
    }
}

/// One Data API read, as data: used by the typed methods, by async mode and by the coverage
/// matrix. Card endpoints take the card's id (the spec still names it `account_id`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DataRequest {
    /// `GET /me`.
    Me,
    /// `GET /info`.
    Info,
    /// `GET /accounts`.
    Accounts,
    /// `GET /accounts/{id}`.
    Account(String),
    /// `GET /accounts/{id}/balance`.
    AccountBalance(String),
    /// `GET /accounts/{id}/transactions[?from&to]`.
    AccountTransactions(String, Option<DateRange>),
    /// `GET /accounts/{id}/transactions/pending[?from&to]`.
    AccountPendingTransactions(String, Option<DateRange>),
    /// `GET /accounts/{id}/standing_orders`.
    StandingOrders(String),
    /// `GET /accounts/{id}/direct_debits`.
    DirectDebits(String),
    /// `GET /cards`.
    Cards,
    /// `GET /cards/{id}`.
    Card(String),
    /// `GET /cards/{id}/balance`.
    CardBalance(String),
    /// `GET /cards/{id}/transactions[?from&to]`.
    CardTransactions(String, Option<DateRange>),
    /// `GET /cards/{id}/transactions/pending[?from&to]`.
    CardPendingTransactions(String, Option<DateRange>),
}

impl DataRequest {
    /// The operation name.
    pub fn operation(&self) -> Operation {
        match self {
            DataRequest::Me => Operation::Me,
            DataRequest::Info => Operation::Info,
            DataRequest::Accounts => Operation::Accounts,
            DataRequest::Account(_) => Operation::Account,
            DataRequest::AccountBalance(_) => Operation::AccountBalance,
            DataRequest::AccountTransactions(..) => Operation::AccountTransactions,
            DataRequest::AccountPendingTransactions(..) => Operation::AccountPendingTransactions,
            DataRequest::StandingOrders(_) => Operation::StandingOrders,
            DataRequest::DirectDebits(_) => Operation::DirectDebits,
            DataRequest::Cards => Operation::Cards,
            DataRequest::Card(_) => Operation::Card,
            DataRequest::CardBalance(_) => Operation::CardBalance,
            DataRequest::CardTransactions(..) => Operation::CardTransactions,
            DataRequest::CardPendingTransactions(..) => Operation::CardPendingTransactions,
        }
    }

    /// The scope TrueLayer requires for it (`None` for `/me`, which any token may call).
    pub fn required_scope(&self) -> Option<Scope> {
        Some(match self {
            DataRequest::Me => return None,
            DataRequest::Info => Scope::INFO,
            DataRequest::Accounts | DataRequest::Account(_) => Scope::ACCOUNTS,
            DataRequest::AccountBalance(_) | DataRequest::CardBalance(_) => Scope::BALANCE,
            DataRequest::AccountTransactions(..)
            | DataRequest::AccountPendingTransactions(..)
            | DataRequest::CardTransactions(..)
            | DataRequest::CardPendingTransactions(..) => Scope::TRANSACTIONS,
            DataRequest::StandingOrders(_) => Scope::STANDING_ORDERS,
            DataRequest::DirectDebits(_) => Scope::DIRECT_DEBITS,
            DataRequest::Cards | DataRequest::Card(_) => Scope::CARDS,
        })
    }

    /// Whether the endpoint takes `async=true` (TrueLayer: every Data API read except `/me`
    /// and `/info`).
    pub fn supports_async(&self) -> bool {
        !matches!(self, DataRequest::Me | DataRequest::Info)
    }

    fn segments(&self) -> Vec<&str> {
        match self {
            DataRequest::Me => vec!["me"],
            DataRequest::Info => vec!["info"],
            DataRequest::Accounts => vec!["accounts"],
            DataRequest::Account(id) => vec!["accounts", id],
            DataRequest::AccountBalance(id) => vec!["accounts", id, "balance"],
            DataRequest::AccountTransactions(id, _) => vec!["accounts", id, "transactions"],
            DataRequest::AccountPendingTransactions(id, _) => {
                vec!["accounts", id, "transactions", "pending"]
            }
            DataRequest::StandingOrders(id) => vec!["accounts", id, "standing_orders"],
            DataRequest::DirectDebits(id) => vec!["accounts", id, "direct_debits"],
            DataRequest::Cards => vec!["cards"],
            DataRequest::Card(id) => vec!["cards", id],
            DataRequest::CardBalance(id) => vec!["cards", id, "balance"],
            DataRequest::CardTransactions(id, _) => vec!["cards", id, "transactions"],
            DataRequest::CardPendingTransactions(id, _) => {
                vec!["cards", id, "transactions", "pending"]
            }
        }
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        match self {
            DataRequest::AccountTransactions(_, Some(range))
            | DataRequest::AccountPendingTransactions(_, Some(range))
            | DataRequest::CardTransactions(_, Some(range))
            | DataRequest::CardPendingTransactions(_, Some(range)) => range.query(),
            _ => Vec::new(),
        }
    }

    /// The full URL in `client`'s environment, with `extra` query parameters.
    pub(crate) fn url(&self, client: &Client, extra: &[(&str, &str)]) -> Url {
        let mut url = client.environment().data_url(&self.segments());
        let query = self.query();
        if !query.is_empty() || !extra.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &query {
                pairs.append_pair(k, v);
            }
            for (k, v) in extra {
                pairs.append_pair(k, v);
            }
        }
        url
    }
}

/// The Data API envelope.
#[derive(Deserialize)]
pub(crate) struct Envelope<T> {
    pub(crate) results: Vec<T>,
}

/// Reads `{"results": [...]}` into items of `T`.
pub(crate) fn parse_results<T: DeserializeOwned>(reply: &Reply) -> Result<Vec<T>> {
    Ok(reply.json::<Envelope<T>>()?.results)
}

/// Optional filters of `/api/providers`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProvidersQuery {
    /// Only providers enabled for this environment's client_id.
    pub enabled_for_client: bool,
    /// Only providers supporting all these scopes.
    pub scopes: Vec<Scope>,
    /// Only these countries (lower-case alpha-2, `uk` not `gb`).
    pub countries: Vec<String>,
}

/// The body of `POST /batch/transactions`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct BatchRequest {
    /// First day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Last day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// Include pending transactions.
    pub pending: bool,
    /// Include balances.
    pub balance: bool,
    /// Notified by POST when the batch is done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_uri: Option<Url>,
    /// Only these accounts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub account_ids_whitelist: Vec<String>,
}

impl Client {
    /// Sends one Data API read and returns the successful reply; in async mode (see
    /// [`Client::in_async_mode`]) a read that has one goes async and the reply is the results'.
    pub(crate) async fn data_get(
        &self,
        token: &AccessToken,
        request: &DataRequest,
        extra_query: &[(&str, &str)],
    ) -> Result<Reply> {
        match self.async_mode() {
            Some(mode) if extra_query.is_empty() && request.supports_async() => {
                self.data_get_async(token, request, mode).await
            }
            _ => self.data_get_now(token, request, extra_query).await,
        }
    }

    /// [`Client::data_get`] as one synchronous exchange.
    pub(crate) async fn data_get_now(
        &self,
        token: &AccessToken,
        request: &DataRequest,
        extra_query: &[(&str, &str)],
    ) -> Result<Reply> {
        self.http()
            .send(Call {
                operation: request.operation(),
                method: Method::GET,
                url: request.url(self, extra_query),
                bearer: Some(token),
                body: Body::Empty,
                retry: Retry::Idempotent,
                secrets: Vec::new(),
            })
            .await?
            .ensure_success()
    }

    /// Any Data API read, with its results as `T` (use `serde_json::Value` for untyped items).
    pub async fn data<T: DeserializeOwned>(
        &self,
        token: &AccessToken,
        request: &DataRequest,
    ) -> Result<ApiResponse<Vec<T>>> {
        let reply = self.data_get(token, request, &[]).await?;
        let items = parse_results(&reply)?;
        ApiResponse::from_reply(&reply, items)
    }

    /// A read whose `results` array must hold exactly one item.
    async fn data_one<T: DeserializeOwned>(
        &self,
        token: &AccessToken,
        request: &DataRequest,
    ) -> Result<ApiResponse<T>> {
        let reply = self.data_get(token, request, &[]).await?;
        let mut items: Vec<T> = parse_results(&reply)?;
        if items.len() != 1 {
            return Err(reply.decode_error(format!(
                "expected exactly one item in results, got {}",
                items.len()
            )));
        }
        let Some(item) = items.pop() else {
            return Err(reply.decode_error("results is empty"));
        };
        ApiResponse::from_reply(&reply, item)
    }

    /// `GET /me`: the connection's metadata (consent dates, provider, scopes).
    pub async fn me(&self, token: &AccessToken) -> Result<ApiResponse<Me>> {
        self.data_one(token, &DataRequest::Me).await
    }

    /// `GET /info`: the account holder's identity.
    pub async fn info(&self, token: &AccessToken) -> Result<ApiResponse<Vec<Info>>> {
        self.data(token, &DataRequest::Info).await
    }

    /// `GET /accounts`.
    pub async fn accounts(&self, token: &AccessToken) -> Result<ApiResponse<Vec<Account>>> {
        self.data(token, &DataRequest::Accounts).await
    }

    /// `GET /accounts/{id}`.
    pub async fn account(
        &self,
        token: &AccessToken,
        account_id: &str,
    ) -> Result<ApiResponse<Account>> {
        self.data_one(token, &DataRequest::Account(account_id.to_owned()))
            .await
    }

    /// `GET /accounts/{id}/balance`.
    pub async fn account_balance(
        &self,
        token: &AccessToken,
        account_id: &str,
    ) -> Result<ApiResponse<AccountBalance>> {
        self.data_one(token, &DataRequest::AccountBalance(account_id.to_owned()))
            .await
    }

    /// `GET /accounts/{id}/transactions`, optionally limited to a date range. For ranges over
    /// three months use [`Client::transactions_windowed`].
    pub async fn account_transactions(
        &self,
        token: &AccessToken,
        account_id: &str,
        range: Option<DateRange>,
    ) -> Result<ApiResponse<Vec<Transaction>>> {
        self.data(
            token,
            &DataRequest::AccountTransactions(account_id.to_owned(), range),
        )
        .await
    }

    /// `GET /accounts/{id}/transactions/pending`.
    pub async fn account_pending_transactions(
        &self,
        token: &AccessToken,
        account_id: &str,
        range: Option<DateRange>,
    ) -> Result<ApiResponse<Vec<Transaction>>> {
        self.data(
            token,
            &DataRequest::AccountPendingTransactions(account_id.to_owned(), range),
        )
        .await
    }

    /// `GET /accounts/{id}/standing_orders`.
    pub async fn standing_orders(
        &self,
        token: &AccessToken,
        account_id: &str,
    ) -> Result<ApiResponse<Vec<StandingOrder>>> {
        self.data(token, &DataRequest::StandingOrders(account_id.to_owned()))
            .await
    }

    /// `GET /accounts/{id}/direct_debits`.
    pub async fn direct_debits(
        &self,
        token: &AccessToken,
        account_id: &str,
    ) -> Result<ApiResponse<Vec<DirectDebit>>> {
        self.data(token, &DataRequest::DirectDebits(account_id.to_owned()))
            .await
    }

    /// `GET /cards`.
    pub async fn cards(&self, token: &AccessToken) -> Result<ApiResponse<Vec<Card>>> {
        self.data(token, &DataRequest::Cards).await
    }

    /// `GET /cards/{id}`.
    pub async fn card(&self, token: &AccessToken, card_id: &str) -> Result<ApiResponse<Card>> {
        self.data_one(token, &DataRequest::Card(card_id.to_owned()))
            .await
    }

    /// `GET /cards/{id}/balance`.
    pub async fn card_balance(
        &self,
        token: &AccessToken,
        card_id: &str,
    ) -> Result<ApiResponse<CardBalance>> {
        self.data_one(token, &DataRequest::CardBalance(card_id.to_owned()))
            .await
    }

    /// `GET /cards/{id}/transactions`.
    pub async fn card_transactions(
        &self,
        token: &AccessToken,
        card_id: &str,
        range: Option<DateRange>,
    ) -> Result<ApiResponse<Vec<Transaction>>> {
        self.data(
            token,
            &DataRequest::CardTransactions(card_id.to_owned(), range),
        )
        .await
    }

    /// `GET /cards/{id}/transactions/pending`.
    pub async fn card_pending_transactions(
        &self,
        token: &AccessToken,
        card_id: &str,
        range: Option<DateRange>,
    ) -> Result<ApiResponse<Vec<Transaction>>> {
        self.data(
            token,
            &DataRequest::CardPendingTransactions(card_id.to_owned(), range),
        )
        .await
    }

    /// `POST /batch/transactions`: starts a batch; fetch it with [`Client::batch_results`] or
    /// wait for it with [`Client::wait_async`] on the returned task.
    pub async fn batch_transactions(
        &self,
        token: &AccessToken,
        request: &BatchRequest,
    ) -> Result<ApiResponse<async_mode::AsyncTask>> {
        let body = serde_json::to_value(request)
            .map_err(|e| Error::invalid("batch request", e.to_string()))?;
        let reply = self
            .http()
            .send(Call {
                operation: Operation::BatchTransactions,
                method: Method::POST,
                url: self.environment().data_url(&["batch", "transactions"]),
                bearer: Some(token),
                body: Body::Json(body),
                retry: Retry::UnprocessedOnly,
                secrets: Vec::new(),
            })
            .await?
            .ensure_success()?;
        let task = reply.json()?;
        ApiResponse::from_reply(&reply, task)
    }

    /// `GET /batch/results`.
    pub async fn batch_results(&self, token: &AccessToken) -> Result<ApiResponse<BatchResults>> {
        let reply = self
            .http()
            .send(Call {
                operation: Operation::BatchResults,
                method: Method::GET,
                url: self.environment().data_url(&["batch", "results"]),
                bearer: Some(token),
                body: Body::Empty,
                retry: Retry::Idempotent,
                secrets: Vec::new(),
            })
            .await?
            .ensure_success()?;
        let results = reply.json()?;
        ApiResponse::from_reply(&reply, results)
    }

    /// `GET {auth}/api/providers`: the bank picker's list (a bare JSON array, no auth).
    pub async fn providers(
        &self,
        query: &ProvidersQuery,
    ) -> Result<ApiResponse<Vec<ProviderInfo>>> {
        let env = self.environment();
        let mut url = env.providers_url();
        {
            let mut pairs = url.query_pairs_mut();
            if query.enabled_for_client {
                pairs.append_pair("clientId", env.client_id().as_str());
            }
            if !query.scopes.is_empty() {
                pairs.append_pair("scopes", &Scope::join(&query.scopes));
            }
            if !query.countries.is_empty() {
                pairs.append_pair("country", &query.countries.join(" "));
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        let reply = self
            .http()
            .send(Call {
                operation: Operation::Providers,
                method: Method::GET,
                url,
                bearer: None,
                body: Body::Empty,
                retry: Retry::Idempotent,
                secrets: Vec::new(),
            })
            .await?
            .ensure_success()?;
        let providers = reply.json()?;
        ApiResponse::from_reply(&reply, providers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::tests_support::{capture_client, reply};

    #[test]
    fn single_object_endpoints_read_a_one_element_results_array() {
        let r = reply(
            200,
            r#"{"results":[{"currency":"GBP","available":2150.8,"current":1161.2,"overdraft":1000,"update_timestamp":"2017-02-07T17:33:30.001222Z"}],"status":"Succeeded"}"#,
        );
        let items: Vec<AccountBalance> = parse_results(&r).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].current, 1161.2);
    }

    #[test]
    fn a_body_without_results_is_a_decode_error_with_the_raw_body() {
        let r = reply(200, r#"{"status":"Succeeded"}"#);
        let err = parse_results::<Account>(&r).unwrap_err();
        let Error::Decode(d) = err else {
            panic!("expected decode error")
        };
        assert!(d.message.contains("results"), "{}", d.message);
        assert_eq!(d.raw_body, r#"{"status":"Succeeded"}"#);
    }

    #[test]
    fn date_ranges_refuse_to_run_backwards() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(DateRange::new(d("2024-02-01"), d("2024-01-01")).is_err());
        assert!(DateRange::new(d("2024-01-01"), d("2024-01-01")).is_ok());
    }

    #[tokio::test]
    async fn data_reads_send_the_bearer_token_and_encode_ids_and_dates() {
        let (client, captured) = capture_client();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let range = DateRange::new(d("2024-01-01"), d("2024-03-31")).unwrap();
        let _ = client
            .account_transactions(&AccessToken::new("tok-123456"), "acc/1", Some(range))
            .await;
        let r = &captured.requests()[0];
        assert_eq!(r.method, "GET");
        assert_eq!(
            r.uri,
            "https://api.truelayer-sandbox.com/data/v1/accounts/acc%2F1/transactions?from=2024-01-01&to=2024-03-31"
        );
        assert_eq!(r.header("authorization"), Some("Bearer tok-123456"));
        assert_eq!(r.body, "");
    }

    #[tokio::test]
    async fn the_providers_query_uses_the_documented_parameter_names() {
        let (client, captured) = capture_client();
        let _ = client
            .providers(&ProvidersQuery {
                enabled_for_client: true,
                scopes: vec![Scope::INFO, Scope::ACCOUNTS],
                countries: vec!["uk".into()],
            })
            .await;
        let _ = client.providers(&ProvidersQuery::default()).await;
        let requests = captured.requests();
        assert_eq!(
            requests[0].uri,
            "https://auth.truelayer-sandbox.com/api/providers?clientId=sandbox-test-abc123&scopes=info+accounts&country=uk"
        );
        assert_eq!(requests[0].header("authorization"), None);
        assert_eq!(
            requests.last().unwrap().uri,
            "https://auth.truelayer-sandbox.com/api/providers"
        );
    }

    #[test]
    fn every_request_names_its_required_scope() {
        assert_eq!(DataRequest::Me.required_scope(), None);
        assert_eq!(
            DataRequest::CardBalance("c".into()).required_scope(),
            Some(Scope::BALANCE)
        );
        assert_eq!(
            DataRequest::DirectDebits("a".into()).required_scope(),
            Some(Scope::DIRECT_DEBITS)
        );
    }
}
