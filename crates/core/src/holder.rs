//! Account holder verification v3 and bank lookup, per environment: no end user, a
//! `client_credentials` token with the `verification` scope (the context's app token, reused
//! across calls), requests signed with the environment's signing key (kept in the secret store
//! beside its key id, like the client secret; it never reaches SQLite, IPC or logs). A
//! verification is created with a fresh `Idempotency-Key` and polled until it ends; the answer
//! lists every poll.

use std::sync::Arc;
use std::time::Duration;

use linkscope_truelayer as tl;

use crate::context::Shared;
use crate::dto::{
    AccountInput, BankLookupResult, HolderMatch, HolderPoll, HolderVerificationInput,
    HolderVerificationResult, SigningKeyInput, SigningKeyStatus,
};
use crate::error::{Error, Result};
use crate::storage::secrets::{SecretKey, SecretValue, Secrets};

/// How often a pending verification is asked again.
const POLL_EVERY: Duration = Duration::from_millis(400);
/// How many times it is asked before the answer says it is still pending.
const MAX_POLLS: usize = 25;
/// How long a verification's result waits for its webhook after the last poll.
const WEBHOOK_WAIT: Duration = Duration::from_secs(5);

/// The account holder verification service.
#[derive(Debug, Clone)]
pub struct HolderService {
    shared: Arc<Shared>,
}

impl HolderService {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// `get_signing_key_status`: the environment's signing key id, if it has a key.
    pub async fn signing_key_status(&self, environment_id: &str) -> Result<SigningKeyStatus> {
        self.shared.environment(environment_id)?;
        let key_id = self
            .stored_signer(environment_id)
            .await?
            .map(|signer| signer.key_id().to_owned());
        Ok(SigningKeyStatus {
            environment_id: environment_id.to_owned(),
            key_id,
        })
    }

    /// `set_signing_key`: checks the key is a P-521 private key (by signing with it) and keeps it
    /// and its id in the secret store. A bad key changes nothing.
    pub async fn set_signing_key(&self, input: SigningKeyInput) -> Result<SigningKeyStatus> {
        self.shared.environment(&input.environment_id)?;
        let signer =
            tl::RequestSigner::new(&input.key_id, input.private_key_pem).map_err(Error::from_tl)?;
        if !store_key(
            &self.shared.secrets,
            &input.environment_id,
            signer.key_id(),
            signer.key().secret(),
        )
        .await
        {
            return Err(Error::internal("the signing key could not be stored"));
        }
        self.signing_key_status(&input.environment_id).await
    }

    /// `clear_signing_key`.
    pub async fn clear_signing_key(&self, environment_id: &str) -> Result<SigningKeyStatus> {
        self.shared.environment(environment_id)?;
        self.shared
            .secrets
            .delete(&SecretKey::signing_key(environment_id))
            .await?;
        self.shared
            .secrets
            .delete(&SecretKey::signing_key_id(environment_id))
            .await?;
        self.signing_key_status(environment_id).await
    }

    /// The environment's signer, when it has a usable key.
    /// A keychain that cannot be read is an error, not "no key".
    async fn stored_signer(&self, environment_id: &str) -> Result<Option<tl::RequestSigner>> {
        let Some((key_id, key)) = stored_key(&self.shared.secrets, environment_id).await? else {
            return Ok(None);
        };
        Ok(tl::RequestSigner::new(&key_id, tl::SigningKey::new(key.expose())).ok())
    }

    /// `verify_account_holder`: creates a signed verification and polls it until it ends.
    pub async fn verify(&self, input: HolderVerificationInput) -> Result<HolderVerificationResult> {
        let account = identifier(input.account)?;
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > tl::MAX_NAME_CHARS {
            return Err(Error::Validation(format!(
                "Enter the account holder's name: 1 to {} characters.",
                tl::MAX_NAME_CHARS
            )));
        }
        let signer = self.stored_signer(&input.environment_id).await?.ok_or_else(|| {
            Error::Validation(
                "This environment has no request-signing key: add its key id and private key in Settings."
                    .into(),
            )
        })?;
        let env = self.shared.environment(&input.environment_id)?;
        let client = &self.shared.client_with_secret(&env).await?;
        let idempotency_key = uuid::Uuid::new_v4().to_string();
        let (key, signer, account) = (idempotency_key.as_str(), &signer, &account);
        // Made again only after a 401, with the same idempotency key: one verification.
        let created = self
            .shared
            .with_app_token(&env, &tl::Scope::VERIFICATION, |token| async move {
                client
                    .create_holder_verification(&token, signer, key, name, account)
                    .await
            })
            .await?;
        let id = created.data;
        let webhook_expected = self
            .shared
            .async_runs
            .console_webhook(&input.environment_id);
        if webhook_expected {
            self.shared
                .async_runs
                .expect_verification(&id, &input.environment_id, client);
        }
        let mut polls = Vec::new();
        let mut last = None;
        let polled = id.as_str();
        for attempt in 0..MAX_POLLS {
            if attempt > 0 {
                tokio::time::sleep(POLL_EVERY).await;
            }
            let answer = self
                .shared
                .with_app_token(&env, &tl::Scope::VERIFICATION, |token| async move {
                    client.holder_verification(&token, polled).await
                })
                .await?;
            polls.push(HolderPoll {
                at: crate::now_rfc3339(),
                status: answer.data.status.clone(),
            });
            let done = answer.data.is_final();
            last = Some(answer);
            if done {
                break;
            }
        }
        let Some(last) = last else {
            return Err(Error::internal("the verification was never polled"));
        };
        let trace_id = last
            .trace_ids
            .primary()
            .or_else(|| created.trace_ids.primary())
            .map(str::to_owned);
        let verification = last.data;
        let webhooks = if webhook_expected {
            self.settled_webhooks(&id).await
        } else {
            Vec::new()
        };
        Ok(HolderVerificationResult {
            id,
            idempotency_key,
            key_id: signer.key_id().to_owned(),
            status: verification.status,
            match_result: verification.match_result.map(|m| HolderMatch {
                kind: m.kind,
                account_holder_name: m.account_holder_name,
                reason: m.reason,
            }),
            failure_reason: verification.failure_reason,
            polls,
            trace_id,
            webhooks,
        })
    }

    /// The verification's webhooks once one has arrived and been checked, or what there is
    /// after [`WEBHOOK_WAIT`] (the sender sends it when the verification ends, as the last poll
    /// sees it, so it is usually there already).
    async fn settled_webhooks(&self, id: &str) -> Vec<crate::dto::WebhookArrival> {
        let deadline = tokio::time::Instant::now() + WEBHOOK_WAIT;
        loop {
            let webhooks = self.shared.async_runs.verification_webhooks(id);
            let settled = webhooks
                .last()
                .is_some_and(|w| w.signature != crate::dto::WebhookSignature::Checking);
            if settled || tokio::time::Instant::now() >= deadline {
                return webhooks;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// `bank_lookup`: the bank that holds the account.
    pub async fn bank_lookup(
        &self,
        environment_id: &str,
        account: AccountInput,
    ) -> Result<BankLookupResult> {
        let account = &identifier(account)?;
        let env = self.shared.environment(environment_id)?;
        let client = &self.shared.client_with_secret(&env).await?;
        let bank = self
            .shared
            .with_app_token(&env, &tl::Scope::VERIFICATION, |token| async move {
                client.bank_lookup(&token, account).await
            })
            .await?
            .data;
        Ok(BankLookupResult {
            bic: bank.bic,
            name: bank.name,
        })
    }
}

/// An environment's stored signing key: its id and the private key (PEM); `None` when it has
/// none (a keychain that cannot be read is an error).
pub(crate) async fn stored_key(
    secrets: &Secrets,
    environment_id: &str,
) -> Result<Option<(String, SecretValue)>> {
    let Some(key) = secrets.get(&SecretKey::signing_key(environment_id)).await? else {
        return Ok(None);
    };
    let Some(key_id) = secrets
        .get(&SecretKey::signing_key_id(environment_id))
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((key_id.expose().to_owned(), key)))
}

/// Keeps an environment's signing key and its id (the built-in sandbox's demo key is seeded
/// this way too); false when the store refused it.
pub(crate) async fn store_key(
    secrets: &Secrets,
    environment_id: &str,
    key_id: &str,
    private_key_pem: &str,
) -> bool {
    secrets
        .set(
            &SecretKey::signing_key(environment_id),
            &SecretValue::new(private_key_pem.to_owned()),
        )
        .await
        && secrets
            .set(
                &SecretKey::signing_key_id(environment_id),
                &SecretValue::new(key_id.to_owned()),
            )
            .await
}

fn identifier(account: AccountInput) -> Result<tl::AccountIdentifier> {
    let account = match account {
        AccountInput::SortCodeAccountNumber {
            sort_code,
            account_number,
        } => tl::AccountIdentifier::SortCodeAccountNumber {
            sort_code,
            account_number,
        },
        AccountInput::Iban { iban } => tl::AccountIdentifier::Iban { iban },
    };
    account.normalized().map_err(Error::from_tl)
}
