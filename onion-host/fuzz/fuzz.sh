#!/usr/bin/env bash
# Coverage-guided fuzzing of onion-host's parsers with Jazzer (one JVM per target, as Jazzer's
# JUnit integration fuzzes one @FuzzTest per run).
#
#   onion-host/fuzz/fuzz.sh [EXECUTIONS] [Class#method ...]
#
# EXECUTIONS defaults to 1000000 per target (the issue's bar); the default targets are all of
# them. New corpus entries land in onion-host/.cifuzz-corpus/, crashes in the target's
# src/test/resources/.../<Class>Inputs/<method>/ (replayed by the suite from then on).
# Each target's libFuzzer summary ("Done N runs in S second(s)") is printed at the end;
# full logs are in onion-host/target/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/../.."
EXECUTIONS="${1:-1000000}"
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(
    "SocksFuzzTest#handshake"
    "CellFuzzTest#cell"
    "CellFuzzTest#relayMessage"
    "DescriptorFuzzTest#outerLayer"
    "DescriptorFuzzTest#middleLayer"
    "DescriptorFuzzTest#innerLayer"
    "DirHttpFuzzTest#request"
    "DirHttpFuzzTest#response"
    "ControlReplyFuzzTest#replies"
    "NativeParsersFuzzTest#directoryDocuments"
    "NativeParsersFuzzTest#linkCells"
  )
fi
mkdir -p onion-host/target/fuzz
status=0
for t in "${TARGETS[@]}"; do
  log="onion-host/target/fuzz/${t/\#/-}.log"
  if JAZZER_FUZZ=1 JAZZER_MAX_EXECUTIONS="$EXECUTIONS" ./mvnw -B -pl onion-host test \
      -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
      >"$log" 2>&1; then
    result="ok"
  else
    result="FAILED (see $log)"
    status=1
  fi
  runs="$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)"
  echo "$t: $result ${runs:-no libFuzzer summary}"
done
exit $status
