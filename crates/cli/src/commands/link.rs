//! `link`: as a sandbox persona, headlessly (core's link-as-persona: the sandbox's authorize
//! control walks the dialog), or for real: the auth link printed with its QR code, opened in
//! the browser unless `--no-browser`, and the redirect taken from the loopback listener, or
//! pasted on stdin with `--paste`. Either way the code goes through core's one redirect path.
//! `attempts` and `trail` list the links built and read one's auth-journey trail.

use std::io::BufRead as _;

use linkscope_core::dto::{Connection, LinkRequest, RedirectKind, ResponseMode};
use linkscope_core::workbench::dto::LinkAsPersonaInput;
use linkscope_core::CoreEvent;
use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;

use super::{persona_key, Ctx};
use crate::args::LinkArgs;
use crate::failure::Failure;
use crate::output::{note, Table};

/// Scopes asked for when none are given (outside persona links).
const DEFAULT_SCOPES: [&str; 6] = [
    "info",
    "accounts",
    "balance",
    "cards",
    "transactions",
    "offline_access",
];

pub async fn run(ctx: &Ctx<'_>, args: &LinkArgs) -> Result<(), Failure> {
    let env = ctx.environment().await?;
    let connection = match &args.persona {
        Some(persona) => {
            ctx.core
                .workbench()
                .link_as_persona(&LinkAsPersonaInput {
                    environment_id: env.id.clone(),
                    persona_key: persona_key(persona),
                    scopes: args.scopes.clone(),
                })
                .await?
        }
        None => browser_link(ctx, &env.id, args).await?,
    };
    show(ctx, &connection)
}

fn show(ctx: &Ctx<'_>, connection: &Connection) -> Result<(), Failure> {
    ctx.out.show(connection, |v| {
        Table::of(
            &[
                ("LINKED", "/id"),
                ("LABEL", "/label"),
                ("PROVIDER", "/providerId"),
                ("SCOPES", "/scopes"),
            ],
            &serde_json::json!([v]),
            "",
        )
    })
}

/// A real link: print it (and its QR code) on stderr, open it, wait for the redirect.
async fn browser_link(
    ctx: &Ctx<'_>,
    environment_id: &str,
    args: &LinkArgs,
) -> Result<Connection, Failure> {
    let scopes = if args.scopes.is_empty() {
        DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()).collect()
    } else {
        args.scopes.clone()
    };
    let links = ctx.core.links();
    let mut events = ctx.core.subscribe();
    let preview = links
        .start(LinkRequest {
            environment_id: environment_id.to_owned(),
            provider_id: args.provider.clone(),
            scopes,
            redirect: if args.paste {
                RedirectKind::Console
            } else {
                RedirectKind::Loopback
            },
            response_mode: ResponseMode::Query,
            language_id: None,
            country_id: None,
            user_email: None,
            providers: Vec::new(),
            disable_providers: Vec::new(),
            redirect_uri: None,
            tracking_id: args.tracking_id.clone(),
            renews: None,
        })
        .await?;
    for finding in &preview.findings {
        note(&format!("link check: {}", finding.message));
    }
    let url = links.open(&preview.session_id)?;
    eprintln!(
        "Open this link to log in at the bank (valid until {}; tracking_id {}):\n\n{url}\n",
        preview.expires_at, preview.tracking_id
    );
    if let Ok(code) = QrCode::new(url.as_bytes()) {
        eprintln!("{}", code.render::<Dense1x2>().quiet_zone(true).build());
    }
    if !args.no_browser {
        if let Err(e) = open_browser(&url) {
            note(&format!(
                "could not open the browser ({e}): open the link yourself"
            ));
        }
    }
    if args.paste {
        eprintln!("Paste the whole redirect URL here and press Enter:");
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::Usage(format!("cannot read the redirect URL: {e}")))?;
        return Ok(links.complete_authorization(line.trim()).await?);
    }
    eprintln!("Waiting for the redirect on {} …", preview.redirect_uri);
    loop {
        match events.recv().await {
            Ok(CoreEvent::LinkCompleted(done)) if done.session_id == preview.session_id => {
                return Ok(done.connection)
            }
            Ok(CoreEvent::LinkFailed(failed)) if failed.session_id == preview.session_id => {
                return Err(Failure::Reported(Box::new(failed.error)));
            }
            Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
            Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                return Err(Failure::Usage("the link was abandoned".into()))
            }
        }
    }
}

/// Opens an http(s) URL with the desktop's handler.
fn open_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
}

/// `attempts`: the active environment's recent link attempts.
pub async fn attempts(ctx: &Ctx<'_>) -> Result<(), Failure> {
    let env = ctx.environment().await?;
    let attempts = ctx.core.tracking().attempts(Some(&env.id))?;
    ctx.out.show(&attempts, |v| {
        Table::of(
            &[
                ("ID", "/id"),
                ("BUILT", "/createdAt"),
                ("TRACKING ID", "/trackingId"),
                ("PROVIDER", "/providerId"),
                ("OPENED", "/openedAt"),
                ("OUTCOME", "/outcome"),
            ],
            v,
            "no link built in this environment yet",
        )
    })
}

/// `trail [ATTEMPT]`: an attempt's auth-journey trail (the newest attempt by default).
pub async fn trail(ctx: &Ctx<'_>, wanted: Option<&str>) -> Result<(), Failure> {
    let env = ctx.environment().await?;
    let attempts = ctx.core.tracking().attempts(Some(&env.id))?;
    let attempt = match wanted {
        Some(w) => attempts
            .iter()
            .find(|a| a.id == w || a.tracking_id == w)
            .ok_or_else(|| {
                Failure::Usage(format!(
                    "no recent link attempt has the id or tracking_id {w:?}"
                ))
            })?,
        None => attempts
            .first()
            .ok_or_else(|| Failure::Usage("no link built in this environment yet".into()))?,
    };
    let trail = ctx.core.tracking().trail(&attempt.id).await?;
    ctx.out.show(&trail, |v| {
        let stopped = match (v["complete"].as_bool(), v["stoppedAt"].as_str()) {
            (Some(true), _) => "complete: a code came back".to_owned(),
            (_, Some(step)) => format!("stopped after {step}"),
            _ => "no events: the link was not opened".to_owned(),
        };
        let mut table = Table::of(
            &[
                ("TIME", "/time"),
                ("STEP", "/step"),
                ("PROVIDER", "/providerId"),
            ],
            &v["events"],
            "",
        );
        table.push(vec![String::new(), stopped, String::new()]);
        table
    })
}
