package org.oniondrop.crypto.kdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.oniondrop.crypto.SecretBytes;
import org.oniondrop.crypto.words.Codename;

class SourceKeyDerivationTest {

  private static final SecretBytes ID_SALT = salt(0x11);
  private static final SecretBytes PASS_SALT = salt(0x22);

  private final SourceKeyDerivation cheap =
      new SourceKeyDerivation(
          ScryptParameters.forTestsOnly(), ID_SALT, PASS_SALT, KdfPolicy.TESTS_ONLY);

  @Test
  void derivesAStableWellFormedSourceIdFromTheNormalizedCodename() {
    String id = cheap.sourceId(Codename.parse("abacus abdomen abdominal"));
    assertThat(id).hasSize(SourceKeyDerivation.SOURCE_ID_LENGTH);
    assertThat(SourceKeyDerivation.isWellFormedSourceId(id)).isTrue();
    assertThat(cheap.sourceId(Codename.parse("  Abacus   ABDOMEN abdominal "))).isEqualTo(id);
    assertThat(cheap.sourceId(Codename.parse("abacus abdomen abide"))).isNotEqualTo(id);
  }

  @Test
  void idAndPassphraseDifferBecauseTheSaltsDiffer() {
    Codename codename = Codename.parse("abacus abdomen abdominal");
    String id = cheap.sourceId(codename);
    char[] passphrase = cheap.replyKeyPassphrase(codename);
    assertThat(new String(passphrase)).hasSize(52).isNotEqualTo(id);
  }

  @Test
  void otherSaltsGiveOtherIds() {
    SourceKeyDerivation other =
        new SourceKeyDerivation(
            ScryptParameters.forTestsOnly(), salt(0x33), PASS_SALT, KdfPolicy.TESTS_ONLY);
    Codename codename = Codename.parse("abacus abdomen abdominal");
    assertThat(other.sourceId(codename)).isNotEqualTo(cheap.sourceId(codename));
  }

  @Test
  void refusesEqualMissingOrShortSalts() {
    assertThatThrownBy(
            () ->
                new SourceKeyDerivation(
                    ScryptParameters.forTestsOnly(), ID_SALT, salt(0x11), KdfPolicy.TESTS_ONLY))
        .isInstanceOf(KdfException.class)
        .hasMessageContaining("must be different");
    assertThatThrownBy(
            () ->
                new SourceKeyDerivation(
                    ScryptParameters.forTestsOnly(), null, PASS_SALT, KdfPolicy.TESTS_ONLY))
        .isInstanceOf(KdfException.class)
        .hasMessageContaining("required");
    assertThatThrownBy(
            () ->
                new SourceKeyDerivation(
                    ScryptParameters.forTestsOnly(),
                    SecretBytes.copyOf(new byte[15]),
                    PASS_SALT,
                    KdfPolicy.TESTS_ONLY))
        .isInstanceOf(KdfException.class)
        .hasMessageContaining("at least 16 bytes");
  }

  @Test
  void productionRefusesCheapParameters() {
    assertThatThrownBy(
            () ->
                new SourceKeyDerivation(
                    ScryptParameters.forTestsOnly(), ID_SALT, PASS_SALT, KdfPolicy.PRODUCTION))
        .isInstanceOf(KdfException.class)
        .hasMessageContaining("below the production floor");
    assertThatThrownBy(
            () ->
                new SourceKeyDerivation(
                    Argon2idParameters.forTestsOnly(), ID_SALT, PASS_SALT, KdfPolicy.PRODUCTION))
        .isInstanceOf(KdfException.class);
    // SecureDrop's parameters are accepted.
    new SourceKeyDerivation(ScryptParameters.SECUREDROP, ID_SALT, PASS_SALT, KdfPolicy.PRODUCTION);
  }

  @Test
  void refusesOutOfBoundsParameters() {
    assertThatThrownBy(() -> new ScryptParameters(1000, 8, 1)).isInstanceOf(KdfException.class);
    assertThatThrownBy(() -> new ScryptParameters(1 << 21, 8, 1)).isInstanceOf(KdfException.class);
    assertThatThrownBy(() -> new Argon2idParameters(1 << 21, 1, 1))
        .isInstanceOf(KdfException.class);
    assertThatThrownBy(() -> KdfParameters.parse("bcrypt:cost=12"))
        .isInstanceOf(KdfException.class)
        .hasMessageContaining("unknown KDF");
  }

  @Test
  void sourceIdShapeCheck() {
    assertThat(SourceKeyDerivation.isWellFormedSourceId("../../etc/passwd")).isFalse();
    assertThat(SourceKeyDerivation.isWellFormedSourceId("A".repeat(52))).isTrue();
    assertThat(SourceKeyDerivation.isWellFormedSourceId("a".repeat(52))).isFalse();
    assertThat(SourceKeyDerivation.isWellFormedSourceId("A".repeat(51))).isFalse();
  }

  private static SecretBytes salt(int value) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) value);
    return SecretBytes.wrap(bytes);
  }
}
