#!/usr/bin/env bash
# Benchmark (not a test): a source uploads one 256 MiB file (a) straight to the source listener
# and (b) through the SOCKS port and the embedded onion services, and gpg encrypts the same file,
# all in one run against a freshly started packaged server (demo key, throwaway data dir).
# Prints MB/s for each, the ratios (a)/gpg and (b)/(a), and the server's peak heap use.
#
#   dropbox-server/bench/upload-direct-vs-onion.sh [SIZE_MIB]
set -euo pipefail
cd "$(dirname "$0")/../.."
size_mib=${1:-256}
jar=dropbox-server/target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || ./mvnw -q -B -DskipTests -Dspotless.check.skip=true -pl dropbox-server -am install

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; kill "$sampler" 2>/dev/null || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port); journalist_port=$(free_port); socks_port=$(free_port)

java -Xmx512m -Doniondrop.data-dir="$work/data" -Dquarkus.http.port="$http_port" \
  -Doniondrop.server.journalist-port="$journalist_port" \
  -Doniondrop.onion.socks-port="$socks_port" \
  -jar "$jar" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  [ -f "$work/data/oniondrop-info.json" ] && curl -fs "http://127.0.0.1:$journalist_port/q/health/ready" >/dev/null && break
  sleep 0.5
done
onion=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sourceAddress"])' "$work/data/oniondrop-info.json")

# Peak heap: sample the used heap every 200 ms.
( while kill -0 "$server" 2>/dev/null; do
    jcmd "$server" GC.heap_info 2>/dev/null | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -n 1
    sleep 0.2
  done >"$work/heap.samples" ) &
sampler=$!

head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$work/file.bin"
bytes=$(stat -c %s "$work/file.bin")

# One source session and upload; prints seconds. $1 = base URL, rest = extra curl options.
upload() {
  local base=$1; shift
  local jar="$work/cookies.$RANDOM"
  local page csrf
  page=$(curl -fs "$@" -c "$jar" -b "$jar" "$base/generate")
  csrf=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' <<<"$page" | head -n 1)
  curl -fs "$@" -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf_token=$csrf" "$base/create"
  page=$(curl -fs "$@" -c "$jar" -b "$jar" "$base/lookup")
  csrf=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' <<<"$page" | head -n 1)
  curl -fs "$@" -c "$jar" -b "$jar" -o /dev/null -w '%{time_total}\n' \
    -F "csrf_token=$csrf" -F "file=@$work/file.bin;type=application/octet-stream" "$base/submit"
}

direct_s=$(upload "http://127.0.0.1:$http_port")
onion_s=$(upload "http://$onion" --socks5-hostname "127.0.0.1:$socks_port")

export GNUPGHOME="$work/gnupg"; mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --import "$work/data/keys/submission-public-key.asc"
fpr=$(gpg --batch --with-colons --list-keys | awk -F: '/^fpr:/ {print $10; exit}')
start=$(date +%s.%N)
gpg --batch --quiet --trust-model always --compress-level 0 -r "$fpr" -o "$work/file.gpg" --encrypt "$work/file.bin"
gpg_s=$(echo "$(date +%s.%N) - $start" | bc -l)

kill "$sampler" 2>/dev/null || true
peak_kib=$(sort -n "$work/heap.samples" | tail -n 1)
python3 - "$bytes" "$direct_s" "$onion_s" "$gpg_s" "${peak_kib:-0}" <<'PY'
import sys
b, d, o, g, peak = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
mb = b / 1e6
print(f"file: {b / 2**20:.0f} MiB")
print(f"(a) direct to the source listener: {mb / d:8.1f} MB/s")
print(f"(b) through SOCKS + onion services: {mb / o:8.1f} MB/s")
print(f"gpg --encrypt (same file):          {mb / g:8.1f} MB/s")
print(f"ratio (a)/gpg: {(mb / d) / (mb / g):.2f}   ratio (b)/(a): {(mb / o) / (mb / d):.2f}")
print(f"server peak heap used: {peak / 1024:.0f} MiB (-Xmx512m)")
PY
