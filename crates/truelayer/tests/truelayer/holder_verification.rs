//! Account holder verification v3 and bank lookup against the sandbox: a client_credentials
//! token with `verification`, requests signed with the demo client's key, every documented
//! outcome, idempotency, and what an unsigned or wrongly signed request gets.

use linkscope_truelayer::{
    AccessToken, AccountIdentifier, Client, HolderVerification, RequestSigner, Scope, SigningKey,
};

use crate::support::Harness;

fn scan(sort_code: &str, account_number: &str) -> AccountIdentifier {
    AccountIdentifier::SortCodeAccountNumber {
        sort_code: sort_code.into(),
        account_number: account_number.into(),
    }
}

fn demo_signer(h: &Harness) -> RequestSigner {
    let key = h
        .sandbox
        .demo_signing_key()
        .expect("the demo client has a signing key");
    RequestSigner::new(
        &key.key_id,
        SigningKey::new(key.private_key_pem().expect("a fresh sandbox knows it")),
    )
    .unwrap()
}

async fn token(client: &Client) -> AccessToken {
    client
        .client_credentials(&[Scope::VERIFICATION])
        .await
        .unwrap()
        .access_token
}

/// Creates a verification, moves the sandbox clock past `pending`, and reads the result.
async fn verify(h: &Harness, name: &str, account: AccountIdentifier) -> HolderVerification {
    let token = token(&h.client).await;
    let id = h
        .client
        .create_holder_verification(
            &token,
            &demo_signer(h),
            &format!("{name} {account:?}"),
            name,
            &account,
        )
        .await
        .unwrap()
        .data;
    let pending = h
        .client
        .holder_verification(&token, &id)
        .await
        .unwrap()
        .data;
    assert_eq!(pending.status, "pending", "a verification starts pending");
    h.advance_clock(2).await;
    h.client
        .holder_verification(&token, &id)
        .await
        .unwrap()
        .data
}

#[tokio::test]
async fn each_documented_input_gives_its_match_result() {
    let h = Harness::start().await;
    let cases = [
        (
            "John Doe",
            scan("012131", "10000000"),
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
    ];
    for (name, account, status, kind) in cases {
        let result = verify(&h, name, account.clone()).await;
        assert_eq!(result.status, status, "{name} at {account:?}");
        assert_eq!(
            result.match_result.as_ref().map(|m| m.kind.as_str()),
            kind,
            "{name} at {account:?}"
        );
        match kind {
            Some("partial_match") => assert_eq!(
                result.match_result.unwrap().account_holder_name.as_deref(),
                Some("John Doe"),
                "a partial match names the holder on file"
            ),
            Some("match_not_possible") => assert!(result.match_result.unwrap().reason.is_some()),
            None => assert_eq!(result.failure_reason.as_deref(), Some("provider_error")),
            _ => {}
        }
    }
}

#[tokio::test]
async fn an_idempotency_key_returns_the_same_verification_and_refuses_another_body() {
    let h = Harness::start().await;
    let token = token(&h.client).await;
    let signer = demo_signer(&h);
    let create = |name: &'static str| {
        let (h, token, signer) = (&h, &token, &signer);
        async move {
            h.client
                .create_holder_verification(
                    token,
                    signer,
                    "key-1",
                    name,
                    &scan("012131", "10000000"),
                )
                .await
        }
    };
    let first = create("John Doe").await.unwrap().data;
    let again = create("John Doe").await.unwrap().data;
    assert_eq!(first, again, "the same key and body answer the same id");
    let err = create("Jane Doe").await.unwrap_err();
    assert_eq!(err.status(), Some(422), "{err}");
}

#[tokio::test]
async fn a_request_signed_with_another_key_is_refused() {
    let h = Harness::start().await;
    let token = token(&h.client).await;
    let other = linkscope_sandbox::keys::ClientSigningKey::generate_demo().unwrap();
    let key_id = h.sandbox.demo_signing_key().unwrap().key_id.clone();
    let wrong =
        RequestSigner::new(&key_id, SigningKey::new(other.private_key_pem().unwrap())).unwrap();
    let err = h
        .client
        .create_holder_verification(
            &token,
            &wrong,
            "key-2",
            "John Doe",
            &scan("012131", "10000000"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
}

#[tokio::test]
async fn bank_lookup_names_the_mock_bank_for_its_sort_code_and_iban() {
    let h = Harness::start().await;
    let token = token(&h.client).await;
    for account in [
        scan("012131", "10000000"),
        AccountIdentifier::Iban {
            iban: "GB29CLRB01213110000000".into(),
        },
    ] {
        let bank = h.client.bank_lookup(&token, &account).await.unwrap().data;
        assert_eq!(bank.name, "MOCK BANK LIMITED");
    }
    let unknown = h
        .client
        .bank_lookup(&token, &scan("404040", "10000000"))
        .await;
    assert_eq!(unknown.unwrap_err().status(), Some(400));
}
