package org.oniondrop.onion.descriptor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Tor's directory document meta-format (dir-spec §1.2): lines of {@code keyword args...}, each
 * optionally followed by one object {@code -----BEGIN TYPE-----} base64 {@code -----END TYPE-----}.
 * Keywords must start the line (no leading space: C tor bug #23233).
 */
public final class NetDoc {

  /** HSV3MaxDescriptorSize: the largest descriptor an HSDir accepts. */
  public static final int MAX_DOCUMENT_BYTES = 50_000;

  /** Items in one document (about 20 intro points x 6 lines, plus auth-client lines). */
  public static final int MAX_ITEMS = 1024;

  /** Decoded bytes in one object (a middle layer blob is ~10 KB; a descriptor at most 50 KB). */
  public static final int MAX_OBJECT_BYTES = MAX_DOCUMENT_BYTES;

  /** Arguments on one line. */
  public static final int MAX_ARGS = 16;

  private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");

  /** One keyword line and its optional object. */
  public record Item(
      String keyword, List<String> args, String objectType, byte[] object, int start, int end) {

    public String arg(int i) throws DescriptorException {
      if (i >= args.size()) {
        throw malformed("'" + keyword + "' needs at least " + (i + 1) + " arguments");
      }
      return args.get(i);
    }

    /** The object, checking its type. */
    public byte[] object(String expectedType) throws DescriptorException {
      if (object == null || !expectedType.equals(objectType)) {
        throw malformed("'" + keyword + "' must be followed by a " + expectedType + " object");
      }
      return object;
    }
  }

  private NetDoc() {}

  static DescriptorException malformed(String message) {
    return new DescriptorException(DescriptorException.Reason.MALFORMED, message);
  }

  /** Splits {@code text} into items; {@code start}/{@code end} are character offsets. */
  public static List<Item> parse(String text) throws DescriptorException {
    if (text.length() > MAX_DOCUMENT_BYTES) {
      throw malformed("document longer than " + MAX_DOCUMENT_BYTES + " bytes");
    }
    List<Item> items = new ArrayList<>();
    int pos = 0;
    while (pos < text.length()) {
      int lineEnd = text.indexOf('\n', pos);
      if (lineEnd < 0) {
        lineEnd = text.length();
      }
      String line = text.substring(pos, lineEnd);
      int start = pos;
      pos = Math.min(lineEnd + 1, text.length());
      if (line.isEmpty()) {
        if (pos >= text.length()) {
          break;
        }
        throw malformed("empty line inside the document");
      }
      if (line.startsWith(" ") || line.startsWith("\t")) {
        throw malformed("line starts with white space: '" + abbreviate(line) + "'");
      }
      if (line.startsWith("-----")) {
        throw malformed("object without a keyword line");
      }
      String[] parts = line.split(" ", -1);
      if (!KEYWORD.matcher(parts[0]).matches()) {
        throw malformed("bad keyword '" + abbreviate(parts[0]) + "'");
      }
      if (parts.length - 1 > MAX_ARGS) {
        throw malformed("'" + parts[0] + "' has more than " + MAX_ARGS + " arguments");
      }
      List<String> args = new ArrayList<>();
      for (int i = 1; i < parts.length; i++) {
        if (parts[i].isEmpty()) {
          throw malformed("'" + parts[0] + "' has an empty argument");
        }
        args.add(parts[i]);
      }
      String objectType = null;
      byte[] object = null;
      if (pos < text.length() && text.startsWith("-----BEGIN ", pos)) {
        int beginEnd = text.indexOf('\n', pos);
        if (beginEnd < 0) {
          throw malformed("object BEGIN line without an end");
        }
        String begin = text.substring(pos, beginEnd);
        if (!begin.endsWith("-----") || begin.length() < 16) {
          throw malformed("bad object BEGIN line");
        }
        objectType = begin.substring(11, begin.length() - 5);
        String endLine = "-----END " + objectType + "-----";
        int endAt = text.indexOf(endLine, beginEnd + 1);
        if (endAt < 0) {
          throw malformed("object " + objectType + " is not terminated");
        }
        String body = text.substring(beginEnd + 1, endAt).replace("\n", "");
        if (body.length() / 4 * 3 > MAX_OBJECT_BYTES) {
          throw malformed("object " + objectType + " is too large");
        }
        object = base64(body, "object " + objectType);
        pos = endAt + endLine.length();
        if (pos < text.length()) {
          if (text.charAt(pos) != '\n') {
            throw malformed("text after the END line of " + objectType);
          }
          pos++;
        }
      }
      if (items.size() == MAX_ITEMS) {
        throw malformed("more than " + MAX_ITEMS + " items");
      }
      items.add(new Item(parts[0], List.copyOf(args), objectType, object, start, pos));
    }
    return items;
  }

  /** Decodes base64 with or without padding, as tor writes both. */
  public static byte[] base64(String text, String what) throws DescriptorException {
    String s = text;
    while (s.length() % 4 != 0) {
      s = s + "=";
    }
    try {
      return Base64.getDecoder().decode(s.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw malformed(what + " is not base64");
    }
  }

  /** Base64 without padding (single-line fields). */
  public static String base64NoPad(byte[] bytes) {
    return Base64.getEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Base64 with padding. */
  public static String base64Padded(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * An object block: BEGIN line, 64-character base64 lines with padding, END line (no final
   * newline).
   */
  public static String object(String type, byte[] bytes) {
    StringBuilder out = new StringBuilder();
    out.append("-----BEGIN ").append(type).append("-----\n");
    String b64 = base64Padded(bytes);
    for (int i = 0; i < b64.length(); i += 64) {
      out.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    out.append("-----END ").append(type).append("-----");
    return out.toString();
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
