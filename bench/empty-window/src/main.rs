//! The empty window `npm run bench` measures the app against: the same Tauri version, window size,
//! CSP and WebKit renderer (the app's `renderer.rs`) as Linkscope, showing one static page
//! (`dist/index.html`) and nothing else. Must not grow features: every figure of the benchmark is
//! a ratio to this floor.

// The app's own choice of WebKit renderer, as source: the floor must draw as the app does.
#[path = "../../../src-tauri/src/renderer.rs"]
mod renderer;

fn main() {
    renderer::choose();
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("the empty window could not start: {e}");
        std::process::exit(1);
    }
}
