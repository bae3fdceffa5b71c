package org.oniondrop.crypto.pgp;

import java.io.IOException;
import java.time.Instant;

/**
 * Per-source reply keys, as SecureDrop makes them.
 *
 * <p>Each source gets a Curve25519 key pair when it first submits. Journalists' replies are
 * encrypted to [the source's key, the submission key], so the source reads them (after logging in
 * with the codename, which derives the passphrase that unlocks the secret key) and journalists can
 * read their own replies offline.
 *
 * <p>Security guarantees: every source key has the same creation time ({@link #KEY_CREATION_TIME}),
 * so keys carry no trace of when a source first came; the user id is the same for every source; the
 * secret key is stored protected by the derived passphrase only.
 */
public final class SourceKeys {

  /** Creation time of every source key (SecureDrop's fixed date, 2013-05-14). */
  public static final Instant KEY_CREATION_TIME = Instant.parse("2013-05-14T00:00:00Z");

  /** The same user id on every source key: nothing about the source. */
  public static final String USER_ID = "Source Key";

  /** A reply longer than this when decrypted is refused (replies are short texts). */
  public static final long MAX_REPLY_BYTES = 1024 * 1024;

  private SourceKeys() {}

  /**
   * A new key pair protected by {@code passphrase} (from {@code
   * SourceKeyDerivation.replyKeyPassphrase}); the caller wipes the passphrase.
   */
  public static GeneratedKeyPair generate(char[] passphrase) {
    if (passphrase == null || passphrase.length == 0) {
      throw new IllegalArgumentException("a source key must be protected by a passphrase");
    }
    return GeneratedKeyPair.curve25519(USER_ID, KEY_CREATION_TIME, passphrase);
  }

  /** Encrypts a reply to the source's key and the submission key (binary OpenPGP). */
  public static byte[] encryptReply(
      byte[] text, EncryptionCertificate sourceKey, EncryptionCertificate submissionKey)
      throws IOException {
    return PgpEncryptor.to(sourceKey, submissionKey).encrypt(text);
  }

  /**
   * Decrypts a reply with the source's protected secret key.
   *
   * @throws PgpException on a wrong passphrase, a reply not for this key, or damage
   */
  public static byte[] decryptReply(byte[] secretKey, char[] passphrase, byte[] reply)
      throws PgpException {
    return PgpDecryptor.decrypt(secretKey, passphrase, reply, MAX_REPLY_BYTES).content();
  }
}
