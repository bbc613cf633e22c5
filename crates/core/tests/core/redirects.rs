//! The redirect URI helper against a real Core: the guide names this build's deep link and
//! loopback (registered in the built-in sandbox), and the self-test's probes arrive down the
//! real loopback listener and the deep-link entry point without touching any link session.

use linkscope_core::dto::{ErrorCode, ProbeStatus, RedirectKind};
use linkscope_core::CoreEvent;

use crate::support::{authorize, http, start, start_link};

#[tokio::test]
async fn the_guide_names_exactly_this_builds_redirect_uris() {
    let h = start().await;
    let guide = h.core.links().redirect_guide("builtin").unwrap();
    assert_eq!(h.core.app_info().deep_link_scheme, "linkscope-dev");
    let uris: Vec<_> = guide
        .paths
        .iter()
        .map(|p| (p.kind, p.uri.as_str(), p.registered))
        .collect();
    let loopback = guide.paths[1].uri.clone();
    assert!(loopback.starts_with("http://127.0.0.1:") && loopback.ends_with("/callback"));
    assert_eq!(
        uris,
        [
            (RedirectKind::DeepLink, "linkscope-dev://callback", true),
            (RedirectKind::Loopback, loopback.as_str(), true),
            (
                RedirectKind::Console,
                "https://console.truelayer.com/redirect-page",
                false
            ),
        ],
        "the built-in sandbox registers this build's deep link and loopback"
    );
    let err = h.core.links().redirect_guide("no-such-env").unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn both_probes_arrive_and_no_link_event_is_published() {
    let h = start().await;
    let mut events = h.core.subscribe();
    let test = h.core.links().start_redirect_self_test().await.unwrap();
    assert!(test.probes.iter().all(|p| p.status == ProbeStatus::Waiting));
    let (deep, loopback) = (&test.probes[0], &test.probes[1]);
    assert_eq!(
        (deep.kind, loopback.kind),
        (RedirectKind::DeepLink, RedirectKind::Loopback)
    );

    let page = http().get(&loopback.url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("the loopback path works"));
    assert!(h
        .core
        .links()
        .receive_deep_link(&deep.url)
        .await
        .unwrap()
        .is_none());

    let seen = h.core.links().redirect_self_test(&test.test_id).unwrap();
    assert!(seen.finished);
    assert!(seen
        .probes
        .iter()
        .all(|p| p.status == ProbeStatus::Arrived && p.arrived_after_ms.is_some()));
    while let Ok(event) = events.try_recv() {
        assert!(
            !matches!(
                event,
                CoreEvent::LinkCompleted(_) | CoreEvent::LinkFailed(_)
            ),
            "a probe is not a link: {event:?}"
        );
    }
}

#[tokio::test]
async fn a_real_deep_link_still_links_through_the_self_tests_entry_point() {
    let h = start().await;
    h.core.links().start_redirect_self_test().await.unwrap();
    let preview = start_link(&h.core, RedirectKind::DeepLink).await;
    let url = h.core.links().open(&preview.session_id).unwrap();
    let redirect = authorize(&h.core, &url, "john", "doe").await;
    let linked = h.core.links().receive_deep_link(&redirect).await.unwrap();
    assert_eq!(
        linked.expect("a connection, not a probe").provider_id,
        "mock"
    );
    let err = h
        .core
        .links()
        .receive_deep_link("linkscope-dev://callback?code=linkscope-self-test&state=guessed")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("state"),
        "a forged probe is an unknown state: {err}"
    );
}
