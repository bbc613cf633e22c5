//! Build script: picks the build flavour's identity, then runs tauri-build.
//!
//! Debug builds are the *dev* flavour: their own identifier (so their own keychain namespace, data
//! dir and single-instance bus name) and the `linkscope-dev://` scheme, so a dev build never steals
//! the release app's `linkscope://` links. Tauri merges the `TAURI_CONFIG` JSON over
//! `tauri.conf.json` both here and in `generate_context!`, so we hand the dev overrides to both.

fn main() {
    println!("cargo:rerun-if-changed=tauri.dev.conf.json");
    let is_debug = std::env::var("PROFILE").as_deref() == Ok("debug");
    if is_debug && std::env::var_os("TAURI_CONFIG").is_none() {
        let dev = include_str!("tauri.dev.conf.json").replace(['\n', '\r'], " ");
        // Seen by tauri-build below (same process) ...
        std::env::set_var("TAURI_CONFIG", &dev);
        // ... and by the `generate_context!` macro when rustc compiles this crate.
        println!("cargo:rustc-env=TAURI_CONFIG={dev}");
    }
    tauri_build::build()
}
