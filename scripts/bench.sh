#!/usr/bin/env bash
# Runs Sluice's benchmarks and prints their markdown tables (docs/BENCHMARKS.md has the numbers).
#
#   scripts/bench.sh                      # all: gateway pages columnar cancel store-paging athena-ingest athena-first-page athena-poller athena-heap throughput cluster federation-import s3-pages
#   scripts/bench.sh gateway cancel       # some of them
#
#   gateway        io.sluice.bench.GatewayOverheadBenchmark    submit→SUCCEEDED vs DuckDB JDBC directly
#   pages          io.sluice.bench.ResultPageLatencyBenchmark  first/middle/last page of a 5M-row result (row format)
#   columnar       io.sluice.bench.ColumnarResultBenchmark     storing a 5M-row result vs DuckDB's COPY; pages, sorts, filters
#   cancel         io.sluice.bench.CancelLatencyBenchmark      POST cancel → worker free, vs Statement.cancel()
#   store-paging   io.sluice.bench.ResultPagingBenchmark       the result store alone (server test code)
#   athena-ingest  io.sluice.bench.AthenaIngestBenchmark       1M-row Athena result: S3 CSV vs GetQueryResults
#   athena-first-page io.sluice.bench.AthenaFirstPageBenchmark 1M/10M-row Athena result: first page readable vs whole result stored
#   athena-poller  io.sluice.bench.AthenaPollerBenchmark       1,000 running Athena queries: calls/s, staleness
#   athena-heap    io.sluice.bench.AthenaHeapBenchmark         heap while ingesting a ~1 GB Athena result
#   throughput     io.sluice.bench.AsyncThroughputBenchmark    trivial DuckDB queries/s through the async API
#   cluster        io.sluice.bench.ClusterBenchmark            status p50/p99 with 200 pollers, 1 vs 2 instances; adoption time
#   federation-import io.sluice.bench.FederationImportBenchmark 1M-row PostgreSQL table imported vs COPY TO STDOUT
#   s3-pages       io.sluice.bench.S3PageBenchmark             S3 result store: another instance's cold and warm pages
#
# Each runs in its own JVM with a fixed heap: 2 GB, except athena-heap and federation-import, capped at 256 MB (their target;
# its stand-in runs as a process of its own, athena-standin/target/sluice-athena-standin-standalone.jar).
# cluster (1 GB) starts its Sluice instances as separate JVMs of server/target/sluice.jar.
# Options go through BENCH_JAVA_OPTS, e.g.
#   BENCH_JAVA_OPTS="-Diterations=300 -Dsluice.bench.dir=/dev/shm" scripts/bench.sh gateway
# (see each class's Javadoc). The server's JSON log goes to bench/target/<name>.log and each table
# is also kept in bench/target/<name>.md. Numbers are only as good as the machine is quiet: the
# 1-minute load average is printed before and after each benchmark, and with BENCH_MAX_LOAD set
# (e.g. 1.5) each benchmark first waits, up to BENCH_MAX_WAIT seconds (default 900), for the load
# average to drop below it.
set -euo pipefail
cd "$(dirname "$0")/.."

all=(gateway pages columnar cancel store-paging athena-ingest athena-first-page athena-poller athena-heap throughput cluster federation-import s3-pages)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${all[@]}")
for name in "${names[@]}"; do
  case "$name" in
    gateway|pages|columnar|cancel|store-paging|athena-ingest|athena-first-page|athena-poller|athena-heap|throughput|cluster|federation-import|s3-pages) ;;
    *) echo "unknown benchmark '$name'; known: ${all[*]}" >&2; exit 2 ;;
  esac
done

# -DskipTests still compiles the server's test classes, where the store-level benchmark lives.
# Build output (the web module's npm build prints even with -q) goes to stderr: stdout is the tables.
mvn -q -B -ntp -DskipTests -pl bench -am package >&2

wait_for_quiet() {
  [ -n "${BENCH_MAX_LOAD:-}" ] || return 0
  local deadline=$((SECONDS + ${BENCH_MAX_WAIT:-900}))
  while awk -v max="$BENCH_MAX_LOAD" '{ exit !($1 >= max) }' /proc/loadavg; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "load average still $(cut -d' ' -f1 /proc/loadavg) >= $BENCH_MAX_LOAD; running anyway" >&2
      return 0
    fi
    sleep 10
  done
}

lib="bench/target/lib/*"
for name in "${names[@]}"; do
  heap="-Xms2g -Xmx2g"
  case "$name" in
    gateway)       main=io.sluice.bench.GatewayOverheadBenchmark;   cp="bench/target/classes:$lib" ;;
    pages)         main=io.sluice.bench.ResultPageLatencyBenchmark; cp="bench/target/classes:$lib" ;;
    columnar)      main=io.sluice.bench.ColumnarResultBenchmark;    cp="bench/target/classes:$lib" ;;
    cancel)        main=io.sluice.bench.CancelLatencyBenchmark;     cp="bench/target/classes:$lib" ;;
    store-paging)  main=io.sluice.bench.ResultPagingBenchmark;      cp="server/target/test-classes:$lib" ;;
    athena-ingest) main=io.sluice.bench.AthenaIngestBenchmark;      cp="bench/target/classes:$lib" ;;
    athena-first-page) main=io.sluice.bench.AthenaFirstPageBenchmark; cp="bench/target/classes:$lib" ;;
    athena-poller) main=io.sluice.bench.AthenaPollerBenchmark;      cp="bench/target/classes:$lib" ;;
    athena-heap)   main=io.sluice.bench.AthenaHeapBenchmark;        cp="bench/target/classes:$lib"; heap="-Xmx256m" ;;
    throughput)    main=io.sluice.bench.AsyncThroughputBenchmark;   cp="bench/target/classes:$lib" ;;
    cluster)       main=io.sluice.bench.ClusterBenchmark;           cp="bench/target/classes:$lib"; heap="-Xmx1g" ;;
    federation-import) main=io.sluice.bench.FederationImportBenchmark; cp="bench/target/classes:$lib"; heap="-Xmx256m" ;;
    s3-pages)      main=io.sluice.bench.S3PageBenchmark;            cp="bench/target/classes:$lib" ;;
  esac
  wait_for_quiet
  echo "<!-- scripts/bench.sh $name: $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg) -->"
  echo
  # shellcheck disable=SC2086 # heap and BENCH_JAVA_OPTS are lists of options
  java $heap --add-opens=java.base/java.nio=ALL-UNNAMED ${BENCH_JAVA_OPTS:-} -Dsluice.bench.log="bench/target/$name.log" -cp "$cp" "$main" \
    | tee "bench/target/$name.md"
  echo
done
