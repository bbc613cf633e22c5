//! `inspect_access_token`: the connection's access token as the overview shows it — its JOSE
//! header, its claims, and whether its RS256 signature verifies against the environment's JWKS
//! (fetched from the auth server each time; the check is display only). The token itself never
//! leaves core.

use linkscope_truelayer as tl;

use super::ConnectionService;
use crate::dto::{AccessTokenInspection, TokenSignature};
use crate::error::Result;

impl ConnectionService {
    /// `inspect_access_token`: `None` when the connection has no access token or it is not a
    /// JWT (TrueLayer's are; a proxy's may not be).
    pub async fn inspect_token(&self, id: &str) -> Result<Option<AccessTokenInspection>> {
        let row = self.row(id)?;
        let Some(token) = self.current_access_token(id).await? else {
            return Ok(None);
        };
        let client = self.shared.client(&row.environment_id).await?.client;
        let jwks = client.token_jwks().await;
        let Some(inspection) = tl::inspect_jwt(token.expose(), jwks.as_deref().ok()) else {
            return Ok(None);
        };
        let signature = match (inspection.signature, jwks) {
            (tl::SignatureCheck::Verified { kid }, _) => TokenSignature::Verified { kid },
            (tl::SignatureCheck::NotVerified { .. }, Err(e)) => TokenSignature::NotVerified {
                reason: format!(
                    "The environment's JWKS could not be fetched: {}",
                    e.explain()
                ),
            },
            (tl::SignatureCheck::NotVerified { reason }, Ok(_)) => {
                TokenSignature::NotVerified { reason }
            }
        };
        Ok(Some(AccessTokenInspection {
            header: inspection.header,
            claims: inspection.claims,
            signature,
        }))
    }
}
