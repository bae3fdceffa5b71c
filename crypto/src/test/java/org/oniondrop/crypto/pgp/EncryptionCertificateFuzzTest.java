package org.oniondrop.crypto.pgp;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of OpenPGP key import (the admin's submission key upload and the
 * configured key file): any input either parses into a certificate or is refused with {@link
 * KeyRejectedException}; any other exception, a hang or an OutOfMemoryError is a finding.
 *
 * <p>The suite replays the committed corpus ({@code EncryptionCertificateFuzzTestInputs/parse/});
 * {@code tools/fuzz-all.sh 1000000 crypto} fuzzes it (and the module's other targets) for 10^6
 * inputs.
 */
class EncryptionCertificateFuzzTest {

  @FuzzTest(maxDuration = "4h")
  void parse(byte[] input) {
    try {
      EncryptionCertificate.parse(input);
    } catch (KeyRejectedException expected) {
      // the parser's own refusal
    }
  }
}
