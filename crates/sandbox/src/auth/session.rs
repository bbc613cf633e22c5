//! An auth dialog session: the steps one user goes through after opening an auth link (consent →
//! provider → bank login → accounts) or a re-authentication link, and the redirect that ends it
//! (`code` + `state`, or `error=access_denied`). Shared by the HTML dialog and the headless
//! `/__sandbox/authorize`, which keep it in the store; renders nothing itself. Each step it takes
//! is recorded for the link's `tracking_id` (see `tracking`).

use chrono::{DateTime, Utc};

use crate::authlink::AuthLink;
use crate::data::{self, LoginRefusal, Persona, Provider};
use crate::scopes::Scope;
use crate::state::{Authorization, SandboxState, DIALOG_LIFETIME};
use crate::tokens;
use crate::tracking::{self, EventName};

/// How many wrong passwords the mock bank accepts before it refuses the login for good.
pub const MAX_FAILED_LOGINS: u8 = 3;

/// Why the session exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// A first link: consent, provider, login, accounts.
    Link,
    /// Re-authentication of an existing connection (extend's `authentication_needed`,
    /// `/v1/reauthuri`): the same user logs in again at the same provider.
    Reauth {
        /// The connection being renewed.
        credentials_id: String,
        /// Who must log in.
        persona_key: String,
        /// A consent reconfirmation (extend's `reconfirmation_of_consent_needed`): the user
        /// reconfirms on the consent page and goes on without a bank login.
        reconfirm: bool,
    },
    /// Direct bank authentication (`/v1/authuri`): the client collected consent itself.
    Direct,
}

/// Where the user is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// TrueLayer's consent screen.
    Consent,
    /// Choosing the bank.
    Provider,
    /// The mock bank's login.
    Login,
    /// Choosing accounts and cards to share.
    Accounts,
}

impl Step {
    /// The name used in the dialog's hidden `step` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Consent => "consent",
            Step::Provider => "provider",
            Step::Login => "login",
            Step::Accounts => "accounts",
        }
    }
}

/// One dialog session (kept in the store under its id).
#[derive(Debug, Clone)]
pub struct DialogSession {
    /// Random id, carried in a hidden field.
    pub id: String,
    /// Creation time (sessions end after 30 minutes).
    pub created_at: DateTime<Utc>,
    /// The validated link (for re-authentication: one built from the request).
    pub link: AuthLink,
    /// Why the session exists.
    pub purpose: Purpose,
    /// Current step.
    pub step: Step,
    /// The chosen provider.
    pub provider_id: Option<String>,
    /// The logged-in user.
    pub persona_key: Option<String>,
    /// When the user logged in.
    pub auth_time: Option<DateTime<Utc>>,
    /// Wrong passwords so far.
    pub failed_logins: u8,
    /// The connection's `credentials_id`, known from the bank login on (a new one is made then;
    /// a re-authentication keeps its connection's). Tracked events carry it; the code takes it.
    pub credentials_id: Option<String>,
    /// The consent's id, made at the bank login.
    pub consent_id: Option<String>,
}

/// Where the dialog sends the browser at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The redirect URI (no parameters added).
    pub redirect_uri: String,
    /// `code`/`state` or `error`/`error_description`/`state`.
    pub params: Vec<(String, String)>,
    /// Deliver as an auto-submitting form instead of a GET.
    pub form_post: bool,
}

impl Redirect {
    /// The redirect URI with the parameters appended to its query.
    pub fn url(&self) -> String {
        match url::Url::parse(&self.redirect_uri) {
            Ok(mut url) => {
                url.query_pairs_mut()
                    .extend_pairs(self.params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                url.to_string()
            }
            // Registered redirect URIs are validated as URLs at start; keep a total fallback.
            Err(_) => {
                let query = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(&self.params)
                    .finish();
                format!("{}?{query}", self.redirect_uri)
            }
        }
    }

    /// Whether this is an error redirect.
    pub fn is_error(&self) -> bool {
        self.params.iter().any(|(k, _)| k == "error")
    }
}

/// An account or card offered on the selection page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountChoice {
    /// `account_id`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// A detail line (masked number, card network).
    pub detail: String,
    /// `account` or `card`.
    pub kind: &'static str,
}

impl DialogSession {
    /// Stores (or replaces) this session in the state, dropping expired ones.
    pub fn save(&self, state: &SandboxState) {
        let now = state.now();
        let mut store = state.store();
        store.dialogs.retain(|_, s| !s.expired(now));
        store.dialogs.insert(self.id.clone(), self.clone());
    }

    /// A new session for a validated link (recorded as `dialog_started`; one that opens on the
    /// bank's login also as `provider_selected` and `provider_auth_started`).
    pub fn new(state: &SandboxState, link: AuthLink, purpose: Purpose) -> Self {
        let step = match purpose {
            Purpose::Link
            | Purpose::Reauth {
                reconfirm: true, ..
            } => Step::Consent,
            Purpose::Reauth { .. } | Purpose::Direct => Step::Login,
        };
        let provider_id = link.provider_id.clone();
        let credentials_id = match &purpose {
            Purpose::Reauth { credentials_id, .. } => Some(credentials_id.clone()),
            Purpose::Link | Purpose::Direct => None,
        };
        let session = Self {
            id: tokens::new_session_id("auth"),
            created_at: state.now(),
            link,
            purpose,
            step,
            provider_id,
            persona_key: None,
            auth_time: None,
            failed_logins: 0,
            credentials_id,
            consent_id: None,
        };
        tracking::record(state, &session, EventName::DialogStarted);
        if session.step == Step::Login {
            tracking::record(state, &session, EventName::ProviderSelected);
            tracking::record(state, &session, EventName::ProviderAuthStarted);
        }
        session
    }

    /// Whether the session has run out at `now`.
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        now - self.created_at > DIALOG_LIFETIME
    }

    /// The chosen provider, if any.
    pub fn provider(&self) -> Option<Provider> {
        self.provider_id.as_deref().and_then(data::provider)
    }

    /// Consent given: go to provider selection, or straight to the bank with `provider_id`. A
    /// reconfirmation goes on to the accounts as the connection's user, consenting anew now.
    pub fn allow(&mut self, state: &SandboxState) {
        if self.step != Step::Consent {
            return;
        }
        tracking::record(state, self, EventName::ConsentGranted);
        if let Purpose::Reauth {
            persona_key,
            reconfirm: true,
            ..
        } = &self.purpose
        {
            self.persona_key = Some(persona_key.clone());
            self.auth_time = Some(state.now());
            self.consent_id = Some(uuid::Uuid::new_v4().to_string());
            self.step = Step::Accounts;
            tracking::record(state, self, EventName::ProviderAuthorized);
            return;
        }
        if self.provider_id.is_some() {
            self.enter_login(state);
        } else {
            self.step = Step::Provider;
        }
    }

    /// The provider is known: on to the bank's login page.
    fn enter_login(&mut self, state: &SandboxState) {
        self.step = Step::Login;
        tracking::record(state, self, EventName::ProviderSelected);
        tracking::record(state, self, EventName::ProviderAuthStarted);
    }

    /// Picks a provider; it must be one the link offers.
    pub fn choose_provider(
        &mut self,
        state: &SandboxState,
        provider_id: &str,
    ) -> Result<(), String> {
        let offered = self
            .link
            .eligible_providers()
            .into_iter()
            .any(|p| p.provider_id == provider_id);
        if !offered {
            return Err(format!(
                "'{provider_id}' is not one of the providers offered by this link."
            ));
        }
        self.provider_id = Some(provider_id.to_owned());
        self.enter_login(state);
        Ok(())
    }

    /// Checks a mock-bank login. For a re-authentication only the connection's own user may
    /// log in. A login the bank accepts names the connection and the consent.
    pub fn login(
        &mut self,
        state: &SandboxState,
        username: &str,
        password: &str,
    ) -> Result<Persona, LoginRefusal> {
        let result = data::login(username, password).and_then(|persona| match &self.purpose {
            Purpose::Reauth { persona_key, .. } if persona.key() != *persona_key => {
                Err(LoginRefusal::WrongPassword)
            }
            _ => Ok(persona),
        });
        match result {
            Ok(persona) => {
                self.persona_key = Some(persona.key());
                self.auth_time = Some(state.now());
                self.step = Step::Accounts;
                if self.credentials_id.is_none() {
                    self.credentials_id = Some(tokens::new_credentials_id());
                }
                self.consent_id = Some(uuid::Uuid::new_v4().to_string());
                tracking::record(state, self, EventName::ProviderAuthorized);
            }
            Err(_) => self.failed_logins = self.failed_logins.saturating_add(1),
        }
        result
    }

    /// The redirect that refuses the link (`error=access_denied`), echoing `state`.
    pub fn refusal(&self, description: &str) -> Redirect {
        let mut params = vec![
            ("error".to_owned(), "access_denied".to_owned()),
            ("error_description".to_owned(), description.to_owned()),
        ];
        if let Some(state) = &self.link.state {
            params.push(("state".to_owned(), state.clone()));
        }
        Redirect {
            redirect_uri: self.link.redirect_uri.clone(),
            params,
            form_post: self.link.form_post,
        }
    }

    /// The accounts and cards the logged-in user may share (accounts unless only cards were
    /// asked for; cards with the `cards` scope).
    pub async fn account_choices(&self, state: &SandboxState) -> Vec<AccountChoice> {
        let (Some(persona), Some(provider)) = (
            self.persona_key.as_deref().and_then(data::persona_from_key),
            self.provider(),
        ) else {
            return Vec::new();
        };
        let anchor = state.now().date_naive();
        let Some(bank) = crate::banks::provider_bank(state, &persona, anchor, &provider).await
        else {
            return Vec::new();
        };
        let scopes = &self.link.scopes;
        let wants_accounts = scopes.contains(Scope::Accounts) || !scopes.contains(Scope::Cards);
        let mut choices = Vec::new();
        if wants_accounts && provider.scopes.contains(&"accounts") {
            choices.extend(bank.accounts().iter().map(|a| AccountChoice {
                id: a.account_id.clone(),
                name: a.display_name.clone(),
                detail: format!(
                    "{} · {}",
                    a.account_number.sort_code,
                    mask(&a.account_number.number)
                ),
                kind: "account",
            }));
        }
        if scopes.contains(Scope::Cards) {
            choices.extend(bank.cards().iter().map(|c| AccountChoice {
                id: c.account_id.clone(),
                name: c.display_name.clone(),
                detail: format!("{} ending {}", c.card_network, c.partial_card_number),
                kind: "card",
            }));
        }
        choices
    }

    /// Ends the dialog with the chosen accounts: stores a code and returns the redirect.
    pub fn finish(
        &self,
        state: &SandboxState,
        choices: &[AccountChoice],
        selected: &[String],
    ) -> Result<Redirect, String> {
        if selected.is_empty() {
            return Err("Select at least one account to share.".to_owned());
        }
        if let Some(unknown) = selected
            .iter()
            .find(|id| !choices.iter().any(|c| &c.id == *id))
        {
            return Err(format!(
                "'{unknown}' is not one of your accounts or cards here."
            ));
        }
        let (Some(persona_key), Some(provider_id), Some(auth_time)) =
            (&self.persona_key, &self.provider_id, self.auth_time)
        else {
            return Err("Log in at the bank first.".to_owned());
        };
        let mut account_ids: Vec<String> = Vec::new();
        for id in selected {
            if !account_ids.contains(id) {
                account_ids.push(id.clone());
            }
        }
        let renews = match &self.purpose {
            Purpose::Reauth { credentials_id, .. } => Some(credentials_id.clone()),
            _ => None,
        };
        let code = state.issue_code(
            &self.link.client_id,
            &self.link.redirect_uri,
            self.link.code_challenge.clone(),
            Authorization {
                persona_key: persona_key.clone(),
                provider_id: provider_id.clone(),
                account_ids,
                scopes: self.link.scopes.clone(),
                auth_time,
                renews,
                credentials_id: self.credentials_id.clone(),
                consent_id: self.consent_id.clone(),
            },
        );
        tracking::record(state, self, EventName::CodeExchanged);
        let mut params = vec![("code".to_owned(), code.expose().to_owned())];
        if let Some(s) = &self.link.state {
            params.push(("state".to_owned(), s.clone()));
        }
        Ok(Redirect {
            redirect_uri: self.link.redirect_uri.clone(),
            params,
            form_post: self.link.form_post,
        })
    }
}

/// `12345678` → `••••5678`.
fn mask(number: &str) -> String {
    let tail: String = number
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("••••{tail}")
}

/// What a re-authentication request (extend, `/v1/reauthuri`) asks for.
#[derive(Debug, Clone)]
pub struct ReauthRequest<'a> {
    /// The redirect URI (must be registered for the connection's client).
    pub redirect_uri: &'a str,
    /// `state` to echo.
    pub state: Option<&'a str>,
    /// S256 challenge.
    pub code_challenge: Option<&'a str>,
    /// `response_mode=form_post`.
    pub form_post: bool,
    /// A consent reconfirmation rather than a bank login (see [`Purpose::Reauth`]).
    pub reconfirm: bool,
}

/// Starts a re-authentication session for a connection and returns its `user_input_link`
/// (`{auth}/?session_id=…`): the same user logs in again (or, for a reconfirmation, reconfirms
/// on the consent page) and picks accounts; the code it ends with renews the connection's
/// consent for 90 days.
pub fn start_reauth(
    state: &SandboxState,
    connection: &crate::state::Connection,
    request: &ReauthRequest<'_>,
) -> Result<String, crate::authlink::LinkError> {
    let link = reauth_link(state, connection, request)?;
    let session = DialogSession::new(
        state,
        link,
        Purpose::Reauth {
            credentials_id: connection.credentials_id.clone(),
            persona_key: connection.persona_key.clone(),
            reconfirm: request.reconfirm,
        },
    );
    let url = format!("{}/?session_id={}", state.auth_url, session.id);
    session.save(state);
    Ok(url)
}

fn reauth_link(
    state: &SandboxState,
    connection: &crate::state::Connection,
    request: &ReauthRequest<'_>,
) -> Result<AuthLink, crate::authlink::LinkError> {
    use crate::authlink::LinkError;
    let invalid = |parameter: &str, description: String| LinkError {
        error: "invalid_request",
        description,
        parameter: Some(parameter.to_owned()),
    };
    let client = state
        .client(&connection.client_id)
        .ok_or_else(|| LinkError {
            error: "unauthorized_client",
            description: "the connection's client is no longer registered".to_owned(),
            parameter: None,
        })?;
    if !client
        .redirect_uris
        .iter()
        .any(|r| r == request.redirect_uri)
    {
        return Err(LinkError {
            error: "unauthorized_client",
            description: format!(
                "The redirect_uri '{}' is not allow-listed for client '{}'.",
                request.redirect_uri, client.client_id
            ),
            parameter: Some("redirect_uri".to_owned()),
        });
    }
    if let Some(challenge) = request.code_challenge {
        if !tokens::is_s256_challenge(challenge) {
            return Err(invalid(
                "code_challenge",
                "code_challenge must be the base64url SHA-256 of the code_verifier (43 characters)."
                    .to_owned(),
            ));
        }
    }
    if request
        .state
        .is_some_and(|s| s.is_empty() || s.chars().count() > crate::authlink::MAX_STATE_LEN)
    {
        return Err(invalid(
            "state",
            "state must be 1 to 1024 characters.".to_owned(),
        ));
    }
    if request.form_post && !request.redirect_uri.starts_with("http") {
        return Err(invalid(
            "response_mode",
            "response_mode=form_post needs an http(s) redirect_uri.".to_owned(),
        ));
    }
    Ok(AuthLink {
        client_id: client.client_id.clone(),
        redirect_uri: request.redirect_uri.to_owned(),
        scopes: connection.scopes.clone(),
        providers: vec![connection.provider_id.clone()],
        disabled_providers: Vec::new(),
        provider_id: Some(connection.provider_id.clone()),
        state: request.state.map(str::to_owned),
        form_post: request.form_post,
        code_challenge: request.code_challenge.map(str::to_owned),
        country_id: None,
        language_id: None,
        user_email: None,
        tracking_id: None,
    })
}
