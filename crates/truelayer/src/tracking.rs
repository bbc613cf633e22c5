//! The Client Tracking API: `GET {tracking}/v1/tracked-events?tracking_id=` with a
//! `client_credentials` token granted `tracking` (TrueLayer, "Track auth journey events"),
//! parsed strictly into [`TrackedEvent`]s. The body is `{"results": [event…]}` (the spec's
//! description and example; its schema names one event). Must not: guess at an answer it does
//! not understand — an unknown event name, a missing `time` or extra fields are decode errors.

use chrono::{DateTime, Utc};
use http::{Method, StatusCode};
use serde::Deserialize;

use crate::client::Client;
use crate::data::ApiResponse;
use crate::error::{Error, Result};
use crate::http::{Body, Call, Reply, Retry};
use crate::operation::Operation;
use crate::secret::AccessToken;

/// The events of the spec's `TrackedEventResponse.name` enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackedEventName {
    /// The dialog was launched.
    DialogStarted,
    /// A provider was selected.
    ProviderSelected,
    /// The user clicked Allow on the consent screen.
    ConsentGranted,
    /// The provider's authorisation started (the bank's login).
    ProviderAuthStarted,
    /// The provider's authorisation succeeded.
    ProviderAuthorized,
    /// A code was returned to the client.
    CodeExchanged,
}

impl TrackedEventName {
    /// The spec's name (`dialog_started`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DialogStarted => "dialog_started",
            Self::ProviderSelected => "provider_selected",
            Self::ConsentGranted => "consent_granted",
            Self::ProviderAuthStarted => "provider_auth_started",
            Self::ProviderAuthorized => "provider_authorized",
            Self::CodeExchanged => "code_exchanged",
        }
    }
}

/// One tracked event (`TrackedEventResponse`: `name` and `time` required, nothing else allowed).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackedEvent {
    /// Which event.
    pub name: TrackedEventName,
    /// When it was recorded.
    pub time: DateTime<Utc>,
    /// The authorisation flow (dialog session) it belongs to.
    pub flow_id: Option<String>,
    /// The credentials, once the bank authorised.
    pub credentials_id: Option<String>,
    /// The consent, once the bank authorised.
    pub consent_id: Option<String>,
    /// Part of a re-authentication.
    pub reauth: Option<bool>,
    /// The selected provider.
    pub provider_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrackedEvents {
    results: Vec<TrackedEvent>,
}

/// The longest `tracking_id` sent (the built-in sandbox refuses longer ones).
pub const MAX_TRACKING_ID_CHARS: usize = 256;

impl Client {
    /// `GET {tracking}/v1/tracked-events?tracking_id=`: the events recorded for a link's
    /// `tracking_id`, as the host lists them. A 404 (nothing recorded for it: the link was never
    /// opened, or its events are past the 60-day retention) is an empty list.
    pub async fn tracked_events(
        &self,
        token: &AccessToken,
        tracking_id: &str,
    ) -> Result<ApiResponse<Vec<TrackedEvent>>> {
        if tracking_id.trim().is_empty() || tracking_id.chars().count() > MAX_TRACKING_ID_CHARS {
            return Err(Error::invalid(
                "tracking_id",
                format!("it must be 1 to {MAX_TRACKING_ID_CHARS} characters"),
            ));
        }
        let mut url = self.environment().tracked_events_url()?;
        url.query_pairs_mut()
            .append_pair("tracking_id", tracking_id);
        let reply = self
            .http()
            .send(Call {
                operation: Operation::TrackedEvents,
                method: Method::GET,
                url,
                bearer: Some(token),
                body: Body::Empty,
                retry: Retry::Idempotent,
                secrets: Vec::new(),
            })
            .await?;
        if reply.status == StatusCode::NOT_FOUND {
            return ApiResponse::from_reply(&reply, Vec::new());
        }
        let reply = reply.ensure_success()?;
        let events = parse(&reply)?;
        ApiResponse::from_reply(&reply, events)
    }
}

/// The events of a 200 answer, strictly.
fn parse(reply: &Reply) -> Result<Vec<TrackedEvent>> {
    let events: TrackedEvents = reply.json()?;
    Ok(events.results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::tests_support::{capture_client, reply};

    #[test]
    fn the_specs_example_is_parsed_into_typed_events_in_order() {
        let body = r#"{"results":[
            {"name":"dialog_started","time":"2021-11-04T10:23:44.8114799Z","flow_id":"auth-K","reauth":false},
            {"name":"provider_selected","time":"2021-11-04T10:23:56.2557627Z","flow_id":"auth-K","reauth":false,"provider_id":"ob-monzo"},
            {"name":"provider_authorized","time":"2021-11-04T10:24:23.2101347Z","flow_id":"auth-K","credentials_id":"a+lX2=","consent_id":"0a9d","reauth":false,"provider_id":"ob-monzo"}
        ]}"#;
        let events = parse(&reply(200, body)).unwrap();
        let names: Vec<_> = events.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["dialog_started", "provider_selected", "provider_authorized"]
        );
        assert_eq!(events[2].credentials_id.as_deref(), Some("a+lX2="));
        assert_eq!(events[0].provider_id, None);
        assert!(events[0].time < events[1].time);
    }

    #[test]
    fn malformed_tracking_answers_are_decode_errors() {
        for body in [
            "not json",
            r#"[]"#,
            r#"{"events":[]}"#,
            r#"{"results":{}}"#,
            r#"{"results":[{"time":"2021-11-04T10:23:44Z"}]}"#,
            r#"{"results":[{"name":"dialog_started"}]}"#,
            r#"{"results":[{"name":"dialog_opened","time":"2021-11-04T10:23:44Z"}]}"#,
            r#"{"results":[{"name":"dialog_started","time":"yesterday"}]}"#,
            r#"{"results":[{"name":"dialog_started","time":"2021-11-04T10:23:44Z","reauth":"no"}]}"#,
            r#"{"results":[{"name":"dialog_started","time":"2021-11-04T10:23:44Z","step":1}]}"#,
        ] {
            let err = parse(&reply(200, body)).unwrap_err();
            assert!(
                matches!(err, Error::Decode(_)),
                "{body}: a malformed answer is a decode error, got {err:?}"
            );
        }
    }

    #[tokio::test]
    async fn the_request_asks_the_tracking_host_with_the_bearer_token_and_the_id() {
        let (client, transport) = capture_client();
        let token = AccessToken::new("the-tracking-token");
        let _ = client.tracked_events(&token, "t 1&x").await;
        let sent = &transport.requests()[0];
        assert_eq!(sent.method, "GET");
        assert_eq!(
            sent.uri,
            "https://client-tracking.truelayer-sandbox.com/v1/tracked-events?tracking_id=t+1%26x"
        );
        assert_eq!(
            sent.header("authorization"),
            Some("Bearer the-tracking-token")
        );
    }

    #[tokio::test]
    async fn an_empty_or_overlong_tracking_id_is_refused_before_any_request() {
        let (client, transport) = capture_client();
        let token = AccessToken::new("t");
        for id in [
            String::new(),
            " ".into(),
            "x".repeat(MAX_TRACKING_ID_CHARS + 1),
        ] {
            assert!(matches!(
                client.tracked_events(&token, &id).await,
                Err(Error::InvalidInput { .. })
            ));
        }
        assert!(transport.requests().is_empty(), "nothing was sent");
    }
}
