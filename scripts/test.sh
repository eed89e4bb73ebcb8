#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs (Node 24, npm packages,
# Kafka, the MongoDB-wire server), checks lint and types, starts Kafka and the MongoDB-wire server on test
# ports with a fresh data directory, runs every test, and stops them again.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "$0")/env.sh"
cd "$ROOT"
setup
echo "› deployment check tools (docker-compose, kustomize, kubeconform, schemas)"
"$ROOT/deploy/check-tools.sh"

# The browser tests' own needs (Chromium from Debian, the web app built): a step of its own.
"$ROOT/scripts/browser.sh"

echo "› lint"
npx biome ci --reporter=summary .
echo "› typecheck"
npx tsc -p tsconfig.json

# Fixed test ports, unless set beforehand (to run a second suite beside this one).
export INFRA_DATA_DIR="${INFRA_DATA_DIR:-$ROOT/.data/test}" KAFKA_PORT="${KAFKA_PORT:-19092}" KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
export MONGO_PORT="${MONGO_PORT:-37017}" SMTP_PORT="${SMTP_PORT:-11025}" MAIL_HTTP_PORT="${MAIL_HTTP_PORT:-18025}"
# Set KAFKA_BROKER / MONGO_URI to test against servers of your own; then nothing is started.
trap stop_infra EXIT
start_infra

echo "› tests"
node --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-timeout=180000 \
  "packages/*/src/**/*.test.ts" "packages/*/test/**/*.test.ts" \
  "services/*/src/**/*.test.ts" "services/*/test/**/*.test.ts" \
  "web/src/**/*.test.ts" "tests/**/*.test.ts"
