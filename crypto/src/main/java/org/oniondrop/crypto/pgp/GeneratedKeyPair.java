package org.oniondrop.crypto.pgp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.bcpg.PacketFormat;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.OpenPGPImplementation;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPKeyGenerator;
import org.bouncycastle.openpgp.api.SignatureParameters;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPImplementation;
import org.bouncycastle.util.io.Streams;

/**
 * A key pair this module generated: the public certificate and the (optionally
 * passphrase-protected) secret key, both binary OpenPGP.
 *
 * <p>The secret key bytes are as sensitive as the passphrase protecting them allows; source reply
 * keys are stored protected, demo submission keys are written for the admin's offline machine.
 */
public record GeneratedKeyPair(byte[] certificate, byte[] secretKey, Fingerprint fingerprint) {

  /**
   * Generates a v4 Curve25519 key that GnuPG 2.2 reads: a legacy EdDSA primary key for
   * certification and a legacy ECDH cv25519 subkey for encryption (RFC 4880bis algorithms 22 and
   * 18, not the RFC 9580 ones GnuPG 2.2 does not know), no expiry.
   *
   * @param userId the user id to bind; say nothing identifying in it
   * @param creation creation time of both keys and their signatures
   * @param passphrase protects the secret key, or {@code null} for an unprotected key; not wiped
   *     (Bouncy Castle wipes the copy it is given)
   */
  public static GeneratedKeyPair curve25519(String userId, Instant creation, char[] passphrase) {
    try {
      OpenPGPImplementation implementation = new BcOpenPGPImplementation();
      OpenPGPKey key =
          new OpenPGPKeyGenerator(implementation, 4, false, Date.from(creation))
              .withPrimaryKey(generator -> generator.generateLegacyEd25519KeyPair(), NO_EXPIRY)
              .addUserId(userId, USER_ID)
              .addEncryptionSubkey(generator -> generator.generateLegacyX25519KeyPair(), NO_EXPIRY)
              .build(passphrase == null ? null : passphrase.clone());
      return new GeneratedKeyPair(
          key.toCertificate().getEncoded(PacketFormat.LEGACY),
          key.getEncoded(PacketFormat.LEGACY),
          Fingerprint.of(key.getFingerprint()));
    } catch (PGPException | IOException e) {
      throw new IllegalStateException("Curve25519 key generation failed", e);
    }
  }

  /**
   * Bouncy Castle gives new keys an expiry by default; these keys must not expire (source keys all
   * share a creation time in 2013, and an expired submission key would stop uploads).
   */
  private static final SignatureParameters.Callback NO_EXPIRY =
      new SignatureParameters.Callback() {
        @Override
        public SignatureParameters apply(SignatureParameters parameters) {
          return parameters.setHashedSubpacketsFunction(
              subpackets -> {
                subpackets.removePacketsOfType(SignatureSubpacketTags.KEY_EXPIRE_TIME);
                return subpackets;
              });
        }
      };

  /**
   * The user ID self-signature: no expiry, and the algorithm preferences repeated from the
   * direct-key signature. GnuPG 2.2 reads preferences only from the primary user ID's
   * self-signature and, finding none, falls back to 3DES and SHA-1 when it encrypts to the key (a
   * journalist's client replying to a source does exactly that).
   */
  private static final SignatureParameters.Callback USER_ID =
      new SignatureParameters.Callback() {
        @Override
        public SignatureParameters apply(SignatureParameters parameters) {
          return parameters.setHashedSubpacketsFunction(
              subpackets -> {
                subpackets.removePacketsOfType(SignatureSubpacketTags.KEY_EXPIRE_TIME);
                subpackets.setPreferredSymmetricAlgorithms(
                    false,
                    new int[] {
                      org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags.AES_256,
                      org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags.AES_128
                    });
                subpackets.setPreferredHashAlgorithms(
                    false,
                    new int[] {
                      org.bouncycastle.bcpg.HashAlgorithmTags.SHA512,
                      org.bouncycastle.bcpg.HashAlgorithmTags.SHA256
                    });
                subpackets.setPreferredCompressionAlgorithms(
                    false,
                    new int[] {
                      org.bouncycastle.bcpg.CompressionAlgorithmTags.UNCOMPRESSED,
                      org.bouncycastle.bcpg.CompressionAlgorithmTags.ZIP
                    });
                subpackets.setFeature(
                    false, org.bouncycastle.bcpg.sig.Features.FEATURE_MODIFICATION_DETECTION);
                return subpackets;
              });
        }
      };

  /** The public certificate, validated as a recipient (it always is: we just made it). */
  public EncryptionCertificate encryptionCertificate() {
    try {
      return EncryptionCertificate.parse(certificate, Instant.now());
    } catch (KeyRejectedException e) {
      throw new IllegalStateException("a generated key failed validation: " + e.getMessage(), e);
    }
  }

  /** The public certificate in ASCII armor. */
  public String armoredCertificate() {
    return armor(certificate, "PUBLIC KEY");
  }

  /** The secret key in ASCII armor (for {@code gpg --import}). */
  public String armoredSecretKey() {
    return armor(secretKey, "PRIVATE KEY");
  }

  private static String armor(byte[] binary, String what) {
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      try (org.bouncycastle.bcpg.ArmoredOutputStream armor =
          org.bouncycastle.bcpg.ArmoredOutputStream.builder().clearHeaders().build(out)) {
        Streams.pipeAll(new ByteArrayInputStream(binary), armor);
      }
      String text = out.toString(StandardCharsets.US_ASCII);
      if (!text.contains(what)) {
        throw new IllegalStateException("unexpected armor type");
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
