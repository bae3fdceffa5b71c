package org.oniondrop.dropbox.source.web;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.oniondrop.crypto.words.Codename;

/**
 * The login form ({@code application/x-www-form-urlencoded}) parsed from the raw body, so that the
 * typed codename is decoded into a wipeable array and never becomes a {@code String} (a JAX-RS
 * {@code @FormParam String} would be one, beyond reach of any wipe).
 */
final class LoginForm implements Destroyable {

  /**
   * Largest login body read: a 128-character codename percent-encoded three times over, the
   * 43-character CSRF token, field names and separators fit well within it.
   */
  static final int MAX_BODY = 1024;

  /** Longest CSRF token value kept (the real one is 43 characters). */
  static final int MAX_TOKEN = 64;

  private String csrf;
  private char[] codename = new char[0];
  private boolean malformed;

  private LoginForm() {}

  /** Parses {@code body} and wipes it. */
  static LoginForm parse(byte[] body) {
    LoginForm form = new LoginForm();
    if (body == null || body.length > MAX_BODY) {
      form.malformed = true;
      if (body != null) {
        Arrays.fill(body, (byte) 0);
      }
      return form;
    }
    int start = 0;
    while (start <= body.length) {
      int end = start;
      while (end < body.length && body[end] != '&') {
        end++;
      }
      int eq = start;
      while (eq < end && body[eq] != '=') {
        eq++;
      }
      String name = new String(body, start, eq - start, StandardCharsets.US_ASCII);
      int valueFrom = Math.min(eq + 1, end);
      if (name.equals("csrf_token") && end - valueFrom <= MAX_TOKEN) {
        char[] v = decode(body, valueFrom, end);
        form.csrf = v == null ? null : new String(v);
      } else if (name.equals("codename")) {
        char[] v = decode(body, valueFrom, end);
        if (v == null) {
          form.malformed = true;
        } else {
          Arrays.fill(form.codename, '\0');
          form.codename = v;
        }
      }
      start = end + 1;
    }
    Arrays.fill(body, (byte) 0);
    return form;
  }

  /**
   * Percent-decodes (with '+' as space) one value; bytes above ASCII stay as they are (invalid).
   */
  private static char[] decode(byte[] b, int from, int to) {
    char[] out = new char[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xff;
      if (c == '+') {
        c = ' ';
      } else if (c == '%') {
        if (i + 2 >= to) {
          Arrays.fill(out, '\0');
          return null;
        }
        int hi = Character.digit(b[i + 1], 16);
        int lo = Character.digit(b[i + 2], 16);
        if (hi < 0 || lo < 0) {
          Arrays.fill(out, '\0');
          return null;
        }
        c = (hi << 4) | lo;
        i += 2;
      }
      out[n++] = (char) c;
    }
    char[] exact = Arrays.copyOf(out, n);
    Arrays.fill(out, '\0');
    return exact;
  }

  /** The CSRF token sent, or null. */
  String csrf() {
    return csrf;
  }

  /**
   * The typed codename, normalised.
   *
   * @throws IllegalArgumentException when it is not a codename (empty, too long, other characters)
   */
  Codename codename() {
    if (malformed) {
      throw new IllegalArgumentException("malformed login form");
    }
    return Codename.parse(CharBuffer.wrap(codename));
  }

  @Override
  public void destroy() {
    Arrays.fill(codename, '\0');
  }

  @Override
  public boolean isDestroyed() {
    return codename.length == 0 || codename[0] == '\0';
  }
}
