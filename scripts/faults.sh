#!/usr/bin/env bash
# The full fault-injection run (docs/fault-injection.md): every scenario of tests/faults/full with
# bigger bursts, ~10 s outages and every service killed in turn, each on a Kafka, MongoDB-wire server and mail
# catcher of its own (temporary data dir, free ports), checked by tests/faults/invariants.ts.
# Installs what it needs like scripts/test.sh; leaves no process behind.
#
#   ./scripts/faults.sh                                  # everything (checker unit tests first)
#   ./scripts/faults.sh --test-name-pattern=Kafka        # one scenario (extra args go to node --test)
#   FAULTS_BUYERS=12 FAULTS_ORDERS_EACH=8 FAULTS_OUTAGE_SECONDS=15 ./scripts/faults.sh
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "$0")/env.sh"
cd "$ROOT"
setup
"$ROOT/infra/bin/install" >/dev/null

# The scenarios start their own servers; these must not point them at someone else's.
unset KAFKA_BROKER MONGO_URI SMTP_HOST SMTP_PORT MAIL_HTTP_PORT

echo "› fault injection (one scenario at a time; about 6 minutes on 2 cores)"
start=$SECONDS
status=0
node --test --test-concurrency=1 --test-timeout=600000 "$@" \
  tests/faults/invariants.test.ts tests/faults/full/scenarios.ts || status=$?
echo "› fault injection took $((SECONDS - start)) s"
exit "$status"
