package org.oniondrop.onion.keys;

import java.util.Arrays;
import java.util.Locale;
import org.oniondrop.onion.crypto.Ed25519Math;
import org.oniondrop.onion.crypto.HsCrypto;

/**
 * A v3 onion address (rend-spec-v3 §6): {@code base32(PUBKEY | CHECKSUM | VERSION) + ".onion"} with
 * {@code CHECKSUM = H(".onion checksum" | PUBKEY | VERSION)[:2]} and {@code VERSION = 3}.
 */
public final class OnionAddress {

  /** Base32 characters of the address without ".onion". */
  public static final int ENCODED_LENGTH = 56;

  /** The only version this module handles. */
  public static final int VERSION = 3;

  private static final String SUFFIX = ".onion";
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

  /**
   * Identity keys that passed {@link Ed25519Math#isValidPublicKey} lately, so that a client
   * connecting to the same service again does not repeat the scalar multiplication by the group
   * order (milliseconds each: it was most of a fresh connection's time to first byte). Only keys
   * that passed are kept, at most this many, least recently used dropped first.
   */
  static final int VALIDATED_KEYS_CACHED = 256;

  private static final java.util.Map<java.nio.ByteBuffer, Boolean> VALIDATED =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(
                java.util.Map.Entry<java.nio.ByteBuffer, Boolean> eldest) {
              return size() > VALIDATED_KEYS_CACHED;
            }
          });

  private final byte[] publicKey;

  private OnionAddress(byte[] publicKey) {
    this.publicKey = publicKey;
  }

  /** The address of an identity public key (not validated: see {@link #parse}). */
  public static OnionAddress of(byte[] identityPublicKey) {
    if (identityPublicKey.length != 32) {
      throw new IllegalArgumentException("an identity key is 32 bytes");
    }
    return new OnionAddress(identityPublicKey.clone());
  }

  /**
   * Parses {@code address}, with or without ".onion", in any case. A subdomain ({@code
   * www.<addr>.onion}) is refused here; a SOCKS layer strips it first as C tor does.
   *
   * @throws OnionAddressException naming the failed check: length, characters, version, checksum or
   *     an invalid key (not a point, or with a torsion component)
   */
  public static OnionAddress parse(String address) throws OnionAddressException {
    String s = address.toLowerCase(Locale.ROOT);
    if (s.endsWith(SUFFIX)) {
      s = s.substring(0, s.length() - SUFFIX.length());
    }
    if (s.contains(".")) {
      throw new OnionAddressException("onion address has a subdomain");
    }
    if (s.length() != ENCODED_LENGTH) {
      throw new OnionAddressException(
          "onion address must be " + ENCODED_LENGTH + " base32 characters, got " + s.length());
    }
    byte[] raw = base32Decode(s);
    if (raw == null) {
      throw new OnionAddressException("onion address has characters outside base32");
    }
    byte[] pub = Arrays.copyOf(raw, 32);
    int version = raw[34] & 0xff;
    if (version != VERSION) {
      throw new OnionAddressException("unsupported onion address version " + version);
    }
    if (!Arrays.equals(checksum(pub), Arrays.copyOfRange(raw, 32, 34))) {
      throw new OnionAddressException("onion address checksum does not match");
    }
    java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(pub.clone());
    if (VALIDATED.get(key) == null) {
      if (!Ed25519Math.isValidPublicKey(pub)) {
        throw new OnionAddressException("onion address key is not a valid ed25519 identity key");
      }
      VALIDATED.put(key, Boolean.TRUE);
    }
    return new OnionAddress(pub);
  }

  private static byte[] checksum(byte[] pub) {
    return Arrays.copyOf(
        HsCrypto.sha3(HsCrypto.ascii(".onion checksum"), pub, new byte[] {VERSION}), 2);
  }

  /** The identity public key KP_hs_id. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The 56 lowercase base32 characters, without ".onion". */
  public String label() {
    return base32Encode(HsCrypto.concat(publicKey, checksum(publicKey), new byte[] {VERSION}));
  }

  /** The full address, e.g. {@code 25njq...sid.onion}. */
  @Override
  public String toString() {
    return label() + SUFFIX;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OnionAddress other && Arrays.equals(publicKey, other.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  /** RFC 4648 base32, lowercase, no padding. */
  public static String base32Encode(byte[] data) {
    StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  /** RFC 4648 base32 without padding, case-insensitive; {@code null} on a bad character. */
  public static byte[] base32Decode(String text) {
    String s = text.toLowerCase(Locale.ROOT);
    byte[] out = new byte[s.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      int v = ALPHABET.indexOf(s.charAt(i));
      if (v < 0) {
        return null;
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        if (n < out.length) {
          out[n++] = (byte) (buffer >> (bits - 8));
        }
        bits -= 8;
      }
    }
    return out;
  }
}
