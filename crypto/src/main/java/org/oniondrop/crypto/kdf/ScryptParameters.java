package org.oniondrop.crypto.kdf;

import org.bouncycastle.crypto.generators.SCrypt;

/**
 * scrypt (RFC 7914) cost parameters.
 *
 * @param n CPU/memory cost, a power of two; memory is about 128 * n * r bytes
 * @param r block size
 * @param p parallelization
 */
public record ScryptParameters(int n, int r, int p) implements KdfParameters {

  /** SecureDrop's parameters for its source derivations: N=2^14, r=8, p=1 (16 MiB). */
  public static final ScryptParameters SECUREDROP = new ScryptParameters(1 << 14, 8, 1);

  /** Production floor for N (16 MiB of memory with r=8). */
  public static final int MIN_PRODUCTION_N = 1 << 14;

  /** Production floor for r. */
  public static final int MIN_PRODUCTION_R = 8;

  /** Upper bound on N so a configuration typo cannot exhaust memory (1 GiB with r=8). */
  public static final int MAX_N = 1 << 20;

  /** Upper bound on r and p. */
  public static final int MAX_R_P = 64;

  public ScryptParameters {
    if (n < 2 || n > MAX_N || Integer.bitCount(n) != 1) {
      throw new KdfException("scrypt N must be a power of two in 2.." + MAX_N);
    }
    if (r < 1 || r > MAX_R_P || p < 1 || p > MAX_R_P) {
      throw new KdfException("scrypt r and p must be in 1.." + MAX_R_P);
    }
  }

  /** Cheap parameters for tests only (RFC 7914's first vector's cost). */
  public static ScryptParameters forTestsOnly() {
    return new ScryptParameters(16, 1, 1);
  }

  @Override
  public byte[] derive(byte[] secret, byte[] salt, int length) {
    return SCrypt.generate(secret, salt, n, r, p, length);
  }

  @Override
  public boolean meetsProductionFloor() {
    return n >= MIN_PRODUCTION_N && r >= MIN_PRODUCTION_R;
  }

  @Override
  public String toString() {
    return "scrypt:N=" + n + ",r=" + r + ",p=" + p;
  }
}
