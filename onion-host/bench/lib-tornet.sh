# shellcheck shell=bash
# Shared by the onion-host benchmarks that host a server as a C tor onion service on
# tools/tornet (native-vs-ctor.sh, onion-vs-direct.sh). Sourced, not run. The caller sets ROOT
# (the repository) and WORK (a fresh directory of its own, mode 700) and calls
# `trap bench_cleanup EXIT` before starting anything.
#
# Uses a running tornet when TORNET_DIR is set, else starts one under $WORK on free ports and
# stops it in bench_cleanup. Every process is stopped by the PID recorded when it was started.

BENCH_PIDS=()
BENCH_TORNET_STARTED=
BENCH_TORNET_START_PID=

bench_cleanup() {
  local p
  for p in "${BENCH_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$BENCH_TORNET_START_PID" ]; then
    # tornet's own EXIT trap stops what a start interrupted here had launched
    kill "$BENCH_TORNET_START_PID" 2>/dev/null && wait "$BENCH_TORNET_START_PID" 2>/dev/null
  fi
  if [ -n "$BENCH_TORNET_STARTED" ]; then
    "$ROOT/tools/tornet" stop --dir "$BENCH_TORNET_STARTED" >/dev/null 2>&1 || true
  fi
  return 0
}

bench_free_port() {
  python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

# A free block of 100 ports for tornet (it uses base .. base+10*(6+relays)+3).
bench_free_block() {
  python3 - <<'PY'
import socket, random
for _ in range(100):
    base = 20000 + random.randrange(300) * 100
    ok = True
    for p in range(base, base + 100):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            ok = False
        finally:
            s.close()
        if not ok:
            break
    if ok:
        print(base); break
PY
}

bench_now() { date +%s.%N; }

# Starts a tornet in the background (unless TORNET_DIR names a running one): the caller can
# build meanwhile, then calls bench_tornet_wait.
bench_tornet_start() {
  if [ -n "${TORNET_DIR:-}" ]; then return 0; fi
  TORNET_DIR=$WORK/tornet
  "$ROOT/tools/tornet" start --dir "$TORNET_DIR" --base-port "$(bench_free_block)" \
    </dev/null >"$WORK/tornet.log" 2>&1 &
  BENCH_TORNET_START_PID=$!
  BENCH_TORNET_STARTED=$TORNET_DIR
}

# Waits for bench_tornet_start and loads tornet's environment (TORNET_SOCKS_PORT, ...).
bench_tornet_wait() {
  if [ -n "$BENCH_TORNET_START_PID" ]; then
    if ! wait "$BENCH_TORNET_START_PID"; then
      BENCH_TORNET_START_PID=
      echo "tornet did not start; see $WORK/tornet.log" >&2
      return 1
    fi
    BENCH_TORNET_START_PID=
  fi
  eval "$("$ROOT/tools/tornet" env --dir "$TORNET_DIR")"
}

# bench_ctor_host NAME HTTP_PORT: a C tor joined to tornet hosting 127.0.0.1:HTTP_PORT as an onion
# service on port 80 (HiddenServiceDir under $WORK/NAME), with a cookie-authenticated control
# port. Sets BENCH_CTOR_ONION (the .onion hostname), BENCH_CTOR_CONTROL_PORT and BENCH_CTOR_DIR.
bench_ctor_host() {
  local d=$WORK/$1 i
  BENCH_CTOR_DIR=$d
  mkdir -p "$d/hs"
  chmod 700 "$d" "$d/hs"
  BENCH_CTOR_CONTROL_PORT=$(bench_free_port)
  {
    cat "$TORNET_JOIN_TORRC"
    echo "DataDirectory $d/data"
    echo "SocksPort 0"
    echo "ControlPort 127.0.0.1:$BENCH_CTOR_CONTROL_PORT"
    echo "CookieAuthentication 1"
    echo "HiddenServiceDir $d/hs"
    echo "HiddenServicePort 80 127.0.0.1:$2"
    echo "Log notice file $d/notice.log"
  } >"$d/torrc"
  tor -f "$d/torrc" >"$d/stdout" 2>&1 &
  BENCH_PIDS+=($!)
  for i in $(seq 100); do
    [ -s "$d/hs/hostname" ] && break
    sleep 0.3
  done
  # shellcheck disable=SC2034 # for the caller
  BENCH_CTOR_ONION=$(cat "$d/hs/hostname" 2>/dev/null) || {
    echo "C tor host did not start; see $d/notice.log" >&2
    return 1
  }
  [ "$i" -lt 100 ]
}

# bench_tor_control CONTROL_PORT COOKIE_FILE COMMAND: a tor's reply lines to one control command
# (cookie authentication), up to its answer to QUIT.
bench_tor_control() {
  local fd line
  exec {fd}<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'AUTHENTICATE %s\r\n%s\r\nQUIT\r\n' "$(od -An -v -tx1 "$2" | tr -d ' \n')" "$3" >&"$fd"
  while IFS= read -r -t 10 line <&"$fd"; do
    line=${line%$'\r'}
    [ "$line" = "250 closing connection" ] && break
    printf '%s\n' "$line"
  done
  exec {fd}<&-
}

# bench_tor_getconf CONTROL_PORT COOKIE_FILE KEY...: "KEY=value ..." from a tor's control port.
bench_tor_getconf() {
  local port=$1 cookie=$2 line out=()
  shift 2
  while IFS= read -r line; do
    case $line in
      250[-\ ]*=*) out+=("${line:4}") ;;
      [45]*) out+=("error: $line") ;;
    esac
  done < <(bench_tor_control "$port" "$cookie" "GETCONF $*")
  echo "${out[*]}"
}

# bench_ctor_rend_circuits ONION: how many rendezvous circuits to ONION tornet's client has open.
bench_ctor_rend_circuits() {
  bench_tor_control "$TORNET_CONTROL_PORT" "$TORNET_CONTROL_COOKIE" 'GETINFO circuit-status' |
    grep -c -e "PURPOSE=HS_CLIENT_REND.*REND_QUERY=${1%.onion}" || true
}

# The bandwidth limits and CPU settings that apply to tornet's C tor processes, one line each,
# read from the running tors (GETCONF, in bytes per second), and whether the consensus sets
# parameters (flow and congestion control) or leaves tor's compiled-in defaults.
bench_ctor_limits() {
  local keys='BandwidthRate BandwidthBurst RelayBandwidthRate RelayBandwidthBurst PerConnBWRate PerConnBWBurst MaxAdvertisedBandwidth NumCPUs'
  local relays params lines
  relays=$(find "$TORNET_DIR/nodes" -maxdepth 1 -name 'relay*' | wc -l)
  # shellcheck disable=SC2086 # the keys are words
  lines=$({
    echo "  tornet relays (relay0 of $relays, all configured alike): $(bench_tor_getconf \
      $((TORNET_BASE_PORT + 62)) "$TORNET_DIR/nodes/relay0/control_auth_cookie" $keys)"
    echo "  tornet client: $(bench_tor_getconf "$TORNET_CONTROL_PORT" "$TORNET_CONTROL_COOKIE" $keys)"
    if [ -n "${BENCH_CTOR_CONTROL_PORT:-}" ]; then
      echo "  C tor onion host: $(bench_tor_getconf "$BENCH_CTOR_CONTROL_PORT" \
        "$BENCH_CTOR_DIR/data/control_auth_cookie" $keys)"
    fi
  })
  echo "$lines"
  # tor's defaults: BandwidthRate/Burst and MaxAdvertisedBandwidth 1 GiB/s, the others 0 (unset)
  if [ -n "$lines" ] && ! sed -E 's/=(1073741824|0)( |$)/=default\2/g' <<<"$lines" |
    grep -qE '(Rate|Burst|Bandwidth)=[0-9]|error'; then
    echo "  => no bandwidth limit set: every tor runs with the defaults (BandwidthRate/Burst 1 GiB/s,"
    echo "     no RelayBandwidth or PerConnBW limit); NumCPUs=1 on tornet's nodes (0 = auto on the host)"
  else
    echo "  => bandwidth limits are set above (or could not be read): the C tor numbers may be bounded by them"
  fi
  params=$(curl -s --max-time 10 "$TORNET_MD_CONSENSUS_URL" | sed -n 's/^params //p')
  [ -n "$params" ] || params="none: the compiled-in defaults of tor apply (flow and congestion control)"
  echo "  consensus params: $params"
}
