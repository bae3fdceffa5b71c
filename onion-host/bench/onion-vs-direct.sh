#!/usr/bin/env bash
# Benchmark (not a test): in one run, downloads SIZE MiB from a local HTTP server (a) directly
# over loopback TCP and (b) through the embedded onion network via its SOCKS port, and times FRESH
# new onion connections (new rendezvous each) to the first byte. Prints MB/s for both, their
# ratio, and p50/p95 time to first byte, and issue 16's targets as PASS/FAIL (bulk >= 100 MB/s,
# >= 0.2x direct loopback, TTFB p50 <= 20 ms, p95 <= 40 ms). Prints the load average: both sides
# share the machine's cores, so compare ratios across runs, not MB/s.
# Usage: onion-host/bench/onion-vs-direct.sh [SIZE_MIB=100] [RUNS=3] [FRESH=50]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
./mvnw -q -pl onion-host -am test-compile -Dspotless.check.skip=true
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -q -pl onion-host dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
java -cp "onion-host/target/classes:onion-host/target/test-classes:$(cat "$cp_file")" \
  org.oniondrop.onion.bench.OnionBenchmark "${1:-100}" "${2:-3}" "${3:-50}"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
