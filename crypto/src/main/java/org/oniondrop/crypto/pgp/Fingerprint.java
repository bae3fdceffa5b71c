package org.oniondrop.crypto.pgp;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/** An OpenPGP key fingerprint (20 bytes for v4, 32 for v6). Not secret. */
public final class Fingerprint {

  private final byte[] bytes;

  private Fingerprint(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Fingerprint of(byte[] bytes) {
    if (bytes.length != 20 && bytes.length != 32) {
      throw new IllegalArgumentException("fingerprint must be 20 or 32 bytes");
    }
    return new Fingerprint(bytes.clone());
  }

  /**
   * Parses 40 or 64 hex digits; spaces and a {@code 0x} prefix are ignored, case is not
   * significant.
   */
  public static Fingerprint parse(String hex) {
    String clean = hex.replace(" ", "").toLowerCase(Locale.ROOT);
    if (clean.startsWith("0x")) {
      clean = clean.substring(2);
    }
    if ((clean.length() != 40 && clean.length() != 64) || !clean.matches("[0-9a-f]+")) {
      throw new IllegalArgumentException("a fingerprint is 40 or 64 hex digits");
    }
    return new Fingerprint(HexFormat.of().parseHex(clean));
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** Uppercase hex, no spaces: the form stored in the database. */
  public String hex() {
    return HexFormat.of().withUpperCase().formatHex(bytes);
  }

  /**
   * For people: groups of four hex digits, with a double space in the middle, as {@code gpg
   * --fingerprint} prints a v4 fingerprint.
   */
  public String toDisplayString() {
    String hex = hex();
    StringBuilder out = new StringBuilder();
    int groups = hex.length() / 4;
    for (int i = 0; i < groups; i++) {
      if (i > 0) {
        out.append(i == groups / 2 ? "  " : " ");
      }
      out.append(hex, i * 4, i * 4 + 4);
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fingerprint other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
