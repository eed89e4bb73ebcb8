#!/usr/bin/env bash
# The benchmark (bench/run.ts) on a fresh machine: installs what it needs, starts Kafka, the
# MongoDB-wire server and the mail catcher on benchmark ports with a fresh data directory,
# runs every scenario, the checkout load ladder and the CPU-at-rest phase against all seven
# services, writes bench/results/ and stops everything.
# Arguments go to bench/run.ts (e.g. --quick). See docs/benchmarks.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "$0")/env.sh"
cd "$ROOT"
setup

export INFRA_DATA_DIR="$ROOT/.data/bench" KAFKA_PORT=29192 KAFKA_CONTROLLER_PORT=29193 MONGO_PORT=37117
free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}
SMTP_PORT="${SMTP_PORT:-$(free_port)}"
MAIL_HTTP_PORT="${MAIL_HTTP_PORT:-$(free_port)}"
while [ "$MAIL_HTTP_PORT" = "$SMTP_PORT" ]; do MAIL_HTTP_PORT="$(free_port)"; done
export SMTP_PORT MAIL_HTTP_PORT
# Set KAFKA_BROKER / MONGO_URI to measure against servers of your own; then nothing is started.
trap stop_infra EXIT
trap 'exit 130' INT TERM
start_infra

echo "› benchmark"
node bench/run.ts "$@"
