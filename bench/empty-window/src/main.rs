//! The empty window `npm run bench` measures the app against: the same Tauri version, window size
//! and CSP as Linkscope, showing one static page (`dist/index.html`) and nothing else. Must not
//! grow features: every figure of the benchmark is a ratio to this floor.

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("the empty window could not start: {e}");
        std::process::exit(1);
    }
}
