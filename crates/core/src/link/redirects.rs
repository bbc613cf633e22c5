//! The redirect URI helper: per environment, exactly which redirect URIs to allow-list for each
//! capture path of this build (its deep-link scheme, the loopback listener's port, TrueLayer's
//! console page), and a self-test that sends a harmless probe down the deep link and the
//! loopback and reports which came back.
//!
//! A probe is a redirect URL with the fixed code [`PROBE_CODE`] and a random `state`; the shell
//! opens it the way a bank's redirect would be opened (the system opener), and it arrives like
//! one: the deep link through the OS into [`LinkService::receive_deep_link`], the loopback at the
//! listener, which hands it here before any link session sees it. A probe is never exchanged,
//! never published as a link event and never stored. Must not: take a real callback for a probe
//! (only an exact nonce of a running test matches).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use url::Url;

use crate::context::lock;
use crate::dto::{
    Connection, EnvironmentKind, ProbeStatus, RedirectGuide, RedirectKind, RedirectPathGuide,
    RedirectProbe, RedirectSelfTest,
};
use crate::error::{Error, Result};
use crate::link::sessions::LinkService;

/// How long the self-test waits for each probe.
pub const SELF_TEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The `code` of every probe: a word, not an authorization code.
pub const PROBE_CODE: &str = "linkscope-self-test";
/// Self-tests remembered (the oldest is dropped).
const KEPT_TESTS: usize = 8;
/// What the browser shows when the loopback probe arrives.
pub(crate) const LOOPBACK_PROBE_ARRIVED: &str =
    "Linkscope received its self-test redirect: the loopback path works.";

/// The running and recent self-tests.
#[derive(Debug, Default)]
pub(crate) struct SelfTests {
    tests: Mutex<VecDeque<TestState>>,
}

#[derive(Debug)]
struct TestState {
    id: String,
    started: Instant,
    probes: Vec<ProbeState>,
}

#[derive(Debug)]
struct ProbeState {
    kind: RedirectKind,
    url: String,
    nonce: String,
    arrived: Option<Duration>,
    not_opened: Option<String>,
}

impl SelfTests {
    /// Registers a test with one probe per `(kind, redirect URI)`.
    fn start(&self, paths: Vec<(RedirectKind, String)>) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let probes = paths
            .into_iter()
            .map(|(kind, uri)| {
                let nonce = uuid::Uuid::new_v4().simple().to_string();
                ProbeState {
                    kind,
                    url: format!("{uri}?code={PROBE_CODE}&state={nonce}"),
                    nonce,
                    arrived: None,
                    not_opened: None,
                }
            })
            .collect();
        let mut tests = lock(&self.tests);
        tests.push_back(TestState {
            id: id.clone(),
            started: Instant::now(),
            probes,
        });
        while tests.len() > KEPT_TESTS {
            tests.pop_front();
        }
        id
    }

    /// Whether `url` is a probe of a test sent down `kind`; records its arrival if so.
    pub(crate) fn arrived(&self, kind: RedirectKind, url: &str) -> bool {
        let Some(nonce) = probe_nonce(url) else {
            return false;
        };
        let mut tests = lock(&self.tests);
        for test in tests.iter_mut() {
            let started = test.started;
            if let Some(probe) = test
                .probes
                .iter_mut()
                .find(|p| p.kind == kind && p.nonce == nonce)
            {
                probe.arrived.get_or_insert_with(|| started.elapsed());
                return true;
            }
        }
        false
    }

    fn not_opened(&self, test_id: &str, kind: RedirectKind, detail: &str) -> Result<()> {
        let mut tests = lock(&self.tests);
        let test = tests
            .iter_mut()
            .find(|t| t.id == test_id)
            .ok_or_else(|| not_found(test_id))?;
        if let Some(probe) = test.probes.iter_mut().find(|p| p.kind == kind) {
            probe.not_opened = Some(detail.chars().take(300).collect());
        }
        Ok(())
    }

    fn view(&self, test_id: &str, scheme: &str, port: u16) -> Result<RedirectSelfTest> {
        let tests = lock(&self.tests);
        let test = tests
            .iter()
            .find(|t| t.id == test_id.trim())
            .ok_or_else(|| not_found(test_id))?;
        let timed_out = test.started.elapsed() >= SELF_TEST_TIMEOUT;
        let probes: Vec<RedirectProbe> = test
            .probes
            .iter()
            .map(|p| {
                let status = match (&p.arrived, &p.not_opened) {
                    (Some(_), _) => ProbeStatus::Arrived,
                    (None, Some(_)) => ProbeStatus::NotOpened,
                    (None, None) if timed_out => ProbeStatus::NotArrived,
                    (None, None) => ProbeStatus::Waiting,
                };
                RedirectProbe {
                    kind: p.kind,
                    url: p.url.clone(),
                    status,
                    arrived_after_ms: p
                        .arrived
                        .map(|d| u32::try_from(d.as_millis()).unwrap_or(u32::MAX)),
                    detail: p.not_opened.clone(),
                    next_step: next_step(p.kind, status, scheme, port, &p.url),
                }
            })
            .collect();
        Ok(RedirectSelfTest {
            test_id: test.id.clone(),
            timeout_seconds: u32::try_from(SELF_TEST_TIMEOUT.as_secs()).unwrap_or(u32::MAX),
            finished: probes.iter().all(|p| p.status != ProbeStatus::Waiting),
            probes,
        })
    }
}

impl LinkService {
    /// `get_redirect_guide`: what to allow-list for `environment_id`, path by path.
    pub fn redirect_guide(&self, environment_id: &str) -> Result<RedirectGuide> {
        let env = self
            .shared()
            .store
            .environment(environment_id.trim())?
            .ok_or_else(|| Error::NotFound {
                what: "environment",
                id: environment_id.chars().take(80).collect(),
            })?;
        let config = &self.shared().config;
        let scheme = &config.deep_link_scheme;
        let port = config.loopback_port;
        let console = "Console asks for https:// redirect URIs";
        let paths = [
            (
                RedirectKind::DeepLink,
                format!(
                    "The bank's redirect opens this app through the OS ({scheme}:// is this \
                     build's scheme: the installed app uses linkscope://, the dev build \
                     linkscope-dev://). Query redirects only: form_post needs the loopback. \
                     {console}; if it refuses a custom scheme, use the loopback or the console page."
                ),
                true,
            ),
            (
                RedirectKind::Loopback,
                format!(
                    "A listener on this machine, port {port}, open only while a link waits \
                     (RFC 8252 §7.3); the only path that also takes response_mode=form_post. \
                     Register 127.0.0.1 exactly, not localhost: redirect URIs are compared byte \
                     for byte."
                ),
                true,
            ),
            (
                RedirectKind::Console,
                "TrueLayer's page that shows the redirect for copying: paste it into Linkscope. \
                 Nothing comes back by itself, so the self-test cannot probe it."
                    .to_owned(),
                false,
            ),
        ]
        .into_iter()
        .filter_map(|(kind, note, self_tested)| {
            let uri = config.redirect_uri(kind)?;
            Some(RedirectPathGuide {
                kind,
                registered: env.redirect_uris.contains(&uri),
                uri,
                note,
                self_tested,
            })
        })
        .collect();
        let where_to_register = match env.kind {
            EnvironmentKind::Builtin => {
                "The built-in sandbox's demo client already allows this build's deep link and \
                 loopback: nothing to register."
            }
            EnvironmentKind::TruelayerSandbox => {
                "TrueLayer Console, sandbox: your app → App settings → Allowed redirect URIs. Add \
                 each URI exactly as below, then list it in this environment's redirect URIs."
            }
            EnvironmentKind::TruelayerLive => {
                "TrueLayer Console, live: your app → App settings → Allowed redirect URIs. Add \
                 each URI exactly as below, then list it in this environment's redirect URIs."
            }
            EnvironmentKind::Custom => {
                "Wherever this server keeps its clients: a standalone linkscope-sandbox reads \
                 them from its --clients file (redirect_uris); a proxy in front of TrueLayer \
                 uses TrueLayer Console's allow-list."
            }
        };
        Ok(RedirectGuide {
            environment_id: env.id,
            environment_name: env.name,
            environment_kind: env.kind,
            client_id: env.client_id,
            where_to_register: where_to_register.to_owned(),
            paths,
        })
    }

    /// `start_redirect_self_test`: one probe for the deep link and one for the loopback (whose
    /// listener it starts). The caller opens each waiting probe's URL with the system opener.
    pub async fn start_redirect_self_test(&self) -> Result<RedirectSelfTest> {
        let config = &self.shared().config;
        let paths = [RedirectKind::DeepLink, RedirectKind::Loopback]
            .into_iter()
            .filter_map(|kind| Some((kind, config.redirect_uri(kind)?)))
            .collect();
        let test_id = self.self_tests().start(paths);
        if let Err(e) = self.ensure_loopback().await {
            self.self_tests()
                .not_opened(&test_id, RedirectKind::Loopback, &e.to_string())?;
        }
        self.redirect_self_test(&test_id)
    }

    /// `get_redirect_self_test`: where each probe is.
    pub fn redirect_self_test(&self, test_id: &str) -> Result<RedirectSelfTest> {
        let config = &self.shared().config;
        self.self_tests()
            .view(test_id, &config.deep_link_scheme, config.loopback_port)
    }

    /// The shell could not open a probe's URL (the opener's error, said to the user).
    pub fn redirect_probe_not_opened(
        &self,
        test_id: &str,
        kind: RedirectKind,
        detail: &str,
    ) -> Result<()> {
        self.self_tests().not_opened(test_id, kind, detail)
    }

    /// A deep link that reached the app: a self-test probe is recorded (`Ok(None)`), anything
    /// else completes its link as [`LinkService::complete_authorization`] does.
    pub async fn receive_deep_link(&self, url: &str) -> Result<Option<Connection>> {
        if self.self_tests().arrived(RedirectKind::DeepLink, url) {
            tracing::info!("the redirect self-test's deep link arrived");
            return Ok(None);
        }
        self.complete_authorization(url).await.map(Some)
    }
}

/// The nonce of a probe URL (`code` is [`PROBE_CODE`], one `state`), or `None`.
fn probe_nonce(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    let (mut code, mut state) = (None, None);
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "code" if code.is_none() => code = Some(value.into_owned()),
            "state" if state.is_none() => state = Some(value.into_owned()),
            "code" | "state" => return None,
            _ => {}
        }
    }
    (code.as_deref() == Some(PROBE_CODE)).then_some(state?)
}

fn next_step(
    kind: RedirectKind,
    status: ProbeStatus,
    scheme: &str,
    port: u16,
    url: &str,
) -> Option<String> {
    let secs = SELF_TEST_TIMEOUT.as_secs();
    let step = match (kind, status) {
        (_, ProbeStatus::Arrived | ProbeStatus::Waiting) => return None,
        (_, ProbeStatus::NotOpened) => format!(
            "Open the URL yourself (paste it into your browser's address bar) to try this \
             path by hand: {url}"
        ),
        (RedirectKind::DeepLink, _) if cfg!(target_os = "linux") => format!(
            "The desktop did not hand {scheme}:// to this app within {secs} s. `xdg-mime query \
             default x-scheme-handler/{scheme}` should name Linkscope's handler (it registers \
             itself at every start; the build started last owns the scheme). Outside GNOME and \
             KDE, xdg-open cannot start that handler; `gio open '{url}'` can. Meanwhile, link \
             with the loopback or paste the redirect."
        ),
        (RedirectKind::DeepLink, _) => format!(
            "The system did not hand {scheme}:// to this app within {secs} s: another build of \
             Linkscope may own the scheme (start this one again to take it back). Meanwhile, \
             link with the loopback or paste the redirect."
        ),
        (_, _) => format!(
            "Your browser did not reach http://127.0.0.1:{port} within {secs} s. Check that the \
             page opened, that no proxy or policy blocks 127.0.0.1, and that nothing else \
             answers on port {port}. Meanwhile, link with the deep link or paste the redirect."
        ),
    };
    Some(step)
}

fn not_found(test_id: &str) -> Error {
    Error::NotFound {
        what: "redirect self-test",
        id: test_id.trim().chars().take(80).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_of(tests: &SelfTests) -> (String, String, String) {
        let id = tests.start(vec![
            (RedirectKind::DeepLink, "linkscope-dev://callback".into()),
            (
                RedirectKind::Loopback,
                "http://127.0.0.1:3947/callback".into(),
            ),
        ]);
        let view = tests.view(&id, "linkscope-dev", 3947).unwrap();
        let urls: Vec<_> = view.probes.iter().map(|p| p.url.clone()).collect();
        (id, urls[0].clone(), urls[1].clone())
    }

    #[test]
    fn a_probe_arrives_only_on_its_own_path() {
        let tests = SelfTests::default();
        let (id, deep, loopback) = test_of(&tests);
        assert!(deep.starts_with("linkscope-dev://callback?code=linkscope-self-test&state="));
        assert!(!tests.arrived(RedirectKind::Loopback, &deep), "wrong path");
        assert!(tests.arrived(RedirectKind::DeepLink, &deep));
        let view = tests.view(&id, "linkscope-dev", 3947).unwrap();
        assert_eq!(view.probes[0].status, ProbeStatus::Arrived);
        assert_eq!(view.probes[1].status, ProbeStatus::Waiting);
        assert!(!view.finished);
        assert!(tests.arrived(RedirectKind::Loopback, &loopback));
        assert!(tests.view(&id, "linkscope-dev", 3947).unwrap().finished);
    }

    #[test]
    fn real_callbacks_and_forged_probes_are_not_probes() {
        let tests = SelfTests::default();
        let (_, deep, _) = test_of(&tests);
        let nonce = deep.split("state=").nth(1).unwrap().to_owned();
        for url in [
            format!("linkscope-dev://callback?code=real-code&state={nonce}"),
            "linkscope-dev://callback?code=linkscope-self-test&state=guessed".to_owned(),
            format!("linkscope-dev://callback?code=linkscope-self-test&state={nonce}&state=x"),
            "not a url".to_owned(),
        ] {
            assert!(!tests.arrived(RedirectKind::DeepLink, &url), "{url}");
        }
    }

    #[test]
    fn a_probe_that_could_not_be_opened_says_why_and_what_to_do() {
        let tests = SelfTests::default();
        let (id, _, _) = test_of(&tests);
        tests
            .not_opened(&id, RedirectKind::DeepLink, "xdg-open failed")
            .unwrap();
        let probe = &tests.view(&id, "linkscope-dev", 3947).unwrap().probes[0];
        assert_eq!(probe.status, ProbeStatus::NotOpened);
        assert_eq!(probe.detail.as_deref(), Some("xdg-open failed"));
        assert!(probe.next_step.as_deref().unwrap().contains(&probe.url));
    }

    #[test]
    fn an_unknown_test_is_not_found() {
        let tests = SelfTests::default();
        assert!(matches!(
            tests.view("nope", "linkscope-dev", 3947),
            Err(Error::NotFound { .. })
        ));
        assert!(tests
            .not_opened("nope", RedirectKind::DeepLink, "x")
            .is_err());
    }

    #[test]
    fn every_path_that_fails_names_a_next_step() {
        for kind in [RedirectKind::DeepLink, RedirectKind::Loopback] {
            let step = next_step(kind, ProbeStatus::NotArrived, "linkscope", 3947, "u").unwrap();
            assert!(step.contains("Meanwhile"), "{step}");
        }
        assert!(next_step(
            RedirectKind::Loopback,
            ProbeStatus::Arrived,
            "linkscope",
            3947,
            "u"
        )
        .is_none());
    }
}
