/**
 * Journalist passphrases: generation, acceptability, Argon2id hashing and verification.
 *
 * <p>As SecureDrop does, the server generates journalists' passphrases (7 diceware words, about 90
 * bits) rather than letting people choose weak ones, and stores only an Argon2id hash in the PHC
 * string format ({@code $argon2id$v=19$m=65536,t=4,p=2$salt$hash}), so parameters can be raised
 * later: {@link org.oniondrop.crypto.passphrase.PassphraseHasher#needsRehash} tells when a stored
 * hash was made with older parameters.
 *
 * <p>Security guarantees: verification compares in constant time; stored hashes with parameters
 * above the bounds of {@link org.oniondrop.crypto.kdf.Argon2idParameters} are refused before any
 * work is done, so a tampered row cannot pin the CPU or exhaust memory.
 */
package org.oniondrop.crypto.passphrase;
