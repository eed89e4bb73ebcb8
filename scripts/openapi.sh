#!/usr/bin/env bash
# Regenerates the committed OpenAPI documents (docs/openapi/<service>.json) from the running
# services, then the web app's client types follow on its next build. Starts its own Kafka and
# MongoDB-wire server on the ports below unless KAFKA_BROKER / MONGO_URI point at servers already up.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "$0")/env.sh"
cd "$ROOT"
setup
export INFRA_DATA_DIR="${INFRA_DATA_DIR:-$ROOT/.data/openapi}" KAFKA_PORT="${KAFKA_PORT:-19192}" KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19193}"
export MONGO_PORT="${MONGO_PORT:-37117}" SMTP_PORT="${SMTP_PORT:-11125}" MAIL_HTTP_PORT="${MAIL_HTTP_PORT:-18125}"
trap stop_infra EXIT
start_infra
LOG_LEVEL=warn node scripts/openapi.ts
