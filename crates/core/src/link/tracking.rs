//! The auth-journey timeline (Client Tracking API): the link attempts the link service kept, and
//! for one of them the trail of the auth dialog's events, read on demand from the environment's
//! client-tracking host with a `client_credentials` token granted `tracking` (the context's app
//! token, reused across reads). Must not: store the trail (the tracking host is its record).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use linkscope_truelayer as tl;

use crate::context::Shared;
use crate::dto::{AuthTrail, LinkAttempt, LinkOutcome, TrailEvent, TrailStep};
use crate::error::{Error, Result};
use crate::storage::store::LinkAttemptRow;

/// How many attempts `list_link_attempts` returns.
pub const ATTEMPTS_LISTED: usize = 50;

/// The tracking service. Clone freely.
#[derive(Debug, Clone)]
pub struct TrackingService {
    shared: Arc<Shared>,
}

impl TrackingService {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// `list_link_attempts`: the newest link attempts (of one environment, or all), newest
    /// first; one still waiting past its expiry is `expired` (abandoned).
    pub fn attempts(&self, environment_id: Option<&str>) -> Result<Vec<LinkAttempt>> {
        if let Some(id) = environment_id {
            self.shared.environment(id)?;
        }
        let now = Utc::now();
        Ok(self
            .shared
            .store
            .link_attempts(environment_id, ATTEMPTS_LISTED)?
            .into_iter()
            .map(|row| attempt_dto(row, now))
            .collect())
    }

    /// `get_auth_trail`: asks the attempt's environment's tracking host for its `tracking_id`'s
    /// events: where the user got to in the dialog, and where it stopped.
    pub async fn trail(&self, attempt_id: &str) -> Result<AuthTrail> {
        let row = self
            .shared
            .store
            .link_attempt(attempt_id)?
            .ok_or_else(|| Error::NotFound {
                what: "link attempt",
                id: attempt_id.to_owned(),
            })?;
        let env = self.shared.environment(&row.environment_id)?;
        if env.tracking_url().is_none() {
            return Err(Error::Validation(format!(
                "The environment \"{}\" has no client-tracking host, so the auth journey of its \
                 links cannot be read.",
                env.name
            )));
        }
        let client = &self.shared.client_with_secret(&env).await?;
        let tracking_id = row.tracking_id.as_str();
        let events = self
            .shared
            .with_app_token(&env, &tl::Scope::TRACKING, |token| async move {
                client.tracked_events(&token, tracking_id).await
            })
            .await?
            .data;
        Ok(trail_of(attempt_dto(row, Utc::now()), events))
    }
}

fn attempt_dto(row: LinkAttemptRow, now: DateTime<Utc>) -> LinkAttempt {
    let past_expiry = DateTime::parse_from_rfc3339(&row.expires_at)
        .map(|at| at.with_timezone(&Utc) <= now)
        .unwrap_or(false);
    let outcome = match row.outcome {
        LinkOutcome::Waiting if past_expiry => LinkOutcome::Expired,
        outcome => outcome,
    };
    LinkAttempt {
        id: row.id,
        environment_id: row.environment_id,
        tracking_id: row.tracking_id,
        provider_id: row.provider_id,
        scopes: row.scopes,
        renews: row.renews,
        created_at: row.created_at,
        expires_at: row.expires_at,
        opened_at: row.opened_at,
        outcome,
        ended_at: row.ended_at,
        connection_id: row.connection_id,
        error_code: row.error_code,
    }
}

fn step(name: tl::TrackedEventName) -> TrailStep {
    match name {
        tl::TrackedEventName::DialogStarted => TrailStep::DialogStarted,
        tl::TrackedEventName::ProviderSelected => TrailStep::ProviderSelected,
        tl::TrackedEventName::ConsentGranted => TrailStep::ConsentGranted,
        tl::TrackedEventName::ProviderAuthStarted => TrailStep::ProviderAuthStarted,
        tl::TrackedEventName::ProviderAuthorized => TrailStep::ProviderAuthorized,
        tl::TrackedEventName::CodeExchanged => TrailStep::CodeExchanged,
    }
}

/// The trail of an attempt from the host's events, oldest first whatever order they came in.
fn trail_of(attempt: LinkAttempt, mut events: Vec<tl::TrackedEvent>) -> AuthTrail {
    events.sort_by_key(|e| e.time);
    let events: Vec<TrailEvent> = events
        .into_iter()
        .map(|e| TrailEvent {
            step: step(e.name),
            time: e.time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            flow_id: e.flow_id,
            provider_id: e.provider_id,
            credentials_id: e.credentials_id,
            consent_id: e.consent_id,
            reauth: e.reauth.unwrap_or(false),
        })
        .collect();
    let complete = events.iter().any(|e| e.step == TrailStep::CodeExchanged);
    AuthTrail {
        attempt,
        fetched_at: crate::now_rfc3339(),
        stopped_at: events.last().map(|e| e.step),
        complete,
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(outcome: LinkOutcome, expires_at: &str) -> LinkAttemptRow {
        LinkAttemptRow {
            id: "a".into(),
            environment_id: "e".into(),
            tracking_id: "t".into(),
            provider_id: None,
            scopes: vec![],
            renews: None,
            created_at: "2025-01-01T00:00:00Z".into(),
            expires_at: expires_at.into(),
            opened_at: None,
            outcome,
            ended_at: None,
            connection_id: None,
            error_code: None,
        }
    }

    #[test]
    fn a_waiting_attempt_past_its_expiry_is_reported_as_expired() {
        let now = Utc::now();
        let past = "2025-01-01T00:10:00Z";
        assert_eq!(
            attempt_dto(row(LinkOutcome::Waiting, past), now).outcome,
            LinkOutcome::Expired
        );
        let future = (now + chrono::Duration::minutes(5)).to_rfc3339();
        assert_eq!(
            attempt_dto(row(LinkOutcome::Waiting, &future), now).outcome,
            LinkOutcome::Waiting
        );
        assert_eq!(
            attempt_dto(row(LinkOutcome::Cancelled, past), now).outcome,
            LinkOutcome::Cancelled,
            "an ending the app saw stays"
        );
    }
}
