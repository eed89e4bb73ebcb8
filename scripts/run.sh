#!/usr/bin/env bash
# Runs the whole system on this machine: installs what it needs, starts Kafka and the
# MongoDB-wire server (data in .data/dev), then every service, and waits until each answers
# /health/ready. Ctrl-C (or SIGTERM) stops everything it started. Logs: .data/dev/logs/.
# Then the gateway (the web app and the one entry point, http://localhost:8000).
#   --demo   also load the demo catalog and customer (scripts/demo-data.sh; idempotent)
set -euo pipefail

# --- options (gateway, demo data: issue 14) ---
load_demo=0
for arg in "$@"; do
  case "$arg" in
    --demo) load_demo=1 ;;
    -h | --help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
  esac
done
# --- end of options ---
source "$(dirname "$0")/env.sh"
cd "$ROOT"
setup

export INFRA_DATA_DIR="${INFRA_DATA_DIR:-$ROOT/.data/dev}"
export ADMIN_EMAIL="${ADMIN_EMAIL:-admin@shop.local}"
logs="$INFRA_DATA_DIR/logs"
mkdir -p "$logs"

# Secrets of this machine's shop, made on the first run and kept in the data directory (never
# defaults printed in the repository): the admin password and each service's signing key.
secrets="$INFRA_DATA_DIR/secrets.env"
if [ ! -s "$secrets" ]; then
  (umask 077 && "$ROOT/scripts/secrets.sh" > "$secrets.tmp" && mv "$secrets.tmp" "$secrets")
  first_run_password="$(sed -n 's/^ADMIN_PASSWORD=//p' "$secrets")"
fi
given_admin_password="${ADMIN_PASSWORD:-}"
set -a
# shellcheck disable=SC1090
source "$secrets"
set +a
# An ADMIN_PASSWORD set by you wins (user-service gives the admin account that password at start).
if [ -n "$given_admin_password" ]; then export ADMIN_PASSWORD="$given_admin_password"; unset first_run_password; fi
# Services started here answer on this machine only.
export HOST=127.0.0.1

# The spec's ports; a service that does not exist yet is skipped.
declare -A ports=([user]=8080 [product]=4000 [inventory]=6000 [cart]=9000 [order]=7000 [payment]=3000 [notification]=2000)
order=(user product inventory cart order payment notification)

external_kafka="${KAFKA_BROKER:-}"
external_mongo="${MONGO_URI:-}"
pids=()
stop_all() {
  # A second Ctrl-C must not cut the shutdown short and leave Kafka running.
  trap - EXIT
  trap '' INT TERM
  echo "› stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$ROOT/infra/bin/mail" stop || true
  "$ROOT/infra/bin/zipkin" stop || true
  KAFKA_BROKER="$external_kafka" MONGO_URI="$external_mongo" "$ROOT/infra/bin/infra" down || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

"$ROOT/infra/bin/infra" up
# A local SMTP server that catches every mail; read them at http://127.0.0.1:8025
export SMTP_HOST="${SMTP_HOST:-127.0.0.1}" SMTP_PORT="${SMTP_PORT:-1025}" MAIL_HTTP_PORT="${MAIL_HTTP_PORT:-8025}"
"$ROOT/infra/bin/mail" start
# Zipkin keeps every service's spans (in memory) and shows them at http://localhost:9411/zipkin/
# (docs/observability.md); the services send them there by the standard OpenTelemetry variables.
export ZIPKIN_PORT="${ZIPKIN_PORT:-9411}"
"$ROOT/infra/bin/zipkin" start
export OTEL_TRACES_EXPORTER="${OTEL_TRACES_EXPORTER:-zipkin}"
export OTEL_EXPORTER_ZIPKIN_ENDPOINT="${OTEL_EXPORTER_ZIPKIN_ENDPOINT:-${ZIPKIN_URL:-http://127.0.0.1:$ZIPKIN_PORT}/api/v2/spans}"
export KAFKA_BROKER="${external_kafka:-127.0.0.1:${KAFKA_PORT:-9092}}"
export MONGO_URI="${external_mongo:-mongodb://127.0.0.1:${MONGO_PORT:-27017}}"

# --- the web app's build runs while the services start (issue 14) ---
web_build_pid=""
if [ -f web/package.json ]; then
  echo "› building the web app (npm run build --workspace web; log: $logs/web-build.log)"
  npm run build --workspace web >"$logs/web-build.log" 2>&1 &
  web_build_pid=$!
fi
# --- end of the web app's build ---

for name in "${order[@]}"; do
  [ -f "services/$name/src/server.ts" ] || continue
  upper="${name^^}"
  export "${upper}_SERVICE_URL=http://127.0.0.1:${ports[$name]}"
done
# --- the services believe the gateway's X-Forwarded-For (it runs here, on loopback) (issue 14) ---
export TRUSTED_PROXIES="${TRUSTED_PROXIES:-127.0.0.1}"
# --- end ---
for name in "${order[@]}"; do
  [ -f "services/$name/src/server.ts" ] || continue
  signing_key="${name^^}_TOKEN_SIGNING_KEY"
  # OpenTelemetry is registered before the service's modules load (--import). The logs are JSON;
  # pino-pretty makes them readable here (it ends when the service closes its output).
  TOKEN_SIGNING_KEY="${!signing_key}" PORT="${ports[$name]}" node --import ./packages/platform/src/telemetry/register.ts "services/$name/src/server.ts" \
    > >(node_modules/.bin/pino-pretty --colorize=false --translateTime=SYS:HH:MM:ss.l --ignore=pid,hostname,service >>"$logs/$name.log") 2>&1 &
  pids+=($!)
  echo "› $name-service starting on :${ports[$name]} (log: $logs/$name.log)"
done

# Waits up to a minute for <port>'s /health/ready; else shows <log>'s end and stops everything.
wait_ready() {
  local what="$1" port="$2" log="$3" url="http://127.0.0.1:$2/health/ready"
  for _ in $(seq 1 120); do
    if curl -fsS "$url" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "✖ $what is not ready; see $log" >&2
  tail -20 "$log" >&2
  exit 1
}

for name in "${order[@]}"; do
  [ -f "services/$name/src/server.ts" ] || continue
  wait_ready "$name-service" "${ports[$name]}" "$logs/$name.log"
  echo "✔ $name-service ready at http://127.0.0.1:${ports[$name]} (API docs: /docs)"
done

# --- the gateway, last: the web app and the one entry point (issue 14) ---
gateway_port="${GATEWAY_PORT:-8000}"
if [ -n "$web_build_pid" ] && ! wait "$web_build_pid"; then
  echo "✖ the web app did not build; see $logs/web-build.log" >&2; tail -20 "$logs/web-build.log" >&2; exit 1
fi
if [ -f services/gateway/src/server.ts ]; then
  # The gateway itself believes no X-Forwarded-For: browsers reach it directly.
  TRUSTED_PROXIES="" TOKEN_SIGNING_KEY="${GATEWAY_TOKEN_SIGNING_KEY:-}" PORT="$gateway_port" node --import ./packages/platform/src/telemetry/register.ts services/gateway/src/server.ts \
    > >(node_modules/.bin/pino-pretty --colorize=false --translateTime=SYS:HH:MM:ss.l --ignore=pid,hostname,service >>"$logs/gateway.log") 2>&1 &
  pids+=($!)
  echo "› gateway starting on :$gateway_port (log: $logs/gateway.log)"
  wait_ready "the gateway" "$gateway_port" "$logs/gateway.log"
  echo "✔ gateway ready at http://127.0.0.1:$gateway_port"
fi
if [ "$load_demo" = 1 ]; then
  GATEWAY_URL="http://127.0.0.1:$gateway_port" "$ROOT/scripts/demo-data.sh" || { echo "✖ loading the demo data failed" >&2; exit 1; }
fi
# --- end of the gateway ---
if [ -n "${first_run_password:-}" ]; then
  echo "Admin: $ADMIN_EMAIL / $first_run_password (shown once; kept in $secrets)"
else
  echo "Admin: $ADMIN_EMAIL (password: ADMIN_PASSWORD in $secrets)"
fi
echo "Everything is up. Mail: http://127.0.0.1:$MAIL_HTTP_PORT."
echo "Traces: ${ZIPKIN_URL:-http://localhost:$ZIPKIN_PORT}/zipkin/  Metrics: http://127.0.0.1:<port>/metrics. Ctrl-C stops it all."
# --- the shop's address, last so it is seen (issue 14) ---
if [ -f services/gateway/src/server.ts ]; then
  echo
  echo "  ┌───────────────────────────────────────────┐"
  printf '  │  Shop: %-35s│\n' "http://localhost:$gateway_port"
  echo "  └───────────────────────────────────────────┘"
  echo
fi
# --- end of the shop's address ---
wait
