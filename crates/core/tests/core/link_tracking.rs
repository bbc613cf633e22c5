//! The auth-journey timeline through core: every link carries a tracking_id kept with its
//! attempt (abandoned ones too), and each attempt's trail is read from the built-in sandbox's
//! tracking listener — full for a completed link, stopped where the user stopped otherwise.

use linkscope_core::dto::{LinkOutcome, LinkRequest, RedirectKind, TrailStep};
use linkscope_core::Error;

use crate::support::{
    advance_clock, authorize, clear_sandbox_requests, count, http, request, sandbox_requests,
    start, start_link,
};

/// The `value` of the hidden input `name` in a dialog page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("the field is on the page") + marker.len();
    let end = html[start..].find('"').expect("a closing quote") + start;
    html[start..end].to_owned()
}

/// Opens the link in the sandbox's HTML dialog and allows the consent: the bank's login page
/// is shown (the link names Mock), and the user goes no further.
async fn abandon_at_the_banks_login(auth_url: &str, link: &str) {
    let client = http();
    let consent = client.get(link).send().await.unwrap().text().await.unwrap();
    let form = [
        ("session_id", hidden(&consent, "session_id")),
        ("step", hidden(&consent, "step")),
        ("action", "allow".to_owned()),
    ];
    let login = client
        .post(format!("{auth_url}/dialog"))
        .form(&form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        login.contains("id=\"password\""),
        "the bank's login page is shown"
    );
}

fn tracking_id_in(url: &str) -> Option<String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "tracking_id")
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn every_link_carries_a_tracking_id_kept_with_its_attempt_through_edits() {
    let h = start().await;
    let links = h.core.links();
    let preview = links.start(request(RedirectKind::DeepLink)).await.unwrap();
    assert!(!preview.tracking_id.is_empty(), "one is generated");
    assert_eq!(
        tracking_id_in(&preview.url),
        Some(preview.tracking_id.clone())
    );

    let edited = links
        .update(&preview.session_id, request(RedirectKind::Loopback))
        .await
        .unwrap();
    assert_eq!(edited.session_id, preview.session_id);
    assert_eq!(
        edited.tracking_id, preview.tracking_id,
        "an edit of an unopened link keeps its generated tracking_id"
    );
    let mine = links
        .update(
            &preview.session_id,
            LinkRequest {
                tracking_id: Some(" qa-run-7 ".into()),
                ..request(RedirectKind::DeepLink)
            },
        )
        .await
        .unwrap();
    assert_eq!(mine.tracking_id, "qa-run-7", "the user's own wins, trimmed");
    assert_eq!(tracking_id_in(&mine.url).as_deref(), Some("qa-run-7"));

    let too_long = links
        .start(LinkRequest {
            tracking_id: Some("x".repeat(257)),
            ..request(RedirectKind::DeepLink)
        })
        .await
        .unwrap_err();
    assert!(matches!(too_long, Error::Validation(_)), "{too_long:?}");

    let attempts = h.core.tracking().attempts(Some("builtin")).unwrap();
    assert_eq!(
        attempts.len(),
        1,
        "one link, however often edited: {attempts:?}"
    );
    assert_eq!(attempts[0].id, preview.session_id);
    assert_eq!(attempts[0].tracking_id, "qa-run-7");
    assert_eq!(attempts[0].outcome, LinkOutcome::Waiting);
    assert_eq!(attempts[0].provider_id.as_deref(), Some("mock"));
    assert_eq!(attempts[0].opened_at, None, "built, never opened");
    h.core.links().open(&preview.session_id).unwrap();
    let opened = &h.core.tracking().attempts(None).unwrap()[0];
    assert!(opened.opened_at.is_some(), "opening is noted");
}

#[tokio::test]
async fn a_completed_links_trail_is_full_and_names_its_connection() {
    let h = start().await;
    let preview = start_link(&h.core, RedirectKind::DeepLink).await;
    let url = h.core.links().open(&preview.session_id).unwrap();
    let redirect = authorize(&h.core, &url, "john", "doe").await;
    let connection = h
        .core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap();

    let trail = h.core.tracking().trail(&preview.session_id).await.unwrap();
    let steps: Vec<TrailStep> = trail.events.iter().map(|e| e.step).collect();
    assert_eq!(
        steps,
        [
            TrailStep::DialogStarted,
            TrailStep::ConsentGranted,
            TrailStep::ProviderSelected,
            TrailStep::ProviderAuthStarted,
            TrailStep::ProviderAuthorized,
            TrailStep::CodeExchanged,
        ]
    );
    assert!(trail.complete);
    assert_eq!(trail.stopped_at, Some(TrailStep::CodeExchanged));
    assert_eq!(trail.attempt.outcome, LinkOutcome::Completed);
    assert_eq!(
        trail.attempt.connection_id.as_deref(),
        Some(connection.id.as_str())
    );
    assert_eq!(
        trail.events[4].credentials_id, connection.credentials_id,
        "the trail names the connection the link made"
    );
}

#[tokio::test]
async fn trail_reads_reuse_one_app_token_and_replace_one_the_host_refuses() {
    let h = start().await;
    let preview = start_link(&h.core, RedirectKind::DeepLink).await;
    h.core.links().open(&preview.session_id).unwrap();
    clear_sandbox_requests(&h.core).await;

    // A waiting screen reads the trail every 3 s: one token for all of them.
    for _ in 0..3 {
        h.core.tracking().trail(&preview.session_id).await.unwrap();
    }
    let requests = sandbox_requests(&h.core).await;
    assert_eq!(count(&requests, "/connect/token", None), 1, "{requests:#?}");
    // (404 each: the dialog was never loaded, so the host has no event for it yet.)
    assert_eq!(
        count(&requests, "/v1/tracked-events", Some(404)),
        3,
        "{requests:#?}"
    );

    // The sandbox's clock passes the token's hour: the host refuses it, and the read asks a new
    // one and still answers.
    advance_clock(&h.core, 3_700).await;
    clear_sandbox_requests(&h.core).await;
    let trail = h.core.tracking().trail(&preview.session_id).await.unwrap();
    assert_eq!(trail.attempt.id, preview.session_id);
    let requests = sandbox_requests(&h.core).await;
    assert_eq!(
        count(&requests, "/v1/tracked-events", Some(401)),
        1,
        "{requests:#?}"
    );
    assert_eq!(count(&requests, "/connect/token", None), 1);
    assert_eq!(count(&requests, "/v1/tracked-events", Some(404)), 1);
}

#[tokio::test]
async fn a_link_abandoned_at_the_banks_login_keeps_its_partial_trail_after_a_cancel() {
    let h = start().await;
    let preview = start_link(&h.core, RedirectKind::DeepLink).await;
    let url = h.core.links().open(&preview.session_id).unwrap();

    let before = h.core.tracking().trail(&preview.session_id).await.unwrap();
    assert!(before.events.is_empty(), "nothing happened yet: {before:?}");
    assert_eq!(before.stopped_at, None);

    abandon_at_the_banks_login(h.core.sandbox().unwrap().auth_url(), &url).await;
    let waiting = h.core.tracking().trail(&preview.session_id).await.unwrap();
    assert_eq!(waiting.attempt.outcome, LinkOutcome::Waiting);
    assert_eq!(waiting.stopped_at, Some(TrailStep::ProviderAuthStarted));

    h.core.links().cancel(&preview.session_id).await.unwrap();
    let trail = h.core.tracking().trail(&preview.session_id).await.unwrap();
    let steps: Vec<TrailStep> = trail.events.iter().map(|e| e.step).collect();
    assert_eq!(
        steps,
        [
            TrailStep::DialogStarted,
            TrailStep::ConsentGranted,
            TrailStep::ProviderSelected,
            TrailStep::ProviderAuthStarted,
        ],
        "it stops at the bank's login"
    );
    assert!(!trail.complete);
    assert_eq!(trail.attempt.outcome, LinkOutcome::Cancelled);
}

#[tokio::test]
async fn a_refused_link_ends_its_attempt_as_failed_and_an_unknown_attempt_is_not_found() {
    let h = start().await;
    let preview = start_link(&h.core, RedirectKind::DeepLink).await;
    let url = h.core.links().open(&preview.session_id).unwrap();
    let redirect = authorize(&h.core, &url, "john", "wrong").await;
    h.core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap_err();
    let attempt = &h.core.tracking().attempts(None).unwrap()[0];
    assert_eq!(attempt.outcome, LinkOutcome::Failed);
    assert!(attempt.error_code.is_some());

    let err = h
        .core
        .tracking()
        .trail("no-such-attempt")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    let err = h.core.tracking().attempts(Some("no-such-env")).unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}
