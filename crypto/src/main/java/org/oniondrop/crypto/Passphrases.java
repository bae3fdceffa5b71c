package org.oniondrop.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Helpers for passphrases held as {@code char[]} so that they can be wiped. */
public final class Passphrases {

  private Passphrases() {}

  /** Overwrites {@code passphrase} with zeros; {@code null} is ignored. */
  public static void wipe(char[] passphrase) {
    if (passphrase != null) {
      Arrays.fill(passphrase, '\0');
    }
  }

  /** Overwrites {@code bytes} with zeros; {@code null} is ignored. */
  public static void wipe(byte[] bytes) {
    if (bytes != null) {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * UTF-8 bytes of {@code chars} without going through an immutable {@link String}. The caller
   * wipes the result.
   */
  public static byte[] utf8(char[] chars) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] out = new byte[encoded.remaining()];
    encoded.get(out);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return out;
  }
}
