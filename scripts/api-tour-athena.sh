# The Athena section of scripts/api-tour.sh (sourced by it when SLUICE_TOUR_ATHENA is set): the
# same API, engine "athena", against a server whose athena engine points at Athena (or, in CI, at
# the stand-in) with the sample table default.events (1,000 rows).

submit_athena() {  # submit_athena SQL [CACHE] -> prints id (CACHE false: not from the local result cache)
  local body; body="$(python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1], "engine": "athena", "cache": sys.argv[2] != "false"}))' "$1" "${2:-true}")"
  call POST /api/query "$body"
  field 'j["data"]["id"]'
}

say "athena: configuration"
call GET /api/config
expect "config lists the athena engine" athena "$(field '[e["name"] for e in j["data"]["engines"]][-1]')"
expect "athena config shows the workgroup" primary "$(field '[e for e in j["data"]["engines"] if e["name"]=="athena"][0]["workgroup"]')"
expect "no credentials in the config" no "$(field '"yes" if "secret" in json.dumps(j).lower() else "no"')"

say "athena: submit, status, results, statistics"
call POST /api/query '{"engine": "athena", "query": "SELECT event_type, count(*) AS n, sum(amount) AS total FROM events GROUP BY event_type ORDER BY event_type"}'
expect_answer "athena submit" 202 QUERY_SUBMITTED
A_ID="$(field 'j["data"]["id"]')"
wait_until_state "$A_ID" SUCCEEDED; expect "athena query reaches SUCCEEDED" 0 $?
call GET "/api/query/$A_ID/status"
expect "athena status names the engine" athena "$(field 'j["data"]["engine"]')"
expect "data scanned is reported" yes "$(field '"yes" if j["data"]["statistics"]["dataScannedBytes"] > 0 else "no"')"
expect "cost is estimated" yes "$(field '"yes" if j["data"]["statistics"]["costUsd"] > 0 else "no"')"
call GET "/api/query/$A_ID/results"; expect_answer "athena results" 200 QUERY_RESULTS
expect "athena results have 4 event types" 4 "$(field 'len(j["data"]["rows"])')"
expect "athena bigint is a number" yes "$(field '"yes" if isinstance(j["data"]["rows"][0][1], int) else "no"')"

say "athena: paging a larger result"
A_BIG="$(submit_athena 'SELECT event_id, event_type FROM events ORDER BY event_id')"
wait_until_state "$A_BIG" SUCCEEDED
call GET "/api/query/$A_BIG/results?offset=900&limit=1000"
expect "offset 900 of 1000 rows" 100 "$(field 'len(j["data"]["rows"])')"
expect "totalRows" 1000 "$(field 'j["data"]["totalRows"]')"

say "athena: download through a presigned S3 URL"
call GET "/api/query/$A_BIG/download"; expect_answer "athena download link" 200 DOWNLOAD_READY
expect "not partial" false "$(field 'j["data"]["partial"]')"
A_URL="$(field 'j["data"]["url"]')"
expect "downloaded Athena CSV has header + 1000 rows" 1001 "$(curl -s "$A_URL" | wc -l | tr -d ' ')"

say "athena: errors, reuse, cancel"
A_BAD="$(submit_athena 'SELEC 1')"
wait_until_state "$A_BAD" FAILED; expect "syntax error fails the query" 0 $?
call GET "/api/query/$A_BAD/status"; expect "syntax error code" SYNTAX_ERROR "$(field 'j["data"]["error"]["code"]')"
call GET "/api/query/$A_BAD/results"; expect_answer "results of failed athena query" 422 QUERY_FAILED
call POST "/api/query/$A_ID/refresh"; expect_answer "athena refresh" 202 QUERY_REFRESHED
wait_until_state "$A_ID" SUCCEEDED
call GET "/api/query/$A_ID/status"; expect "a refresh runs again: no result reuse" false "$(field 'j["data"]["statistics"]["resultReused"]')"
A_SQL='SELECT event_type, count(*) AS n, sum(amount) AS total FROM events GROUP BY event_type ORDER BY event_type'
A_CACHED="$(submit_athena "$A_SQL")"
call GET "/api/query/$A_CACHED/status"
expect "the same SQL again is answered from the local result cache" true "$(field 'j["data"]["cached"]')"
expect "a cache hit is SUCCEEDED at once" SUCCEEDED "$(field 'j["data"]["state"]')"
expect "a cache hit names its source" "$A_ID" "$(field 'j["data"]["statistics"]["cachedFrom"]["queryId"]')"
expect "a cache hit costs nothing" 0 "$(field 'int(j["data"]["statistics"]["costUsd"])')"
A_AGAIN="$(submit_athena "$A_SQL" false)"
wait_until_state "$A_AGAIN" SUCCEEDED
call GET "/api/query/$A_AGAIN/status"; expect "with cache false, the same SQL reuses Athena's result" true "$(field 'j["data"]["statistics"]["resultReused"]')"
expect "an Athena query names its execution" yes "$(field '"yes" if j["data"]["engineQueryId"] else "no"')"
call POST "/api/query/$A_ID/cancel"; expect_answer "cancel a finished athena query" 409 QUERY_ALREADY_FINISHED

say "athena: catalog"
call GET /api/catalog/athena/catalogs; expect "athena catalog" AwsDataCatalog "$(field 'j["data"]["items"][0]')"
call GET /api/catalog/athena/catalogs/AwsDataCatalog/databases/default/tables/events
expect "athena table columns" event_id "$(field 'j["data"]["columns"][0]["name"]')"
