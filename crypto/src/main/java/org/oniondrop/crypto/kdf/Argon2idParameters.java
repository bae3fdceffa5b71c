package org.oniondrop.crypto.kdf;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106) cost parameters, version 0x13.
 *
 * @param memoryKiB memory in KiB
 * @param iterations passes over memory (t)
 * @param parallelism lanes (p)
 */
public record Argon2idParameters(int memoryKiB, int iterations, int parallelism)
    implements KdfParameters {

  /** SecureDrop's journalist passphrase parameters: 64 MiB, t=4, p=2. */
  public static final Argon2idParameters SECUREDROP_JOURNALIST =
      new Argon2idParameters(65536, 4, 2);

  /** Production floor: OWASP's lowest recommended Argon2id setting, 19 MiB with t=2. */
  public static final int MIN_PRODUCTION_MEMORY_KIB = 19 * 1024;

  /** Production floor for t. */
  public static final int MIN_PRODUCTION_ITERATIONS = 2;

  /** Upper bound so a configuration typo or a hostile stored hash cannot exhaust memory. */
  public static final int MAX_MEMORY_KIB = 1024 * 1024;

  /** Upper bound on t: a hostile stored hash must not pin a CPU for minutes. */
  public static final int MAX_ITERATIONS = 64;

  /** Upper bound on p. */
  public static final int MAX_PARALLELISM = 16;

  public Argon2idParameters {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new KdfException("argon2id p must be in 1.." + MAX_PARALLELISM);
    }
    if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
      throw new KdfException("argon2id m must be in 8*p.." + MAX_MEMORY_KIB + " KiB");
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new KdfException("argon2id t must be in 1.." + MAX_ITERATIONS);
    }
  }

  /** Cheap parameters for tests only. */
  public static Argon2idParameters forTestsOnly() {
    return new Argon2idParameters(64, 1, 1);
  }

  @Override
  public byte[] derive(byte[] secret, byte[] salt, int length) {
    return derive(secret, salt, null, null, length);
  }

  /** Full RFC 9106 form with optional secret {@code K} and associated data {@code X}. */
  public byte[] derive(byte[] secret, byte[] salt, byte[] key, byte[] associated, int length) {
    Argon2Parameters.Builder builder =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKiB)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .withSalt(salt);
    if (key != null) {
      builder.withSecret(key);
    }
    if (associated != null) {
      builder.withAdditional(associated);
    }
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(builder.build());
    byte[] out = new byte[length];
    generator.generateBytes(secret, out);
    return out;
  }

  @Override
  public boolean meetsProductionFloor() {
    return memoryKiB >= MIN_PRODUCTION_MEMORY_KIB && iterations >= MIN_PRODUCTION_ITERATIONS;
  }

  @Override
  public String toString() {
    return "argon2id:m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism;
  }
}
