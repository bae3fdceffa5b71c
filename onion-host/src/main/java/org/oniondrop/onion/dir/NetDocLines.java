package org.oniondrop.onion.dir;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The directory meta-format (dir-spec §1.2) as items: a keyword line with its arguments, optionally
 * followed by one {@code -----BEGIN X-----} object. Each item records where it starts in the text
 * so signatures can cover exact byte ranges. Bounded by the caller's document size limit.
 */
final class NetDocLines {

  /** A line longer than this is not a directory line. */
  static final int MAX_LINE = 8192;

  /** An object (signature, key) longer than this is refused. */
  static final int MAX_OBJECT_LINES = 200;

  record Item(String keyword, List<String> args, String objectType, byte[] object, int start) {

    String arg(int i) throws DirException {
      if (i >= args.size()) {
        throw new DirException("'" + keyword + "' needs at least " + (i + 1) + " arguments");
      }
      return args.get(i);
    }
  }

  private NetDocLines() {}

  /** Splits {@code text} (ASCII, LF line ends) into items. */
  static List<Item> parse(String text) throws DirException {
    List<Item> items = new ArrayList<>();
    int pos = 0;
    int n = text.length();
    while (pos < n) {
      int eol = text.indexOf('\n', pos);
      if (eol < 0) {
        throw new DirException("document does not end with a newline");
      }
      if (eol - pos > MAX_LINE) {
        throw new DirException("line longer than " + MAX_LINE + " characters");
      }
      String line = text.substring(pos, eol);
      int start = pos;
      pos = eol + 1;
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("-----")) {
        throw new DirException("object without a keyword line");
      }
      String[] parts = line.trim().split("[ \t]+");
      String keyword = parts[0];
      if (keyword.equals("opt") && parts.length > 1) {
        keyword = parts[1];
        parts = java.util.Arrays.copyOfRange(parts, 1, parts.length);
      }
      List<String> args = List.of(parts).subList(1, parts.length);
      String objectType = null;
      byte[] object = null;
      if (pos < n && text.startsWith("-----BEGIN ", pos)) {
        int beginEnd = text.indexOf('\n', pos);
        if (beginEnd < 0) {
          throw new DirException("unterminated object");
        }
        String begin = text.substring(pos, beginEnd);
        if (!begin.endsWith("-----")) {
          throw new DirException("malformed object header");
        }
        objectType = begin.substring("-----BEGIN ".length(), begin.length() - 5);
        String end = "-----END " + objectType + "-----";
        pos = beginEnd + 1;
        StringBuilder b64 = new StringBuilder();
        for (int lines = 0; ; lines++) {
          if (lines > MAX_OBJECT_LINES) {
            throw new DirException("object longer than " + MAX_OBJECT_LINES + " lines");
          }
          int e = text.indexOf('\n', pos);
          if (e < 0) {
            throw new DirException("unterminated " + objectType + " object");
          }
          String l = text.substring(pos, e);
          pos = e + 1;
          if (l.equals(end)) {
            break;
          }
          b64.append(l.trim());
        }
        try {
          object = Base64.getDecoder().decode(b64.toString());
        } catch (IllegalArgumentException ex) {
          throw new DirException("object is not base64");
        }
      }
      items.add(new Item(keyword, args, objectType, object, start));
    }
    return items;
  }

  /** Base64 that may lack its trailing '=' (dir-spec §1.2 lets digests and keys omit it). */
  static byte[] base64(String s, int expectedLength, String what) throws DirException {
    try {
      byte[] b = Base64.getDecoder().decode(pad(s));
      if (expectedLength >= 0 && b.length != expectedLength) {
        throw new DirException(what + " is " + b.length + " bytes, expected " + expectedLength);
      }
      return b;
    } catch (IllegalArgumentException e) {
      throw new DirException(what + " is not base64");
    }
  }

  static String pad(String s) {
    return switch (s.length() % 4) {
      case 2 -> s + "==";
      case 3 -> s + "=";
      default -> s;
    };
  }

  static byte[] hex(String s, int expectedLength, String what) throws DirException {
    try {
      byte[] b = java.util.HexFormat.of().parseHex(s);
      if (b.length != expectedLength) {
        throw new DirException(what + " is " + b.length + " bytes, expected " + expectedLength);
      }
      return b;
    } catch (IllegalArgumentException e) {
      throw new DirException(what + " is not hex");
    }
  }

  static java.time.Instant time(Item item) throws DirException {
    String s = item.arg(0) + "T" + item.arg(1) + "Z";
    try {
      return java.time.Instant.parse(s);
    } catch (java.time.format.DateTimeParseException e) {
      throw new DirException("'" + item.keyword() + "' has a malformed time");
    }
  }
}
