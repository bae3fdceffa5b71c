package org.oniondrop.crypto.pgp;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * Run in a forked JVM with a small heap by {@link BoundedMemoryTest}: encrypts {@code size} bytes
 * of generated data to the certificate in {@code args[0]}, writing the OpenPGP message to stdout
 * and the SHA-256 of the plaintext to {@code args[2]}.
 */
public final class BoundedMemoryEncryptMain {

  private BoundedMemoryEncryptMain() {}

  public static void main(String[] args) throws Exception {
    EncryptionCertificate cert = EncryptionCertificate.parse(Files.readAllBytes(Path.of(args[0])));
    long size = Long.parseLong(args[1]);
    byte[] block = new byte[1 << 20];
    new Random(42).nextBytes(block);
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (OutputStream stdout =
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        OutputStream message = PgpEncryptor.to(cert).withFileName("big.bin").open(stdout)) {
      long left = size;
      long counter = 0;
      while (left > 0) {
        // Vary every block so that the stream does not repeat.
        for (int i = 0; i < 8; i++) {
          block[i] = (byte) (counter >>> (8 * i));
        }
        counter++;
        for (int off = 0; off < block.length && left > 0; off += 65536) {
          int n = (int) Math.min(65536, left);
          message.write(block, off, n);
          digest.update(block, off, n);
          left -= n;
        }
      }
    }
    Files.writeString(Path.of(args[2]), HexFormat.of().formatHex(digest.digest()));
  }
}
