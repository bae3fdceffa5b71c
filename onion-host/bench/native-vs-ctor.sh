#!/usr/bin/env bash
# native-vs-ctor.sh [SIZE_MIB=16] [FRESH=5]
#
# One run on tools/tornet (C tor 0.4.9): the same local HTTP server hosted once by
# `onion-host serve --native` and once by a C tor (HiddenServiceDir), both reached by tornet's
# C tor client. Prints: time from start to published (native: the `serve` line; C tor: first
# successful fetch), time to first byte on FRESH fresh connections (new circuits via SOCKS
# username isolation), and bulk MB/s down (GET) and up (POST) of SIZE_MIB.
#
# Uses a running tornet when TORNET_DIR is set, else starts one under target/ on free ports and
# stops it afterwards. Needs: tor, curl, python3, java, onion-host/target/onion-host.jar.
set -euo pipefail
unset http_proxy https_proxy all_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY 2>/dev/null || true
SIZE_MIB=${1:-16}
FRESH=${2:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/onion-host/target/onion-host.jar
WORK=$ROOT/onion-host/target/bench-native
rm -rf "$WORK"; mkdir -p "$WORK"; chmod 700 "$WORK"
# shellcheck source=onion-host/bench/lib-tornet.sh
. "$ROOT/onion-host/bench/lib-tornet.sh"
trap bench_cleanup EXIT
now() { bench_now; }

bench_tornet_start
bench_tornet_wait
SOCKS=127.0.0.1:$TORNET_SOCKS_PORT

# The HTTP server: GET /bytes?n=N streams N bytes, POST /sink reads the body and answers its size.
HTTP_PORT=$(bench_free_port)
python3 - "$HTTP_PORT" >"$WORK/http.log" 2>&1 <<'PY' &
import sys, http.server, socketserver
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    def log_message(self, *a): pass
    def do_GET(self):
        n = int(self.path.split("n=")[1]) if "n=" in self.path else 3
        self.send_response(200); self.send_header("Content-Length", str(n)); self.end_headers()
        chunk = b"\x5a" * 65536
        while n > 0:
            k = min(n, len(chunk)); self.wfile.write(chunk[:k]); n -= k
    def do_POST(self):
        n = int(self.headers["Content-Length"]); left = n
        while left > 0:
            left -= len(self.rfile.read(min(left, 65536)))
        body = str(n).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True
S(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
BENCH_PIDS+=($!)

# Native host.
t0=$(now)
java -jar "$JAR" serve --native --join-torrc "$TORNET_JOIN_TORRC" --data-dir "$WORK/native-data" \
  --service "$WORK/native-svc=80:127.0.0.1:$HTTP_PORT" --socks 0 >"$WORK/native.out" 2>"$WORK/native.err" &
BENCH_PIDS+=($!)
for _ in $(seq 300); do grep -q '^onion service' "$WORK/native.out" 2>/dev/null && break; sleep 0.5; done
NATIVE=$(awk '/^onion service/{print $3; exit}' "$WORK/native.out")
[ -n "$NATIVE" ] || { echo "native host did not publish; see $WORK/native.err" >&2; exit 1; }
native_publish=$(echo "$(now) - $t0" | bc)

# C tor host of the same server.
t1=$(now)
bench_ctor_host ctor "$HTTP_PORT"
CTOR=$BENCH_CTOR_ONION

reach() { # first successful fetch, bounded
  for i in $(seq 120); do
    curl -s --max-time 30 --socks5-hostname "reach$i:x@$SOCKS" "http://$1/bytes?n=3" >/dev/null && return 0
    sleep 1
  done
  return 1
}
reach "$NATIVE"
reach "$CTOR"
ctor_reach=$(echo "$(now) - $t1" | bc)

ttfb() { # median time to first byte over FRESH isolated connections
  for i in $(seq "$FRESH"); do
    curl -s -o /dev/null --max-time 60 -w '%{time_starttransfer}\n' \
      --socks5-hostname "fresh-$1-$i-$RANDOM:x@$SOCKS" "http://$1/bytes?n=3"
  done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
down() {
  curl -s -o /dev/null --max-time 600 -w '%{size_download} %{time_total}\n' \
    --socks5-hostname "bulk-$RANDOM:x@$SOCKS" "http://$1/bytes?n=$((SIZE_MIB * 1048576))" |
    awk '{printf "%.2f", $1 / $2 / 1e6}'
}
up() {
  head -c $((SIZE_MIB * 1048576)) /dev/zero >"$WORK/up.bin"
  curl -s -o /dev/null --max-time 600 -w '%{size_upload} %{time_total}\n' \
    --socks5-hostname "bulk-$RANDOM:x@$SOCKS" --data-binary @"$WORK/up.bin" \
    -H 'Content-Type: application/octet-stream' "http://$1/sink" |
    awk '{printf "%.2f", $1 / $2 / 1e6}'
}

echo "tornet: $TORNET_DIR (tor $(tor --version | head -1 | awk '{print $3}'))"
printf 'native: published %.1f s after start\n' "$native_publish"
printf 'C tor:  reachable %.1f s after start (tor publishes, then the client fetches)\n' "$ctor_reach"
for h in native ctor; do
  addr=$NATIVE; [ $h = ctor ] && addr=$CTOR
  printf '%-6s TTFB median of %d fresh: %s s; down %s MB/s; up %s MB/s (%d MiB)\n' \
    "$h" "$FRESH" "$(ttfb "$addr")" "$(down "$addr")" "$(up "$addr")" "$SIZE_MIB"
done
