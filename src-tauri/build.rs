//! Build script: writes the window's capability from the command table, then runs tauri-build
//! with the app's permission manifest.
//!
//! The build *flavour* is not chosen here: the dev flavour (its own identifier, data dir, keychain
//! namespace and `linkscope-dev://` scheme) is `tauri.dev.conf.json`, merged by the Tauri CLI
//! (`tauri dev|build --config src-tauri/tauri.dev.conf.json`, see `scripts/`).

/// Expands the command table (`src/commands/table.rs`, the one list of commands) into the
/// names tauri-build makes `allow-…`/`deny-…` permissions for.
macro_rules! command_table {
    ($($file:ident::$command:ident),* $(,)?) => {
        const COMMANDS: &[&str] = &[$(stringify!($command)),*];
    };
}
include!("src/commands/table.rs");

/// The main window's capability, written from the table: every command is granted to it, and
/// nothing else but listening to core's events. `src/commands/contract.rs` checks the file.
const CAPABILITY: &str = "capabilities/default.json";

fn main() {
    // A build script that prints no rerun-if-changed reruns on any change of the package; this one
    // depends only on the table (tauri-build adds its own inputs).
    println!("cargo:rerun-if-changed=src/commands/table.rs");
    write_capability();
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    if let Err(err) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
    {
        // A build script reports failure by panicking; cargo shows the message.
        panic!("tauri-build failed: {err:#}");
    }
}

/// Rewrites the capability when the table changed (only then, so its mtime stays put).
fn write_capability() {
    let grants: Vec<String> = ["core:event:allow-listen", "core:event:allow-unlisten"]
        .iter()
        .map(|p| (*p).to_owned())
        .chain(
            COMMANDS
                .iter()
                .map(|c| format!("allow-{}", c.replace('_', "-"))),
        )
        .map(|p| format!("    \"{p}\""))
        .collect();
    let json = format!(
        r#"{{
  "$schema": "../gen/schemas/desktop-schema.json",
  "identifier": "default",
  "description": "The main window may call Linkscope's own commands and listen to its events; nothing else. Written by build.rs from src/commands/table.rs: do not edit.",
  "windows": [
    "main"
  ],
  "permissions": [
{}
  ]
}}
"#,
        grants.join(",\n")
    );
    if std::fs::read_to_string(CAPABILITY).ok().as_deref() != Some(json.as_str()) {
        if let Err(err) = std::fs::write(CAPABILITY, json) {
            panic!("could not write {CAPABILITY}: {err}");
        }
    }
}
