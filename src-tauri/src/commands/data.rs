//! The connection's other data views (core's `data` service): standing orders, direct debits,
//! identity, Signup+ and name verification.

use linkscope_core::dto::{
    DirectDebit, Fetched, Identity, SignupPlusResult, StandingOrder, VerificationResult,
};
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::LinkscopeExt;

#[tauri::command]
pub async fn list_standing_orders<R: Runtime>(
    app: AppHandle<R>,
    connection_id: String,
    account_id: String,
) -> Result<Fetched<Vec<StandingOrder>>> {
    let data = app.linkscope().data();
    Ok(data.standing_orders(&connection_id, &account_id).await?)
}

#[tauri::command]
pub async fn list_direct_debits<R: Runtime>(
    app: AppHandle<R>,
    connection_id: String,
    account_id: String,
) -> Result<Fetched<Vec<DirectDebit>>> {
    let data = app.linkscope().data();
    Ok(data.direct_debits(&connection_id, &account_id).await?)
}

#[tauri::command]
pub async fn get_identity<R: Runtime>(
    app: AppHandle<R>,
    connection_id: String,
) -> Result<Fetched<Vec<Identity>>> {
    Ok(app.linkscope().data().identity(&connection_id).await?)
}

#[tauri::command]
pub async fn get_signup_plus<R: Runtime>(
    app: AppHandle<R>,
    connection_id: String,
    account_id: Option<String>,
) -> Result<Fetched<SignupPlusResult>> {
    let data = app.linkscope().data();
    Ok(data
        .signup_plus(&connection_id, account_id.as_deref())
        .await?)
}

#[tauri::command]
pub async fn verify_name<R: Runtime>(
    app: AppHandle<R>,
    connection_id: String,
    name: String,
) -> Result<Fetched<VerificationResult>> {
    Ok(app
        .linkscope()
        .data()
        .verify_name(&connection_id, &name)
        .await?)
}
