package org.oniondrop.crypto.pgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Fixtures made by real GnuPG 2.2 with crypto/tools/make-key-fixtures.sh. */
class EncryptionCertificateTest {

  @ParameterizedTest
  @CsvSource({
    "rsa1024.asc,           WEAK_RSA,          'the primary key is RSA-1024; at least RSA-2048 is required'",
    "expired.asc,           EXPIRED,           'the key has expired'",
    "revoked.asc,           REVOKED,           'the key is revoked'",
    "sha1-binding.asc,      SHA1_BINDING,      'the encryption subkey''s binding signature uses SHA-1'",
    "no-encryption-key.asc, NO_ENCRYPTION_KEY, 'the key has no valid subkey marked for encryption'",
    "two-keys.asc,          MULTIPLE_KEYS,     'the input holds 2 keys; give exactly one'",
  })
  void refusesEachInvalidClassWithItsReason(
      String file, KeyRejectedException.Reason reason, String message) {
    assertThatThrownBy(() -> EncryptionCertificate.parse(fixture(file)))
        .isInstanceOf(KeyRejectedException.class)
        .hasMessage(message)
        .extracting("reason")
        .isEqualTo(reason);
  }

  @Test
  void refusesASecretKey() {
    assertThatThrownBy(() -> EncryptionCertificate.parse(fixture("secret-key.asc")))
        .isInstanceOf(KeyRejectedException.class)
        .hasMessageStartingWith("this is a secret key")
        .extracting("reason")
        .isEqualTo(KeyRejectedException.Reason.SECRET_KEY_GIVEN);
  }

  @Test
  void refusesGarbageAndEmptyInput() {
    for (byte[] garbage :
        new byte[][] {
          "hello".getBytes(StandardCharsets.US_ASCII),
          new byte[0],
          "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n"
              .getBytes(StandardCharsets.US_ASCII),
          new byte[] {(byte) 0x99, 0x01, 0x0d, 0x04, 0x00},
          new byte[EncryptionCertificate.MAX_INPUT_BYTES + 1],
        }) {
      assertThatThrownBy(() -> EncryptionCertificate.parse(garbage))
          .isInstanceOf(KeyRejectedException.class)
          .extracting("reason")
          .isEqualTo(KeyRejectedException.Reason.MALFORMED);
    }
  }

  @Test
  void refusesTruncatedKeysWithoutCrashing() throws Exception {
    byte[] good = EncryptionCertificate.parse(fixture("good-cv25519.asc")).encoded();
    for (int length = 1; length < good.length; length += 7) {
      byte[] truncated = java.util.Arrays.copyOf(good, length);
      try {
        EncryptionCertificate.parse(truncated);
      } catch (KeyRejectedException e) {
        assertThat(e.reason())
            .isIn(
                KeyRejectedException.Reason.MALFORMED,
                KeyRejectedException.Reason.NO_ENCRYPTION_KEY);
      }
    }
  }

  @Test
  void acceptsAGoodKeyAndFormatsItsFingerprint() throws Exception {
    EncryptionCertificate cert = EncryptionCertificate.parse(fixture("good-cv25519.asc"));
    assertThat(cert.warnings()).isEmpty();
    assertThat(cert.version()).isEqualTo(4);
    assertThat(cert.fingerprint().hex()).hasSize(40).matches("[0-9A-F]+");
    assertThat(cert.encryptionKeyFingerprint()).isNotEqualTo(cert.fingerprint());
    assertThat(cert.fingerprint().toDisplayString())
        .matches("([0-9A-F]{4} ){4}[0-9A-F]{4}  ([0-9A-F]{4} ){4}[0-9A-F]{4}");
    assertThat(Fingerprint.parse(cert.fingerprint().toDisplayString().toLowerCase()))
        .isEqualTo(cert.fingerprint());
    assertThat(cert.armored()).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
    // Binary input is accepted as well as armor.
    assertThat(EncryptionCertificate.parse(cert.encoded()).fingerprint())
        .isEqualTo(cert.fingerprint());
  }

  @Test
  void acceptsRsa2048WithAWarning() throws Exception {
    EncryptionCertificate cert = EncryptionCertificate.parse(fixture("rsa2048-warning.asc"));
    assertThat(cert.warnings())
        .containsExactly(
            "the primary key is RSA-2048; RSA-3072 or more is advised",
            "the encryption subkey is RSA-2048; RSA-3072 or more is advised");
  }

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = EncryptionCertificateTest.class.getResourceAsStream("/keys/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
