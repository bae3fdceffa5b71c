package org.oniondrop.crypto.kdf;

/** Whether cheap KDF parameters are allowed. */
public enum KdfPolicy {
  /** Parameters below the production floors are refused. The default everywhere. */
  PRODUCTION,
  /** Any valid parameters, so that test suites run fast. Never configure this in production. */
  TESTS_ONLY
}
