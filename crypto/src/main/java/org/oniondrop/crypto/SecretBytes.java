package org.oniondrop.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * A holder for secret bytes: a derived key, a TOTP secret, a salt.
 *
 * <p>Security guarantees: {@link #toString()} never shows the bytes; {@link #equals} compares in
 * constant time (for equal lengths); the raw bytes are only reachable through {@link #reveal()},
 * which returns a copy so that the caller can wipe it, and {@link #destroy()} overwrites the held
 * copy with zeros. The holder does not promise that no other copy exists in the JVM: the garbage
 * collector may have moved it.
 */
public final class SecretBytes implements Destroyable {

  private final byte[] bytes;
  private volatile boolean destroyed;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes}; the caller keeps ownership of (and may wipe) its array. */
  public static SecretBytes copyOf(byte[] bytes) {
    return new SecretBytes(bytes.clone());
  }

  /** Takes ownership of {@code bytes} without copying; the caller must not use the array again. */
  public static SecretBytes wrap(byte[] bytes) {
    return new SecretBytes(bytes);
  }

  /** The number of secret bytes. */
  public int length() {
    return bytes.length;
  }

  /** A copy of the raw bytes: the one explicit way out. Wipe it when done. */
  public byte[] reveal() {
    checkNotDestroyed();
    return bytes.clone();
  }

  /** Constant-time comparison with raw bytes (time depends only on the lengths). */
  public boolean equalsBytes(byte[] other) {
    checkNotDestroyed();
    return MessageDigest.isEqual(bytes, other);
  }

  @Override
  public void destroy() {
    Arrays.fill(bytes, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new IllegalStateException("secret was destroyed");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretBytes other && equalsBytes(other.bytes);
  }

  @Override
  public int hashCode() {
    // Deliberately constant: a hash of the content would leak information about it.
    return SecretBytes.class.hashCode();
  }

  @Override
  public String toString() {
    return "[redacted]";
  }
}
