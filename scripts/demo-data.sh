#!/usr/bin/env bash
# Loads the demo catalog (40 products in six categories) and a demo customer through the gateway,
# idempotently: running it again adds nothing that is there. Needs the shop running
# (./scripts/run.sh, or ./scripts/run.sh --demo, which calls this once everything is ready).
#   GATEWAY_URL     the gateway (default http://localhost:8000)
#   ADMIN_EMAIL / ADMIN_PASSWORD   the admin to create products with (default: the ones
#                   ./scripts/run.sh made, from .data/dev/secrets.env)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "$0")/env.sh"
cd "$ROOT"
ensure_node
secrets="${INFRA_DATA_DIR:-$ROOT/.data/dev}/secrets.env"
if [ -z "${ADMIN_PASSWORD:-}" ] && [ -f "$secrets" ]; then
  ADMIN_PASSWORD="$(sed -n 's/^ADMIN_PASSWORD=//p' "$secrets")"
  export ADMIN_PASSWORD
fi
echo "› loading the demo data through ${GATEWAY_URL:-http://localhost:8000}"
node scripts/demo-data.ts
