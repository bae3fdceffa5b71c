package org.oniondrop.crypto.kdf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Known answers: RFC 7914 §12 (scrypt) and RFC 9106 §5.3 (Argon2id). */
class KdfVectorsTest {

  @ParameterizedTest
  @CsvSource({
    "'', '', 16, 1, 1,"
        + " 77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906",
    "password, NaCl, 1024, 8, 16,"
        + " fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
    "pleaseletmein, SodiumChloride, 16384, 8, 1,"
        + " 7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887",
  })
  void scryptRfc7914(String password, String salt, int n, int r, int p, String expected) {
    byte[] out =
        new ScryptParameters(n, r, p)
            .derive(
                password.getBytes(StandardCharsets.US_ASCII),
                salt.getBytes(StandardCharsets.US_ASCII),
                64);
    assertThat(HexFormat.of().formatHex(out)).isEqualTo(expected);
  }

  @Test
  void argon2idRfc9106() {
    byte[] password = filled(32, 0x01);
    byte[] salt = filled(16, 0x02);
    byte[] secret = filled(8, 0x03);
    byte[] associated = filled(12, 0x04);
    byte[] tag = new Argon2idParameters(32, 3, 4).derive(password, salt, secret, associated, 32);
    assertThat(HexFormat.of().formatHex(tag))
        .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
  }

  @Test
  void parsesConfigurationSpecs() {
    assertThat(KdfParameters.parse("scrypt:N=16384,r=8,p=1"))
        .isEqualTo(ScryptParameters.SECUREDROP);
    assertThat(KdfParameters.parse("argon2id:m=65536, t=4, p=2"))
        .isEqualTo(Argon2idParameters.SECUREDROP_JOURNALIST);
  }

  private static byte[] filled(int length, int value) {
    byte[] out = new byte[length];
    Arrays.fill(out, (byte) value);
    return out;
  }
}
