//! Cards and their balances for a connection: `GET /cards`, then every `GET /cards/{id}/balance`
//! concurrently (skipped without the `balance` scope). A failed balance is reported on its card,
//! not as a failure of the list; the exact bodies are kept in `raw`, keyed by endpoint path.

use linkscope_truelayer as tl;

use crate::connections::ConnectionService;
use crate::data::fetched::{list_with_balances, WithBalance};
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
        let fetched = list_with_balances::<tl::Card>(&self.connections, connection_id).await?;
        Ok(fetched.map(|all| {
            all.into_iter()
                .map(|b| CardWithBalance {
                    card: card_dto(b.item),
                    balance: b.balance.map(card_balance_dto),
                    balance_error: b.balance_error,
                })
                .collect()
        }))
    }
}

impl WithBalance for tl::Card {
    type Balance = tl::CardBalance;
    const KIND: &'static str = "cards";

    fn id(&self) -> &str {
        &self.account_id
    }

    async fn list(
        client: tl::Client,
        token: tl::AccessToken,
    ) -> tl::Result<tl::ApiResponse<Vec<Self>>> {
        client.cards(&token).await
    }

    async fn balance(
        client: tl::Client,
        token: tl::AccessToken,
        id: String,
    ) -> tl::Result<tl::ApiResponse<Self::Balance>> {
        client.card_balance(&token, &id).await
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
