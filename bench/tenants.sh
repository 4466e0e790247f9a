#!/usr/bin/env bash
# Tenant fairness benchmark (issue 12): 50 tenants, each with its own Zoho sandbox; the good tenants' received-to-synced
# p99 with a crawling, throttled tenant (2.5 s per request, 429s, a backlog of 300) against the run without it, and
# what 1,000 idle tenants cost (heap, sessions, background transactions). Not a test: figures only.
#
#   bench/tenants.sh [-Dbench.tenants=50] [-Dbench.callsPerTenant=8] [-Dbench.idleTenants=1000] ...
set -euo pipefail
cd "$(dirname "$0")/.."
PGUSER="${PGUSER:-postgres}"

mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.classpath)"

echo "load before: $(uptime)"
SCC_DB_USER="$PGUSER" SCC_DB_URL="${SCC_DB_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}" \
SCC_LOG_LEVEL="${SCC_LOG_LEVEL:-WARN}" SCC_CAMEL_LOG_LEVEL=WARN \
  java -Xmx512m -cp "$CP" "$@" com.simplecallcenter.zohosync.bench.TenantFairnessBench 2>&1 | tee target/bench-tenants.log | grep '^bench:'
echo "load after: $(uptime)"
echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p)"
psql -h 127.0.0.1 -U "$PGUSER" -d postgres -q -c "drop schema if exists bench_tenants cascade;"
