/**
 * Cryptographic primitives as Tor's onion-service specs define them (rend-spec-v3 §0.3).
 *
 * <ul>
 *   <li>{@link org.oniondrop.onion.crypto.HsCrypto}: {@code H} = SHA3-256, {@code KDF} = SHAKE-256,
 *       {@code MAC(k, m)} = SHA3-256(INT_8(len k) | k | m) (not HMAC), HKDF-SHA256 for ntor;
 *   <li>{@link org.oniondrop.onion.crypto.AesCtr}: AES-CTR with a 128-bit big-endian counter, one
 *       long-lived instance per direction (re-initialising per cell is the classic bug);
 *   <li>{@link org.oniondrop.onion.crypto.Ed25519Math} and {@link
 *       org.oniondrop.onion.crypto.ExpandedEd25519Key}: Ed25519 over C tor's 64-byte expanded
 *       secret keys, which blinded keys need because they have no seed (App. A.2).
 * </ul>
 *
 * <p>Security note: the scalar multiplications in {@link org.oniondrop.onion.crypto.Ed25519Math}
 * use {@link java.math.BigInteger}, whose running time is not constant; the ladder does the same
 * operations for every bit so the algorithm does not branch on secrets, but the arithmetic may leak
 * timing. They run only to sign descriptors and certificates (a few times an hour) and to derive
 * keys, never per connection; verification uses Bouncy Castle's constant-time code.
 */
package org.oniondrop.onion.crypto;
