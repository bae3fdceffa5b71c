package org.oniondrop.crypto.pgp;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.bcpg.AEADAlgorithmTags;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;

/**
 * Streaming OpenPGP encryption to one or more {@link EncryptionCertificate}s.
 *
 * <p>{@link #open(OutputStream)} returns a stream to write plaintext into; closing it finishes the
 * message (MDC, partial-length framing) but leaves the target stream open for the caller to flush,
 * sync and close. Memory is bounded by a few {@value #BUFFER_SIZE}-byte buffers whatever the
 * message size. If writing fails half-way, what reached the target is an incomplete message that no
 * OpenPGP implementation will accept; the caller discards it.
 *
 * <p>Instances are immutable and thread-safe; each {@code open} makes an independent message.
 */
public final class PgpEncryptor {

  /** What happens to the plaintext before encryption. */
  public enum Compression {
    /** Stored as is: the default, since most leaked files (PDF, images, archives) do not shrink. */
    NONE(CompressionAlgorithmTags.UNCOMPRESSED),
    /** RFC 1951 deflate inside an OpenPGP compressed data packet. */
    ZIP(CompressionAlgorithmTags.ZIP),
    /** RFC 1950 zlib inside an OpenPGP compressed data packet (GnuPG's default). */
    ZLIB(CompressionAlgorithmTags.ZLIB);

    private final int tag;

    Compression(int tag) {
      this.tag = tag;
    }
  }

  /** Partial-packet buffer size: 64 KiB, a power of two as RFC 4880 §4.2.2.4 requires. */
  public static final int BUFFER_SIZE = 1 << 16;

  /** A literal data packet's file name is at most 255 bytes (one length octet). */
  public static final int MAX_FILE_NAME_BYTES = 255;

  /** AEAD chunk size octet for SEIPD v2: 2^(16+6) bytes would be too large; 16 means 64 KiB. */
  private static final int AEAD_CHUNK_SIZE = 16;

  private final List<EncryptionCertificate> recipients;
  private final Compression compression;
  private final String fileName;
  private final Instant modificationTime;
  private final boolean armored;
  private final SecureRandom random;

  private PgpEncryptor(
      List<EncryptionCertificate> recipients,
      Compression compression,
      String fileName,
      Instant modificationTime,
      boolean armored,
      SecureRandom random) {
    this.recipients = recipients;
    this.compression = compression;
    this.fileName = fileName;
    this.modificationTime = modificationTime;
    this.armored = armored;
    this.random = random;
  }

  /** An encryptor to {@code recipients}: binary, uncompressed, no file name, time zero. */
  public static PgpEncryptor to(EncryptionCertificate... recipients) {
    return to(List.of(recipients));
  }

  /** An encryptor to {@code recipients}: binary, uncompressed, no file name, time zero. */
  public static PgpEncryptor to(List<EncryptionCertificate> recipients) {
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("at least one recipient is required");
    }
    return new PgpEncryptor(
        List.copyOf(recipients), Compression.NONE, "", Instant.EPOCH, false, new SecureRandom());
  }

  /** The same encryptor with {@code compression}. */
  public PgpEncryptor withCompression(Compression compression) {
    return new PgpEncryptor(
        recipients,
        Objects.requireNonNull(compression),
        fileName,
        modificationTime,
        armored,
        random);
  }

  /**
   * The same encryptor, recording {@code name} in the literal data packet ({@code gpg
   * --use-embedded-filename} and SecureDrop's clients read it). A name longer than {@value
   * #MAX_FILE_NAME_BYTES} UTF-8 bytes is shortened at a character boundary.
   */
  public PgpEncryptor withFileName(String name) {
    return new PgpEncryptor(
        recipients, compression, truncateUtf8(name), modificationTime, armored, random);
  }

  /**
   * The same encryptor with {@code time} in the literal data packet. The default is the epoch, so
   * that the message itself carries no arrival time.
   */
  public PgpEncryptor withModificationTime(Instant time) {
    return new PgpEncryptor(
        recipients, compression, fileName, Objects.requireNonNull(time), armored, random);
  }

  /** The same encryptor producing ASCII armor (no version header) instead of binary. */
  public PgpEncryptor armored(boolean armor) {
    return new PgpEncryptor(recipients, compression, fileName, modificationTime, armor, random);
  }

  /** Opens a message on {@code target}; see the class documentation for the close contract. */
  public OutputStream open(OutputStream target) throws IOException {
    Objects.requireNonNull(target, "target");
    List<AutoCloseableStep> steps = new ArrayList<>();
    // The ciphertext reaches the target on a worker thread, beside encryption; finished last.
    AsyncWriteStream written = new AsyncWriteStream(new NonClosingOutputStream(target));
    steps.add(written::finish);
    OutputStream sink = written;
    try {
      if (armored) {
        ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(sink);
        steps.add(armor::close);
        sink = armor;
      }
      PGPEncryptedDataGenerator encrypted = new PGPEncryptedDataGenerator(dataEncryptor());
      for (EncryptionCertificate recipient : recipients) {
        encrypted.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(recipient.encryptionKey()));
      }
      sink = encrypted.open(sink, new byte[BUFFER_SIZE]);
      steps.add(encrypted::close);
      if (compression != Compression.NONE) {
        PGPCompressedDataGenerator compressed = new PGPCompressedDataGenerator(compression.tag);
        sink = compressed.open(sink, new byte[BUFFER_SIZE]);
        steps.add(compressed::close);
      }
      PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
      sink =
          literal.open(
              sink,
              PGPLiteralData.BINARY,
              fileName,
              Date.from(modificationTime),
              new byte[BUFFER_SIZE]);
      steps.add(literal::close);
    } catch (PGPException e) {
      throw new IOException("could not start an OpenPGP message: " + e.getMessage(), e);
    }
    return new MessageStream(sink, steps);
  }

  /** Encrypts a small message held in memory (replies); use {@link #open} for anything large. */
  public byte[] encrypt(byte[] plaintext) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(plaintext.length + 1024);
    try (OutputStream message = open(out)) {
      message.write(plaintext);
    }
    return out.toByteArray();
  }

  private PGPDataEncryptorBuilder dataEncryptor() {
    boolean allV6 = recipients.stream().allMatch(EncryptionCertificate::isV6);
    if (allV6) {
      // RFC 9580 §5.13.2: v6 recipients support SEIPD v2; OCB is the mandatory AEAD mode. The
      // JDK has no OCB (nor the HKDF it needs), so this uses Bouncy Castle's own AES: slower,
      // and only for the rare all-v6 recipient set.
      return new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
          .setWithAEAD(AEADAlgorithmTags.OCB, AEAD_CHUNK_SIZE)
          .setUseV6AEAD()
          .setWithIntegrityPacket(true)
          .setSecureRandom(random);
    }
    return new FastSeipdV1Encryptor(random);
  }

  static String truncateUtf8(String name) {
    Objects.requireNonNull(name, "name");
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_FILE_NAME_BYTES) {
      return name;
    }
    int end = name.length();
    while (name.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_FILE_NAME_BYTES) {
      end = Character.isLowSurrogate(name.charAt(end - 1)) ? end - 2 : end - 1;
    }
    return name.substring(0, end);
  }

  @FunctionalInterface
  private interface AutoCloseableStep {
    void close() throws IOException;
  }

  /** Closing finishes every layer, innermost first. */
  private static final class MessageStream extends FilterOutputStream {
    private final List<AutoCloseableStep> steps;
    private boolean closed;

    MessageStream(OutputStream out, List<AutoCloseableStep> steps) {
      super(out);
      this.steps = steps;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      for (int i = steps.size() - 1; i >= 0; i--) {
        steps.get(i).close();
      }
    }
  }

  /** Keeps the caller's stream open when the OpenPGP layers close theirs. */
  private static final class NonClosingOutputStream extends FilterOutputStream {
    NonClosingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
