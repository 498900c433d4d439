#!/usr/bin/env bash
# Builds Sluice and starts it on the embedded default (DuckDB engine with sample data, H2 store,
# results folder under ./data, port 8080): config/local.json. Open http://localhost:8080/.
# JVM options: SLUICE_JAVA_OPTS (default -Xms256m -Xmx1g -XX:+ExitOnOutOfMemoryError).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package
# A bounded heap (the JVM's default is a quarter of the machine) and a clean exit instead of limping
# on after an OutOfMemoryError; DuckDB's own memory (engines.duckdb.memoryLimit) is outside the heap.
# shellcheck disable=SC2086
exec java ${SLUICE_JAVA_OPTS:--Xms256m -Xmx1g -XX:+ExitOnOutOfMemoryError} -jar server/target/sluice.jar \
  --config "${1:-config/local.json}"
