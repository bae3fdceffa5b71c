/**
 * Memory-hard key derivation: what the server keeps instead of a source's codename.
 *
 * <p>From a codename, {@link org.oniondrop.crypto.kdf.SourceKeyDerivation} derives (a) the source
 * id, the database key and store directory name, and (b) the passphrase that protects the source's
 * reply key. Each uses its own per-install secret salt (SecureDrop's two "peppers"), so neither
 * value can be computed from the other, and neither from the codename without the salts. A
 * memory-hard KDF (scrypt, RFC 7914, or Argon2id, RFC 9106; Bouncy Castle's implementations) makes
 * guessing expensive even for someone holding the database and the salts.
 *
 * <p>Security guarantees: derivation refuses missing, short or equal salts; under {@link
 * org.oniondrop.crypto.kdf.KdfPolicy#PRODUCTION} it refuses parameters below the floors named in
 * {@link org.oniondrop.crypto.kdf.ScryptParameters} and {@link
 * org.oniondrop.crypto.kdf.Argon2idParameters}. Cheap parameters exist only for tests.
 */
package org.oniondrop.crypto.kdf;
