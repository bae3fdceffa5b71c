package org.oniondrop.crypto.pgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What we store must open with the tools journalists use offline: GnuPG 2.2 (Debian 12, a Secure
 * Viewing Station) and Sequoia's sq. Keys are made by {@code gpg --quick-gen-key}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpgInteropTest {

  /** "Multi-megabyte": large enough for many partial-length packets and MDC chunks. */
  private static final int STREAM_BYTES = 24 * 1024 * 1024 + 12345;

  @TempDir static Path home;
  private Gpg gpg;
  private String rsaFpr;
  private String cvFpr;

  @BeforeAll
  void generateKeys() throws Exception {
    Files.setPosixFilePermissions(
        home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    gpg = new Gpg(home);
    rsaFpr = gpg.generate("rsa@example.invalid", "rsa4096", "rsa4096");
    cvFpr = gpg.generate("cv@example.invalid", "ed25519", "cv25519");
  }

  @AfterAll
  void stopAgent() {
    gpg.close();
  }

  Iterable<Arguments> cases() {
    return List.of(
        Arguments.of("rsa", 1000, PgpEncryptor.Compression.NONE, "notes.txt"),
        Arguments.of("cv", 1000, PgpEncryptor.Compression.NONE, "notes.txt"),
        Arguments.of("rsa", STREAM_BYTES, PgpEncryptor.Compression.NONE, "leak.pdf"),
        Arguments.of("cv", STREAM_BYTES, PgpEncryptor.Compression.NONE, "leak.pdf"),
        Arguments.of("cv", STREAM_BYTES, PgpEncryptor.Compression.ZLIB, "video.mp4"),
        Arguments.of("rsa", 4 * 1024 * 1024, PgpEncryptor.Compression.ZIP, ""));
  }

  @ParameterizedTest(name = "{0} key, {1} bytes, {2}, name ''{3}''")
  @MethodSource("cases")
  void gpgAndSqDecryptWhatWeEncrypt(
      String key, int size, PgpEncryptor.Compression compression, String fileName)
      throws Exception {
    // Given random plaintext and our encryption of it, streamed in 64 KiB writes
    String fpr = key.equals("rsa") ? rsaFpr : cvFpr;
    EncryptionCertificate cert = EncryptionCertificate.parse(gpg.exportPublic(fpr));
    Path plain = home.resolve("plain.bin");
    Path encrypted = home.resolve("message.gpg");
    byte[] expectedDigest = writeRandom(plain, size, size);
    try (OutputStream file = Files.newOutputStream(encrypted);
        OutputStream message =
            PgpEncryptor.to(cert).withCompression(compression).withFileName(fileName).open(file)) {
      Files.copy(plain, message);
    }

    // When gpg decrypts it
    Path byGpg = home.resolve("by-gpg.bin");
    Files.deleteIfExists(byGpg);
    Gpg.Result result =
        gpg.gpg("--verbose", "--output", byGpg.toString(), "--decrypt", encrypted.toString());

    // Then the bytes, the cipher and the embedded file name are as written
    assertThat(sha256(byGpg)).isEqualTo(expectedDigest);
    assertThat(result.stderr()).contains("AES256").doesNotContain("WARNING");
    if (!fileName.isEmpty()) {
      assertThat(result.stderr()).contains("original file name='" + fileName + "'");
    }

    // And sq decrypts it too
    Path bySq = home.resolve("by-sq.bin");
    Files.deleteIfExists(bySq);
    Gpg.Result sq =
        gpg.run(
            List.of(
                "sq",
                "decrypt",
                "--recipient-key",
                gpg.exportSecret(fpr).toString(),
                "--output",
                bySq.toString(),
                encrypted.toString()),
            null);
    assertThat(sq.exitCode()).as(sq.stderr()).isZero();
    assertThat(sha256(bySq)).isEqualTo(expectedDigest);
  }

  @Test
  void aReplyGpgEncryptsToAGeneratedSourceKeyOpensWithTheDerivedPassphrase() throws Exception {
    // Given a source key we generated, imported into gpg
    char[] passphrase = "K5XQ2ZJ7O3MSDEFEXAMPLEDERIVEDPASSPHRASE".toCharArray();
    GeneratedKeyPair source = SourceKeys.generate(passphrase);
    Path cert = home.resolve("source.asc");
    Files.writeString(cert, source.armoredCertificate());
    gpg.gpg("--import", cert.toString());

    // When gpg encrypts a reply to it
    Path reply = home.resolve("reply.txt");
    Files.writeString(reply, "Thank you. Can you send the second page?");
    Path encrypted = home.resolve("reply.gpg");
    Files.deleteIfExists(encrypted);
    Gpg.Result encrypting =
        gpg.gpg(
            "--verbose",
            "--trust-model",
            "always",
            "--recipient",
            source.fingerprint().hex(),
            "--output",
            encrypted.toString(),
            "--encrypt",
            reply.toString());

    // Then gpg chose AES-256 from the key's preferences (not its 3DES fallback)
    assertThat(encrypting.stderr()).contains("AES256").doesNotContain("3DES");
    // And our code opens it with the passphrase, and only with it
    byte[] decrypted =
        SourceKeys.decryptReply(source.secretKey(), passphrase, Files.readAllBytes(encrypted));
    assertThat(new String(decrypted, StandardCharsets.UTF_8))
        .isEqualTo("Thank you. Can you send the second page?");
  }

  @Test
  void aReplyWeEncryptOpensWithGpgThroughTheSubmissionKey() throws Exception {
    EncryptionCertificate submission = EncryptionCertificate.parse(gpg.exportPublic(cvFpr));
    GeneratedKeyPair source = SourceKeys.generate("passphrase-of-source".toCharArray());
    Path encrypted = home.resolve("our-reply.gpg");
    Files.write(
        encrypted,
        SourceKeys.encryptReply(
            "reply text".getBytes(StandardCharsets.UTF_8),
            source.encryptionCertificate(),
            submission));
    Path out = home.resolve("our-reply.txt");
    Files.deleteIfExists(out);
    gpg.gpg("--output", out.toString(), "--decrypt", encrypted.toString());
    assertThat(Files.readString(out)).isEqualTo("reply text");
  }

  static byte[] writeRandom(Path file, int size, long seed) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    Random random = new Random(seed);
    byte[] buffer = new byte[65536];
    try (OutputStream out = Files.newOutputStream(file)) {
      int left = size;
      while (left > 0) {
        int n = Math.min(left, buffer.length);
        random.nextBytes(buffer);
        out.write(buffer, 0, n);
        digest.update(buffer, 0, n);
        left -= n;
      }
    }
    return digest.digest();
  }

  static byte[] sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[65536];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
