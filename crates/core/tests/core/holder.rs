//! Account holder verification v3 through core: the built-in sandbox's demo signing key is in
//! the secret store from the first start (and survives a restart), every documented input gives
//! its result, a bad key is refused and changes nothing, no key reaches a DTO, and the calls
//! share one app token.

use linkscope_core::dto::{AccountInput, HolderVerificationInput, SigningKeyInput};
use linkscope_core::secrets::SecretKey;

use crate::support::{
    advance_clock, clear_sandbox_requests, count, sandbox_requests, start, stored,
};

fn scan(sort_code: &str, account_number: &str) -> AccountInput {
    AccountInput::SortCodeAccountNumber {
        sort_code: sort_code.into(),
        account_number: account_number.into(),
    }
}

#[tokio::test]
async fn each_documented_input_gives_its_result_signed_with_the_demo_key() {
    let h = start().await;
    let status = h.core.holder().signing_key_status("builtin").await.unwrap();
    let key_id = status
        .key_id
        .expect("the demo signing key is seeded at start");
    assert!(key_id.starts_with("linkscope-demo-"), "{key_id}");
    let cases = [
        (
            "John Doe",
            scan("01-21-31", "10000000"),
            "completed",
            Some("match"),
        ),
        (
            "Jon Doe",
            scan("012131", "10000000"),
            "completed",
            Some("partial_match"),
        ),
        (
            "John Smith",
            scan("012131", "10000000"),
            "completed",
            Some("no_match"),
        ),
        (
            "John Doe",
            scan("012131", "99999999"),
            "completed",
            Some("match_not_possible"),
        ),
        ("John Doe", scan("000000", "10000000"), "failed", None),
        (
            "John Doe",
            AccountInput::Iban {
                iban: "GB29 CLRB 0121 3110 0000 00".into(),
            },
            "completed",
            Some("match"),
        ),
    ];
    let pem = stored(&h.secrets, &SecretKey::signing_key("builtin")).unwrap();
    for (name, account, status, kind) in cases {
        let result = h
            .core
            .holder()
            .verify(HolderVerificationInput {
                environment_id: "builtin".into(),
                name: name.into(),
                account: account.clone(),
            })
            .await
            .unwrap();
        assert_eq!(result.status, status, "{name} {account:?}");
        assert_eq!(result.match_result.as_ref().map(|m| m.kind.as_str()), kind);
        assert_eq!(result.key_id, key_id);
        assert_eq!(
            result.polls.first().unwrap().status,
            "pending",
            "polled while pending"
        );
        assert_eq!(result.polls.last().unwrap().status, status);
        let json = serde_json::to_string(&result).unwrap();
        assert!(
            !json.contains(pem.lines().nth(1).unwrap()),
            "no key in the DTO"
        );
    }
    let bank = h
        .core
        .holder()
        .bank_lookup("builtin", scan("012131", "10000000"))
        .await
        .unwrap();
    assert_eq!(bank.name, "MOCK BANK LIMITED");
}

#[tokio::test]
async fn verifications_and_lookups_share_one_app_token_and_replace_one_the_api_refuses() {
    let h = start().await;
    let verify = |name: &str| HolderVerificationInput {
        environment_id: "builtin".into(),
        name: name.into(),
        account: scan("012131", "10000000"),
    };
    let holder = h.core.holder();
    clear_sandbox_requests(&h.core).await;
    holder.verify(verify("John Doe")).await.unwrap();
    holder.verify(verify("Jon Doe")).await.unwrap();
    holder
        .bank_lookup("builtin", scan("012131", "10000000"))
        .await
        .unwrap();
    let requests = sandbox_requests(&h.core).await;
    assert_eq!(count(&requests, "/connect/token", None), 1, "{requests:#?}");
    assert_eq!(count(&requests, REQUESTS, Some(202)), 2, "{requests:#?}");

    // The sandbox's clock passes the token's hour: the create is refused once, made again
    // with a new token (and the same idempotency key), and the verification still ends.
    advance_clock(&h.core, 3_700).await;
    clear_sandbox_requests(&h.core).await;
    let result = holder.verify(verify("John Doe")).await.unwrap();
    assert_eq!(result.status, "completed");
    let requests = sandbox_requests(&h.core).await;
    assert_eq!(count(&requests, REQUESTS, Some(401)), 1, "{requests:#?}");
    assert_eq!(count(&requests, "/connect/token", None), 1, "{requests:#?}");
    assert_eq!(count(&requests, REQUESTS, Some(202)), 1, "{requests:#?}");
}

/// Where verifications are created.
const REQUESTS: &str = "/v3/account-holder-verifications/requests";

#[tokio::test]
async fn a_key_that_is_not_p521_is_refused_and_the_stored_one_stays() {
    let h = start().await;
    let before = stored(&h.secrets, &SecretKey::signing_key("builtin")).unwrap();
    let err = h
        .core
        .holder()
        .set_signing_key(SigningKeyInput {
            environment_id: "builtin".into(),
            key_id: "mine".into(),
            private_key_pem: linkscope_truelayer::SigningKey::new("-----BEGIN NOTHING-----"),
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("P-521"), "{err}");
    assert_eq!(
        stored(&h.secrets, &SecretKey::signing_key("builtin")).unwrap(),
        before
    );
    let cleared = h.core.holder().clear_signing_key("builtin").await.unwrap();
    assert_eq!(cleared.key_id, None);
    let refused = h
        .core
        .holder()
        .verify(HolderVerificationInput {
            environment_id: "builtin".into(),
            name: "John Doe".into(),
            account: scan("012131", "10000000"),
        })
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("Settings"), "{refused}");
}

#[tokio::test]
async fn after_a_restart_the_built_in_sandbox_verifies_with_the_key_kept_in_the_store() {
    let h = start().await;
    let before = stored(&h.secrets, &SecretKey::signing_key_id("builtin")).unwrap();
    drop(h.core);
    let core = linkscope_core::Core::start(crate::support::config(&h.dir, &h.secrets))
        .await
        .unwrap();
    assert_eq!(
        core.sandbox().unwrap().demo_signing_key().unwrap().key_id,
        before,
        "the sandbox was handed the stored key back"
    );
    let result = core
        .holder()
        .verify(HolderVerificationInput {
            environment_id: "builtin".into(),
            name: "John Doe".into(),
            account: scan("012131", "10000000"),
        })
        .await
        .unwrap();
    assert_eq!(result.match_result.unwrap().kind, "match");
}

#[tokio::test]
async fn with_the_apps_listener_as_console_webhook_a_verification_shows_its_verified_webhook() {
    let h = start().await;
    let verify = || {
        h.core.holder().verify(HolderVerificationInput {
            environment_id: "builtin".into(),
            name: "John Doe".into(),
            account: scan("012131", "10000000"),
        })
    };
    let before = verify().await.unwrap();
    assert!(
        before.webhooks.is_empty(),
        "no Console webhook yet: none is expected"
    );
    let uri = h
        .core
        .workbench()
        .controls()
        .register_console_webhook("builtin")
        .await
        .unwrap();
    assert!(uri.starts_with("http://127.0.0.1:"), "{uri}");
    let result = verify().await.unwrap();
    assert_eq!(result.status, "completed");
    let webhook = result.webhooks.first().expect("the v3 webhook arrived");
    assert_eq!(
        webhook.body["type"],
        "account_holder_verification_completed"
    );
    assert_eq!(
        webhook.body["account_holder_verification_id"],
        result.id.as_str()
    );
    assert!(
        matches!(
            webhook.signature,
            linkscope_core::dto::WebhookSignature::Valid { .. }
        ),
        "{:?}",
        webhook.signature
    );
}
