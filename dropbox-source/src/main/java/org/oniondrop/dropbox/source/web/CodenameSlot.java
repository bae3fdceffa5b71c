package org.oniondrop.dropbox.source.web;

import jakarta.ws.rs.core.StreamingOutput;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Puts a codename into a rendered page without ever making it a {@code String}: the template is
 * rendered with a random placeholder, the page is encoded to bytes, and the codename's ASCII bytes
 * are copied over the placeholder. The page bytes are written once and wiped. (Codename characters
 * are {@code [a-z -]}: nothing to escape in HTML.)
 *
 * <p>The placeholder is random per page, so text a page shows from elsewhere (a journalist's reply
 * on the source's page) cannot carry it.
 */
final class CodenameSlot {

  /** Random bytes in a placeholder: 128 bits, unguessable. */
  private static final int MARK_BYTES = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String mark;

  CodenameSlot() {
    byte[] b = new byte[MARK_BYTES];
    RANDOM.nextBytes(b);
    mark = "codename-slot-" + HexFormat.of().formatHex(b);
  }

  /** The placeholder to render where the codename goes. */
  String mark() {
    return mark;
  }

  /**
   * The page with {@code codename} (ASCII bytes; wiped here) in place of the placeholder; written
   * once, then wiped.
   */
  StreamingOutput fill(String page, byte[] codename) {
    byte[] html = page.getBytes(StandardCharsets.UTF_8);
    byte[] m = mark.getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(html, m);
    if (at < 0) {
      Arrays.fill(codename, (byte) 0);
      throw new IllegalStateException("the page has no codename slot");
    }
    byte[] out = new byte[html.length - m.length + codename.length];
    System.arraycopy(html, 0, out, 0, at);
    System.arraycopy(codename, 0, out, at, codename.length);
    System.arraycopy(html, at + m.length, out, at + codename.length, html.length - at - m.length);
    Arrays.fill(codename, (byte) 0);
    return stream -> {
      try {
        stream.write(out);
      } finally {
        Arrays.fill(out, (byte) 0);
      }
    };
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
