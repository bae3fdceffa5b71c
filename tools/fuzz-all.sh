#!/usr/bin/env bash
# Coverage-guided fuzzing of every Jazzer @FuzzTest in the build, N inputs (or a duration) each.
#
#   tools/fuzz-all.sh [N|DURATION] [MODULE ...]   e.g. tools/fuzz-all.sh 1000000
#                                                      tools/fuzz-all.sh 20000 dropbox-core
#                                                      tools/fuzz-all.sh 20s   (what ./run-tests does)
#
# N defaults to 1000000 (issue 15's bar): each target runs N inputs, with a 4 h cap (Jazzer's own
# default would stop it after 5 minutes). A DURATION (30s, 2m, 1h) fuzzes each target for that
# long instead. The modules default to every module with a *FuzzTest.java. Jazzer fuzzes one
# target per JVM, so each target is one Maven run (JAZZER_FUZZ=1 with JAZZER_MAX_EXECUTIONS or
# JAZZER_MAX_DURATION); run with `nice -n 19` on a shared machine.
# Logs: MODULE/target/fuzz/Class-method.log; the summary line per target is libFuzzer's
# "Done N runs in S second(s)". A crash is written by Jazzer into the target's committed corpus
# directory (src/test/resources/<package>/<Class>Inputs/<method>/crash-*): fix the parser, then
# keep the file there so the suite replays it from then on. The suite itself replays every
# committed corpus (regression mode) in each module's normal `test` phase.
# Needs the modules installed first (./mvnw install -DskipTests) since each run is -pl MODULE.
set -uo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
shift || true
if [[ "$N" =~ ^[0-9]+$ ]]; then
  budget=(JAZZER_MAX_EXECUTIONS="$N" JAZZER_MAX_DURATION=4h)
elif [[ "$N" =~ ^[0-9]+[smh]$ ]]; then
  budget=(JAZZER_MAX_DURATION="$N")
else
  echo "fuzz-all: the budget is a number of inputs or a duration such as 20s, not '$N'" >&2
  exit 2
fi
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
  mapfile -t modules < <(grep -rl --include='*FuzzTest.java' '@FuzzTest' --exclude-dir=target . \
    | sed -E 's#^\./([^/]+)/src/.*#\1#' | sort -u)
fi
status=0
for module in "${modules[@]}"; do
  mkdir -p "$module/target/fuzz"
  while read -r file; do
    class="$(basename "$file" .java)"
    for method in $(grep -A1 '@FuzzTest' "$file" | grep -oE 'void [A-Za-z0-9_]+' | awk '{print $2}'); do
      log="$module/target/fuzz/$class-$method.log"
      if env JAZZER_FUZZ=1 "${budget[@]}" ./mvnw -o -B -pl "$module" test \
          -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false \
          -Dspotless.check.skip=true -Dansible.tests.skip=true >"$log" 2>&1; then
        result="ok"
      else
        result="FAILED (see $log)"
        status=1
        tail -n 80 "$log" | sed "s#^#  $class\#$method | #"
      fi
      runs="$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)"
      echo "$module $class#$method: $result ${runs:-no libFuzzer summary}"
    done
  done < <(grep -rl --include='*FuzzTest.java' '@FuzzTest' "$module/src/test/java")
done
exit $status
