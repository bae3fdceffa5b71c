package org.oniondrop.crypto.totp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;
import org.oniondrop.crypto.Passphrases;
import org.oniondrop.crypto.SecretBytes;

/** RFC 6238 TOTP with SHA-1, {@value #DIGITS} digits and {@value #STEP_SECONDS}-second steps. */
public final class Totp {

  /** Digits in a code. */
  public static final int DIGITS = 6;

  /** Length of a time step in seconds. */
  public static final int STEP_SECONDS = 30;

  /** Secret length: 160 bits, RFC 4226's recommendation for HMAC-SHA-1. */
  public static final int SECRET_BYTES = 20;

  /** Steps accepted either side of now, for clock drift (one, as SecureDrop). */
  public static final int ALLOWED_DRIFT_STEPS = 1;

  private static final int[] POW10 = {
    1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000
  };

  private final Clock clock;

  public Totp(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A new random 160-bit secret. */
  public static SecretBytes newSecret(SecureRandom random) {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return SecretBytes.wrap(secret);
  }

  /** The secret in RFC 4648 base32 without padding, as authenticator apps want it typed. */
  public static String base32(SecretBytes secret) {
    byte[] raw = secret.reveal();
    try {
      String encoded = Base32.toBase32String(raw);
      int end = encoded.indexOf('=');
      return end < 0 ? encoded : encoded.substring(0, end);
    } finally {
      Passphrases.wipe(raw);
    }
  }

  /**
   * Parses base32 as people type it (case, spaces and padding ignored).
   *
   * @throws IllegalArgumentException if it is not base32 of at least 10 bytes
   */
  public static SecretBytes parseBase32(String typed) {
    String clean = typed.replace(" ", "").replace("=", "").toUpperCase(Locale.ROOT);
    if (clean.length() < 16 || clean.length() > 128 || !clean.matches("[A-Z2-7]+")) {
      throw new IllegalArgumentException("not a base32 TOTP secret of 80 to 640 bits");
    }
    int padded = (clean.length() + 7) / 8 * 8;
    StringBuilder withPad = new StringBuilder(clean);
    while (withPad.length() < padded) {
      withPad.append('=');
    }
    return SecretBytes.wrap(Base32.decode(withPad.toString()));
  }

  /**
   * The {@code otpauth://} URI for a QR code (Google Authenticator's key URI format): {@code
   * otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30}.
   */
  public static String otpauthUri(String issuer, String account, SecretBytes secret) {
    String label = encode(issuer) + ":" + encode(account);
    return "otpauth://totp/"
        + label
        + "?secret="
        + base32(secret)
        + "&issuer="
        + encode(issuer)
        + "&algorithm=SHA1&digits="
        + DIGITS
        + "&period="
        + STEP_SECONDS;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The current time step: floor(unix seconds / 30). */
  public long currentStep() {
    return Math.floorDiv(clock.instant().getEpochSecond(), STEP_SECONDS);
  }

  /** The code for {@code step} (RFC 4226 §5.3 dynamic truncation). */
  public static String code(SecretBytes secret, long step) {
    return code(secret, step, "HmacSHA1", DIGITS);
  }

  /** The code for any HMAC algorithm and digit count; for RFC 6238's SHA-256/512 vectors. */
  static String code(SecretBytes secret, long step, String hmac, int digits) {
    byte[] key = secret.reveal();
    try {
      Mac mac = Mac.getInstance(hmac);
      mac.init(new SecretKeySpec(key, hmac));
      byte[] counter = new byte[8];
      for (int i = 7; i >= 0; i--) {
        counter[i] = (byte) step;
        step >>>= 8;
      }
      byte[] h = mac.doFinal(counter);
      int offset = h[h.length - 1] & 0x0f;
      int binary =
          ((h[offset] & 0x7f) << 24)
              | ((h[offset + 1] & 0xff) << 16)
              | ((h[offset + 2] & 0xff) << 8)
              | (h[offset + 3] & 0xff);
      String code = Integer.toString(binary % POW10[digits]);
      return "0".repeat(digits - code.length()) + code;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC unavailable in this JVM: " + hmac, e);
    } finally {
      Passphrases.wipe(key);
    }
  }

  /**
   * Checks {@code typed} against the steps now-1, now and now+1.
   *
   * @return the step that matched, which the caller stores and refuses to accept again (a code for
   *     a step at or before the last accepted one is a replay); empty if none matched or the input
   *     is not {@value #DIGITS} digits (spaces ignored)
   */
  public OptionalLong verify(SecretBytes secret, String typed) {
    if (typed == null) {
      return OptionalLong.empty();
    }
    String digits = typed.replace(" ", "");
    if (digits.length() != DIGITS || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    byte[] candidate = digits.getBytes(StandardCharsets.US_ASCII);
    long now = currentStep();
    long matched = -1;
    // Check every step, whatever matches, so the time taken does not say which one did.
    for (long step = now - ALLOWED_DRIFT_STEPS; step <= now + ALLOWED_DRIFT_STEPS; step++) {
      byte[] expected = code(secret, step).getBytes(StandardCharsets.US_ASCII);
      if (MessageDigest.isEqual(expected, candidate) && matched < 0) {
        matched = step;
      }
    }
    return matched < 0 ? OptionalLong.empty() : OptionalLong.of(matched);
  }
}
