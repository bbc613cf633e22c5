# Sourced by the other scripts: where builds and caches live, so a later run on the same machine
# (even from a fresh clone) reuses them instead of rebuilding from scratch.
LINKSCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LINKSCOPE_ROOT
export LINKSCOPE_CACHE="${LINKSCOPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/linkscope}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$LINKSCOPE_CACHE/target}"
export npm_config_cache="${npm_config_cache:-$LINKSCOPE_CACHE/npm}"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
# The dev-flavour app that `npm start` runs and the e2e suite drives (see build_dev_app). The app's
# binary is `linkscope-app` (its Cargo package's name, tauri.conf.json's mainBinaryName): the
# command line owns the name `linkscope`, in target/ as in /usr/bin.
export LINKSCOPE_APP_BIN="${LINKSCOPE_APP_BIN:-$CARGO_TARGET_DIR/debug/linkscope-app}"
# The command line (crates/cli) as `cargo build -p linkscope-cli` leaves it.
export LINKSCOPE_CLI_BIN="${LINKSCOPE_CLI_BIN:-$CARGO_TARGET_DIR/debug/linkscope}"
[ -d "$HOME/.cargo/bin" ] && case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) PATH="$HOME/.cargo/bin:$PATH" ;; esac
export PATH

# The Chromium the e2e suite drives as the user's browser: LINKSCOPE_CHROMIUM, else the first found
# (Debian: chromium; Ubuntu: the snap's chromium or chromium-browser; or Google Chrome).
find_chromium() {
  local c
  for c in "${LINKSCOPE_CHROMIUM:-}" chromium chromium-browser google-chrome google-chrome-stable; do
    [ -n "$c" ] && command -v "$c" 2>/dev/null && return 0
  done
  return 0
}
# version_at_least 1.95.0 1.90: true when the first dotted version is at least the second.
version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }
# The dev flavour (tauri.dev.conf.json: its own identifier, data, keychain and linkscope-dev://)
# in the debug profile, with the UI built and embedded: what `npm start` and the e2e suite run.
build_dev_app() {
  (cd "$LINKSCOPE_ROOT" && npx tauri build --ci --debug --no-bundle --config src-tauri/tauri.dev.conf.json)
}
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
