//! The loopback path: the browser's redirect reaches Core's one-shot listener, which completes
//! the link itself and tells the browser how it ended.

use linkscope_core::dto::{RedirectKind, ResponseMode, Severity};

use crate::support::{authorize, authorize_raw, http, request, start, start_link};

#[tokio::test]
async fn a_loopback_redirect_completes_the_link_and_the_browser_is_told() {
    let h = start().await;
    let mut events = h.core.subscribe();
    let preview = start_link(&h.core, RedirectKind::Loopback).await;
    assert!(preview.redirect_uri.starts_with("http://127.0.0.1:"));
    assert!(
        preview
            .findings
            .iter()
            .all(|f| f.severity != Severity::Error),
        "{:?}",
        preview.findings
    );
    let redirect = authorize(&h.core, &preview.url, "john", "doe").await;
    assert!(redirect.starts_with(&preview.redirect_uri), "{redirect}");

    let page = http().get(&redirect).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let body = page.text().await.unwrap();
    assert!(
        body.contains("Linked"),
        "the browser hears the link succeeded: {body}"
    );

    let connections = h.core.connections().list().await.unwrap();
    assert_eq!(connections.len(), 1);
    let completed = loop {
        match events.recv().await.unwrap() {
            linkscope_core::CoreEvent::LinkCompleted(e) => break e,
            _ => continue,
        }
    };
    assert_eq!(completed.session_id, preview.session_id);
    assert_eq!(completed.connection.id, connections[0].id);
}

#[tokio::test]
async fn a_form_post_redirect_completes_the_link() {
    let h = start().await;
    let mut req = request(RedirectKind::Loopback);
    req.response_mode = ResponseMode::FormPost;
    let preview = h.core.links().start(req).await.unwrap();
    assert!(preview.url.contains("response_mode=form_post"));
    let answer = authorize_raw(&h.core, &preview.url, "john", "doe").await;
    assert_eq!(answer["response_mode"], "form_post", "{answer}");
    let form: Vec<(String, String)> = answer["form"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    let page = http()
        .post(&preview.redirect_uri)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Linked"));
    assert_eq!(h.core.connections().list().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_stray_loopback_callback_is_refused_keeps_the_listener_and_raises_no_banner() {
    let h = start().await;
    let mut events = h.core.subscribe();
    let preview = start_link(&h.core, RedirectKind::Loopback).await;
    let page = http()
        .get(format!(
            "{}?code=forged&state=not-ours",
            preview.redirect_uri
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 400);
    let body = page.text().await.unwrap();
    assert!(body.contains("does not belong to a link"), "{body}");
    assert!(body.contains("still waiting"), "{body}");
    assert!(h.core.connections().list().await.unwrap().is_empty());

    // The same listener takes the real callback (a stray one does not close it).
    let redirect = authorize(&h.core, &preview.url, "john", "doe").await;
    let page = http().get(&redirect).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("Linked"));
    assert_eq!(h.core.connections().list().await.unwrap().len(), 1);

    // The stray callback published nothing: no `link://failed`, so no app-wide banner.
    let mut seen = Vec::new();
    while let Ok(event) = events.try_recv() {
        seen.push(format!("{event:?}"));
    }
    assert!(
        !seen.iter().any(|e| e.starts_with("LinkFailed")),
        "a stray callback must not raise the banner: {seen:?}"
    );
    assert!(
        seen.iter().any(|e| e.starts_with("LinkCompleted")),
        "{seen:?}"
    );
}

#[tokio::test]
async fn cancelling_the_last_loopback_link_stops_the_listener() {
    let h = start().await;
    let preview = start_link(&h.core, RedirectKind::Loopback).await;
    h.core.links().cancel(&preview.session_id).await.unwrap();
    let mut refused = false;
    for _ in 0..50 {
        if http()
            .get(format!("{}?code=a&state=b", preview.redirect_uri))
            .send()
            .await
            .is_err()
        {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(refused, "nothing listens once no loopback link is waiting");
}
