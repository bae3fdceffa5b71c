package org.oniondrop.crypto.pgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Our encryptor against Bouncy Castle's decryption; real GnuPG and sq are in the interop test. */
class PgpRoundTripTest {

  private static final GeneratedKeyPair KEY =
      GeneratedKeyPair.curve25519("Submission <s@example.invalid>", Instant.now(), null);

  @ParameterizedTest
  @EnumSource(PgpEncryptor.Compression.class)
  void roundTripsWithFileName(PgpEncryptor.Compression compression) throws Exception {
    byte[] plaintext = random(300_000, 1);
    byte[] ciphertext =
        PgpEncryptor.to(KEY.encryptionCertificate())
            .withCompression(compression)
            .withFileName("leak.pdf")
            .encrypt(plaintext);
    PgpDecryptor.Decrypted decrypted =
        PgpDecryptor.decrypt(KEY.secretKey(), null, ciphertext, Long.MAX_VALUE);
    assertThat(decrypted.content()).isEqualTo(plaintext);
    assertThat(decrypted.fileName()).isEqualTo("leak.pdf");
  }

  @Test
  void writesInOddSlicesAndSingleBytes() throws Exception {
    byte[] plaintext = random(200_003, 2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream message = PgpEncryptor.to(KEY.encryptionCertificate()).open(out)) {
      int off = 0;
      int step = 1;
      while (off < plaintext.length) {
        int n = Math.min(step, plaintext.length - off);
        if (n == 1) {
          message.write(plaintext[off]);
        } else {
          message.write(plaintext, off, n);
        }
        off += n;
        step = step * 3 % 70_001 + 1;
      }
    }
    assertThat(PgpDecryptor.decrypt(KEY.secretKey(), null, out.toByteArray(), 1 << 20).content())
        .isEqualTo(plaintext);
  }

  @Test
  void emptyMessageAndArmor() throws Exception {
    byte[] armored =
        PgpEncryptor.to(KEY.encryptionCertificate()).armored(true).encrypt(new byte[0]);
    String text = new String(armored, StandardCharsets.US_ASCII);
    assertThat(text).startsWith("-----BEGIN PGP MESSAGE-----").doesNotContain("Version:");
    assertThat(PgpDecryptor.decrypt(KEY.secretKey(), null, armored, 10).content()).isEmpty();
  }

  @Test
  void tamperedCiphertextIsRefused() throws Exception {
    byte[] ciphertext = PgpEncryptor.to(KEY.encryptionCertificate()).encrypt(random(5000, 3));
    ciphertext[ciphertext.length - 100] ^= 0x01;
    assertThatThrownBy(() -> PgpDecryptor.decrypt(KEY.secretKey(), null, ciphertext, 1 << 20))
        .isInstanceOf(PgpException.class);
  }

  @Test
  void decryptionIsBounded() throws Exception {
    byte[] ciphertext = PgpEncryptor.to(KEY.encryptionCertificate()).encrypt(random(5000, 4));
    assertThatThrownBy(() -> PgpDecryptor.decrypt(KEY.secretKey(), null, ciphertext, 4999))
        .isInstanceOf(PgpException.class)
        .hasMessage("message is larger than 4999 bytes");
  }

  @Test
  void eachRecipientCanDecrypt() throws Exception {
    GeneratedKeyPair other =
        GeneratedKeyPair.curve25519("Other <o@example.invalid>", Instant.now(), null);
    byte[] plaintext = random(1000, 5);
    byte[] ciphertext =
        PgpEncryptor.to(KEY.encryptionCertificate(), other.encryptionCertificate())
            .encrypt(plaintext);
    assertThat(PgpDecryptor.decrypt(KEY.secretKey(), null, ciphertext, 1 << 20).content())
        .isEqualTo(plaintext);
    assertThat(PgpDecryptor.decrypt(other.secretKey(), null, ciphertext, 1 << 20).content())
        .isEqualTo(plaintext);
  }

  @Test
  void sourceKeysAreFixedInTimeAndOpenOnlyWithTheirPassphrase() throws Exception {
    char[] passphrase = "DERIVEDPASSPHRASEXYZ".toCharArray();
    GeneratedKeyPair source = SourceKeys.generate(passphrase);
    EncryptionCertificate sourceCert = source.encryptionCertificate();
    assertThat(sourceCert.fingerprint()).isEqualTo(source.fingerprint());
    assertThat(
            org.bouncycastle.openpgp.api.OpenPGPKeyReader.class
                .getDeclaredConstructor()
                .newInstance()
                .parseCertificate(source.certificate())
                .getPrimaryKey()
                .getCreationTime()
                .toInstant())
        .isEqualTo(SourceKeys.KEY_CREATION_TIME);

    byte[] reply =
        SourceKeys.encryptReply(
            "we read it".getBytes(StandardCharsets.UTF_8), sourceCert, KEY.encryptionCertificate());
    assertThat(SourceKeys.decryptReply(source.secretKey(), passphrase, reply))
        .isEqualTo("we read it".getBytes(StandardCharsets.UTF_8));
    // The submission key opens it too: journalists can read their own replies offline.
    assertThat(PgpDecryptor.decrypt(KEY.secretKey(), null, reply, 1000).content())
        .isEqualTo("we read it".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(
            () -> SourceKeys.decryptReply(source.secretKey(), "wrong".toCharArray(), reply))
        .isInstanceOf(PgpException.class);
  }

  @Test
  void v6RecipientsGetSeipdV2() throws Exception {
    // Given an RFC 9580 v6 key (Ed25519 + X25519) made by Bouncy Castle
    org.bouncycastle.openpgp.api.OpenPGPKey v6 =
        new org.bouncycastle.openpgp.api.bc.BcOpenPGPApi()
            .generateKey(6)
            .ed25519x25519Key("V6 <v6@example.invalid>")
            .build();
    EncryptionCertificate cert = EncryptionCertificate.parse(v6.toCertificate().getEncoded());
    assertThat(cert.version()).isEqualTo(6);

    // When we encrypt to it
    byte[] plaintext = random(100_000, 6);
    byte[] ciphertext = PgpEncryptor.to(cert).encrypt(plaintext);

    // Then the message is a v6 PKESK followed by a SEIPD v2 packet, and it decrypts
    org.bouncycastle.openpgp.PGPEncryptedDataList list =
        (org.bouncycastle.openpgp.PGPEncryptedDataList)
            new org.bouncycastle.openpgp.bc.BcPGPObjectFactory(ciphertext).nextObject();
    assertThat(list.isIntegrityProtected()).isTrue();
    assertThat(list.get(0).getVersion()).isEqualTo(6);
    assertThat(PgpDecryptor.decrypt(v6.getEncoded(), null, ciphertext, 1 << 20).content())
        .isEqualTo(plaintext);
  }

  @Test
  void longFileNamesAreShortenedAtACharacterBoundary() {
    String name = "é".repeat(200);
    String truncated = PgpEncryptor.truncateUtf8(name);
    assertThat(truncated.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
    assertThat(truncated).hasSize(127);
  }

  static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
