#!/usr/bin/env bash
# Regenerates the key fixtures in crypto/src/test/resources/keys with real GnuPG 2.2, one key per
# class of key that EncryptionCertificate must refuse (or accept with a warning). Run it by hand
# when a fixture must change; the tests only read the files.
set -euo pipefail
out=$(cd "$(dirname "$0")/../src/test/resources/keys" && pwd)
export GNUPGHOME=$(mktemp -d); trap 'gpgconf --kill all; rm -rf "$GNUPGHOME"' EXIT
g() { gpg --batch --quiet --pinentry-mode loopback --passphrase '' "$@"; }
fpr() { g --with-colons --list-keys "$1" | awk -F: '/^fpr/ {print $10; exit}'; }

g --quick-gen-key 'Good <good@example.invalid>' ed25519 cert never
g --quick-add-key "$(fpr good@)" cv25519 encr never
g --armor --export good@ > "$out/good-cv25519.asc"
g --armor --export-secret-keys good@ > "$out/secret-key.asc"

g --quick-gen-key 'Rsa2048 <rsa2048@example.invalid>' rsa2048 cert never
g --quick-add-key "$(fpr rsa2048@)" rsa2048 encr never
g --armor --export rsa2048@ > "$out/rsa2048-warning.asc"

g --expert --quick-gen-key 'Weak <weak@example.invalid>' rsa1024 cert never
g --expert --quick-add-key "$(fpr weak@)" rsa1024 encr never
g --armor --export weak@ > "$out/rsa1024.asc"

g --faked-system-time 20200101T000000! --quick-gen-key 'Expired <expired@example.invalid>' ed25519 cert 1y
g --faked-system-time 20200101T000000! --quick-add-key "$(fpr expired@)" cv25519 encr 1y
g --armor --export expired@ > "$out/expired.asc"

g --quick-gen-key 'Revoked <revoked@example.invalid>' ed25519 cert never
g --quick-add-key "$(fpr revoked@)" cv25519 encr never
sed 's/^:-----BEGIN/-----BEGIN/' "$GNUPGHOME/openpgp-revocs.d/$(fpr revoked@).rev" | g --import
g --armor --export revoked@ > "$out/revoked.asc"

g --quick-gen-key 'Sha1 <sha1@example.invalid>' ed25519 cert never
g --cert-digest-algo SHA1 --digest-algo SHA1 --quick-add-key "$(fpr sha1@)" cv25519 encr never
g --armor --export sha1@ > "$out/sha1-binding.asc"

g --quick-gen-key 'Signonly <signonly@example.invalid>' ed25519 sign never
g --armor --export signonly@ > "$out/no-encryption-key.asc"

g --armor --export good@ rsa2048@ > "$out/two-keys.asc"
ls -l "$out"
