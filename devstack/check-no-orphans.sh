#!/usr/bin/env bash
# Starts the local suite, kill -9s the launcher, and checks that no PostgreSQL, Kafka, Keycloak or service
# process outlives it. Run from the project root after a build (./run-local builds).
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
./run-local --skip-build >"$log" 2>&1 &
for _ in $(seq 1 300); do grep -q "ready in" "$log" && break; sleep 1; done
grep -q "ready in" "$log" || { echo "suite did not start, see $log"; exit 1; }
launcher=$(pgrep -f io.sohbet.devstack.LocalStack | head -n1)
kill -9 "$launcher"
for _ in $(seq 1 60); do
  left=$(pgrep -f 'io.sohbet.devstack|quarkus-run.jar|keycloak|bin/postgres' || true)
  [ -z "$left" ] && { echo "no orphans after kill -9 of the launcher"; exit 0; }
  sleep 1
done
echo "orphans left behind:"; ps -o pid,args -p $(echo $left | tr ' ' ',')
exit 1
