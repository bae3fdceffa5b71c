package org.oniondrop.crypto.passphrase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.oniondrop.crypto.kdf.Argon2idParameters;
import org.oniondrop.crypto.kdf.KdfException;
import org.oniondrop.crypto.kdf.KdfPolicy;

class PassphraseHasherTest {

  private final PassphraseHasher hasher =
      new PassphraseHasher(
          Argon2idParameters.forTestsOnly(), KdfPolicy.TESTS_ONLY, new SecureRandom());

  @Test
  void generatesSevenWordPassphrasesThatAreAcceptable() throws Exception {
    char[] generated = hasher.generate();
    assertThat(new String(generated).split(" ")).hasSize(7);
    PassphraseHasher.checkAcceptable(generated);
  }

  @Test
  void hashesAndVerifies() throws Exception {
    char[] passphrase = "correct horse battery staple".toCharArray();
    String stored = hasher.hash(passphrase);
    assertThat(stored).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
    assertThat(hasher.verify(passphrase, stored)).isTrue();
    assertThat(hasher.verify("correct horse battery stapler".toCharArray(), stored)).isFalse();
    assertThat(hasher.hash(passphrase)).as("fresh salt each time").isNotEqualTo(stored);
  }

  @Test
  void verifiesAgainstTheStoredParametersNotTheCurrentOnes() throws Exception {
    PassphraseHasher stronger =
        new PassphraseHasher(
            new Argon2idParameters(128, 2, 1), KdfPolicy.TESTS_ONLY, new SecureRandom());
    char[] passphrase = "correct horse battery staple".toCharArray();
    String old = hasher.hash(passphrase);
    assertThat(stronger.verify(passphrase, old)).isTrue();
    assertThat(stronger.needsRehash(old)).isTrue();
    assertThat(hasher.needsRehash(old)).isFalse();
  }

  @Test
  void lengthRules() {
    assertThatThrownBy(() -> PassphraseHasher.checkAcceptable("short".toCharArray()))
        .isInstanceOf(PassphraseRejectedException.class)
        .extracting("reason")
        .isEqualTo(PassphraseRejectedException.Reason.TOO_SHORT);
    assertThatThrownBy(() -> PassphraseHasher.checkAcceptable("x".repeat(129).toCharArray()))
        .isInstanceOf(PassphraseRejectedException.class)
        .extracting("reason")
        .isEqualTo(PassphraseRejectedException.Reason.TOO_LONG);
  }

  @Test
  void refusesTamperedOrHostileStoredHashesBeforeWorking() {
    char[] passphrase = "correct horse battery staple".toCharArray();
    assertThatThrownBy(() -> hasher.verify(passphrase, "$2b$12$bcrypt"))
        .isInstanceOf(PassphraseHashFormatException.class);
    assertThatThrownBy(
            () -> hasher.verify(passphrase, "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaA"))
        .isInstanceOf(PassphraseHashFormatException.class)
        .hasMessageContaining("out of bounds");
    assertThatThrownBy(() -> hasher.verify(passphrase, "$argon2id$v=19$m=64,t=1,p=1$!!$!!"))
        .isInstanceOf(PassphraseHashFormatException.class);
  }

  @Test
  void productionRefusesCheapParametersAndAcceptsSecureDrops() {
    assertThatThrownBy(
            () ->
                new PassphraseHasher(
                    Argon2idParameters.forTestsOnly(), KdfPolicy.PRODUCTION, new SecureRandom()))
        .isInstanceOf(KdfException.class);
    assertThat(PassphraseHasher.standard()).isNotNull();
  }
}
