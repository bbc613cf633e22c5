//! Build script: tauri-build reads tauri.conf.json (no commands, no capability beyond the default).

fn main() {
    tauri_build::build();
}
