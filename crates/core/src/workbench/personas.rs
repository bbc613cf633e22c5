//! Personas in one click: the persona table of the sandbox crate shown per environment, and
//! "link as persona" (build the link, walk the dialog through the sandbox's authorize control,
//! complete it through the normal redirect path, label the connection by who it is). Must not:
//! automate TrueLayer's own sandbox (it has no such control; the list is for copying there).

use linkscope_sandbox::workbench::{self as table, Check, PersonaGroup};

use super::controls::SandboxControls;
use super::dto::{LinkAsPersonaInput, PersonaCatalog, PersonaGroupInfo, PersonaInfo};
use crate::connections::ConnectionService;
use crate::data::views::DataService;
use crate::dto::{Connection, EnvironmentKind, LinkRequest, RedirectKind, ResponseMode};
use crate::error::{Error, Result};
use crate::link::sessions::LinkService;
use crate::storage::store::Store;

/// The mock bank's provider id in every sandbox.
pub const MOCK_PROVIDER: &str = "mock";

/// Every scope the workbench's checks use (what a persona is linked with by default).
pub fn all_check_scopes() -> Vec<String> {
    let mut scopes: Vec<String> = Vec::new();
    for check in Check::ALL {
        for scope in check.scopes() {
            let name = scope.as_str().to_owned();
            if !scopes.contains(&name) {
                scopes.push(name);
            }
        }
    }
    scopes
}

/// The persona list of an environment: automated where the sandbox has controls; for TrueLayer's
/// sandbox the documented users only (no Linkscope additions), to copy into the bank page.
pub(crate) fn catalog(
    store: &Store,
    controls: &SandboxControls,
    environment_id: &str,
) -> Result<PersonaCatalog> {
    let env = store
        .environment(environment_id)?
        .ok_or_else(|| Error::NotFound {
            what: "environment",
            id: environment_id.to_owned(),
        })?;
    let automated = controls.available(environment_id)?;
    if !automated && env.kind != EnvironmentKind::TruelayerSandbox {
        return Err(Error::Validation(format!(
            "\"{}\" is a live environment: there are no mock users there.",
            env.name
        )));
    }
    let rows = table::personas();
    let groups = PersonaGroup::ALL
        .into_iter()
        // john.dense is a Linkscope addition: TrueLayer's sandbox does not know it.
        .filter(|g| automated || *g != PersonaGroup::DenseHistory)
        .map(|group| PersonaGroupInfo {
            id: serde_json::to_value(group)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            label: group.label().to_owned(),
            personas: rows
                .iter()
                .filter(|r| r.group == group)
                .map(PersonaInfo::of)
                .collect(),
        })
        .collect();
    Ok(PersonaCatalog { automated, groups })
}

/// What link-as-persona needs from the other services.
pub(crate) struct PersonaLinker<'a> {
    pub links: &'a LinkService,
    pub connections: &'a ConnectionService,
    pub data: &'a DataService,
    pub controls: &'a SandboxControls,
}

impl PersonaLinker<'_> {
    /// `link_as_persona`: a new link (deep-link redirect, Mock preselected) → the sandbox's
    /// authorize control as the persona → [`LinkService::complete_authorization`] with the
    /// redirect → the connection, labelled "John Doe · Mock" (from `/info`, else the login).
    pub async fn link(&self, input: &LinkAsPersonaInput) -> Result<Connection> {
        let spec = table::persona_spec(&input.persona_key).ok_or_else(|| {
            Error::Validation(format!(
                "\"{}\" is not one of the sandbox's personas.",
                input.persona_key
            ))
        })?;
        if !self.controls.available(&input.environment_id)? {
            return Err(Error::Validation(
                "\"Link as this user\" needs a Linkscope sandbox (built-in, or a custom \
                 environment pointing at linkscope-sandbox). In TrueLayer's sandbox, copy the \
                 login and open the link in the browser."
                    .into(),
            ));
        }
        let scopes = if input.scopes.is_empty() {
            all_check_scopes()
        } else {
            input.scopes.clone()
        };
        let preview = self
            .links
            .start(LinkRequest {
                environment_id: input.environment_id.clone(),
                provider_id: Some(MOCK_PROVIDER.to_owned()),
                scopes,
                redirect: RedirectKind::DeepLink,
                response_mode: ResponseMode::Query,
                ..Default::default()
            })
            .await?;
        let username = spec.username();
        let authorized = self
            .controls
            .authorize(
                &input.environment_id,
                &preview.url,
                &username,
                &spec.password(),
            )
            .await;
        let (redirect, reply) = match authorized {
            Ok(ok) => ok,
            Err(e) => {
                self.links.cancel(&preview.session_id).await?;
                return Err(e);
            }
        };
        let completed = self.links.complete_authorization(&redirect).await;
        self.controls.record_authorize(
            &input.environment_id,
            completed.as_ref().ok().map(|c| c.id.as_str()),
            &preview.url,
            &username,
            &redirect,
            &reply,
        );
        let connection = completed?;
        let who = self.holder_name(&connection).await.unwrap_or(username);
        self.connections
            .rename(
                &connection.id,
                &format!("{who} · {}", connection.provider_name),
            )
            .await
    }

    /// The account holder's name from `/info`, when the connection may read it and it answers.
    async fn holder_name(&self, connection: &Connection) -> Option<String> {
        if !connection.scopes.iter().any(|s| s == "info") {
            return None;
        }
        let identity = self.data.identity(&connection.id).await.ok()?;
        identity
            .data
            .into_iter()
            .find_map(|i| i.full_name)
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
    }
}
