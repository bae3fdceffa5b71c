package org.oniondrop.onion.embedded;

import java.nio.charset.StandardCharsets;

/**
 * An HSDir's view of one BEGIN_DIR HTTP request (dir-spec §6.2 over rend-spec-v3 §2.2.6): the bytes
 * received so far are either incomplete, a complete request, or refused with a status. Sans-IO, so
 * the relay's parsing can be tested and fuzzed from bytes.
 */
public final class DirRequest {

  /** Outcome of {@link #parse}. */
  public sealed interface Result permits Incomplete, Refused, Request {}

  /** More bytes are needed. */
  public record Incomplete() implements Result {}

  /** The request is refused with this HTTP status and reason. */
  public record Refused(int status, String reason) implements Result {}

  /** A complete request. */
  public record Request(String method, String path, byte[] body) implements Result {}

  private DirRequest() {}

  /** Parses {@code request} (every byte received so far), refusing more than {@code maxBytes}. */
  public static Result parse(byte[] request, int maxBytes) {
    if (request.length > maxBytes) {
      return new Refused(413, "Request Entity Too Large");
    }
    int headerEnd = indexOf(request, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    if (headerEnd < 0) {
      return new Incomplete();
    }
    String head = new String(request, 0, headerEnd, StandardCharsets.US_ASCII);
    String[] lines = head.split("\r\n");
    String[] requestLine = lines.length == 0 ? new String[0] : lines[0].split(" ");
    if (requestLine.length != 3) {
      return new Refused(400, "Bad Request");
    }
    int contentLength = 0;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
        try {
          contentLength = Integer.parseInt(lines[i].substring(colon + 1).trim());
        } catch (NumberFormatException e) {
          contentLength = -1;
        }
      }
    }
    if (contentLength < 0 || contentLength > maxBytes) {
      return new Refused(413, "Request Entity Too Large");
    }
    int bodyStart = headerEnd + 4;
    if (request.length - bodyStart < contentLength) {
      return new Incomplete();
    }
    byte[] body = java.util.Arrays.copyOfRange(request, bodyStart, bodyStart + contentLength);
    return new Request(requestLine[0], requestLine[1], body);
  }

  static int indexOf(byte[] haystack, byte[] needle) {
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
