//! A connection's lifecycle beyond refresh: extend (`POST /data/v1/connections/extend`), revoke
//! (`DELETE {auth}/api/delete`) and forget (drop it from this app).
//!
//! Extend (DESIGN.md §2, API.md §7): `no_action_needed` brings new tokens, stored at once
//! (refresh token first) with the consent dates read again from `/me`; the two outcomes that
//! need the user are wrapped in a link session around `user_input_link` whose redirect, captured
//! like a new link's (deep link, loopback, paste), renews THIS connection. The `user` TrueLayer
//! wants from unregulated clients (a name and an email or phone) is read from `/info` when the
//! connection has the `info` scope; without it only the user id is sent and TrueLayer's answer
//! is explained. Revoke deletes the tokens and marks the connection `revoked`: every later
//! data call is refused. Forget deletes the tokens and the row; the request log keeps its
//! (already redacted) rows.
//!
//! Live interlock (DESIGN.md §6): in a live environment (the same test as the live chrome,
//! [`is_live`]: TrueLayer live by kind or host, or marked live) extend and revoke are refused
//! until the user unlocks them for this session ([`LifecycleService::set_live_unlocked`]); the
//! UI shows the lock core reports (`Environment.liveUnlocked`), and this is the guard.

use std::sync::Arc;

use linkscope_truelayer as tl;

use crate::connections::ConnectionService;
use crate::context::{Shared, CURRENT_CONNECTION};
use crate::data::transactions::TransactionService;
use crate::dto::{Connection, ConnectionStatus, ExtendAction, ExtendOutcome, RedirectKind};
use crate::error::{Error, Result};
use crate::link::environments::is_live;
use crate::link::sessions::LinkService;
use crate::storage::secrets::SecretKey;
use crate::storage::store::EnvironmentRow;

/// Extend, revoke, forget.
#[derive(Debug, Clone)]
pub struct LifecycleService {
    shared: Arc<Shared>,
    connections: ConnectionService,
    links: LinkService,
    transactions: TransactionService,
}

impl LifecycleService {
    pub(crate) fn new(
        shared: Arc<Shared>,
        connections: ConnectionService,
        links: LinkService,
        transactions: TransactionService,
    ) -> Self {
        Self {
            shared,
            connections,
            links,
            transactions,
        }
    }

    /// `set_live_unlocked`: allows (or again refuses) extend and revoke on the connections of a
    /// live environment, for this session only.
    pub fn set_live_unlocked(&self, environment_id: &str, unlocked: bool) -> Result<()> {
        self.shared.environment(environment_id)?;
        self.shared.set_live_unlocked(environment_id, unlocked);
        Ok(())
    }

    /// Refuses a consent-changing action on a live connection that was not unlocked.
    fn ensure_changeable(&self, env: &EnvironmentRow) -> Result<()> {
        if is_live(env) && !self.shared.is_live_unlocked(&env.id) {
            return Err(Error::Validation(
                "This connection is in a live environment, where extend and revoke are locked so \
                 that nobody changes a real customer's consent by accident. Unlock them first \
                 (More → Unlock extend and revoke)."
                    .into(),
            ));
        }
        Ok(())
    }

    /// `extend_connection`: asks TrueLayer to extend the consent. `redirect` is where the user
    /// comes back if they must act (the shell passes [`RedirectKind::DeepLink`]).
    pub async fn extend(&self, id: &str, redirect: RedirectKind) -> Result<ExtendOutcome> {
        let row = self.connections.row(id)?;
        let env = self.shared.environment(&row.environment_id)?;
        self.ensure_changeable(&env)?;
        if row.status == ConnectionStatus::Revoked {
            return Err(Error::Validation(
                "This connection was revoked; it cannot be extended. Link the account again."
                    .into(),
            ));
        }
        let refresh_token = self
            .shared
            .secrets
            .get(&SecretKey::refresh_token(id))
            .await?
            .ok_or_else(|| {
                Error::Validation(
                    "This connection has no refresh token (it was linked without \
                     offline_access), so it cannot be extended. Re-consent instead."
                        .into(),
                )
            })?;
        let client = self.shared.client_with_secret(&env).await?;
        let redirect_uri = self.shared.config.redirect_uri(redirect).ok_or_else(|| {
            Error::Validation("An extension comes back on the deep link, loopback or paste.".into())
        })?;
        let redirect_uri = tl::RedirectUri::new(redirect_uri).map_err(Error::from_tl)?;
        let user = self.extend_user(id, &row.scopes).await;

        let refresh_token = tl::RefreshToken::new(refresh_token.expose());
        let request = tl::ExtendRequest::new(&refresh_token, redirect_uri, user);
        let outcome = CURRENT_CONNECTION
            .scope(id.to_owned(), client.extend_connection(request))
            .await
            .map_err(Error::from_tl)?;
        match outcome {
            tl::ExtendOutcome::NoActionNeeded(tokens) => {
                let me = CURRENT_CONNECTION
                    .scope(
                        id.to_owned(),
                        client.me(&tl::AccessToken::new(tokens.access_token.secret())),
                    )
                    .await
                    .ok();
                let connection = self
                    .connections
                    .renewed(id, tokens, me.as_ref().map(|m| &m.data), false)
                    .await?;
                Ok(ExtendOutcome::Renewed {
                    connection: Box::new(connection),
                })
            }
            tl::ExtendOutcome::ReconfirmationOfConsentNeeded {
                user_input_link,
                pending,
            } => Ok(ExtendOutcome::UserInputNeeded {
                action: ExtendAction::ReconfirmationOfConsentNeeded,
                preview: self
                    .links
                    .start_renewal(id, &row.environment_id, &user_input_link, pending, redirect)
                    .await?,
            }),
            tl::ExtendOutcome::AuthenticationNeeded {
                user_input_link,
                pending,
            } => Ok(ExtendOutcome::UserInputNeeded {
                action: ExtendAction::AuthenticationNeeded,
                preview: self
                    .links
                    .start_renewal(id, &row.environment_id, &user_input_link, pending, redirect)
                    .await?,
            }),
        }
    }

    /// `revoke_connection`: `DELETE {auth}/api/delete`, then the tokens are deleted and the
    /// connection is marked `revoked` (later data calls are refused).
    pub async fn revoke(&self, id: &str) -> Result<Connection> {
        let row = self.connections.row(id)?;
        self.ensure_changeable(&self.shared.environment(&row.environment_id)?)?;
        self.connections
            .call(id, |client, token| async move {
                client.delete_connection(&token).await
            })
            .await?;
        self.connections.mark_revoked(id).await
    }

    /// `forget_connection`: deletes the tokens from the secret store and the connection from
    /// the database (its fetched transactions too). Request-log rows stay: they hold no secret.
    pub async fn forget(&self, id: &str) -> Result<()> {
        self.transactions.drop_connection(id);
        self.connections.forget(id).await
    }

    /// The end user as `/connections/extend` wants them, from `/info` when allowed.
    async fn extend_user(&self, id: &str, scopes: &[String]) -> tl::ExtendUser {
        let mut user = tl::ExtendUser {
            id: id.to_owned(),
            ..Default::default()
        };
        if !scopes.iter().any(|s| s == "info") {
            return user;
        }
        let info = self
            .connections
            .call(id, |client, token| async move { client.info(&token).await })
            .await;
        if let Some(info) = info.ok().and_then(|i| i.data.into_iter().next()) {
            user.name = info.full_name.filter(|n| !n.trim().is_empty());
            user.email = info.emails.into_iter().find(|e| !e.trim().is_empty());
            user.phone = info.phones.into_iter().find(|p| !p.trim().is_empty());
        }
        user
    }
}
