//! The link flow (core's `links` service): build an auth link, open it in the user's browser,
//! and complete it from a pasted redirect (deep links and the loopback listener complete it
//! without a command). However the redirect came, the UI learns the connection from one place:
//! the `link://completed` event. Also the redirect URI helper: what to allow-list, and a
//! self-test whose probes are opened with the same system opener a link is.

use linkscope_core::dto::{
    Connection, LinkCatalog, LinkPreview, LinkRequest, ProbeStatus, RedirectGuide, RedirectSelfTest,
};
use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;

use crate::error::Result;
use crate::LinkscopeExt;

#[tauri::command]
pub async fn start_link<R: Runtime>(app: AppHandle<R>, input: LinkRequest) -> Result<LinkPreview> {
    Ok(app.linkscope().links().start(input).await?)
}

/// The unopened link of `session_id` with the edited parameters (same state and PKCE pair), or
/// a fresh link when that one was opened or expired.
#[tauri::command]
pub async fn update_link<R: Runtime>(
    app: AppHandle<R>,
    session_id: String,
    input: LinkRequest,
) -> Result<LinkPreview> {
    Ok(app.linkscope().links().update(&session_id, input).await?)
}

#[tauri::command(async)]
pub fn get_link_catalog<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
) -> Result<LinkCatalog> {
    Ok(app.linkscope().links().catalog(&environment_id)?)
}

/// A re-consent that came back with another bank, kept as a new connection.
#[tauri::command]
pub async fn keep_link_as_new<R: Runtime>(
    app: AppHandle<R>,
    session_id: String,
) -> Result<Connection> {
    Ok(app.linkscope().links().keep_as_new(&session_id).await?)
}

/// Opens the link in the system browser (never in the webview: TrueLayer forbids iframes).
/// Core only hands out http(s) links of live sessions.
#[tauri::command(async)]
pub fn open_link<R: Runtime>(app: AppHandle<R>, session_id: String) -> Result<()> {
    let url = app.linkscope().links().open(&session_id)?;
    if let Err(err) = app.opener().open_url(url, None::<&str>) {
        tracing::warn!("the browser could not be started: {err}");
        return Err(linkscope_core::Error::Browser(err.to_string()).into());
    }
    Ok(())
}

#[tauri::command]
pub async fn cancel_link<R: Runtime>(app: AppHandle<R>, session_id: String) -> Result<()> {
    Ok(app.linkscope().links().cancel(&session_id).await?)
}

/// Resolves once the redirect is handled; the connection itself arrives as `link://completed`.
#[tauri::command]
pub async fn complete_link<R: Runtime>(app: AppHandle<R>, url: String) -> Result<()> {
    app.linkscope().links().complete_authorization(&url).await?;
    Ok(())
}

#[tauri::command(async)]
pub fn get_redirect_guide<R: Runtime>(
    app: AppHandle<R>,
    environment_id: String,
) -> Result<RedirectGuide> {
    Ok(app.linkscope().links().redirect_guide(&environment_id)?)
}

/// Opens each probe the way a bank's redirect is opened: the system opener (xdg-open, …).
#[tauri::command]
pub async fn start_redirect_self_test<R: Runtime>(app: AppHandle<R>) -> Result<RedirectSelfTest> {
    let links = app.linkscope().links();
    let test = links.start_redirect_self_test().await?;
    for probe in test
        .probes
        .iter()
        .filter(|p| p.status == ProbeStatus::Waiting)
    {
        if let Err(err) = app.opener().open_url(&probe.url, None::<&str>) {
            links.redirect_probe_not_opened(&test.test_id, probe.kind, &err.to_string())?;
        }
    }
    Ok(links.redirect_self_test(&test.test_id)?)
}

#[tauri::command(async)]
pub fn get_redirect_self_test<R: Runtime>(
    app: AppHandle<R>,
    test_id: String,
) -> Result<RedirectSelfTest> {
    Ok(app.linkscope().links().redirect_self_test(&test_id)?)
}
