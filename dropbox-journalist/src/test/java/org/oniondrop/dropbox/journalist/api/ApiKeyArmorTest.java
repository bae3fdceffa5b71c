package org.oniondrop.dropbox.journalist.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.oniondrop.crypto.pgp.EncryptionCertificate;
import org.oniondrop.crypto.pgp.GeneratedKeyPair;
import org.oniondrop.crypto.pgp.SourceKeys;

/**
 * A source's {@code public_key} in the API: a key stored as armored text (as SecureDrop stores it,
 * e.g. imported) is served verbatim without its final line break, so the Inbox's record versions
 * equal SecureDrop's; a binary key is armored by us; stored text that is not a valid certificate is
 * never served.
 */
class ApiKeyArmorTest {

  private static final GeneratedKeyPair KEY = SourceKeys.generate("armor test".toCharArray());

  @Test
  void aBinaryKeyIsArmoredByUs() throws Exception {
    assertThat(ApiV1Resource.isArmored(KEY.certificate())).isFalse();
    assertThat(ApiV1Resource.armored(KEY.certificate()))
        .isEqualTo(EncryptionCertificate.parse(KEY.certificate()).armored())
        .startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
  }

  @Test
  void anArmoredKeyIsServedVerbatimWithoutTheFinalLineBreak() throws Exception {
    String stored =
        EncryptionCertificate.parse(KEY.certificate())
                .armored()
                .replace(
                    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n",
                    "-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: kept as given\n")
                .stripTrailing()
            + "\n\n";
    byte[] bytes = stored.getBytes(StandardCharsets.US_ASCII);
    assertThat(ApiV1Resource.isArmored(bytes)).isTrue();
    assertThat(ApiV1Resource.armored(bytes)).isEqualTo(stored.stripTrailing());
  }

  @Test
  void storedTextThatIsNoValidKeyIsNeverServed() {
    byte[] garbage =
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n"
            .getBytes(StandardCharsets.US_ASCII);
    assertThat(ApiV1Resource.isArmored(garbage)).isTrue();
    assertThat(ApiV1Resource.armored(garbage)).isNull();
    byte[] withControl =
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\u0000".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(ApiV1Resource.isArmored(withControl)).isFalse();
  }
}
