package org.oniondrop.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretBytesTest {

  @Test
  void neverPrintsAndComparesByContent() {
    byte[] raw = {1, 2, 3};
    SecretBytes secret = SecretBytes.copyOf(raw);
    raw[0] = 9;
    assertThat(secret.toString()).isEqualTo("[redacted]");
    assertThat(secret.reveal()).containsExactly(1, 2, 3);
    assertThat(secret).isEqualTo(SecretBytes.copyOf(new byte[] {1, 2, 3}));
    assertThat(secret).isNotEqualTo(SecretBytes.copyOf(new byte[] {1, 2, 4}));
    assertThat(secret.equalsBytes(new byte[] {1, 2})).isFalse();
  }

  @Test
  void destroyWipes() {
    byte[] raw = {1, 2, 3};
    SecretBytes secret = SecretBytes.wrap(raw);
    secret.destroy();
    assertThat(raw).containsOnly(0);
    assertThat(secret.isDestroyed()).isTrue();
    assertThatThrownBy(secret::reveal).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void passphraseHelpersWipe() {
    char[] chars = "pässphrase".toCharArray();
    byte[] utf8 = Passphrases.utf8(chars);
    assertThat(utf8).hasSize(11);
    Passphrases.wipe(chars);
    Passphrases.wipe(utf8);
    assertThat(new String(chars)).isEqualTo("\0".repeat(10));
    assertThat(utf8).containsOnly(0);
  }
}
