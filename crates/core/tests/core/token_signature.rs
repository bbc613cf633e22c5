//! The overview's token check: the built-in sandbox's access token is an RS256 JWT whose
//! signature verifies against the environment's JWKS, shown as header + claims, never the token.

use linkscope_core::dto::TokenSignature;
use linkscope_core::secrets::SecretKey;

use crate::support::{link, start, stored};

#[tokio::test]
async fn the_access_token_shows_its_rs256_header_and_claims_and_its_signature_verifies() {
    let h = start().await;
    let connection = link(&h.core).await;
    let inspection = h
        .core
        .connections()
        .inspect_token(&connection.id)
        .await
        .unwrap()
        .expect("the built-in sandbox's tokens are JWTs");
    assert_eq!(inspection.header["alg"], "RS256");
    let kid = inspection.header["kid"].as_str().unwrap().to_owned();
    assert_eq!(
        inspection.signature,
        TokenSignature::Verified { kid },
        "the token verifies against {{auth}}/.well-known/openid-configuration/jwks"
    );
    assert_eq!(inspection.claims["client_id"], "sandbox-linkscope-demo");
    let token = stored(&h.secrets, &SecretKey::access_token(&connection.id)).unwrap();
    let json = serde_json::to_string(&inspection).unwrap();
    assert!(!json.contains(&token), "the DTO must not carry the token");
}
