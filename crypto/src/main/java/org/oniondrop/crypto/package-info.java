/**
 * The cryptography OnionDrop stands on, behind small APIs that are hard to misuse.
 *
 * <p>Sub-packages, one job each: {@code pgp} (OpenPGP encryption at rest, key validation, source
 * reply keys), {@code words} (codenames and designations), {@code kdf} (memory-hard derivations
 * from a codename), {@code passphrase} (journalist passphrases), {@code totp} (RFC 6238). This
 * package holds what they share: {@link org.oniondrop.crypto.SecretBytes} and {@link
 * org.oniondrop.crypto.Passphrases}.
 *
 * <p>Security guarantees: secrets live in holders whose {@code toString} is {@code [redacted]};
 * comparisons of secrets are constant-time; passphrase arrays handed to this module are wiped by
 * the method that consumes them when its Javadoc says so.
 */
package org.oniondrop.crypto;
