package org.oniondrop.dropbox.core.codename;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;
import org.oniondrop.crypto.Passphrases;
import org.oniondrop.crypto.SecretBytes;
import org.oniondrop.crypto.words.Codename;

/**
 * A per-session keyed digest of a codename: {@code HMAC-SHA256(k, normalised codename)} with a
 * random 256-bit {@code k} drawn for this session alone.
 *
 * <p>Security guarantees: the codename is not kept (only the key and the 32-byte tag, both in
 * {@link SecretBytes}, wiped by {@link #destroy()}); the tag is useless without the key, and the
 * key never leaves the object. Every window of the message is HMACed and compared with {@link
 * MessageDigest#isEqual} (time independent of where the windows differ), and the loop does not stop
 * early at a match, so the time taken depends on the message's length and word count only. The work
 * is one HMAC per window: a message at the 100,000-character limit has at most 50,000 windows, a
 * few tens of milliseconds, whatever the KDF costs.
 *
 * <p>Normalisation is {@link Codename#parse}'s: ASCII letters folded to lower case, hyphens kept,
 * words joined by one space. In a message every other character separates words, so a codename
 * split by punctuation or line breaks is still found.
 */
public final class KeyedCodenameDigest implements CodenameInMessageCheck, Destroyable {

  private static final String HMAC = "HmacSHA256";

  /** Bytes of the per-session key (256 bits, HMAC-SHA256's block-size-safe choice). */
  static final int KEY_BYTES = 32;

  private final SecretBytes key;
  private final SecretBytes tag;
  private final int words;

  /** Windows compared by the last {@link #foundIn} call: lets a test see that all were checked. */
  volatile int lastWindows;

  private KeyedCodenameDigest(SecretBytes key, SecretBytes tag, int words) {
    this.key = key;
    this.tag = tag;
    this.words = words;
  }

  /** Digests {@code codename} under a new random key; the codename itself is not kept. */
  public static KeyedCodenameDigest of(Codename codename, SecureRandom random) {
    byte[] k = new byte[KEY_BYTES];
    random.nextBytes(k);
    char[] chars = codename.chars();
    byte[] ascii = new byte[chars.length];
    try {
      for (int i = 0; i < chars.length; i++) {
        ascii[i] = (byte) chars[i];
      }
      Mac mac = mac(k);
      byte[] t = mac.doFinal(ascii);
      return new KeyedCodenameDigest(
          SecretBytes.wrap(k), SecretBytes.wrap(t), codename.wordCount());
    } finally {
      Passphrases.wipe(chars);
      Arrays.fill(ascii, (byte) 0);
    }
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  @Override
  public boolean foundIn(CharSequence message) {
    if (message == null) {
      return false;
    }
    // The message as codenames are normalised: words of [a-z-] joined by single spaces; starts[i]
    // is where word i begins, ends[i] where it ends.
    int n = message.length();
    byte[] text = new byte[n];
    int[] starts = new int[n / 2 + 1];
    int[] ends = new int[n / 2 + 1];
    int len = 0;
    int count = 0;
    boolean inWord = false;
    for (int i = 0; i < n; i++) {
      char c = message.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      boolean wordChar = (c >= 'a' && c <= 'z') || c == '-';
      if (wordChar) {
        if (!inWord) {
          if (count > 0) {
            text[len++] = ' ';
          }
          starts[count] = len;
          inWord = true;
        }
        text[len++] = (byte) c;
        ends[count] = len;
      } else if (inWord) {
        inWord = false;
        count++;
      }
    }
    if (inWord) {
      count++;
    }
    byte[] k = key.reveal();
    byte[] expected = tag.reveal();
    try {
      Mac mac = mac(k);
      boolean found = false;
      int windows = 0;
      for (int first = 0; first + words <= count; first++) {
        int from = starts[first];
        mac.update(text, from, ends[first + words - 1] - from);
        found |= MessageDigest.isEqual(mac.doFinal(), expected);
        windows++;
      }
      lastWindows = windows;
      return found;
    } finally {
      Arrays.fill(k, (byte) 0);
      Arrays.fill(expected, (byte) 0);
      Arrays.fill(text, (byte) 0);
    }
  }

  @Override
  public void destroy() {
    key.destroy();
    tag.destroy();
  }

  @Override
  public boolean isDestroyed() {
    return key.isDestroyed();
  }

  @Override
  public String toString() {
    return "[redacted]";
  }
}
