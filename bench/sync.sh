#!/usr/bin/env bash
# Sync benchmark (issue 4): the service and the Zoho sandbox in one process (like --demo), on a fresh schema
# bench_sync, the sandbox at 100 ms per request and at most 10 requests in flight (a Standard edition). Seeds repeat
# callers, lets each call once (history: primes the match cache as real traffic would), then posts a 70 % repeat /
# 30 % new mix (call.started + call.ended per call) from 20 concurrent senders, 10 % of events delivered twice
# (issue 14's workload; -Dbench.senders, -Dbench.duplicates): calls synced/s, the share of Zoho's slots kept busy, Zoho requests per logged call (all, repeat,
# new) from the sandbox journal, the ceiling 10 / 0.1 s / (requests per call), and received-to-synced p50/p99 at
# 80 % of the throughput just measured. Not a test: figures only. See SyncBench's javadoc for the phases.
#
#   bench/sync.sh [-Dscc.sync.concurrency=16] [-Dscc.zoho.match-modules=Contacts] [-Dbench.calls=1500] ...
set -euo pipefail
cd "$(dirname "$0")/.."
PGUSER="${PGUSER:-postgres}"

mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.classpath)"

echo "load before: $(uptime)"
SCC_DB_USER="$PGUSER" SCC_DB_URL="${SCC_DB_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}" \
SCC_LOG_LEVEL="${SCC_LOG_LEVEL:-WARN}" SCC_CAMEL_LOG_LEVEL=WARN \
  java -Xmx256m -cp "$CP" "$@" com.simplecallcenter.zohosync.bench.SyncBench 2>&1 | tee target/bench-sync.log | grep '^bench:'
echo "load after: $(uptime)"
echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p)"
psql -h 127.0.0.1 -U "$PGUSER" -d postgres -q -c "drop schema if exists bench_sync cascade;"
