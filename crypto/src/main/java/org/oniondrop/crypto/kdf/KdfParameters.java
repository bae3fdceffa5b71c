package org.oniondrop.crypto.kdf;

/** Parameters of a memory-hard KDF, able to derive bytes. */
public sealed interface KdfParameters permits ScryptParameters, Argon2idParameters {

  /** Derives {@code length} bytes from {@code secret} and {@code salt}. */
  byte[] derive(byte[] secret, byte[] salt, int length);

  /** Whether these parameters meet the production floors. */
  boolean meetsProductionFloor();

  /** Throws {@link KdfException} if {@code policy} is production and the floor is not met. */
  default void check(KdfPolicy policy) {
    if (policy == KdfPolicy.PRODUCTION && !meetsProductionFloor()) {
      throw new KdfException(
          this
              + " is below the production floor; cheap KDF parameters are only for tests"
              + " (KdfPolicy.TESTS_ONLY)");
    }
  }

  /**
   * Parses {@code scrypt:N=16384,r=8,p=1} or {@code argon2id:m=65536,t=4,p=2} (m in KiB), the form
   * configuration files use.
   */
  static KdfParameters parse(String spec) {
    int colon = spec.indexOf(':');
    if (colon < 0) {
      throw new KdfException("KDF spec must look like 'scrypt:N=16384,r=8,p=1' or 'argon2id:...'");
    }
    String algorithm = spec.substring(0, colon).trim();
    java.util.Map<String, Integer> values = new java.util.HashMap<>();
    for (String part : spec.substring(colon + 1).split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2) {
        throw new KdfException("KDF parameter '" + part.trim() + "' is not name=value");
      }
      try {
        values.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
      } catch (NumberFormatException e) {
        throw new KdfException("KDF parameter '" + kv[0].trim() + "' is not a whole number");
      }
    }
    switch (algorithm) {
      case "scrypt":
        return new ScryptParameters(need(values, "N"), need(values, "r"), need(values, "p"));
      case "argon2id":
        return new Argon2idParameters(need(values, "m"), need(values, "t"), need(values, "p"));
      default:
        throw new KdfException("unknown KDF '" + algorithm + "': use scrypt or argon2id");
    }
  }

  private static int need(java.util.Map<String, Integer> values, String name) {
    Integer value = values.get(name);
    if (value == null) {
      throw new KdfException("KDF parameter '" + name + "' is missing");
    }
    return value;
  }
}
