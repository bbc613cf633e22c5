//! How WebKitGTK draws, decided before the first window exists. Without a GPU (no DRM render
//! node: VMs, remote desktops, Xvfb) WebKit's accelerated compositing runs on Mesa's software GL
//! (`llvmpipe`), and every caret blink or spinner frame re-composites the whole window: under
//! Xvfb the bank picker's blinking caret alone kept both cores busy (1.6–2.7 CPU-s in 3 idle
//! seconds) and the web process held ~100 MiB more. WebKit's non-composited mode paints only
//! what changed there (0.1 CPU-s, see `npm run bench`). With a render node, compositing stays on.
//! A `WEBKIT_DISABLE_COMPOSITING_MODE` the user set (to any value, `0` included) is left alone.
//!
//! Shared as source with the benchmark's empty window (bench/empty-window), so the floor the app
//! is measured against draws the same way.

/// WebKitGTK's switch for its non-composited mode (any value but `0` turns compositing off).
const VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// What [`choose`] did, for the log once it exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renderer {
    /// The user's own setting of the variable was kept.
    AsSet,
    /// A GPU render node is there: WebKit composites on it.
    Composited,
    /// No render node: compositing turned off.
    NonComposited,
}

/// Sets WebKit's non-composited mode when the machine has no GPU render node and the user has
/// not chosen. Call it first in `main`, before any thread starts (it sets an environment
/// variable, which is only sound while the process is single-threaded).
pub fn choose() -> Renderer {
    if !cfg!(target_os = "linux") {
        return Renderer::Composited;
    }
    if std::env::var_os(VAR).is_some() {
        return Renderer::AsSet;
    }
    if has_render_node(std::path::Path::new("/dev/dri")) {
        return Renderer::Composited;
    }
    std::env::set_var(VAR, "1");
    Renderer::NonComposited
}

/// True when `dir` holds a DRM render node (`renderD128`, …).
fn has_render_node(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(test)]
mod tests {
    use super::has_render_node;

    #[test]
    fn a_render_node_is_a_gpu_and_a_missing_or_card_only_dir_is_not() {
        let dir = std::env::temp_dir().join(format!("linkscope-dri-{}", std::process::id()));
        assert!(!has_render_node(&dir), "no /dev/dri at all: no GPU");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("card0"), "").unwrap();
        assert!(
            !has_render_node(&dir),
            "a display node alone does not render"
        );
        std::fs::write(dir.join("renderD128"), "").unwrap();
        assert!(has_render_node(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
