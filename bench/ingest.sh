#!/usr/bin/env bash
# Ingest benchmark (issue 2): the app against the local PostgreSQL, 32 connections posting signed events for 30 s,
# and in the same run pgbench inserting the same rows (idempotency key + event, one transaction) at 32 clients.
# Prints both rates, their ratio, latency percentiles and the app's peak RSS. Not a test: figures only.
#
#   bench/ingest.sh [seconds] [connections]
#   BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=target/ingest.jfr,settings=profile" bench/ingest.sh   # profile
#   SCC_SYNC_CONCURRENCY=1 bench/ingest.sh     # any setting's env variable reaches the app (BENCHMARKS.md: the sync
#                                              # parks every event here, since no Zoho is connected, and competes)
#   BENCH_JAR=target/before.jar bench/ingest.sh   # measure another build (e.g. before/after runs taken in turns);
#                                              # routes/ and config/ are read from the folder the script is in, so
#                                              # run an older jar from a copy of its commit's tree (git archive)
#   BENCH_DB=mydb BENCH_PORT=18091 BENCH_MVN_FLAGS=-o bench/ingest.sh   # another database (its schemas bench_app and
#                                              # bench_pg are dropped), port and Maven flags: runs from two work trees
#                                              # on one machine then do not drop each other's schemas
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN="${1:-30}"
CONN="${2:-32}"
PGURL_HOST=127.0.0.1
PGUSER="${PGUSER:-postgres}"
PGDB="${BENCH_DB:-postgres}"
MVN_FLAGS="${BENCH_MVN_FLAGS:-}"
SCHEMA_APP=bench_app
SCHEMA_PG=bench_pg
PORT="${BENCH_PORT:-18090}"
SECRET="whsec_$(openssl rand -base64 32)"

# (re)build the jar when it is missing or older than the sources: a stale jar would measure old code
JAR="${BENCH_JAR:-target/scc-zoho-sync.jar}"
if [ -z "${BENCH_JAR:-}" ] && { [ ! -f target/scc-zoho-sync.jar ] || [ -n "$(find src/main pom.xml -newer target/scc-zoho-sync.jar -print -quit)" ]; }; then
  mvn -B -q $MVN_FLAGS package -DskipTests
fi

# heap in use (MiB) from the app's Prometheus endpoint: the sum over the heap pools. The value is the LAST field: the
# id label holds spaces (id="G1 Old Gen"), so awk's $2 was a word of the label and the sum came out 0.
heap_mib() {
  curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^jvm_memory_used_bytes[{]/ && /area="heap"/ {s+=$NF} END {printf "%.0f\n", s/1048576}'
}
# samples it every second during the measured run (its peak is what -Xmx256m has to hold)
heap_sampler() {
  : > target/bench-heap.txt
  while true; do heap_mib >> target/bench-heap.txt; sleep 1; done
}

# CPU used by the app (utime + stime of its process) and by the whole machine (busy jiffies of all cores), in clock
# ticks: the app's CPU per accepted event barely depends on what else runs, unlike events/s on a shared machine
cpu_ticks() { awk '{print $14 + $15}' /proc/$APP_PID/stat; }
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }

psql_() { psql -h "$PGURL_HOST" -U "$PGUSER" -d "$PGDB" -v ON_ERROR_STOP=1 -q "$@"; }

echo "== pgbench: the database's own limit for the same writes"
psql_ -c "drop schema if exists $SCHEMA_PG cascade; create schema $SCHEMA_PG;"
psql_ -c "set search_path=$SCHEMA_PG; $(sed -n '/^CREATE TABLE/,$p' src/main/resources/db/migration/V1__ingest.sql)"
cat > target/pgbench-ingest.sql <<SQL
\set n random(1, 1000000000)
BEGIN;
INSERT INTO $SCHEMA_PG.camel_messageprocessed (processorName, messageId, createdAt) VALUES ('call-events', 'evt_' || :client_id || '_' || :n || '_' || txid_current(), now()) ON CONFLICT DO NOTHING;
INSERT INTO $SCHEMA_PG.call_event (event_id, call_id, event_type, occurred_at, source, event, raw_body)
VALUES ('evt_' || :client_id || '_' || :n || '_' || txid_current(), 'call_' || :n, 'call.ended', now(), 'canonical',
 '{"eventId":"evt","callId":"call","type":"call.ended","occurredAt":"2026-11-24T10:17:05Z","direction":"inbound","status":"answered","from":"+14155550134","to":"+14155550100","fromRaw":"+1 (415) 555-0134","toRaw":"+14155550100","durationSeconds":116,"agent":{"id":"ag_17","email":"dana@acme.example"},"notes":"benchmark"}'::jsonb,
 convert_to('{"eventId":"evt","callId":"call","type":"call.ended","occurredAt":"2026-11-24T10:17:05Z","direction":"inbound","status":"answered","from":"+1 (415) 555-0134","to":"+14155550100","durationSeconds":116,"agent":{"id":"ag_17","email":"dana@acme.example"},"notes":"benchmark"}', 'UTF8'));
COMMIT;
SQL
PGB_OUT="$(pgbench -h "$PGURL_HOST" -U "$PGUSER" -n -c "$CONN" -j 2 -T "$SECONDS_RUN" -f target/pgbench-ingest.sql "$PGDB" 2>&1)"
echo "$PGB_OUT" | grep -E "tps|latency"
PG_TPS="$(echo "$PGB_OUT" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)"
psql_ -c "drop schema if exists $SCHEMA_PG cascade;"

echo "== app: POST /api/v1/calls/events with signed events"
psql_ -c "drop schema if exists $SCHEMA_APP cascade;"
SCC_DB_SCHEMA=$SCHEMA_APP SCC_DB_USER="$PGUSER" SCC_DB_URL="jdbc:postgresql://$PGURL_HOST:5432/$PGDB" \
SCC_HTTP_PORT=$PORT SCC_HTTP_HOST=127.0.0.1 SCC_WEBHOOK_SECRET="$SECRET" SCC_LOG_LEVEL=WARN \
  java -Xmx256m ${BENCH_JAVA_OPTS:-} -jar "$JAR" > target/bench-app.log 2>&1 &
APP_PID=$!
trap 'kill $APP_PID 2>/dev/null || true' EXIT
# up to 60 s: on a busy shared machine the start takes far longer than the usual 2 s
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.2; done
URL="http://127.0.0.1:$PORT/api/v1/calls/events"
if command -v wrk >/dev/null 2>&1; then
  # wrk (Debian package) with a Lua signer: the lightest load generator, so the app gets the CPU
  export SCC_WEBHOOK_SECRET="$SECRET"
  echo "load generator: wrk -t2 -c$CONN, 10 s warm-up then ${SECONDS_RUN} s"
  wrk -t2 -c"$CONN" -d10s -s bench/signed-events.lua "$URL" >/dev/null
  heap_sampler &
  SAMPLER_PID=$!
  CPU0="$(cpu_ticks)"; BUSY0="$(busy_ticks)"
  LOAD_OUT="$(wrk -t2 -c"$CONN" -d"${SECONDS_RUN}s" -s bench/signed-events.lua "$URL")"
else
  echo "load generator: Java (install wrk for lighter load: apt-get install wrk)"
  mvn -B -q $MVN_FLAGS test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
  CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
  heap_sampler &
  SAMPLER_PID=$!
  CPU0="$(cpu_ticks)"; BUSY0="$(busy_ticks)"
  LOAD_OUT="$(java -Xmx512m -cp "$CP" com.simplecallcenter.zohosync.bench.IngestLoad "$URL" "$SECRET" "$CONN" "$SECONDS_RUN" 10)"
fi
CPU1="$(cpu_ticks)"; BUSY1="$(busy_ticks)"
kill $SAMPLER_PID 2>/dev/null || true
wait $SAMPLER_PID 2>/dev/null || true
echo "$LOAD_OUT"
RSS_KB="$(sed -n 's/^VmHWM:\s*\([0-9]*\) kB/\1/p' /proc/$APP_PID/status)"
HEAP="$(heap_mib)"
HEAP_PEAK="$(sort -n target/bench-heap.txt | tail -n 1)"
kill $APP_PID; wait $APP_PID 2>/dev/null || true
trap - EXIT
APP_RATE="$(echo "$LOAD_OUT" | sed -n 's/^accepted_per_second=\([0-9.]*\)/\1/p')"
STORED="$(psql -h "$PGURL_HOST" -U "$PGUSER" -d "$PGDB" -tA -c "select count(*) from $SCHEMA_APP.call_event")"
psql_ -c "drop schema if exists $SCHEMA_APP cascade;"

echo "== summary"
echo "load: $(uptime)"
echo "pgbench_tps=$PG_TPS app_accepted_per_second=$APP_RATE ratio=$(awk "BEGIN {printf \"%.2f\", $APP_RATE / $PG_TPS}")"
TICK="$(getconf CLK_TCK)"
echo "app_cpu_ms_per_event=$(awk "BEGIN {printf \"%.3f\", ($CPU1 - $CPU0) * 1000 / $TICK / ($APP_RATE * $SECONDS_RUN)}") app_cpu_share_of_machine=$(awk "BEGIN {printf \"%.0f %%\", 100 * ($CPU1 - $CPU0) / ($BUSY1 - $BUSY0)}") (machine busy $(awk "BEGIN {printf \"%.0f %%\", 100 * ($BUSY1 - $BUSY0) / $TICK / $SECONDS_RUN / $(nproc)}"))"
echo "app_peak_rss_mib=$((RSS_KB / 1024)) heap_used_peak_mib=$HEAP_PEAK heap_used_at_end_mib=$HEAP (-Xmx256m) events_stored=$STORED"
echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p)"
