#!/usr/bin/env bash
# Starts the built server jar (and, when built, a standalone Athena stand-in) on free local ports
# with throw-away data, runs scripts/api-tour.sh against it, and stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT="$(free_port)"

python3 - "$WORK" "$PORT" <<'PY'
import json, sys
work, port = sys.argv[1], int(sys.argv[2])
config = json.load(open("config/local.json"))
config["server"].update({"host": "127.0.0.1", "port": port, "instanceId": "tour"})
config["store"]["url"] = f"jdbc:h2:file:{work}/store/sluice"
config["results"]["dir"] = f"{work}/results"
duck = config["engines"]["duckdb"]
duck["database"] = f"{work}/sluice.duckdb"
duck["allowedDirectories"] = [f"{work}/files"]
json.dump(config, open(f"{work}/tour.json", "w"), indent=2)
PY

java -jar server/target/sluice.jar --config "$WORK/tour.json" > "$WORK/server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break
  sleep 0.2
done
if ! curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; then
  echo "the server did not start; its log:"; tail -50 "$WORK/server.log"; exit 1
fi

if ! scripts/api-tour.sh "http://127.0.0.1:$PORT"; then
  echo "the API tour failed; server log tail:"; tail -30 "$WORK/server.log"; exit 1
fi
