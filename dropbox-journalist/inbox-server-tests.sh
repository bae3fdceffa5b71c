#!/bin/sh
# Loads the SecureDrop Inbox's server-test fixtures into OnionDrop and replays its sync against
# the API (InboxFixturesTest). The fixtures belong to freedomofpress/securedrop-client and are
# fetched here, at test time, never committed.
#
#   dropbox-journalist/inbox-server-tests.sh [securedrop-client checkout or commit]
#
# With a checkout path, its app/server_tests is used; otherwise the pinned commit is fetched from
# GitHub into a temporary directory.
set -eu
PINNED=7a9dd082
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $# -ge 1 ] && [ -d "$1/app/server_tests" ]; then
  cp -r "$1/app/server_tests" "$work/server_tests"
else
  rev=${1:-$PINNED}
  git -C "$work" init -q client
  git -C "$work/client" remote add origin https://github.com/freedomofpress/securedrop-client.git
  git -C "$work/client" fetch -q --depth 1 origin "$rev" || git -C "$work/client" fetch -q origin
  git -C "$work/client" checkout -q FETCH_HEAD -- app/server_tests
  cp -r "$work/client/app/server_tests" "$work/server_tests"
fi
cd "$here"
./mvnw -pl dropbox-journalist -Dtest=InboxFixturesTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dinbox.data="$work/server_tests/data" verify
