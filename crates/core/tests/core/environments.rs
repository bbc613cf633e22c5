//! Environments: saving (validation, presets, the secret kept out of every answer), selecting,
//! and linking through a custom environment that points at a sandbox.

use linkscope_core::dto::{EnvironmentInput, EnvironmentKind, ErrorCode};
use linkscope_core::secrets::{SecretKey, SecretStore};

use crate::support::{authorize, request, start};

fn input(kind: EnvironmentKind, auth: &str, api: &str) -> EnvironmentInput {
    EnvironmentInput {
        id: None,
        name: "My sandbox".into(),
        kind,
        auth_url: auth.into(),
        api_url: api.into(),
        client_id: "sandbox-linkscope-demo".into(),
        client_secret: None,
        redirect_uris: vec!["linkscope-dev://callback".into()],
        marked_live: false,
        sandbox_control_token: None,
        confirm_secrets_reset: false,
    }
}

#[tokio::test]
async fn a_custom_environment_links_through_its_own_urls_and_secret() {
    let h = start().await;
    let sandbox = h.core.sandbox().unwrap();
    let mut new = input(
        EnvironmentKind::Custom,
        sandbox.auth_url(),
        sandbox.api_url(),
    );
    let secret = sandbox.demo_client().client_secret.clone();
    new.client_secret = Some(linkscope_truelayer::ClientSecret::new(secret.clone()));
    let env = h.core.environments().save(new).await.unwrap();
    assert!(env.has_client_secret && !env.active && env.is_sandbox);
    assert_eq!(
        h.secrets
            .get(&SecretKey::client_secret(&env.id))
            .unwrap()
            .unwrap()
            .expose(),
        secret,
        "the secret went to the secret store"
    );
    let json = serde_json::to_string(&h.core.environments().list().await.unwrap()).unwrap();
    assert!(!json.contains(&secret), "no answer carries the secret");

    let selected = h.core.environments().select(&env.id).await.unwrap();
    assert!(selected.active);
    let active = h.core.environments().active().await.unwrap().unwrap();
    assert_eq!(active.id, env.id);

    let mut req = request(linkscope_core::dto::RedirectKind::DeepLink);
    req.environment_id = env.id.clone();
    let preview = h.core.links().start(req).await.unwrap();
    let redirect = authorize(&h.core, &preview.url, "john", "doe").await;
    let connection = h
        .core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap();
    assert_eq!(connection.environment_id, env.id);
    assert_eq!(connection.environment_name, "My sandbox");

    // Updating without a secret keeps the stored one.
    let mut update = input(
        EnvironmentKind::Custom,
        sandbox.auth_url(),
        sandbox.api_url(),
    );
    update.id = Some(env.id.clone());
    update.name = "Renamed".into();
    let updated = h.core.environments().save(update).await.unwrap();
    assert!(updated.has_client_secret && updated.active && updated.name == "Renamed");

    // It cannot be removed while it has a connection: the tokens would be orphaned.
    let refused = h.core.environments().remove(&env.id).await.unwrap_err();
    assert!(refused.to_string().contains("forget"), "{refused}");
    h.core.lifecycle().forget(&connection.id).await.unwrap();
    h.core.environments().remove(&env.id).await.unwrap();
}

#[tokio::test]
async fn truelayer_presets_get_truelayers_urls_and_live_is_flagged() {
    let h = start().await;
    let sandbox = h
        .core
        .environments()
        .save(input(
            EnvironmentKind::TruelayerSandbox,
            "http://ignored",
            "http://ignored",
        ))
        .await
        .unwrap();
    assert_eq!(sandbox.auth_url, "https://auth.truelayer-sandbox.com");
    assert!(sandbox.is_sandbox && !sandbox.has_client_secret);
    let live = h
        .core
        .environments()
        .save(input(EnvironmentKind::TruelayerLive, "", ""))
        .await
        .unwrap();
    assert_eq!(live.api_url, "https://api.truelayer.com");
    assert!(live.is_live && !live.is_sandbox);
    let err = h
        .core
        .links()
        .start({
            let mut r = request(linkscope_core::dto::RedirectKind::DeepLink);
            r.environment_id = live.id.clone();
            r
        })
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::Validation,
        "no secret, no link: {err}"
    );
}

#[tokio::test]
async fn bad_environments_are_refused() {
    let h = start().await;
    let cases = [
        (
            "the built-in one",
            input(EnvironmentKind::Builtin, "http://a.test", "http://b.test"),
        ),
        (
            "an ftp URL",
            input(EnvironmentKind::Custom, "ftp://a.test", "http://b.test"),
        ),
        (
            "a URL with a query",
            input(
                EnvironmentKind::Custom,
                "http://a.test/?x=1",
                "http://b.test",
            ),
        ),
        (
            "an empty name",
            EnvironmentInput {
                name: " ".into(),
                ..input(EnvironmentKind::Custom, "https://a.test", "https://b.test")
            },
        ),
        (
            "a client id with spaces",
            EnvironmentInput {
                client_id: "a b".into(),
                ..input(EnvironmentKind::Custom, "https://a.test", "https://b.test")
            },
        ),
        (
            "a redirect URI with a fragment",
            EnvironmentInput {
                redirect_uris: vec!["app://cb#x".into()],
                ..input(EnvironmentKind::Custom, "https://a.test", "https://b.test")
            },
        ),
    ];
    for (name, bad) in cases {
        let err = h.core.environments().save(bad).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::Validation, "{name}: {err}");
    }
    assert_eq!(
        h.core.environments().list().await.unwrap().len(),
        1,
        "nothing was saved"
    );
    let err = h.core.environments().select("nope").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

/// A custom environment on the built-in sandbox's URLs with its demo secret, and one connection
/// linked through it.
async fn custom_with_connection(
    h: &crate::support::Harness,
) -> (
    linkscope_core::dto::Environment,
    linkscope_core::dto::Connection,
) {
    let sandbox = h.core.sandbox().unwrap();
    let mut new = input(
        EnvironmentKind::Custom,
        sandbox.auth_url(),
        sandbox.api_url(),
    );
    new.client_secret = Some(linkscope_truelayer::ClientSecret::new(
        sandbox.demo_client().client_secret.clone(),
    ));
    let env = h.core.environments().save(new).await.unwrap();
    let mut req = request(linkscope_core::dto::RedirectKind::DeepLink);
    req.environment_id = env.id.clone();
    let preview = h.core.links().start(req).await.unwrap();
    let redirect = authorize(&h.core, &preview.url, "john", "doe").await;
    let connection = h
        .core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap();
    (env, connection)
}

#[tokio::test]
async fn moving_an_environment_to_another_server_needs_confirmation_and_then_signs_out_its_connections(
) {
    use linkscope_core::dto::ConnectionStatus;
    let h = start().await;
    let (env, connection) = custom_with_connection(&h).await;
    let sandbox = h.core.sandbox().unwrap();
    let elsewhere = sandbox.auth_url().replace("127.0.0.1", "localhost");
    let mut moved = input(EnvironmentKind::Custom, &elsewhere, sandbox.api_url());
    moved.id = Some(env.id.clone());

    // Without the confirmation: refused, with words that say what saving would do; nothing changes.
    let err = h.core.environments().save(moved).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConfirmationRequired, "{err}");
    let said = err.to_string();
    assert!(
        said.contains("clears its client secret")
            && said.contains("signs out its connection")
            && said.contains("deleted from the keychain"),
        "{said}"
    );
    let same = h.core.environments().get(&env.id).await.unwrap();
    assert_eq!(same.auth_url, sandbox.auth_url());
    assert!(same.has_client_secret);
    assert_eq!(
        h.core
            .connections()
            .get(&connection.id)
            .await
            .unwrap()
            .status,
        ConnectionStatus::Active
    );

    // Confirmed: the secret and the tokens are gone before anything can reach the new server.
    let mut moved = input(EnvironmentKind::Custom, &elsewhere, sandbox.api_url());
    moved.id = Some(env.id.clone());
    moved.confirm_secrets_reset = true;
    let saved = h.core.environments().save(moved).await.unwrap();
    assert_eq!(saved.auth_url, elsewhere);
    assert!(!saved.has_client_secret);
    assert!(h
        .secrets
        .get(&SecretKey::client_secret(&env.id))
        .unwrap()
        .is_none());
    for key in [
        SecretKey::access_token(&connection.id),
        SecretKey::refresh_token(&connection.id),
    ] {
        assert!(h.secrets.get(&key).unwrap().is_none(), "{key} was deleted");
    }
    assert_eq!(
        h.core
            .connections()
            .get(&connection.id)
            .await
            .unwrap()
            .status,
        ConnectionStatus::ReauthRequired
    );
    let err = h.core.accounts().list(&connection.id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReauthRequired);

    // A rename, or a new secret on the same server, needs no confirmation.
    let mut renamed = input(EnvironmentKind::Custom, &elsewhere, sandbox.api_url());
    renamed.id = Some(env.id.clone());
    renamed.name = "Renamed".into();
    renamed.client_secret = Some(linkscope_truelayer::ClientSecret::new("new-secret"));
    let renamed = h.core.environments().save(renamed).await.unwrap();
    assert!(renamed.has_client_secret && renamed.name == "Renamed");
}

#[tokio::test]
async fn http_is_accepted_only_for_this_computer() {
    let h = start().await;
    for host in ["127.0.0.1:9", "[::1]:9", "localhost:9"] {
        let url = format!("http://{host}");
        h.core
            .environments()
            .save(input(EnvironmentKind::Custom, &url, &url))
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
    }
    for (auth, api) in [
        ("http://sandbox.example.com", "https://api.example.com"),
        ("https://auth.example.com", "http://10.0.0.2:8080"),
        ("http://127.0.0.2", "https://api.example.com"),
    ] {
        let err = h
            .core
            .environments()
            .save(input(EnvironmentKind::Custom, auth, api))
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Validation, "{auth} {api}: {err}");
        assert!(
            err.to_string()
                .contains("http:// only for a sandbox on this computer"),
            "{err}"
        );
    }
    h.core
        .environments()
        .save(input(
            EnvironmentKind::Custom,
            "https://auth.example.com",
            "https://api.example.com",
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn removing_an_environment_deletes_it_and_its_secret_but_never_the_builtin() {
    let h = start().await;
    let mut new = input(EnvironmentKind::Custom, "https://a.test", "https://b.test");
    new.client_secret = Some(linkscope_truelayer::ClientSecret::new("to-be-removed"));
    new.sandbox_control_token = Some(linkscope_truelayer::ClientSecret::new(
        "token-to-be-removed",
    ));
    let saved = h.core.environments().save(new).await.unwrap();
    h.core.environments().select(&saved.id).await.unwrap();
    let key = SecretKey::client_secret(&saved.id);
    let token = SecretKey::sandbox_control_token(&saved.id);
    assert!(
        h.secrets.get(&key).unwrap().is_some() && h.secrets.get(&token).unwrap().is_some(),
        "its secret and control token are stored"
    );

    h.core.environments().remove(&saved.id).await.unwrap();
    let left = h.core.environments().list().await.unwrap();
    assert!(left.iter().all(|e| e.id != saved.id), "it is gone");
    assert!(
        h.secrets.get(&key).unwrap().is_none() && h.secrets.get(&token).unwrap().is_none(),
        "and so are its secret and control token"
    );
    let active = h.core.environments().active().await.unwrap().unwrap();
    assert_eq!(active.id, "builtin", "the built-in sandbox is active again");

    let builtin = h.core.environments().remove("builtin").await.unwrap_err();
    assert_eq!(builtin.code(), ErrorCode::Validation, "{builtin}");
}
