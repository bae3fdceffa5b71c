package org.oniondrop.dropbox.core.service;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the logo check (an admin uploads the PNG; the source pages serve it):
 * any input is accepted or refused with {@link IllegalArgumentException}; any other exception, a
 * hang or an OutOfMemoryError (a decompression bomb) is a finding.
 *
 * <p>The suite replays the committed corpus ({@code PngLogoFuzzTestInputs/check/}); {@code
 * tools/fuzz-all.sh 1000000 dropbox-core} fuzzes it (and the module's other targets) for 10^6
 * inputs.
 */
class PngLogoFuzzTest {

  @FuzzTest(maxDuration = "4h")
  void check(byte[] input) {
    try {
      PngLogo.check(input);
    } catch (IllegalArgumentException expected) {
      // the check's own refusal
    }
  }
}
