#!/usr/bin/env bash
# Prints a fresh set of the platform's secrets as an env file (for scripts/run.sh's data
# directory, docker-compose's .env, or `kubectl create secret generic shop-secrets --from-env-file`):
#   ./scripts/secrets.sh > .env
# ADMIN_PASSWORD, one Ed25519 signing key per service (<NAME>_TOKEN_SIGNING_KEY, base64 PKCS#8;
# only that service gets it) and TOKEN_VERIFY_KEYS (every service's public key; all services get
# it). Needs only openssl. See docs/security.md.
# Also KAFKA_ADMIN_PASSWORD and KAFKA_<NAME>_PASSWORD, the Kafka users of docker-compose.yml
# (docs/kafka-security.md; Kubernetes' Strimzi makes its own).
set -euo pipefail
services=(user product inventory cart order payment notification gateway)
verify=()
for name in "${services[@]}"; do
  der="$(openssl genpkey -algorithm ed25519 -outform DER | base64 -w0)"
  public="$(base64 -d <<<"$der" | openssl pkey -inform DER -pubout -outform DER | base64 -w0)"
  echo "${name^^}_TOKEN_SIGNING_KEY=$der"
  verify+=("$name-service=$public")
done
(IFS=,; echo "TOKEN_VERIFY_KEYS=${verify[*]}")
echo "ADMIN_PASSWORD=$(openssl rand -base64 18 | tr '+/' '-_')"
for name in admin "${services[@]}"; do
  echo "KAFKA_${name^^}_PASSWORD=$(openssl rand -hex 24)"
done
