//! Cards and their balances for a connection: `GET /cards`, then every `GET /cards/{id}/balance`
//! concurrently (skipped without the `balance` scope). A failed balance is reported on its card,
//! not as a failure of the list; the exact bodies are kept in `raw`, keyed by endpoint path.

use linkscope_truelayer as tl;
use serde_json::{Map, Value};

use crate::accounts::{failed_part, push_trace, raw_json};
use crate::connections::ConnectionService;
use crate::dto::{Card, CardBalance, CardWithBalance, Fetched};
use crate::error::Result;

/// The cards service.
#[derive(Debug, Clone)]
pub struct CardService {
    connections: ConnectionService,
}

impl CardService {
    pub(crate) fn new(connections: ConnectionService) -> Self {
        Self { connections }
    }

    /// `list_cards`: the cards with their balances (fetched concurrently).
    pub async fn list(&self, connection_id: &str) -> Result<Fetched<Vec<CardWithBalance>>> {
        let connection = self.connections.get(connection_id).await?;
        let with_balance = connection.scopes.iter().any(|s| s == "balance");
        let cards = self
            .connections
            .call(connection_id, |client, token| async move {
                client.cards(&token).await
            })
            .await?;

        let mut raw = Map::new();
        let mut trace_ids: Vec<String> = Vec::new();
        raw.insert("/data/v1/cards".into(), raw_json(&cards.raw));
        push_trace(&mut trace_ids, &cards.trace_ids);

        let balances = if with_balance {
            futures::future::join_all(cards.data.iter().map(|card| {
                let id = card.account_id.clone();
                self.connections.call(connection_id, move |client, token| {
                    let id = id.clone();
                    async move { client.card_balance(&token, &id).await }
                })
            }))
            .await
            .into_iter()
            .map(Some)
            .collect::<Vec<_>>()
        } else {
            cards.data.iter().map(|_| None).collect()
        };

        let mut data = Vec::with_capacity(cards.data.len());
        for (card, balance) in cards.data.into_iter().zip(balances) {
            let path = format!("/data/v1/cards/{}/balance", card.account_id);
            let (balance, balance_error) = match balance {
                None => (None, None),
                Some(Ok(answer)) => {
                    raw.insert(path, raw_json(&answer.raw));
                    push_trace(&mut trace_ids, &answer.trace_ids);
                    (Some(card_balance_dto(answer.data)), None)
                }
                Some(Err(e)) => (None, Some(failed_part(&e, path, &mut raw, &mut trace_ids))),
            };
            data.push(CardWithBalance {
                card: card_dto(card),
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
}

fn card_dto(c: tl::Card) -> Card {
    Card {
        account_id: c.account_id,
        card_network: c.card_network,
        card_type: c.card_type,
        currency: c.currency.unwrap_or_default(),
        display_name: c.display_name.unwrap_or_default(),
        partial_card_number: c.partial_card_number,
        name_on_card: c.name_on_card,
        valid_from: c.valid_from,
        valid_to: c.valid_to,
    }
}

fn card_balance_dto(b: tl::CardBalance) -> CardBalance {
    let ts = |t: Option<tl::Timestamp>| t.map(|t| t.as_str().to_owned());
    CardBalance {
        currency: b.currency.unwrap_or_default(),
        available: b.available,
        current: b.current,
        credit_limit: b.credit_limit,
        last_statement_balance: b.last_statement_balance,
        last_statement_date: ts(b.last_statement_date),
        payment_due: b.payment_due,
        payment_due_date: ts(b.payment_due_date),
        update_timestamp: ts(b.update_timestamp),
    }
}
