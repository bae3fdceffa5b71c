#!/usr/bin/env bash
# Benchmark (not a test). In ONE run against a freshly started packaged server (demo key,
# throwaway data dir, -Xmx256m, fsync on as always):
#   (e) our encryptor alone, file to file, on the same file (crypto's EncryptFileBenchmark:
#       one warm-up, then the median of three measured passes),
#   (g) gpg --encrypt --compress-algo none on the same file (the median of three, after one),
#   (e+) and (g+): the same two with their output fsync'd before the clock stops, as the store
#       does before an upload is answered (context lines, no target),
#   (a) a source uploads the SIZE MiB file straight to the source listener (the median of
#       DIRECT_RUNS, default 3, after WARMUPS),
#   (b) the same through the SOCKS port and the embedded onion services,
#   (h) a HEAP_MIB (default 1024) MiB upload straight to the listener, to show the heap is flat in
#       the upload size,
# and prints MB/s, the server's CPU per MB for (a), (b) and (h) (user+system of the server process,
# /proc/PID/stat), its peak sampled heap and its live heap after a GC following each upload, and
# issue 16's targets as PASS/FAIL:
#   (a) >= 0.9x (e);  (a) >= 1.0x (g);  (b) >= 0.5x (a);
#   (h) stored in -Xmx256m with the live heap after it within 32 MiB of the live heap after (a).
# With the targets it prints two ceilings from the same run's figures, CPU that cannot be avoided
# spread over every core: (a) <= cores / ((e)'s CPU per MB + the store's SHA-256 + curl), and
# (b) <= cores / (the same + the onion's relay crypto per MB, from onion-host's OnionBenchmark
# --crypto-bound); a target above its ceiling says so.
# The load average is printed: compare ratios, not MB/s across runs.
#
#   dropbox-server/bench/upload-direct-vs-onion.sh [SIZE_MIB=256] [HEAP_MIB=1024]
# Environment: WARMUPS (default 3) direct uploads warm the JIT first; REBUILD=1 rebuilds the
# packaged app first; SERVER_JAVA_OPTS adds JVM options to the
# server (e.g. -XX:StartFlightRecording=filename=/tmp/upload.jfr,settings=profile).
set -Eeuo pipefail
# A benchmark that stops part-way says where, rather than leaving a log that just ends.
trap 'echo "upload-direct-vs-onion.sh: stopped at line $LINENO: $BASH_COMMAND (status $?)" >&2' ERR
cd "$(dirname "$0")/../.."
size_mib=${1:-256}
heap_mib=${2:-1024}
jar=dropbox-server/target/quarkus-app/quarkus-run.jar
if [ ! -f "$jar" ] || [ "${REBUILD:-0}" = 1 ]; then
  ./mvnw -q -B -o -DskipTests -Dansible.tests.skip=true -Dspotless.check.skip=true \
    -pl dropbox-server -am install
fi
# The encryptor-alone baseline runs crypto's benchmark class from the same sources.
./mvnw -q -B -o -pl crypto test-compile -Dspotless.check.skip=true
work=$(mktemp -d)
./mvnw -q -B -pl crypto dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
crypto_cp="crypto/target/classes:crypto/target/test-classes:$(cat "$work/cp.txt")"
# The onion's relay crypto per MB comes from onion-host's benchmark class, for the (b) ceiling.
./mvnw -q -B -o -pl onion-host test-compile -Dspotless.check.skip=true
./mvnw -q -B -pl onion-host dependency:build-classpath -Dmdep.outputFile="$work/onion-cp.txt" >/dev/null
onion_cp="onion-host/target/classes:onion-host/target/test-classes:$(cat "$work/onion-cp.txt")"

server=""
sampler=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "$sampler" ] && kill "$sampler" 2>/dev/null; sleep 1; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port); journalist_port=$(free_port); socks_port=$(free_port)
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"

# Files first (the 1 GiB one takes a while to write), then the server.
head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$work/file.bin"
bytes=$(stat -c %s "$work/file.bin")
if [ "$heap_mib" -gt 0 ]; then
  head -c $((heap_mib * 1024 * 1024)) /dev/urandom >"$work/big.bin"
fi
big_limit=$(( (heap_mib > size_mib ? heap_mib : size_mib) * 1024 * 1024 + 1024 * 1024 ))

# The GC option of Ansible's unit (ansible/roles/app/templates/oniondrop.service.j2), heap as above.
# shellcheck disable=SC2086
java -Xmx256m -XX:-G1UseAdaptiveIHOP ${SERVER_JAVA_OPTS:-} -Doniondrop.data-dir="$work/data" \
  -Dquarkus.http.port="$http_port" \
  -Doniondrop.server.journalist-port="$journalist_port" \
  -Doniondrop.onion.socks-port="$socks_port" \
  -Doniondrop.limits.max-upload-bytes="$big_limit" \
  -Doniondrop.limits.max-submission-bytes="$big_limit" \
  -jar "$jar" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  [ -f "$work/data/oniondrop-info.json" ] &&
    curl -fs "http://127.0.0.1:$journalist_port/q/health/ready" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { echo "server died:"; tail -n 30 "$work/server.log"; exit 1; }
  sleep 0.5
done
onion=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sourceAddress"])' "$work/data/oniondrop-info.json")

# Used heap sampled every 200 ms, tagged with the phase being measured. One jstat process reads
# the JVM's shared performance counters: a jcmd per sample started a JVM five times a second,
# which took most of a core from the server and cut (a) by a quarter.
echo idle >"$work/phase"
( jstat -gc "$server" 200 2>/dev/null | while read -r -a f; do
    # S0U S1U EU OU (KiB) are columns 3, 4, 6 and 8; the header line is skipped.
    [[ ${f[2]:-} =~ ^[0-9.]+$ ]] || continue
    echo "$(<"$work/phase") $(awk -v a="${f[2]}" -v b="${f[3]}" -v c="${f[5]}" -v d="${f[7]}" \
      'BEGIN {printf "%d", a + b + c + d}')"
  done >"$work/heap.samples" ) &
sampler=$!

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
# CPU ticks (user+system) of every server thread, "name ticks" per line; thread names with digits
# folded (oniondrop-upload-3 -> oniondrop-upload-N), for the per-thread split of (a).
thread_ticks() {
  for f in /proc/"$server"/task/*/stat; do
    sed -n 's/^[0-9]* (\(.*\)) \(.*\)$/\1|\2/p' "$f" 2>/dev/null
  done | awk -F'|' '{split($2, v, " "); n = $1; gsub(/[0-9]+/, "N", n); t[n] += v[12] + v[13]}
    END {for (n in t) print n "|" t[n]}'
}
live_kib() {
  jcmd "$server" GC.run >/dev/null 2>&1
  jcmd "$server" GC.heap_info 2>/dev/null | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -n 1
}

# One source session and upload of $2; prints "seconds cpu_ticks". $1 = base URL, rest = curl opts.
upload() {
  local base=$1 file=$2; shift 2
  local jar="$work/cookies.$RANDOM"
  local page csrf code t c0 c1
  page=$(curl -fs "$@" -c "$jar" -b "$jar" "$base/generate")
  csrf=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' <<<"$page" | head -n 1)
  curl -fs "$@" -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf_token=$csrf" "$base/create"
  page=$(curl -fs "$@" -c "$jar" -b "$jar" "$base/lookup")
  csrf=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' <<<"$page" | head -n 1)
  thread_ticks >"$work/threads.before"
  c0=$(cpu_ticks)
  read -r code t < <(/usr/bin/time -f '%U %S' -o "$work/client.cpu" \
    curl -sS "$@" -c "$jar" -b "$jar" -o /dev/null -w '%{http_code} %{time_total}\n' \
    -F "csrf_token=$csrf" -F "file=@$file;type=application/octet-stream" "$base/submit")
  c1=$(cpu_ticks)
  thread_ticks >"$work/threads.after"
  if [ "$code" != 303 ]; then
    echo "upload to $base answered $code, not 303" >&2
    tail -n 20 "$work/server.log" >&2
    exit 1
  fi
  echo "$t $((c1 - c0))"
}

# (e) and (g) first, while the server is idle.
java -cp "$crypto_cp" org.oniondrop.crypto.bench.EncryptFileBenchmark \
  "$work/data/keys/submission-public-key.asc" "$work/file.bin" "$work/alone.gpg" 3 oniondrop-durable \
  | tee "$work/alone.txt"
rm -f "$work/alone.gpg"
alone=$(awk '/^oniondrop / {split($2, a, "="); print a[2]}' "$work/alone.txt")
alone_fsync=$(awk '/^oniondrop-fsync / {split($2, a, "="); print a[2]}' "$work/alone.txt")
alone_cpu=$(awk '/^oniondrop / {split($3, a, "="); print a[2]}' "$work/alone.txt")
sha256_cpu=$(awk '/^store-sha256 / {split($3, a, "="); print a[2]}' "$work/alone.txt")
java -cp "$onion_cp" org.oniondrop.onion.bench.OnionBenchmark --crypto-bound | tee "$work/crypto.txt"
onion_crypto=$(sed -n 's/.*crypto_cpu_ms_per_mb=\([0-9.]*\).*/\1/p' "$work/crypto.txt")

export GNUPGHOME="$work/gnupg"; mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --import "$work/data/keys/submission-public-key.asc"
fpr=$(gpg --batch --with-colons --list-keys | awk -F: '/^fpr:/ {print $10; exit}')
# gpg_once [sync]: seconds for one gpg encryption; with "sync", until its output is fsync'd too
# (coreutils' `sync FILE`), as the server's store does before it answers.
gpg_once() {
  rm -f "$work/file.gpg"
  sync
  local start
  start=$(date +%s.%N)
  gpg --batch --quiet --trust-model always --compress-algo none -r "$fpr" -o "$work/file.gpg" \
    --encrypt "$work/file.bin"
  if [ "${1:-}" = sync ]; then sync "$work/file.gpg"; fi
  echo "$(date +%s.%N) - $start" | bc -l
}
# The median of three: one pass in a few, of ours as of gpg's, writes into the page cache at a
# fraction of its usual speed here (seen: 17-61 MB/s against 300-450), which one pass would take
# for the baseline.
gpg_median() {
  local runs=() i
  for i in 1 2 3; do runs+=("$(gpg_once "$@")"); done
  printf '%s\n' "${runs[@]}" | sort -g | sed -n 2p
}
gpg_once >/dev/null # warm-up (page cache)
gpg_s=$(gpg_median)
gpg_sync_s=$(gpg_median sync)
rm -f "$work/file.gpg"

# Warm-up (JIT): the first uploads of a fresh JVM also pay C2 compiling the path (and the
# /generate and /create pages around it): 7.5 ms/MB of compiler-thread CPU in the first upload,
# 1.7 ms/MB in the fourth (measured per thread, load ~10). A running server is warm.
for _ in $(seq 1 "${WARMUPS:-3}"); do
  upload "http://127.0.0.1:$http_port" "$work/file.bin" >/dev/null
done
live0=$(live_kib)
# (a) is the median of DIRECT_RUNS uploads (one upload's time swings by a third here: JIT,
# the disk, the hypervisor); its CPU split and curl's CPU are that run's.
echo direct >"$work/phase"
direct_runs=${DIRECT_RUNS:-3}
for i in $(seq 1 "$direct_runs"); do
  read -r s t < <(upload "http://127.0.0.1:$http_port" "$work/file.bin")
  echo "$s $t $i" >>"$work/direct.runs"
  cp "$work/threads.before" "$work/direct.$i.threads.before"
  cp "$work/threads.after" "$work/direct.$i.threads.after"
  cp "$work/client.cpu" "$work/direct.$i.client.cpu"
done
echo idle >"$work/phase"
echo "(a) runs, MB/s: $(awk -v b="$bytes" '{printf "%s%.1f", (NR > 1 ? " " : ""), b / 1e6 / $1}' "$work/direct.runs")"
read -r direct_s direct_ticks median < <(sort -g "$work/direct.runs" | sed -n "$(( (direct_runs + 1) / 2 ))p")
cp "$work/direct.$median.threads.before" "$work/direct.threads.before"
cp "$work/direct.$median.threads.after" "$work/direct.threads.after"
read -r client_user client_sys <"$work/direct.$median.client.cpu"
live_direct=$(live_kib)
echo onion >"$work/phase"
read -r onion_s onion_ticks < <(upload "http://$onion" "$work/file.bin" --socks5-hostname "127.0.0.1:$socks_port")
echo idle >"$work/phase"
big_s=0; big_ticks=0; live_big=0; big_bytes=0
if [ "$heap_mib" -gt 0 ]; then
  big_bytes=$(stat -c %s "$work/big.bin")
  echo big >"$work/phase"
  read -r big_s big_ticks < <(upload "http://127.0.0.1:$http_port" "$work/big.bin")
  echo idle >"$work/phase"
  live_big=$(live_kib)
fi

kill "$sampler" 2>/dev/null || true
pkill -f "jstat -gc $server" 2>/dev/null || true
sampler=""
peak() { awk -v p="$1" '$1 == p && $2 > m {m = $2} END {print m + 0}' "$work/heap.samples"; }
python3 - "$bytes" "$direct_s" "$onion_s" "$gpg_s" "$alone" "$direct_ticks" "$onion_ticks" \
  "$big_bytes" "$big_s" "$big_ticks" "$live0" "$live_direct" "$live_big" \
  "$(peak direct)" "$(peak onion)" "$(peak big)" "$(getconf CLK_TCK)" \
  "$client_user" "$client_sys" "$work/direct.threads.before" "$work/direct.threads.after" \
  "$alone_fsync" "$gpg_sync_s" "$alone_cpu" "$sha256_cpu" "$onion_crypto" <<'PY'
import sys
a = sys.argv[1:]
alone_fsync, gpg_sync = float(a[21]), float(a[22])
alone_cpu, sha256_cpu, onion_crypto = float(a[23]), float(a[24]), float(a[25])
b, d, o, g, alone = int(a[0]), float(a[1]), float(a[2]), float(a[3]), float(a[4])
dt, ot, bb, bs, bt = int(a[5]), int(a[6]), int(a[7]), float(a[8]), int(a[9])
live0, live_d, live_b = int(a[10]), int(a[11]), int(a[12])
peak_d, peak_o, peak_b, hz = int(a[13]), int(a[14]), int(a[15]), int(a[16])
mb = b / 1e6
def cpu_ms_per_mb(ticks, nbytes):
    return ticks / hz * 1000 / (nbytes / 1e6)
def verdict(ok):
    return "PASS" if ok else "FAIL"
print(f"file: {b / 2**20:.0f} MiB random; server -Xmx256m, fsync on")
print(f"(e) our encryptor alone, file to file: {alone:8.1f} MB/s")
print(f"(g) gpg --encrypt --compress-algo none: {mb / g:8.1f} MB/s")
print(f"(a) direct to the source listener:     {mb / d:8.1f} MB/s   server CPU {cpu_ms_per_mb(dt, b):.2f} ms/MB")
print(f"(b) SOCKS + embedded onion services:   {mb / o:8.1f} MB/s   server CPU {cpu_ms_per_mb(ot, b):.2f} ms/MB (onion client, relays and service included)")
if bb:
    print(f"(h) {bb / 2**20:.0f} MiB direct:                  {bb / 1e6 / bs:8.1f} MB/s   server CPU {cpu_ms_per_mb(bt, bb):.2f} ms/MB")
print(f"heap used, sampled peak (MiB): direct {peak_d / 1024:.0f}, onion {peak_o / 1024:.0f}, big {peak_b / 1024:.0f}")
print(f"heap live after GC (MiB): before {live0 / 1024:.0f}, after (a) {live_d / 1024:.0f}, after (h) {live_b / 1024:.0f}")
def ticks(path):
    t = {}
    for line in open(path):
        name, _, n = line.rstrip("\n").rpartition("|")
        t[name] = int(n)
    return t
before, after = ticks(a[19]), ticks(a[20])
split = {n: after[n] - before.get(n, 0) for n in after}
# /proc cuts thread names to 15 characters: match on their first ones.
groups = [("encrypting lane", "oniondrop-uplo"), ("event loop (HTTP, multipart)", "vert.x-eventlo"),
          ("MDC SHA-1 + ciphertext writes", "oniondrop-pgp"), ("early writeback", "oniondrop-writ"),
          ("O_DIRECT disk writes", "oniondrop-disk"),
          ("JIT compilers", "CompilerThre"), ("GC", "GC"), ("GC", "GN ")]
shares, others = {}, {}
for n, v in split.items():
    label = next((g for g, key in groups if key in n), "other")
    shares[label] = shares.get(label, 0) + v
    if label == "other" and v:
        others[n] = v
client = (float(a[17]) + float(a[18])) * 1000 / mb
print("(a) server CPU by thread, ms/MB: " + ", ".join(
    f"{k} {v / hz * 1000 / mb:.2f}" for k, v in sorted(shares.items(), key=lambda kv: -kv[1]) if v))
print("(a) of which other: " + ", ".join(
    f"{k} {v / hz * 1000 / mb:.2f}" for k, v in sorted(others.items(), key=lambda kv: -kv[1])[:6]))
server = cpu_ms_per_mb(dt, b)
cores = __import__("os").cpu_count()
print(f"(a) client (curl) CPU {client:.2f} ms/MB; server + client {server + client:.2f} ms/MB of CPU,"
      f" so on {cores} cores no schedule beats {cores * 1000 / (server + client):.0f} MB/s")
# Ceilings from this run's own figures: CPU an upload cannot avoid, spread over every core with
# nothing else to do. (a) must at least encrypt as (e) does and hash what it stores, while curl
# sends; (b) must do the same and the relay crypto of every cell.
floor_a = 1000 / alone_cpu + 1000 / sha256_cpu + client
ceil_a = cores * 1000 / floor_a
ceil_b = cores * 1000 / (floor_a + onion_crypto)
print(f"(a) ceiling: (e)'s CPU {1000 / alone_cpu:.2f} + the store's SHA-256 {1000 / sha256_cpu:.2f}"
      f" + curl {client:.2f} = {floor_a:.2f} ms/MB, so with HTTP, multipart and TCP free (a) <="
      f" {ceil_a:.0f} MB/s = {ceil_a / alone:.2f}x (e)")
print(f"(b) ceiling: the same {floor_a:.2f} + the onion's relay crypto {onion_crypto:.2f} ms/MB, so"
      f" with queues and sockets free too (b) <= {ceil_b:.0f} MB/s = {ceil_b / (mb / d):.2f}x (a);"
      f" (b) >= 0.5x (a) can only hold while (a) <= {2 * ceil_b:.0f} MB/s")
r1, r2, r3 = (mb / d) / alone, (mb / d) / (mb / g), (mb / o) / (mb / d)
print(f"TARGET direct/encryptor-alone >= 0.90: {r1:.2f} {verdict(r1 >= 0.9)}"
      + (" (above this run's ceiling)" if ceil_a / alone < 0.9 else ""))
print(f"TARGET direct/gpg >= 1.00: {r2:.2f} {verdict(r2 >= 1.0)}")
print(f"TARGET onion/direct >= 0.50: {r3:.2f} {verdict(r3 >= 0.5)}"
      + (" (above this run's ceiling)" if ceil_b / (mb / d) < 0.5 else ""))
r4, r5 = (mb / d) / alone_fsync, (mb / d) / (mb / gpg_sync)
print(f"(e+) our encryptor alone, its output fsync'd before it ends: {alone_fsync:8.1f} MB/s")
print(f"(g+) gpg, then `sync` of its output:                        {mb / gpg_sync:8.1f} MB/s")
print(f"context (no target; the upload is fsync'd before it is answered, (e) and (g) are not):"
      f" direct/(e+) {r4:.2f}, direct/(g+) {r5:.2f}")
if bb:
    grew = (live_b - live_d) / 1024
    print(f"TARGET heap flat ({bb / 2**20:.0f} MiB stored in -Xmx256m, live heap grew {grew:+.0f} MiB, <= 32): {verdict(grew <= 32)}")
PY
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
