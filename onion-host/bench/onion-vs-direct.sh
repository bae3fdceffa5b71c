#!/usr/bin/env bash
# Benchmark (not a test): in one run, downloads SIZE MiB from a local HTTP server (a) directly
# over loopback TCP and (b) through the embedded onion network via its SOCKS port, and times
# FRESH new onion connections (new rendezvous each) to the first byte. Then (c) the same server,
# hosted as a C tor onion service on tools/tornet (C tor 0.4.9, started here in the background
# while the code compiles), is fetched through tornet's C tor client: the same SIZE MiB download
# and FRESH connections, each with its own SOCKS username (C tor's IsolateSOCKSAuth: a new
# rendezvous circuit and introduction each, the descriptor cached, as on the embedded side).
#
# Before its timed FRESH, the embedded side makes BENCH_FRESH_WARMUP (default 200) fresh
# connections, as JMH warms up: the JVM compiles the handshake paths during the first hundred or
# so. The first FRESH of those are printed too ("cold_fresh_connections", a server just started).
# C tor has no JIT and gets no warm-up (a burst of 200 isolated connections slowed it down).
#
# Prints MB/s, p50/p95 time to first byte, the ratios, and issue 16's targets as PASS/FAIL:
# embedded bulk >= 100 MB/s and >= 0.2x direct loopback, TTFB p50 <= 20 ms and p95 <= 40 ms,
# embedded bulk >= 1.5x C tor's and embedded TTFB p50 below C tor's. Without `tor` the C tor
# targets print SKIPPED. Prints the load average and the rate limits that apply to the C tor
# processes: both sides share the machine's cores, so compare ratios across runs, not MB/s.
#
# Usage: onion-host/bench/onion-vs-direct.sh [SIZE_MIB=32] [RUNS=3] [FRESH=50]
# (about 2-3 minutes on 2 cores, most of it tornet's start; TORNET_DIR=<running tornet> skips that)
set -euo pipefail
unset http_proxy https_proxy all_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY 2>/dev/null || true
SIZE_MIB=${1:-32}
RUNS=${2:-3}
FRESH=${3:-50}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
WORK=$ROOT/onion-host/target/bench-onion
rm -rf "$WORK"
mkdir -p "$WORK"
chmod 700 "$WORK"
# shellcheck source=onion-host/bench/lib-tornet.sh
. "$ROOT/onion-host/bench/lib-tornet.sh"
trap bench_cleanup EXIT

ctor=()
if command -v tor >/dev/null; then
  bench_tornet_start
else
  ctor=(-Dbench.ctor.skip="tor is not installed")
fi
./mvnw -q -pl onion-host -am test-compile -Dspotless.check.skip=true
./mvnw -q -pl onion-host dependency:build-classpath -Dmdep.outputFile="$WORK/cp" >/dev/null
HTTP_PORT=$(bench_free_port)
if [ ${#ctor[@]} -eq 0 ]; then
  bench_tornet_wait
  bench_ctor_host ctor "$HTTP_PORT"
  ctor=(-Dbench.ctor.socks="$TORNET_SOCKS_PORT" -Dbench.ctor.onion="$BENCH_CTOR_ONION")
  echo "tornet: $TORNET_DIR (tor $(tor --version | head -1 | awk '{print $3}' | sed 's/\.$//'))"
fi

echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
echo "size ${SIZE_MIB} MiB, ${RUNS} runs (median), ${FRESH} fresh connections"
java -cp "onion-host/target/classes:onion-host/target/test-classes:$(cat "$WORK/cp")" \
  -Dbench.http.port="$HTTP_PORT" -Dbench.fresh.warmup="${BENCH_FRESH_WARMUP:-200}" "${ctor[@]}" \
  org.oniondrop.onion.bench.OnionBenchmark "$SIZE_MIB" "$RUNS" "$FRESH"
if [ -n "${BENCH_CTOR_ONION:-}" ]; then
  # Each fresh connection must have had a rendezvous circuit of its own (C tor keeps used ones
  # open for MaxCircuitDirtiness, 10 min): FRESH, plus the bulk one and the reach attempts.
  rend=$(bench_ctor_rend_circuits "$BENCH_CTOR_ONION")
  verdict="OK"
  [ "$rend" -ge $((FRESH + 1)) ] || verdict="FAIL: fresh C tor connections shared circuits, the TTFB comparison is not valid"
  echo "check: tornet's client has $rend rendezvous circuits to the C tor host open (expected >= $((FRESH + 1)): $FRESH fresh + bulk + reach): $verdict"
  echo "caveat: the embedded network (client, relays, service) is one JVM process; C tor is"
  echo "  $(find "$TORNET_DIR/nodes" -maxdepth 1 -mindepth 1 -type d | wc -l)+1 tor processes (authorities, relays, client; + the onion host), each single-threaded"
  echo "  for relay crypto, talking TLS over loopback. Limits that apply to them (bytes/s, from GETCONF):"
  bench_ctor_limits
  echo "  the embedded network has no rate limit and no TLS between its in-process relays;"
  echo "  its circuits use fixed SENDME windows (1000 cells per circuit, 500 per stream)."
fi
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
