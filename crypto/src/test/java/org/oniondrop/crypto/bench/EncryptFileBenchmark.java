package org.oniondrop.crypto.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.api.OpenPGPKeyReader;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.oniondrop.crypto.pgp.EncryptionCertificate;
import org.oniondrop.crypto.pgp.PgpEncryptor;

/**
 * File-to-file encryption throughput, for crypto/bench/encrypt-vs-gpg.sh (not a test).
 *
 * <p>Usage: {@code EncryptFileBenchmark CERT INPUT OUTPUT RUNS [oniondrop-only]}. Runs {@link
 * #WARMUPS} warm-up and RUNS measured passes of (a) our {@link PgpEncryptor} and (b) Bouncy
 * Castle's stock SEIPD v1 writer with JCE AES (the out-of-the-box baseline), and prints one line
 * per configuration: median wall MB/s and median CPU MB/s of all threads of this JVM. With {@code
 * oniondrop-durable} in place of {@code oniondrop-only}, (a) is measured twice: as it is, and with
 * its output fsync'd before the pass ends ({@code oniondrop-fsync}), which is what the store does
 * for every upload. That mode also times {@code store-sha256}: the SHA-256 the store computes of
 * every upload's ciphertext beside the encryptor (here of the input, which is as long), so that the
 * upload script can add up what an upload must spend per MB.
 */
public final class EncryptFileBenchmark {

  /**
   * Unmeasured passes first, as JMH warms up. After one, the first measured pass of our encryptor
   * ran at 15-65 MB/s in most trials here, against 400-580 for the passes after it, with its CPU
   * time up as much: computing, not waiting, most likely on code the JIT had not settled yet. It
   * still happens now and then after three, which is why the scripts take the median of three.
   */
  static final int WARMUPS = 3;

  private EncryptFileBenchmark() {}

  public static void main(String[] args) throws Exception {
    byte[] certBytes = Files.readAllBytes(Path.of(args[0]));
    Path input = Path.of(args[1]);
    Path output = Path.of(args[2]);
    int runs = Integer.parseInt(args[3]);
    EncryptionCertificate cert = EncryptionCertificate.parse(certBytes);
    PGPPublicKey bcKey = encryptionKey(certBytes, cert);
    long size = Files.size(input);

    String mode = args.length > 4 ? args[4] : "";
    measure("oniondrop", size, runs, output, () -> encryptOurs(cert, input, output, false));
    if (mode.equals("oniondrop-durable")) {
      measure("oniondrop-fsync", size, runs, output, () -> encryptOurs(cert, input, output, true));
      measure("store-sha256", size, runs, output, () -> sha256(output, input));
    }
    if (mode.startsWith("oniondrop-")) {
      return;
    }
    measure("bc-jce", size, runs, output, () -> encryptStockBc(bcKey, input, output));
  }

  interface Run {
    void run() throws Exception;
  }

  static void measure(String name, long size, int runs, Path output, Run run) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < WARMUPS; i++) {
      run.run();
    }
    List<Double> wall = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      // As the gpg side does: the old output is removed, and what the page cache still holds
      // for the disk is written out, outside the timed region.
      Files.deleteIfExists(output);
      new ProcessBuilder("sync").inheritIO().start().waitFor();
      long cpu0 = totalCpuNanos(threads);
      long t0 = System.nanoTime();
      run.run();
      long elapsed = System.nanoTime() - t0;
      long cpuUsed = totalCpuNanos(threads) - cpu0;
      wall.add(size / (elapsed / 1e9) / 1e6);
      cpu.add(size / (cpuUsed / 1e9) / 1e6);
    }
    System.out.printf(
        "%s wall_mb_s=%.1f cpu_mb_s=%.1f runs=%s%n", name, median(wall), median(cpu), wall);
  }

  static long totalCpuNanos(ThreadMXBean threads) {
    long total = 0;
    for (long id : threads.getAllThreadIds()) {
      long t = threads.getThreadCpuTime(id);
      if (t > 0) {
        total += t;
      }
    }
    return total;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  static void encryptOurs(EncryptionCertificate cert, Path input, Path output, boolean fsync)
      throws Exception {
    try (InputStream in = Files.newInputStream(input);
        java.io.FileOutputStream file = new java.io.FileOutputStream(output.toFile())) {
      try (OutputStream message =
          PgpEncryptor.to(cert).withFileName("bench.bin").open(new NoClose(file))) {
        copy(in, message);
      }
      if (fsync) {
        file.getChannel().force(true);
      }
    }
  }

  /**
   * SHA-256 of {@code input}, read in {@link #HASH_PIECE}-byte pieces (the JDK's SHA-256, as the
   * store uses). The digest is written to {@code output}, which each measured pass deletes first.
   */
  static void sha256(Path output, Path input) throws Exception {
    java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[HASH_PIECE];
    try (InputStream in = Files.newInputStream(input)) {
      int n;
      while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
        sha256.update(buffer, 0, n);
      }
    }
    Files.write(output, sha256.digest());
  }

  /** Bytes hashed per update: large enough that the per-call cost disappears. */
  static final int HASH_PIECE = 1 << 20;

  /** Keeps the encryptor's close from closing the file before it is synced. */
  private static final class NoClose extends java.io.FilterOutputStream {
    NoClose(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws java.io.IOException {
      flush();
    }
  }

  static void encryptStockBc(PGPPublicKey key, Path input, Path output) throws Exception {
    PGPEncryptedDataGenerator encrypted =
        new PGPEncryptedDataGenerator(
            new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                .setWithIntegrityPacket(true)
                .setSecureRandom(new SecureRandom()));
    encrypted.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(key));
    try (InputStream in = Files.newInputStream(input);
        OutputStream file = Files.newOutputStream(output)) {
      OutputStream enc = encrypted.open(file, new byte[1 << 16]);
      PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
      OutputStream lit =
          literal.open(enc, PGPLiteralData.BINARY, "bench.bin", new Date(0), new byte[1 << 16]);
      copy(in, lit);
      literal.close();
      encrypted.close();
    }
  }

  /** Copies in 64 KiB writes, the size an upload handler uses. */
  static void copy(InputStream in, OutputStream out) throws java.io.IOException {
    byte[] buffer = new byte[1 << 16];
    int n;
    while ((n = in.read(buffer)) > 0) {
      out.write(buffer, 0, n);
    }
  }

  static PGPPublicKey encryptionKey(byte[] certBytes, EncryptionCertificate cert) throws Exception {
    PGPPublicKeyRing ring =
        new OpenPGPKeyReader().parseCertificate(certBytes).getPGPPublicKeyRing();
    for (PGPPublicKey key : ring) {
      if (org.oniondrop.crypto.pgp.Fingerprint.of(key.getFingerprint())
          .equals(cert.encryptionKeyFingerprint())) {
        return key;
      }
    }
    throw new IllegalStateException("no encryption key");
  }
}
