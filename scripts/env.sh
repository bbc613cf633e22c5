# Sourced by the other scripts: where builds and caches live, so a later run on the same machine
# (even from a fresh clone) reuses them instead of rebuilding from scratch.
LINKSCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LINKSCOPE_ROOT
export LINKSCOPE_CACHE="${LINKSCOPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/linkscope}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$LINKSCOPE_CACHE/target}"
export npm_config_cache="${npm_config_cache:-$LINKSCOPE_CACHE/npm}"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
# The app binary a debug build produces (the dev flavour, see src-tauri/build.rs).
export LINKSCOPE_APP_BIN="$CARGO_TARGET_DIR/debug/linkscope-app"
[ -d "$HOME/.cargo/bin" ] && case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) PATH="$HOME/.cargo/bin:$PATH" ;; esac
export PATH

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
