#!/usr/bin/env bash
# Two Sluice instances as one, on this machine, with nothing to install beyond the README's set-up:
# a PostgreSQL store (embedded binaries from Maven), results on S3 and Athena queries (both on the
# Athena stand-in), two instances of the built server jar. Queries go to both instances in turn;
# instance a is killed with SIGKILL while its Athena queries run, and instance b finishes them and
# serves their results. Prints what happens; everything it starts is stopped and removed at the end.
#
#   scripts/cluster-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests -pl bench -am package >&2
# The demo's own log (PostgreSQL, the stand-in) goes to bench/target/cluster-demo.log; stdout tells the story.
exec java --add-opens=java.base/java.nio=ALL-UNNAMED -Dlogback.configurationFile=logback-bench.xml -Dsluice.bench.log=bench/target/cluster-demo.log \
  -cp "bench/target/classes:bench/target/lib/*" io.sluice.demo.ClusterDemo server/target/sluice.jar
