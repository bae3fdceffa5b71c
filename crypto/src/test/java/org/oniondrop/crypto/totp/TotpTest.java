package org.oniondrop.crypto.totp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.oniondrop.crypto.SecretBytes;

class TotpTest {

  private static final SecretBytes SHA1_SEED =
      SecretBytes.copyOf("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
  private static final SecretBytes SHA256_SEED =
      SecretBytes.copyOf("12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII));
  private static final SecretBytes SHA512_SEED =
      SecretBytes.copyOf(
          ("1234567890123456789012345678901234567890123456789012345678901234")
              .getBytes(StandardCharsets.US_ASCII));

  /** RFC 6238 Appendix B, all three hash functions, 8 digits. */
  @ParameterizedTest
  @CsvSource({
    "59,          94287082, 46119246, 90693936",
    "1111111109,  07081804, 68084774, 25091201",
    "1111111111,  14050471, 67062674, 99943326",
    "1234567890,  89005924, 91819424, 93441116",
    "2000000000,  69279037, 90698825, 38618901",
    "20000000000, 65353130, 77737706, 47863826",
  })
  void rfc6238Vectors(long unixSeconds, String sha1, String sha256, String sha512) {
    long step = unixSeconds / Totp.STEP_SECONDS;
    assertThat(Totp.code(SHA1_SEED, step, "HmacSHA1", 8)).isEqualTo(sha1);
    assertThat(Totp.code(SHA256_SEED, step, "HmacSHA256", 8)).isEqualTo(sha256);
    assertThat(Totp.code(SHA512_SEED, step, "HmacSHA512", 8)).isEqualTo(sha512);
    // The 6-digit code authenticator apps show is the last six digits.
    assertThat(Totp.code(SHA1_SEED, step)).isEqualTo(sha1.substring(2));
  }

  @Test
  void acceptsOneStepEitherSideAndReportsTheStep() {
    // Given a clock at 1111111111 s, step 37037037
    Totp totp = new Totp(fixedAt(1111111111L));
    long now = 1111111111L / 30;

    // When / Then
    assertThat(totp.verify(SHA1_SEED, Totp.code(SHA1_SEED, now))).isEqualTo(OptionalLong.of(now));
    assertThat(totp.verify(SHA1_SEED, Totp.code(SHA1_SEED, now - 1)))
        .isEqualTo(OptionalLong.of(now - 1));
    assertThat(totp.verify(SHA1_SEED, Totp.code(SHA1_SEED, now + 1)))
        .isEqualTo(OptionalLong.of(now + 1));
    assertThat(totp.verify(SHA1_SEED, Totp.code(SHA1_SEED, now - 2))).isEmpty();
    assertThat(totp.verify(SHA1_SEED, Totp.code(SHA1_SEED, now + 2))).isEmpty();
  }

  @Test
  void refusesMalformedCodes() {
    Totp totp = new Totp(fixedAt(59));
    assertThat(totp.verify(SHA1_SEED, null)).isEmpty();
    assertThat(totp.verify(SHA1_SEED, "28708")).isEmpty();
    assertThat(totp.verify(SHA1_SEED, "2870821")).isEmpty();
    assertThat(totp.verify(SHA1_SEED, "28708a")).isEmpty();
    assertThat(totp.verify(SHA1_SEED, "287 082")).isEqualTo(OptionalLong.of(1));
  }

  @Test
  void secretsAre160BitsAndRoundTripThroughBase32() {
    SecretBytes secret = Totp.newSecret(new SecureRandom());
    assertThat(secret.length()).isEqualTo(20);
    String base32 = Totp.base32(secret);
    assertThat(base32).hasSize(32).matches("[A-Z2-7]+");
    assertThat(Totp.parseBase32(base32.toLowerCase() + " ")).isEqualTo(secret);
    assertThat(secret.toString()).isEqualTo("[redacted]");
  }

  @Test
  void parseBase32RefusesGarbage() {
    assertThatThrownBy(() -> Totp.parseBase32("not base32 at all!"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Totp.parseBase32("ABC")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void otpauthUriHasTheStandardShape() {
    SecretBytes secret = Totp.parseBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    assertThat(Totp.otpauthUri("OnionDrop news desk", "alice", secret))
        .isEqualTo(
            "otpauth://totp/OnionDrop%20news%20desk:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
                + "&issuer=OnionDrop%20news%20desk&algorithm=SHA1&digits=6&period=30");
  }

  private static Clock fixedAt(long unixSeconds) {
    return Clock.fixed(Instant.ofEpochSecond(unixSeconds), ZoneOffset.UTC);
  }
}
