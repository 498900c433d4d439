#!/usr/bin/env bash
# A tour of Sluice's HTTP API with curl: exercises every endpoint and every
# behaviour of the lifecycle against a running server, and exits non-zero on any unexpected answer.
#
#   scripts/api-tour.sh [BASE_URL]          default http://127.0.0.1:8080
#
# Needs bash, curl and python3 (for reading JSON). The server must run the duckdb engine with its
# sample data and public metrics (config/local.json does).
#
# Optional sections, run when their variables are set (scripts/tour-ci.sh sets them all):
#   SLUICE_TOUR_GUARDED_URL, SLUICE_TOUR_PROXY_SECRET  a second server with auth.enabled, that
#       proxy secret, queries.workers 1 and maxQueuedPerUser 2, and engines.duckdb.maxRuntimeSeconds 5:
#       identity, per-user limits and TIMED_OUT
#   SLUICE_TOUR_ATHENA                                  the Athena section (scripts/api-tour-athena.sh)
#   SLUICE_TOUR_SQLITE_DIR                              a folder in the main server's datasources.sqliteDirectories
#       (datasources enabled): the datasource and federated task section
set -uo pipefail

BASE="${1:-${SLUICE_URL:-http://127.0.0.1:8080}}"
LONG_SQL="SELECT sum(range % 7) FROM range(1000000000000)"
FAILURES=0
CHECKS=0
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Every request of the tour (the sourced Athena section's too) gives up after 60 s: a missing
# answer fails the tour instead of hanging CI.
curl() { command curl --max-time 60 "$@"; }

say() { printf '\n== %s\n' "$*"; }

# Headers of every call: English messages by default; a section may add an identity.
HEADERS=(-H 'Accept-Language: en')

# call METHOD PATH [JSON_BODY] [extra curl args...] -> sets STATUS and BODY
call() {
  local method="$1" path="$2" body="${3:-}"
  shift 3 2>/dev/null || shift $#
  local args=(-s -o "$TMP/body" -w '%{http_code}' -X "$method" "$BASE$path" "${HEADERS[@]}")
  if [ -n "$body" ]; then args+=(-H 'Content-Type: application/json' --data-binary "$body"); fi
  STATUS="$(curl "${args[@]}" "$@")"
  BODY="$(cat "$TMP/body")"
}

# field EXPR: reads a value from BODY with a Python expression over `j` (the parsed JSON) and
# `env` (the environment, for values from the script).
field() {
  python3 -c 'import json,os,sys; env=os.environ; j=json.loads(sys.stdin.read()); v=eval(sys.argv[1]); print("" if v is None else (json.dumps(v) if isinstance(v,(dict,list,bool)) else v))' "$1" <<<"$BODY" 2>/dev/null
}

expect() {  # expect WHAT EXPECTED ACTUAL
  CHECKS=$((CHECKS + 1))
  if [ "$2" == "$3" ]; then
    printf '  ok   %s\n' "$1"
  else
    printf '  FAIL %s: expected [%s] got [%s]\n       body: %.400s\n' "$1" "$2" "$3" "$BODY"
    FAILURES=$((FAILURES + 1))
  fi
}

expect_answer() {  # expect_answer WHAT STATUS MESSAGE_CODE
  expect "$1: HTTP status" "$2" "$STATUS"
  expect "$1: messageCode" "$3" "$(field 'j["messageCode"]')"
  expect "$1: envelope has timestamp" "yes" "$(field '"yes" if j["timestamp"].endswith("Z") else "no"')"
}

state_of() { call GET "/api/query/$1/status"; field 'j["data"]["state"]'; }

wait_until_state() {  # wait_until_state ID STATE...
  local id="$1"; shift
  for _ in $(seq 1 600); do
    local s; s="$(state_of "$id")"
    for want in "$@"; do [ "$s" == "$want" ] && return 0; done
    sleep 0.1
  done
  return 1
}

submit() {  # submit SQL -> prints id
  local body; body="$(python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1]}))' "$1")"
  call POST /api/query "$body"
  field 'j["data"]["id"]'
}

say "liveness, readiness and configuration"
call GET /health;      expect_answer "GET /health" 200 HEALTHY
call GET /health/ready; expect_answer "GET /health/ready (the store answers)" 200 READY
call GET /api/config;  expect_answer "GET /api/config" 200 CONFIG
expect "config names the default engine" "duckdb" "$(field 'j["data"]["defaultEngine"]')"

say "POST /api/query/lint: warnings before a run"
call POST /api/query/lint '{"query": "SELECT event_type FROM events"}'; expect_answer "lint" 200 LINT_DONE
expect "no LIMIT is warned" LINT_NO_LIMIT "$(field 'j["data"]["warnings"][-1]["code"]')"
call POST /api/query/lint '{"query": "SELECT count(*) FROM events"}'
expect "an aggregate-only query has no warning" 0 "$(field 'len(j["data"]["warnings"])')"
call POST /api/query/lint '{"query": " "}'; expect_answer "lint of nothing" 400 QUERY_EMPTY

say "submit, status, results"
call POST /api/query '{"query": "SELECT event_type, count(*) AS n FROM events GROUP BY 1 ORDER BY 1"}'
expect_answer "POST /api/query" 202 QUERY_SUBMITTED
ID="$(field 'j["data"]["id"]')"
wait_until_state "$ID" SUCCEEDED; expect "query reaches SUCCEEDED" 0 $?
call GET "/api/query/$ID/status"; expect_answer "GET status" 200 QUERY_STATUS
expect "status has completedAt" "yes" "$(field '"yes" if j["data"]["completedAt"] else "no"')"
expect "status has execution seconds" "yes" "$(field '"yes" if j["data"]["statistics"]["executionSeconds"] is not None else "no"')"
expect "status has queue seconds" "yes" "$(field '"yes" if isinstance(j["data"]["statistics"]["queueSeconds"], (int, float)) else "no"')"
expect "status counts the result's rows" 8 "$(field 'j["data"]["statistics"]["rows"]')"
expect "status has the result's bytes" "yes" "$(field '"yes" if j["data"]["statistics"]["resultBytes"] > 0 else "no"')"
call GET "/api/query/$ID/results"; expect_answer "GET results" 200 QUERY_RESULTS
expect "results have 8 rows (event types)" 8 "$(field 'len(j["data"]["rows"])')"
expect "results have column types" "varchar" "$(field 'j["data"]["columns"][0]["type"]')"
expect "results carry the completion timestamp" "yes" "$(field '"yes" if j["data"]["completedAt"] else "no"')"

say "paging: limit, cursor, offset"
PAGED="$(submit 'SELECT range AS n FROM range(2500) ORDER BY n')"
wait_until_state "$PAGED" SUCCEEDED
call GET "/api/query/$PAGED/results"; expect "default page is 100 rows" 100 "$(field 'len(j["data"]["rows"])')"
call GET "/api/query/$PAGED/results?limit=1000"
CURSOR="$(field 'j["data"]["nextCursor"]')"
call GET "/api/query/$PAGED/results?limit=1000&cursor=$CURSOR"
expect "cursor continues at row 1000" 1000 "$(field 'j["data"]["rows"][0][0]')"
call GET "/api/query/$PAGED/results?offset=2400"
expect "offset jumps to row 2400" 2400 "$(field 'j["data"]["rows"][0][0]')"
call GET "/api/query/$PAGED/results?limit=1001"; expect_answer "limit over 1000" 400 INVALID_LIMIT
call GET "/api/query/$PAGED/results?cursor=junk"; expect_answer "bad cursor" 400 INVALID_CURSOR

say "views of a stored result: sort, filter, aggregate (no re-run)"
call GET "/api/query/$PAGED/results?limit=10&sort=n:desc"; expect_answer "sorted page" 200 QUERY_RESULTS
expect "sorted page starts at the last row" 2499 "$(field 'j["data"]["rows"][0][0]')"
VIEW_CURSOR="$(field 'j["data"]["nextCursor"]')"
call GET "/api/query/$PAGED/results?limit=10&sort=n:desc&cursor=$VIEW_CURSOR"
expect "the view's cursor continues the view" 2489 "$(field 'j["data"]["rows"][0][0]')"
call GET "/api/query/$PAGED/results?cursor=$VIEW_CURSOR"; expect_answer "a view's cursor serves its view only" 400 INVALID_CURSOR
call GET "/api/query/$PAGED/results?filter=ge:n:2490&filter=lt:n:2495"; expect "filters keep 5 rows" 5 "$(field 'j["data"]["totalRows"]')"
call GET "/api/query/$PAGED/results?filter=eq:n:1%27%20OR%20%271%27%3D%271"; expect_answer "a filter value is a value, not SQL" 400 INVALID_PARAMETER
call GET "/api/query/$PAGED/results?sort=nope"; expect_answer "sort by an unknown column" 400 INVALID_PARAMETER
call GET "/api/query/$PAGED/aggregate?measures=count,sum:n,max:n"; expect_answer "aggregate" 200 QUERY_AGGREGATE
expect "aggregate counts, sums and maxes" "[[2500, 3123750, 2499]]" "$(field 'j["data"]["rows"]')"

say "long values: cut on the page, whole from the value route"
WIDE="$(submit "SELECT repeat('w', 100000) AS wide, NULL AS nothing")"
wait_until_state "$WIDE" SUCCEEDED
call GET "/api/query/$WIDE/results"
expect "the page shows the first 64 KiB" 65536 "$(field 'len(j["data"]["rows"][0][0])')"
expect "the cut value is listed with its size" '[{"row": 0, "column": 0, "bytes": 100000}]' "$(field 'j["data"]["truncatedCells"]')"
expect "the result is complete" false "$(field 'j["data"]["truncated"]')"
call GET "/api/query/$WIDE/value?row=0&column=0"
expect "the value route answers it whole" "200 100000" "$STATUS ${#BODY}"
call GET "/api/query/$WIDE/value?row=0&column=1"; expect "NULL answers no content" 204 "$STATUS"
call GET "/api/query/$WIDE/value?row=1&column=0"; expect_answer "row outside the result" 400 INVALID_PARAMETER

say "bad input"
call POST /api/query '{"query": ""}';            expect_answer "empty query" 400 QUERY_EMPTY
call POST /api/query '{"query": "SELECT 1"';     expect_answer "malformed JSON" 400 INVALID_JSON
call POST /api/query '{"query": "SELECT 1", "engine": "oracle"}'; expect_answer "unknown engine" 400 UNKNOWN_ENGINE
python3 -c 'import json; print(json.dumps({"query": "SELECT 1 --" + "x" * 262144}))' > "$TMP/long.json"
call POST /api/query "" --data-binary "@$TMP/long.json" -H 'Content-Type: application/json'
expect_answer "query over 262,144 bytes" 400 QUERY_TOO_LONG
python3 -c 'import json; print(json.dumps({"query": "SELECT 1 --" + "x" * 2097152}))' > "$TMP/huge.json"
call POST /api/query "" --data-binary "@$TMP/huge.json" -H 'Content-Type: application/json'
expect_answer "2 MB body" 413 REQUEST_TOO_LARGE
call POST /api/query "" --data-binary '<query>SELECT 1</query>' -H 'Content-Type: application/xml'
expect_answer "XML body" 415 UNSUPPORTED_MEDIA_TYPE
expect "415 says what to send" yes "$(field '"yes" if "Content-Type: application/json" in j["message"] else "no"')"
call POST /api/query "" --data '{"query": "SELECT 1"}'
expect_answer "curl -d without Content-Type (a form)" 415 UNSUPPORTED_MEDIA_TYPE
call GET /api/query/00000000-0000-4000-8000-000000000000/status; expect_answer "unknown id" 404 QUERY_NOT_FOUND
call GET /api/query/not-an-id/status;                             expect_answer "malformed id" 404 QUERY_NOT_FOUND
call GET "/api/query/..%2F..%2Fetc%2Fpasswd/results";            expect_answer "path trick id" 404 QUERY_NOT_FOUND
call GET /api/no/such/route;                                      expect_answer "unknown route" 404 ROUTE_NOT_FOUND
call GET /no/such/page;                                           expect_answer "unknown page outside /api" 404 ROUTE_NOT_FOUND
call GET /api/query;                                              expect_answer "wrong method" 405 METHOD_NOT_ALLOWED

say "messages: zh-CN unless Accept-Language asks for English"
call GET /api/config
DEFAULT_LOCALE="$(field 'j["data"]["defaultLocale"]')"
SAVED_HEADERS=("${HEADERS[@]}"); HEADERS=()
call GET /api/query/00000000-0000-4000-8000-000000000000/status
HEADERS=("${SAVED_HEADERS[@]}")
if [ "$DEFAULT_LOCALE" == "zh-CN" ]; then WANT="查询不存在"; else WANT="Query not found"; fi
expect "no Accept-Language: the $DEFAULT_LOCALE message" "$WANT" "$(field 'j["message"]')"
call GET /api/query/00000000-0000-4000-8000-000000000000/status
expect "Accept-Language en: the English message" "Query not found" "$(field 'j["message"]')"

say "cancel"
LONG="$(submit "$LONG_SQL")"
wait_until_state "$LONG" RUNNING
call GET "/api/query/$LONG/results";     expect_answer "results while running" 409 QUERY_NOT_FINISHED
call POST "/api/query/$LONG/refresh";    expect_answer "refresh while running" 409 QUERY_NOT_FINISHED
call POST "/api/query/$LONG/cancel";     expect_answer "cancel running query" 200 QUERY_CANCELLED
expect "state is CANCELLED" CANCELLED "$(state_of "$LONG")"
call GET "/api/query/$LONG/results";     expect_answer "results of cancelled query" 410 QUERY_CANCELLED
call POST "/api/query/$LONG/cancel";     expect_answer "cancel again" 200 QUERY_ALREADY_CANCELLED
expect "state is still CANCELLED" CANCELLED "$(state_of "$LONG")"
call POST "/api/query/$ID/cancel";       expect_answer "cancel finished query" 409 QUERY_ALREADY_FINISHED
expect "finished query stays SUCCEEDED" SUCCEEDED "$(state_of "$ID")"

say "cancel a queued query (every worker busy)"
call GET /api/config
WORKERS="$(field 'j["data"]["queries"]["workers"]')"
BUSY=()
for _ in $(seq 1 "$WORKERS"); do BUSY+=("$(submit "$LONG_SQL")"); done
for busy in "${BUSY[@]}"; do wait_until_state "$busy" RUNNING; done
QUEUED="$(submit 'SELECT 1 AS waits')"
expect "with $WORKERS workers busy, one more waits QUEUED" QUEUED "$(state_of "$QUEUED")"
call POST "/api/query/$QUEUED/cancel";   expect_answer "cancel queued query" 200 QUERY_CANCELLED
call GET "/api/query/$QUEUED/status"
expect "queued query is CANCELLED" CANCELLED "$(field 'j["data"]["state"]')"
expect "it never started" "" "$(field 'j["data"]["startedAt"]')"
for busy in "${BUSY[@]}"; do call POST "/api/query/$busy/cancel"; done
expect "the busy queries are CANCELLED" "$WORKERS" "$(for b in "${BUSY[@]}"; do state_of "$b"; done | grep -c '^CANCELLED$')"

say "failure"
BAD="$(submit 'SELECT * FROM no_such_table')"
wait_until_state "$BAD" FAILED; expect "query reaches FAILED" 0 $?
call GET "/api/query/$BAD/results"; expect_answer "results of failed query" 422 QUERY_FAILED
expect "422 carries the engine's error" yes "$(field '"yes" if "no_such_table" in j["error"]["details"]["errorMessage"] else "no"')"
call GET "/api/query/$BAD/status"
expect "status carries the engine's error" yes "$(field '"yes" if "no_such_table" in j["data"]["error"]["message"] else "no"')"

say "refresh"
call POST "/api/query/$ID/refresh"; expect_answer "refresh finished query" 202 QUERY_REFRESHED
expect "refresh starts run 2" 2 "$(field 'j["data"]["run"]')"
wait_until_state "$ID" SUCCEEDED
call GET "/api/query/$ID/results"; expect "refreshed results" 8 "$(field 'len(j["data"]["rows"])')"

say "runs"
call GET "/api/query/$ID/runs"; expect_answer "the run list" 200 QUERY_RUNS
expect "runs newest first" "2 1" "$(field '" ".join(str(r["run"]) for r in j["data"]["items"])')"
expect "the first run is kept with its statistics" "SUCCEEDED 8" \
  "$(field 'str(j["data"]["items"][1]["state"]) + " " + str(j["data"]["items"][1]["statistics"]["rows"])')"
call GET "/api/query/$ID/runs?limit=1"; expect "a page of one run" 1 "$(field 'len(j["data"]["items"])')"
NEXT="$(field 'j["data"]["nextCursor"]')"
call GET "/api/query/$ID/runs?limit=1&cursor=$NEXT"; expect "the next page has run 1" 1 "$(field 'j["data"]["items"][0]["run"]')"
call GET "/api/query/$ID/runs?cursor=bogus"; expect_answer "a bad runs cursor" 400 INVALID_CURSOR
call GET "/api/query/$ID/status"; expect "an ended run has no phase" "" "$(field 'j["data"]["phase"]')"
call GET "/api/queries?limit=50"
expect "history counts the runs" 2 "$(ID="$ID" field 'next(i["runs"] for i in j["data"]["items"] if i["id"] == env["ID"])')"

say "history"
OLDER="$(submit 'SELECT 1 AS older')"
NEWER="$(submit 'SELECT 2 AS newer')"
call GET "/api/queries?limit=2"; expect_answer "GET /api/queries" 200 QUERY_HISTORY
expect "history pages" 2 "$(field 'len(j["data"]["items"])')"
expect "newest first" "$NEWER $OLDER" "$(field '" ".join(i["id"] for i in j["data"]["items"])')"
NEXT="$(field 'j["data"]["nextCursor"]')"
LAST_CREATED="$(field 'j["data"]["items"][-1]["createdAt"]')"
call GET "/api/queries?limit=2&cursor=$NEXT"; expect_answer "next history page" 200 QUERY_HISTORY
expect "the next page goes on with older queries" yes "$(SEEN="$NEWER $OLDER" LAST_CREATED="$LAST_CREATED" field '"yes" if len(j["data"]["items"]) == 2 and all(i["id"] not in env["SEEN"].split() and i["createdAt"] <= env["LAST_CREATED"] for i in j["data"]["items"]) else "no"')"
call GET "/api/queries?state=CANCELLED"; expect "cancelled queries are kept" yes "$(LONG="$LONG" field '"yes" if env["LONG"] in [i["id"] for i in j["data"]["items"]] and all(i["state"] == "CANCELLED" for i in j["data"]["items"]) else "no"')"
call GET "/api/queries?state=FAILED&q=no_such_table"; expect "failed queries are kept and searchable" "$BAD" "$(field 'j["data"]["items"][0]["id"]')"

say "download"
call GET "/api/query/$PAGED/download"; expect_answer "download link" 200 DOWNLOAD_READY
URL="$(field 'j["data"]["url"]')"
ROWS="$(curl -s "$BASE$URL" | wc -l | tr -d ' ')"
expect "downloaded CSV has header + 2500 rows" 2501 "$ROWS"
call GET "/api/query/$LONG/download"; expect_answer "no download for a cancelled local query" 404 RESULT_NOT_AVAILABLE
call GET "/api/query/$PAGED/download?format=parquet"; expect_answer "Parquet download link" 200 DOWNLOAD_READY
URL="$(field 'j["data"]["url"]')"
expect "the Parquet download is a Parquet file" "PAR1" "$(curl -s "$BASE$URL" | head -c 4)"
call GET "/api/query/$PAGED/download?format=jsonl"; expect_answer "JSON lines download link" 200 DOWNLOAD_READY
URL="$(field 'j["data"]["url"]')"
expect "JSON lines: one object per row" '{"n":2499}' "$(curl -s "$BASE$URL" | tail -n 1)"
call GET "/api/query/$PAGED/download?format=xlsx"; expect_answer "unknown download format" 400 INVALID_PARAMETER

say "catalog"
call GET /api/catalog/duckdb/catalogs; expect_answer "catalogs" 200 CATALOG_LISTED
CATALOG="$(field 'j["data"]["items"][0]')"
call GET "/api/catalog/duckdb/catalogs/$CATALOG/databases"; expect "databases include main" yes "$(field '"yes" if "main" in j["data"]["items"] else "no"')"
call GET "/api/catalog/duckdb/catalogs/$CATALOG/databases/main/tables/events"
expect "events columns" event_id "$(field 'j["data"]["columns"][0]["name"]')"
call GET "/api/catalog/duckdb/catalogs/$CATALOG/databases/main/tables/nope"; expect_answer "unknown table" 404 TABLE_NOT_FOUND

say "synchronous query and cancel by request id"
call POST /api/duckdb/query '{"sql": "SELECT 1 AS one", "request_id": "tour:quick"}'
expect_answer "synchronous query" 200 QUERY_SUCCEEDED
REQ="tour:long-$RANDOM$RANDOM"
curl -s -o "$TMP/sync" -w '%{http_code}' -X POST "$BASE/api/duckdb/query" -H 'Content-Type: application/json' \
  --data-binary "{\"sql\": \"$LONG_SQL\", \"request_id\": \"$REQ\"}" > "$TMP/sync-status" &
SYNC_PID=$!
for _ in $(seq 1 100); do
  call POST "/api/query/cancel/$REQ"
  [ "$STATUS" == "200" ] && break
  sleep 0.1
done
expect_answer "cancel by request id" 200 QUERY_CANCELLED
expect "cancel answer names the request" "$REQ" "$(field 'j["data"]["request_id"]')"
wait "$SYNC_PID"
BODY="$(cat "$TMP/sync")"
expect "waiting request answers 499" 499 "$(cat "$TMP/sync-status")"
expect "499 body says cancelled" true "$(field 'j["data"]["cancelled"]')"
expect "499 messageCode" QUERY_CANCELLED "$(field 'j["messageCode"]')"
expect "499 is an error envelope" false "$(field 'j["success"]')"
call POST "/api/query/cancel/$REQ";              expect_answer "cancel finished request" 200 QUERY_ALREADY_CANCELLED
call POST "/api/query/cancel/tour:quick";        expect_answer "cancel completed request" 200 QUERY_ALREADY_FINISHED
call POST "/api/query/cancel/tour:never-seen";   expect_answer "unknown request id" 404 REQUEST_NOT_FOUND

say "a synchronous query whose client hangs up is cancelled"
export HUNG="tour:hung-$RANDOM$RANDOM"
command curl -s --max-time 1 -o /dev/null -X POST "$BASE/api/duckdb/query" -H 'Content-Type: application/json' \
  --data-binary "{\"sql\": \"$LONG_SQL\", \"request_id\": \"$HUNG\"}"
HUNG_ID=""
for _ in $(seq 1 50); do
  call GET "/api/queries?limit=20"
  HUNG_ID="$(field 'next((i["id"] for i in j["data"]["items"] if i["requestId"] == env["HUNG"]), "")')"
  [ -n "$HUNG_ID" ] && break
  sleep 0.1
done
expect "the abandoned query is in the history" yes "$([ -n "$HUNG_ID" ] && echo yes || echo no)"
if [ -n "$HUNG_ID" ]; then
  wait_until_state "$HUNG_ID" CANCELLED; expect "the abandoned query ends CANCELLED" 0 $?
fi

say "one request id, one active query"
export REQ2="tour:dup-$RANDOM$RANDOM"
curl -s -o /dev/null -X POST "$BASE/api/duckdb/query" -H 'Content-Type: application/json' \
  --data-binary "{\"sql\": \"$LONG_SQL\", \"request_id\": \"$REQ2\"}" &
DUP_PID=$!
# The second request is sent only once the first holds the request id (it is in the history);
# sent earlier, it could claim the id itself and the first would be the one refused.
for _ in $(seq 1 100); do
  call GET "/api/queries?limit=20"
  [ -n "$(field 'next((i["id"] for i in j["data"]["items"] if i["requestId"] == env["REQ2"]), "")')" ] && break
  sleep 0.1
done
call POST /api/duckdb/query "{\"sql\": \"SELECT 1\", \"request_id\": \"$REQ2\"}"
expect_answer "a second request with an active request id" 409 REQUEST_ID_IN_USE
call POST "/api/query/cancel/$REQ2"; expect_answer "its cancel stops the one query" 200 QUERY_CANCELLED
wait "$DUP_PID"

say "root paths of older clients"
call POST /query '{"query": "SELECT 2 AS two"}'; expect_answer "POST /query" 202 QUERY_SUBMITTED
ROOT="$(field 'j["data"]["id"]')"
wait_until_state "$ROOT" SUCCEEDED
call GET "/query/$ROOT/results"; expect "GET /query/{id}/results" 2 "$(field 'j["data"]["rows"][0][0]')"

say "async tasks: a SELECT becomes a table in your workspace"
task_state() { call GET "/api/async_tasks/$1"; field 'j["data"]["state"]'; }
wait_task() {  # wait_task ID STATE...
  local id="$1"; shift
  for _ in $(seq 1 600); do
    local s; s="$(task_state "$id")"
    for want in "$@"; do [ "$s" == "$want" ] && return 0; done
    sleep 0.1
  done
  return 1
}
TOUR_TABLE="tour_$(date +%s%N | tail -c 9)"; export TOUR_TABLE
call POST /api/async_query "{\"sql\": \"  SELECT range AS n FROM range(1000)  \", \"custom_table_name\": \"$TOUR_TABLE\"}"
expect_answer "submit a task" 202 TASK_SUBMITTED
TASK="$(field 'j["data"]["task_id"]')"
expect "the stored SQL is trimmed" "SELECT range AS n FROM range(1000)" "$(field 'j["data"]["metadata"]["sql"]')"
wait_task "$TASK" SUCCEEDED; expect "the task succeeds" 0 $?
call GET "/api/async_tasks/$TASK"; expect_answer "task details" 200 TASK_DETAILS
expect "result_info names its table" "$TOUR_TABLE" "$(field 'j["data"]["result_info"]["table_name"]')"
expect "and counts its rows" 1000 "$(field 'j["data"]["result_info"]["row_count"]')"
expect "not federated" false "$(field 'j["data"]["result_info"]["is_federated"]')"
call GET /api/async_tasks; expect_answer "task list" 200 TASKS_LISTED
expect "newest first" "$TASK" "$(field 'j["data"]["items"][0]["task_id"]')"
call GET "/api/async_tasks?state=bogus"; expect_answer "a state that does not exist" 400 INVALID_PARAMETER
call GET /api/workspace/tables; expect_answer "workspace tables" 200 WORKSPACE_TABLES
expect "the table is listed" yes "$(field '"yes" if any(t["name"] == env["TOUR_TABLE"] for t in j["data"]["items"]) else "no"')"
call POST /api/duckdb/query "{\"sql\": \"SELECT sum(n) FROM workspace.$TOUR_TABLE\"}"
expect_answer "the editor reads workspace.<table>" 200 QUERY_SUCCEEDED
expect "with the task's rows" 499500 "$(field 'j["data"]["rows"][0][0]')"
call POST /api/async_query "{\"sql\": \"SELECT 2\", \"custom_table_name\": \"$TOUR_TABLE\"}"
expect_answer "a table name that is taken" 409 TABLE_EXISTS
call POST /api/async_query '{"sql": "DROP TABLE sales"}'
expect_answer "a task runs one SELECT" 400 VALIDATION_ERROR
expect "the rule is named" SQL_NOT_SELECT "$(field 'j["error"]["details"]["rule"]')"
call POST /api/async_query '{"sql": "SELECT 1", "attach_databases": [{"alias": "a", "connection_id": "x"}, {"alias": "a", "connection_id": "y"}]}'
expect_answer "a duplicate alias" 400 VALIDATION_ERROR
call POST /api/async_query '{"sql": "SELECT 1", "attach_databases": [{"alias": "", "connection_id": "x"}]}'
expect_answer "an empty alias" 400 VALIDATION_ERROR
call POST /api/async_query '{"sql": "SELECT 1", "attach_databases": [{"alias": "pg", "connection_id": "no-such"}]}'
expect_answer "an unknown connection id" 404 CONNECTION_NOT_FOUND
call POST /api/async_query "{\"sql\": \"$LONG_SQL\"}"
SLOW_TASK="$(field 'j["data"]["task_id"]')"
wait_task "$SLOW_TASK" RUNNING; expect "a long task runs" 0 $?
call POST "/api/async_tasks/$SLOW_TASK/cancel"; expect_answer "cancel a running task" 200 TASK_CANCELLED
wait_task "$SLOW_TASK" CANCELLED; expect "it ends CANCELLED" 0 $?
call POST "/api/async_tasks/$SLOW_TASK/cancel"; expect_answer "cancel it again" 409 TASK_ALREADY_FINISHED
call POST "/api/async_tasks/$SLOW_TASK/retry"; expect_answer "retry the cancelled task" 202 TASK_SUBMITTED
RETRIED="$(field 'j["data"]["task_id"]')"
expect "the retry names the original" "$SLOW_TASK" "$(field 'j["data"]["retry_of"]')"
wait_task "$RETRIED" RUNNING; call POST "/api/async_tasks/$RETRIED/cancel"; wait_task "$RETRIED" CANCELLED
call POST "/api/async_tasks/$TASK/retry"; expect_answer "a succeeded task is not retried" 409 TASK_NOT_RETRYABLE
call GET /api/async_tasks/not-a-task; expect_answer "an unknown task" 404 TASK_NOT_FOUND
SAVED_Q="$(submit 'SELECT 7 AS seven')"
wait_until_state "$SAVED_Q" SUCCEEDED
call POST "/api/query/$SAVED_Q/save-as-table" "{\"table_name\": \"${TOUR_TABLE}_saved\"}"
expect_answer "save a finished query's result as a table" 202 TASK_SUBMITTED
wait_task "$(field 'j["data"]["task_id"]')" SUCCEEDED; expect "the saving task succeeds" 0 $?
call POST /api/duckdb/query "{\"sql\": \"SELECT seven FROM workspace.${TOUR_TABLE}_saved\"}"
expect "the saved result is a table" 7 "$(field 'j["data"]["rows"][0][0]')"
call DELETE "/api/workspace/tables/${TOUR_TABLE}_saved"; expect_answer "drop a workspace table" 200 WORKSPACE_TABLE_DROPPED
call DELETE "/api/workspace/tables/${TOUR_TABLE}_saved"; expect_answer "drop it again" 404 TABLE_NOT_FOUND

say "plans: steps as tables, in dependency order; the last step's table is the result"
plan_state() { call GET "/api/plans/$1"; field 'j["data"]["state"]'; }
wait_plan() {  # wait_plan ID STATE...
  local id="$1"; shift
  for _ in $(seq 1 600); do
    local s; s="$(plan_state "$id")"
    for want in "$@"; do [ "$s" == "$want" ] && return 0; done
    sleep 0.1
  done
  return 1
}
call POST /api/plans '{"name": "tour", "steps": [
  {"id": "nums", "type": "LocalQuery", "sql": "SELECT range AS n FROM range(10)"},
  {"id": "squares", "type": "LocalQuery", "sql": "SELECT n, n * n AS sq FROM nums"},
  {"id": "total", "type": "LocalQuery", "sql": "SELECT count(*) AS cnt, sum(sq) AS sum_sq FROM squares"}]}'
expect_answer "submit a plan" 202 PLAN_SUBMITTED
PLAN="$(field 'j["data"]["planId"]')"
wait_plan "$PLAN" SUCCEEDED; expect "the plan succeeds" 0 $?
call GET "/api/plans/$PLAN"; expect_answer "plan details" 200 PLAN_DETAILS
expect "each step shows its rows" 10 "$(field 'j["data"]["steps"][1]["rows"]')"
call GET "/api/plans/$PLAN/results"; expect_answer "the plan's result" 200 QUERY_RESULTS
expect "sum of squares 0..9" 285 "$(field 'j["data"]["rows"][0][1]')"
call GET "/api/plans/$PLAN/download?format=csv"; expect_answer "a download link" 200 DOWNLOAD_READY
call GET /api/plans; expect_answer "plan list" 200 PLAN_LIST
expect "newest first" "$PLAN" "$(field 'j["data"]["items"][0]["planId"]')"
call POST "/api/plans/$PLAN/cancel"; expect_answer "cancel a finished plan" 409 PLAN_ALREADY_FINISHED
call POST /api/plans '{"steps": [{"id": "x\"; DROP TABLE t; --", "type": "LocalQuery", "sql": "SELECT 1"}]}'
expect_answer "a step id that is not an identifier" 400 PLAN_INVALID
expect "the rule" ID_INVALID "$(field 'j["error"]["details"]["rule"]')"
call POST /api/plans '{"steps": [{"id": "a", "type": "LocalQuery", "sql": "SELECT * FROM b"}, {"id": "b", "type": "LocalQuery", "sql": "SELECT * FROM a"}]}'
expect "a cycle is refused" CYCLE "$(field 'j["error"]["details"]["rule"]')"
call POST /api/plans '{"steps": [{"id": "base", "type": "LocalQuery", "sql": "SELECT 1 AS a"}, {"id": "broken", "type": "LocalQuery", "sql": "SELECT nope FROM base"}]}'
BROKEN="$(field 'j["data"]["planId"]')"
wait_plan "$BROKEN" FAILED; expect "a failing step fails the plan" 0 $?
call GET "/api/plans/$BROKEN"; expect_answer "a failed plan" 200 PLAN_DETAILS
expect "the error names the step" broken "$(field 'j["data"]["error"]["params"]["step"]')"
call GET "/api/plans/$BROKEN/results"; expect_answer "no result for a failed plan" 404 RESULT_NOT_AVAILABLE
call POST /api/plans '{"steps": [{"id": "slow", "type": "LocalQuery", "sql": "SELECT count(*) AS n FROM range(100000000000)"}]}'
SLOW_PLAN="$(field 'j["data"]["planId"]')"
wait_plan "$SLOW_PLAN" RUNNING; expect "a long plan runs" 0 $?
call GET "/api/plans/$SLOW_PLAN/results"; expect_answer "results of a running plan" 409 PLAN_NOT_FINISHED
call POST "/api/plans/$SLOW_PLAN/cancel"; expect_answer "cancel a running plan" 200 PLAN_CANCELLED
expect "it ends CANCELLED" CANCELLED "$(field 'j["data"]["state"]')"
call GET /api/plans/not-a-plan; expect_answer "an unknown plan" 404 PLAN_NOT_FOUND

if [ -n "${SLUICE_TOUR_SQLITE_DIR:-}" ]; then
  say "datasources: register, test, and join one in a federated task"
  LITE="$SLUICE_TOUR_SQLITE_DIR/tour.db"
  python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("CREATE TABLE IF NOT EXISTS items (id INTEGER, name TEXT)"); c.execute("DELETE FROM items"); c.executemany("INSERT INTO items VALUES (?, ?)", [(1, "one"), (2, "two"), (3, None)]); c.commit()' "$LITE"
  call POST /api/datasources "{\"id\": \"tour-lite\", \"type\": \"sqlite\", \"params\": {\"path\": \"$LITE\"}}"
  expect_answer "register a SQLite datasource" 201 DATASOURCE_CREATED
  call GET /api/datasources; expect_answer "list datasources" 200 DATASOURCES_LISTED
  call GET /api/datasources/tour-lite; expect_answer "show it" 200 DATASOURCE_DETAILS
  call POST /api/datasources/tour-lite/test; expect_answer "test it" 200 CONNECTION_TEST_SUCCEEDED
  call POST /api/datasources "{\"id\": \"tour-gone\", \"type\": \"sqlite\", \"params\": {\"path\": \"$SLUICE_TOUR_SQLITE_DIR/missing.db\"}}"
  call POST /api/datasources/tour-gone/test; expect_answer "a missing SQLite file" 422 ATTACH_FAILED
  call PUT /api/datasources/tour-gone "{\"type\": \"sqlite\", \"params\": {\"path\": \"$LITE\"}}"
  expect_answer "point it at the file" 200 DATASOURCE_UPDATED
  call DELETE /api/datasources/tour-gone; expect_answer "remove it" 200 DATASOURCE_DELETED
  call POST /api/datasources '{"id": "tour-pg", "type": "postgresql", "params": {"host": "127.0.0.1", "port": 1, "database": "x", "user": "u", "password": "secret-pw"}}'
  expect "the password is never shown" no "$(echo "$BODY" | grep -q secret-pw && echo yes || echo no)"
  call POST /api/datasources/tour-pg/test; expect_answer "nothing listens on the port" 422 CONNECTION_TIMEOUT
  call POST /api/datasources '{"id": "tour-bad", "type": "oracle", "params": {}}'
  expect_answer "a type Sluice does not know" 400 UNSUPPORTED_TYPE
  call POST /api/datasources '{"id": "tour-out", "type": "sqlite", "params": {"path": "/etc/passwd"}}'
  expect_answer "a SQLite file outside the allowed folders" 400 PATH_NOT_ALLOWED
  call POST /api/async_query "{\"sql\": \"SELECT l.id, l.name, w.n FROM lite.items l JOIN workspace.$TOUR_TABLE w ON w.n = l.id ORDER BY l.id\", \"custom_table_name\": \"${TOUR_TABLE}_fed\", \"attach_databases\": [{\"alias\": \"lite\", \"connection_id\": \"tour-lite\"}]}"
  expect_answer "a federated task" 202 TASK_SUBMITTED
  FED="$(field 'j["data"]["task_id"]')"
  expect "its metadata keeps attach_databases" '[{"alias": "lite", "connection_id": "tour-lite"}]' "$(field 'j["data"]["metadata"]["attach_databases"]')"
  wait_task "$FED" SUCCEEDED; expect "it succeeds" 0 $?
  call GET "/api/async_tasks/$FED"
  expect "its result names the attached alias" '["lite"]' "$(field 'j["data"]["result_info"]["attached_databases"]')"
  expect "it is federated" true "$(field 'j["data"]["result_info"]["is_federated"]')"
  expect "the join's rows" 3 "$(field 'j["data"]["result_info"]["row_count"]')"
  call POST /api/duckdb/query '{"sql": "SELECT count(*) FROM lite.items", "attach_databases": [{"alias": "lite", "connection_id": "tour-lite"}]}'
  expect_answer "a synchronous query attaches too" 200 QUERY_SUCCEEDED
  expect "with the SQLite rows" 3 "$(field 'j["data"]["rows"][0][0]')"
  call POST /api/async_query '{"sql": "SELECT * FROM pg.t", "attach_databases": [{"alias": "pg", "connection_id": "tour-pg"}]}'
  BAD_FED="$(field 'j["data"]["task_id"]')"
  wait_task "$BAD_FED" FAILED; expect "an unreachable database fails the task" 0 $?
  call GET "/api/async_tasks/$BAD_FED"
  expect "with its code" CONNECTION_TIMEOUT "$(field 'j["data"]["error"]["code"]')"
  call POST /api/duckdb/query '{"sql": "SELECT database_name FROM duckdb_databases() ORDER BY 1"}'
  expect "nothing stays attached" '[["sluice"], ["system"], ["temp"], ["workspace"]]' "$(field 'j["data"]["rows"]')"
  call DELETE /api/datasources/tour-pg; call DELETE /api/datasources/tour-lite
fi
call DELETE "/api/workspace/tables/$TOUR_TABLE"; expect_answer "drop the tour's table" 200 WORKSPACE_TABLE_DROPPED

say "usage and budgets"
call GET /api/usage; expect_answer "GET /api/usage (this month, by day)" 200 USAGE
expect "usage counts the tour's runs" "yes" "$(field '"yes" if j["data"]["totals"]["runs"] > 0 else "no"')"
call GET "/api/usage?groupBy=engine"; expect "usage by engine has duckdb" "yes" "$(field '"yes" if any(i["key"] == "duckdb" for i in j["data"]["items"]) else "no"')"
call GET "/api/usage?groupBy=week"; expect_answer "an unknown groupBy" 400 INVALID_PARAMETER
call GET "/api/usage?from=2026-11-20&to=2026-11-19"; expect_answer "to before from" 400 INVALID_PARAMETER
call GET "/api/usage/top?limit=5"; expect_answer "GET /api/usage/top" 200 USAGE_TOP
call GET "/api/usage/top?limit=1000"; expect_answer "a top limit over 100" 400 INVALID_LIMIT
call GET /api/usage/budget; expect_answer "GET /api/usage/budget" 200 USAGE_BUDGET
expect "no budgets configured" 0 "$(field 'len(j["data"]["budgets"])')"
call POST /api/query '{"query": "SELECT 1", "maxScanGb": 1}'
expect_answer "maxScanGb on DuckDB (it measures no scans)" 400 INVALID_MAX_SCAN

say "metrics: Prometheus text for what the tour ran"
# metric NAME [LABEL=VALUE...]: the sum of the scraped samples of NAME that carry those labels
metric() {
  python3 -c '
import re, sys
name, want = sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
total = 0.0
for line in open(sys.argv[1]):
    m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)", line)
    if m and m.group(1) == name:
        labels = dict(re.findall(r"(\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"", m.group(2) or ""))
        if all(labels.get(k) == v for k, v in want.items()):
            total += float(m.group(3))
print(int(total) if total == int(total) else total)' "$TMP/metrics" "$@"
}
STATUS="$(curl -s -o "$TMP/metrics" -D "$TMP/metrics-headers" -w '%{http_code}' "$BASE/metrics")"
expect "GET /metrics" 200 "$STATUS"
expect "in Prometheus' text format, not the envelope" "text/plain; version=0.0.4; charset=utf-8" \
  "$(grep -i '^content-type:' "$TMP/metrics-headers" | cut -d' ' -f2- | tr -d '\r')"
for state in SUCCEEDED FAILED CANCELLED; do
  expect "DuckDB runs that ended $state are counted" yes \
    "$([ "$(metric sluice_query_runs_total engine=duckdb state=$state)" -ge 1 ] && echo yes || echo no)"
done
expect "their run times are observed" yes \
  "$([ "$(metric sluice_query_run_duration_seconds_count engine=duckdb)" -ge 3 ] && echo yes || echo no)"
expect "the cancelled synchronous query counts as CLIENT_CLOSED" yes \
  "$([ "$(metric sluice_http_server_requests_seconds_count 'route=/api/{engine}/query' status=499 outcome=CLIENT_CLOSED)" -ge 1 ] && echo yes || echo no)"
expect "unknown ids count under their route's template" yes \
  "$([ "$(metric sluice_http_server_requests_seconds_count 'route=/api/query/{id}/status' status=404)" -ge 1 ] && echo yes || echo no)"
expect "no query id is a label" 0 "$(grep -c -e "$ID" -e "$LONG" "$TMP/metrics")"
expect "the store's pool is reported" yes \
  "$(grep -q '^hikaricp_connections_active{pool="sluice-store"}' "$TMP/metrics" && echo yes || echo no)"
expect "HEAD /metrics" 200 "$(curl -s -o /dev/null -I -w '%{http_code}' "$BASE/metrics")"

if [ -n "${SLUICE_TOUR_GUARDED_URL:-}" ]; then
  MAIN_BASE="$BASE"; BASE="$SLUICE_TOUR_GUARDED_URL"
  PROXY=(-H "X-Sluice-Proxy-Secret: ${SLUICE_TOUR_PROXY_SECRET:?needs the guarded server proxy secret}")

  say "guarded server: identity through the proxy's secret"
  call GET /health; expect_answer "health needs nobody" 200 HEALTHY
  call GET /api/queries; expect_answer "no identity" 401 UNAUTHENTICATED
  call GET /api/queries "" -H 'X-Email: alice@example.com'
  expect_answer "X-Email without the proxy's secret is not believed" 401 UNAUTHENTICATED
  HEADERS=(-H 'Accept-Language: en' "${PROXY[@]}" -H 'X-Email: alice@example.com')
  call GET /api/config; expect "the caller is alice" alice@example.com "$(field 'j["data"]["user"]')"
  MINE="$(submit 'SELECT 42 AS answer')"
  wait_until_state "$MINE" SUCCEEDED; expect "alice's query succeeds" 0 $?
  HEADERS=(-H 'Accept-Language: en' "${PROXY[@]}" -H 'X-Email: bob@example.com')
  call GET "/api/query/$MINE/status";   expect_answer "bob: alice's status" 404 QUERY_NOT_FOUND
  call GET "/api/query/$MINE/results";  expect_answer "bob: alice's results" 404 QUERY_NOT_FOUND
  call POST "/api/query/$MINE/cancel";  expect_answer "bob: cancel alice's query" 404 QUERY_NOT_FOUND
  call POST "/api/query/$MINE/refresh"; expect_answer "bob: refresh alice's query" 404 QUERY_NOT_FOUND
  call GET "/api/query/$MINE/download"; expect_answer "bob: alice's download" 404 QUERY_NOT_FOUND
  call GET /api/queries; expect "bob's history is empty" 0 "$(field 'len(j["data"]["items"])')"
  HEADERS=(-H 'Accept-Language: en' "${PROXY[@]}" -H 'X-Email: alice@example.com')
  call GET "/api/query/$MINE/results"; expect "alice still has her result" 42 "$(field 'j["data"]["rows"][0][0]')"
  call GET /api/queries; expect "alice's history has her query" "$MINE" "$(field 'j["data"]["items"][0]["id"]')"

  say "guarded server: per-user limits"
  call GET /api/config
  expect "this server lets a user queue 2 queries" 2 "$(field 'j["data"]["queries"]["maxQueuedPerUser"]')"
  expect "one worker: a user holds at most one" 1 "$(field 'j["data"]["queries"]["maxRunningPerUser"]')"
  # One runs (until this server's 5 s limit), two wait: the fourth, sent at once, is refused.
  # The four requests go out back to back (no parsing in between), well inside those 5 s.
  HOG_BODIES=()
  for i in 1 2 3; do
    command curl -s --max-time 60 -o "$TMP/hog$i" -X POST "$BASE/api/query" "${HEADERS[@]}" \
      -H 'Content-Type: application/json' --data-binary "{\"query\": \"$LONG_SQL\"}"
  done
  call POST /api/query '{"query": "SELECT 1"}'
  HOG=()
  for i in 1 2 3; do HOG+=("$(BODY="$(cat "$TMP/hog$i")" field 'j["data"]["id"]')"); done
  expect_answer "a user with too many queries waiting" 429 TOO_MANY_QUERIES
  expect "429 names the limit" 2 "$(field 'j["error"]["details"]["maxQueuedPerUser"]')"
  for hog in "${HOG[@]}"; do call POST "/api/query/$hog/cancel"; done
  call POST /api/query '{"query": "SELECT 1"}'; expect_answer "room again after cancelling" 202 QUERY_SUBMITTED

  say "guarded server: a run past maxRuntimeSeconds ends TIMED_OUT"
  call GET /api/config
  expect "this server's DuckDB limit is 5 s" 5 "$(field 'j["data"]["engines"][0]["maxRuntimeSeconds"]')"
  SLOW="$(submit "$LONG_SQL")"
  wait_until_state "$SLOW" TIMED_OUT; expect "long query reaches TIMED_OUT" 0 $?
  call GET "/api/query/$SLOW/status"
  expect "timed-out error code" QUERY_TIMED_OUT "$(field 'j["data"]["error"]["code"]')"
  call GET "/api/query/$SLOW/results";  expect_answer "results of timed-out query" 410 QUERY_TIMED_OUT
  call POST "/api/query/$SLOW/cancel";  expect_answer "cancel timed-out query" 409 QUERY_ALREADY_FINISHED
  expect "timed-out query stays TIMED_OUT" TIMED_OUT "$(state_of "$SLOW")"

  BASE="$MAIN_BASE"; HEADERS=(-H 'Accept-Language: en')
fi

if [ -n "${SLUICE_TOUR_ATHENA:-}" ]; then
  # shellcheck source=/dev/null
  source "$(dirname "$0")/api-tour-athena.sh"
fi

printf '\n%d checks, %d failed\n' "$CHECKS" "$FAILURES"
[ "$FAILURES" -eq 0 ]
