#!/usr/bin/env bash
# What the browser tests (tests/browser) need beyond the rest of the suite, called by scripts/test.sh:
#   1. Debian's Chromium at /usr/bin/chromium (CHROMIUM_PATH overrides), installed with apt-get when
#      missing (root, or sudo without a password). playwright-core drives it; no browser download.
#   2. The web app built into web/dist (npm run build --workspace web), which the gateway serves:
#      client types generated from docs/openapi, type-checked, bundled by Vite.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "$0")/env.sh"
cd "$ROOT"
ensure_node

install_chromium() {
  local path="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ -x "$path" ]; then
    echo "  chromium present ($("$path" --version 2>/dev/null || echo '?'))"
    return
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "chromium is missing and installing it needs root: apt-get install chromium" >&2; exit 1; }
    sudo=(sudo -n)
  fi
  command -v apt-get >/dev/null 2>&1 || { echo "chromium is missing and there is no apt-get: install Chromium and set CHROMIUM_PATH" >&2; exit 1; }
  echo "  installing chromium (apt-get update, apt-get install chromium; about a minute)"
  export DEBIAN_FRONTEND=noninteractive
  local log="$ROOT/.cache/apt-chromium.log"
  mkdir -p "$ROOT/.cache"
  if ! { "${sudo[@]}" apt-get update -q && "${sudo[@]}" apt-get install -y -q chromium; } </dev/null >"$log" 2>&1; then
    tail -20 "$log" >&2
    echo "apt-get install chromium failed (log: $log)" >&2
    exit 1
  fi
  [ -x "$path" ] || { echo "chromium still missing at $path after apt-get install" >&2; exit 1; }
}

echo "› browser tests: Chromium (Debian) and the web app (web/dist)"
install_chromium
npm run build --workspace web --silent
