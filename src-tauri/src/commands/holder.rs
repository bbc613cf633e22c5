//! Account holder verification v3 and bank lookup (core's `holder` service), and the
//! environment's request-signing key they sign with (kept in the keychain by core).

use linkscope_core::dto::{
    AccountInput, BankLookupResult, HolderVerificationInput, HolderVerificationResult,
    SigningKeyInput, SigningKeyStatus,
};
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::LinkscopeExt;

#[tauri::command]
pub async fn get_signing_key_status<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
) -> Result<SigningKeyStatus> {
    Ok(app
        .linkscope()
        .holder()
        .signing_key_status(&environment_id)
        .await?)
}

#[tauri::command]
pub async fn set_signing_key<R: Runtime>(
    app: AppHandle<R>,
    input: SigningKeyInput,
) -> Result<SigningKeyStatus> {
    Ok(app.linkscope().holder().set_signing_key(input).await?)
}

#[tauri::command]
pub async fn clear_signing_key<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
) -> Result<SigningKeyStatus> {
    Ok(app
        .linkscope()
        .holder()
        .clear_signing_key(&environment_id)
        .await?)
}

#[tauri::command]
pub async fn verify_account_holder<R: Runtime>(
    app: AppHandle<R>,
    input: HolderVerificationInput,
) -> Result<HolderVerificationResult> {
    Ok(app.linkscope().holder().verify(input).await?)
}

#[tauri::command]
pub async fn bank_lookup<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
    account: AccountInput,
) -> Result<BankLookupResult> {
    Ok(app
        .linkscope()
        .holder()
        .bank_lookup(&environment_id, account)
        .await?)
}
