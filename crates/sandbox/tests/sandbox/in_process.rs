//! The Router factory used without sockets (`tower::ServiceExt::oneshot`), as other crates'
//! in-process tests use it: requests name the state's hosts and carry its control token.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use linkscope_sandbox::{routers, SandboxConfig, SandboxState};
use serde_json::{json, Value};
use tower::ServiceExt as _;

use crate::support::{param, redirect_params, Link, REDIRECT};

async fn call(router: &axum::Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn the_routers_link_and_serve_data_in_process() {
    let config = SandboxConfig::default();
    let secret = config.clients[0].client_secret.clone();
    let state = SandboxState::new(
        &config,
        "http://auth.test",
        "http://api.test",
        "http://tracking.test",
    )
    .unwrap();
    let token = state.control_token().to_owned();
    let (auth, api) = routers(state);

    let (status, providers) = call(
        &auth,
        Request::get("/api/providers")
            .header("host", "auth.test")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        providers[0]["logo_url"],
        "http://auth.test/img/banks/logos/mock.svg"
    );

    let link = Link::new("accounts");
    let body = json!({"auth_link": format!("http://auth.test/?{}", link.query()), "username": "john", "password": "doe"});
    let (status, authorized) = call(
        &auth,
        Request::post("/__sandbox/authorize")
            .header("host", "auth.test")
            .header("x-sandbox-token", token)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{authorized}");
    let params = redirect_params(authorized["redirect"].as_str().unwrap());
    let form = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("grant_type", "authorization_code"),
            ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
            ("client_secret", &secret),
            ("code", param(&params, "code").unwrap()),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &link.verifier),
        ])
        .finish();
    let (status, tokens) = call(
        &auth,
        Request::post("/connect/token")
            .header("host", "auth.test")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let bearer = format!("Bearer {}", tokens["access_token"].as_str().unwrap());
    let (status, accounts) = call(
        &api,
        Request::get("/data/v1/accounts")
            .header("host", "api.test")
            .header("authorization", bearer)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(accounts["results"].as_array().unwrap().len(), 5);
}
