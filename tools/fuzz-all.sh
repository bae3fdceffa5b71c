#!/usr/bin/env bash
# Fuzzes every Jazzer @FuzzTest of one module, one Maven run per target (Jazzer fuzzes a single
# target per run), each until its maxExecutions (10^6 for OnionDrop's targets) or maxDuration.
# Usage: tools/fuzz-all.sh MODULE   (e.g. crypto, dropbox-core)
set -euo pipefail
module="${1:?usage: tools/fuzz-all.sh MODULE}"
cd "$(dirname "$0")/.."
grep -rl --include='*FuzzTest.java' '@FuzzTest' "$module/src/test/java" | while read -r file; do
  class="$(basename "$file" .java)"
  grep -A1 '@FuzzTest' "$file" | grep -oE 'void [A-Za-z0-9_]+' | awk '{print $2}' | while read -r method; do
    echo "== fuzzing $class#$method"
    ./mvnw -Pfuzz -pl "$module" -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false test
  done
done
