/**
 * OpenPGP at rest: the moment a message or document arrives it is encrypted to the instance's
 * submission public key, whose private half never touches the server (design promise 2).
 *
 * <ul>
 *   <li>{@link org.oniondrop.crypto.pgp.EncryptionCertificate}: a recipient certificate, parsed and
 *       validated with a specific reason for each refusal ({@link
 *       org.oniondrop.crypto.pgp.KeyRejectedException.Reason}).
 *   <li>{@link org.oniondrop.crypto.pgp.PgpEncryptor}: a streaming encryptor. Memory is bounded by
 *       its buffers, never by the message size.
 *   <li>{@link org.oniondrop.crypto.pgp.SourceKeys}: per-source reply key pairs (Curve25519, fixed
 *       creation time), reply encryption and decryption.
 *   <li>{@link org.oniondrop.crypto.pgp.PgpDecryptor}: decryption with a passphrase-protected key
 *       (replies on the source side; tests).
 * </ul>
 *
 * <p>Formats (RFC 4880 / RFC 9580): v4 recipients get a v3 PKESK and a SEIPD v1 packet (tag 18,
 * MDC) with AES-256, what GnuPG 2.2 and Sequoia read; recipients that are all v6 get SEIPD v2
 * (AES-256-OCB). Key parsing, key generation and decryption use Bouncy Castle's high-level API
 * ({@code org.bouncycastle.openpgp.api}). The encryption hot path uses Bouncy Castle's packet
 * generators with our own SEIPD v1 data encryptor ({@link
 * org.oniondrop.crypto.pgp.FastSeipdV1Encryptor}): AES-256-CFB on the JDK's AES-NI cipher and the
 * MDC's SHA-1 on a second thread, because that step bounds how fast an upload is stored.
 */
package org.oniondrop.crypto.pgp;
