#!/usr/bin/env bash
# Builds Sluice and starts it on the embedded default (DuckDB engine with sample data, H2 store,
# results folder under ./data, port 8080): config/local.json. Open http://localhost:8080/.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package
exec java -jar server/target/sluice.jar --config "${1:-config/local.json}"
