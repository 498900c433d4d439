#!/usr/bin/env bash
# Starts the built server jar (and, when built, a standalone Athena stand-in) on free local ports
# with throw-away data, runs scripts/api-tour.sh against it, and stops everything. A second, small
# server ("guarded": auth on with a proxy secret, one worker, two queued queries per user, DuckDB
# runs limited to 5 s, no sample data) starts alongside for the tour's identity, per-user limits
# and TIMED_OUT sections.
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
GUARDED_PORT="$(free_port)"
# The guarded server reads its proxy secret from the environment (${...} in its config).
TOUR_PROXY_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
export TOUR_PROXY_SECRET
# The main server's datasource key, from the environment as in production (${...} in its config).
TOUR_DATASOURCE_KEY="$(python3 -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')"
export TOUR_DATASOURCE_KEY
mkdir -p "$WORK/sqlite"

# The Athena stand-in as its own process; its first stdout line names endpoints and credentials.
STANDIN_JAR=athena-standin/target/sluice-athena-standin-standalone.jar
java -jar "$STANDIN_JAR" --bucket tour-results --sample-data > "$WORK/standin.out" 2> "$WORK/standin.log" &
PIDS+=($!)
for _ in $(seq 1 300); do
  [ -s "$WORK/standin.out" ] && break
  sleep 0.2
done
if [ ! -s "$WORK/standin.out" ]; then
  echo "the Athena stand-in did not start; its log:"; tail -50 "$WORK/standin.log"; exit 1
fi

python3 - "$WORK" "$PORT" "$GUARDED_PORT" <<'PY'
import copy, json, sys
work, port, guarded_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
standin = json.loads(open(f"{work}/standin.out").readline())
config = json.load(open("config/local.json"))
config["server"].update({"host": "127.0.0.1", "port": port, "instanceId": "tour"})
config["store"]["url"] = f"jdbc:h2:file:{work}/store/sluice"
config["results"]["dir"] = f"{work}/results"
duck = config["engines"]["duckdb"]
duck["database"] = f"{work}/sluice.duckdb"
duck["allowedDirectories"] = [f"{work}/files"]
guarded = copy.deepcopy(config)
config["datasources"] = {"encryptionKey": "${TOUR_DATASOURCE_KEY}", "sqliteDirectories": [f"{work}/sqlite"],
                         "connectTimeoutSeconds": 5}
config["tasks"] = {"workspaceDirectory": f"{work}/workspaces"}
config["federation"] = {"mode": "import"}
guarded["server"].update({"port": guarded_port, "instanceId": "tour-guarded"})
guarded["store"]["url"] = f"jdbc:h2:file:{work}/guarded/store/sluice"
guarded["results"]["dir"] = f"{work}/guarded/results"
guarded["auth"] = {"enabled": True, "proxySecret": "${TOUR_PROXY_SECRET}"}
guarded["queries"] = {"workers": 1, "maxQueuedPerUser": 2}
guarded["engines"]["duckdb"].update({"database": f"{work}/guarded/sluice.duckdb", "sampleData": False,
                                     "readOnly": False, "maxRuntimeSeconds": 5,
                                     "allowedDirectories": [f"{work}/guarded/files"]})
guarded["tasks"] = {"workspaceDirectory": f"{work}/guarded/workspaces"}
json.dump(guarded, open(f"{work}/guarded.json", "w"), indent=2)
config["engines"]["athena"] = {
    "region": standin["region"], "workgroup": standin["workGroup"], "outputLocation": standin["outputLocation"],
    "database": "default", "endpoint": standin["athenaEndpoint"], "s3Endpoint": standin["s3Endpoint"],
    "s3PathStyle": True, "pollIntervalMillis": 200, "pricingFile": "config/athena-pricing.json"}
json.dump(config, open(f"{work}/tour.json", "w"), indent=2)
with open(f"{work}/aws.env", "w") as env:
    env.write(f"export AWS_ACCESS_KEY_ID={standin['accessKeyId']}\nexport AWS_SECRET_ACCESS_KEY={standin['secretAccessKey']}\n")
PY
# Credentials reach Sluice through the standard AWS chain (environment variables), as in production.
# shellcheck source=/dev/null
source "$WORK/aws.env"

java -jar server/target/sluice.jar --config "$WORK/tour.json" > "$WORK/server.log" 2>&1 &
PIDS+=($!)
java -jar server/target/sluice.jar --config "$WORK/guarded.json" > "$WORK/guarded.log" 2>&1 &
PIDS+=($!)
await_health() {  # await_health PORT LOG
  for _ in $(seq 1 300); do
    curl -sf --max-time 5 "http://127.0.0.1:$1/health" >/dev/null && return 0
    sleep 0.2
  done
  echo "the server on port $1 did not start; its log:"; tail -50 "$2"; exit 1
}
await_health "$PORT" "$WORK/server.log"
await_health "$GUARDED_PORT" "$WORK/guarded.log"

if ! SLUICE_TOUR_ATHENA=1 SLUICE_TOUR_SQLITE_DIR="$WORK/sqlite" SLUICE_TOUR_GUARDED_URL="http://127.0.0.1:$GUARDED_PORT" \
    SLUICE_TOUR_PROXY_SECRET="$TOUR_PROXY_SECRET" scripts/api-tour.sh "http://127.0.0.1:$PORT"; then
  echo "the API tour failed; server log tail:"; tail -30 "$WORK/server.log"
  echo "guarded server log tail:"; tail -15 "$WORK/guarded.log"; exit 1
fi
