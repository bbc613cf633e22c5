//! Restarting Core on the same data dir and secret store: the connection is still there and its
//! data loads with the stored tokens (the sandbox keeps its own state in the data dir too).

use linkscope_core::Core;

use crate::support::{config, link};

#[tokio::test]
async fn a_restarted_core_finds_its_connection_and_loads_its_data() {
    let h = crate::support::start().await;
    let connection = link(&h.core).await;
    let before = h.core.accounts().list(&connection.id).await.unwrap();
    drop(h.core);

    let core = Core::start(config(&h.dir, &h.secrets)).await.unwrap();
    let listed = core.connections().list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, connection.id);
    assert_eq!(listed[0].credentials_id, connection.credentials_id);
    let after = core.accounts().list(&connection.id).await.unwrap();
    let ids = |f: &linkscope_core::dto::Fetched<Vec<linkscope_core::dto::AccountWithBalance>>| {
        f.data
            .iter()
            .map(|a| a.account.account_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&after),
        ids(&before),
        "the same accounts load after the restart"
    );
    let envs = core.environments().list().await.unwrap();
    assert_eq!(envs.len(), 1, "the built-in environment is not duplicated");
    assert!(envs[0].active);
    assert_eq!(
        envs[0].auth_url,
        core.sandbox().unwrap().auth_url(),
        "it follows the new port"
    );
}

#[tokio::test]
async fn after_a_restart_the_stored_client_secret_still_refreshes_and_links() {
    let h = crate::support::start().await;
    let connection = link(&h.core).await;
    drop(h.core);

    let core = Core::start(config(&h.dir, &h.secrets)).await.unwrap();
    assert!(
        core.sandbox().unwrap().demo_client_secret().is_some(),
        "the sandbox recognised the secret kept in our store (its file holds only a hash)"
    );
    core.connections()
        .refresh(&connection.id)
        .await
        .expect("a refresh authenticates with the client secret from the store");
    let again = link(&core).await;
    assert_ne!(again.id, connection.id, "a new link exchanges its code too");
}

#[tokio::test]
async fn a_lost_client_secret_resets_the_built_in_sandbox_instead_of_leaving_it_unusable() {
    let h = crate::support::start().await;
    link(&h.core).await;
    drop(h.core);

    let empty = linkscope_core::secrets::MemoryStore::default();
    let core = Core::start(config(&h.dir, &empty)).await.unwrap();
    assert!(
        core.sandbox().unwrap().demo_client_secret().is_some(),
        "a fresh secret was issued"
    );
    link(&core).await; // exchanging a code works again with the new secret
}
