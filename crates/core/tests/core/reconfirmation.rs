//! Extend for the sandbox's reconfirmation persona (john/reconfirm): core hands the user
//! TrueLayer's `reconfirmation_of_consent_needed` link, and the redirect it ends with renews the
//! same connection (issue 14; before it, core's handling of this answer was never exercised).

use linkscope_core::dto::{ExtendAction, ExtendOutcome, RedirectKind};
use linkscope_core::secrets::SecretKey;

use crate::support::{advance_clock, authorize, link_as, start, stored};

#[tokio::test]
async fn extending_john_reconfirm_asks_for_reconfirmation_and_the_redirect_renews_the_same_connection(
) {
    let h = start().await;
    let linked = link_as(
        &h.core,
        &[
            "info",
            "accounts",
            "balance",
            "transactions",
            "offline_access",
        ],
        "john",
        "reconfirm",
    )
    .await;
    let id = linked.connection.id.clone();
    let old_expiry = linked.connection.consent_expires_at.clone().unwrap();
    let old_refresh = stored(&h.secrets, &SecretKey::refresh_token(&id)).unwrap();
    advance_clock(&h.core, 10 * 24 * 3600).await;

    let outcome = h
        .core
        .lifecycle()
        .extend(&id, RedirectKind::DeepLink)
        .await
        .unwrap();
    let ExtendOutcome::UserInputNeeded { action, preview } = outcome else {
        panic!("john/reconfirm must reconfirm: {outcome:?}");
    };
    assert_eq!(action, ExtendAction::ReconfirmationOfConsentNeeded);
    let url = h.core.links().open(&preview.session_id).unwrap();
    let redirect = authorize(&h.core, &url, "john", "reconfirm").await;
    let renewed = h
        .core
        .links()
        .complete_authorization(&redirect)
        .await
        .unwrap();
    assert_eq!(renewed.id, id, "the reconfirmation renewed this connection");
    assert_eq!(h.core.connections().list().await.unwrap().len(), 1);
    assert!(
        renewed.consent_expires_at.clone().unwrap() > old_expiry,
        "the consent runs 90 days from the reconfirmation"
    );
    assert_ne!(
        stored(&h.secrets, &SecretKey::refresh_token(&id)).unwrap(),
        old_refresh,
        "a new grant, with a new refresh token"
    );
    h.core
        .accounts()
        .list(&id)
        .await
        .expect("the renewed tokens read data");
}
