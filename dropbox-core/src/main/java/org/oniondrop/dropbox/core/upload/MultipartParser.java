package org.oniondrop.dropbox.core.upload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import org.oniondrop.dropbox.core.upload.UploadRejectedException.Reason;

/**
 * A streaming {@code multipart/form-data} parser (RFC 7578, body syntax of RFC 2046 §5.1.1) that
 * does no I/O: the caller {@link #feed feeds} bytes as they arrive and the parser calls its {@link
 * Handler} with each part's headers and body slices. Body slices are views into the fed array (or
 * into the delimiter constant, for a delimiter prefix that turned out to be data): the handler
 * copies what it keeps, so the parser itself never buffers body bytes.
 *
 * <p>Every input is bounded before anything is kept: the whole body by {@link
 * Limits#maxFormBytes()}, the number of parts by {@link Limits#maxParts()}, each header block by
 * {@link Limits#maxHeaderBytes()}, the preamble by {@value #MAX_PREAMBLE_BYTES} bytes and the
 * transport padding after a delimiter by {@value #MAX_PADDING} bytes. Bytes of parts the handler
 * ignores (and of the epilogue) still count towards the form bound, so no body can run forever.
 *
 * <p>Not thread-safe: one parser per request, fed from one thread (the request's event loop).
 */
public final class MultipartParser {

  /** RFC 2046 §5.1.1: a boundary is 1 to 70 characters. */
  public static final int MAX_BOUNDARY = 70;

  /** Browsers send no preamble; a little is tolerated, as RFC 2046 allows one. */
  public static final int MAX_PREAMBLE_BYTES = 1024;

  /** Transport padding (spaces, tabs) allowed after a delimiter before its CRLF. */
  public static final int MAX_PADDING = 64;

  /** What the parser reports. Any method may throw to stop the parse. */
  public interface Handler {
    /** A part begins; its body follows through {@link #partData}. */
    void partStart(Part part) throws UploadRejectedException;

    /** Body bytes of the current part: valid only during the call. */
    void partData(byte[] b, int off, int len) throws UploadRejectedException;

    /** The current part's body ended. */
    void partEnd() throws UploadRejectedException;
  }

  /**
   * One part's headers: the form field {@code name}, the {@code filename} if the part has one
   * (possibly empty: a file input with no file chosen), and its content type if given.
   */
  public record Part(String name, String filename, String contentType) {
    public boolean isFile() {
      return filename != null;
    }

    @Override
    public String toString() {
      return "Part[redacted]";
    }
  }

  /** The bounds of one form. */
  public record Limits(int maxParts, int maxHeaderBytes, long maxFormBytes) {}

  private enum State {
    PREAMBLE,
    AFTER_DELIMITER,
    AFTER_DELIMITER_CR,
    AFTER_DELIMITER_DASH,
    HEADERS,
    BODY,
    EPILOGUE,
    FAILED
  }

  private final byte[] delimiter;
  private final Limits limits;
  private final Handler handler;
  private final byte[] header;
  private State state = State.PREAMBLE;
  private int matched;
  private int headerLength;
  private int padding;
  private long total;
  private long preamble;
  private int parts;

  /**
   * A parser for {@code boundary} (see {@link #boundaryOf}).
   *
   * @throws IllegalArgumentException if the boundary is not RFC 2046 shaped
   */
  public MultipartParser(String boundary, Limits limits, Handler handler) {
    if (!validBoundary(boundary)) {
      throw new IllegalArgumentException("not an RFC 2046 boundary");
    }
    this.limits = Objects.requireNonNull(limits);
    this.handler = Objects.requireNonNull(handler);
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
    this.header = new byte[limits.maxHeaderBytes()];
    // The body starts with "--boundary": pretend its CRLF was already seen.
    this.matched = 2;
  }

  /**
   * The boundary of a {@code multipart/form-data} content type, or {@code null} if the type is
   * another or its boundary is missing or malformed.
   */
  public static String boundaryOf(String contentType) {
    if (contentType == null || contentType.length() > 512) {
      return null;
    }
    // limit -1 keeps empty pieces: ";".split(";") is an empty array, which params[0] would overrun
    String[] params = contentType.split(";", -1);
    if (!params[0].trim().toLowerCase(Locale.ROOT).equals("multipart/form-data")) {
      return null;
    }
    for (int i = 1; i < params.length; i++) {
      String p = params[i].trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
        String v = p.substring(eq + 1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        return validBoundary(v) ? v : null;
      }
    }
    return null;
  }

  /** RFC 2046 §5.1.1 bchars, 1 to 70 of them, not ending in a space. */
  static boolean validBoundary(String b) {
    if (b == null || b.isEmpty() || b.length() > MAX_BOUNDARY || b.endsWith(" ")) {
      return false;
    }
    for (int i = 0; i < b.length(); i++) {
      char c = b.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || "'()+_,-./:=? ".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Bytes fed so far. */
  public long bytesFed() {
    return total;
  }

  /** Parts started so far. */
  public int parts() {
    return parts;
  }

  /** Whether the closing delimiter was seen. */
  public boolean complete() {
    return state == State.EPILOGUE;
  }

  /** Parses {@code len} more bytes of the body. */
  public void feed(byte[] b, int off, int len) throws UploadRejectedException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (state == State.FAILED) {
      throw new UploadRejectedException(Reason.MALFORMED);
    }
    try {
      total += len;
      if (total > limits.maxFormBytes()) {
        throw new UploadRejectedException(Reason.FORM_TOO_LARGE);
      }
      int end = off + len;
      int i = off;
      while (i < end) {
        i =
            switch (state) {
              case PREAMBLE, BODY -> scan(b, i, end);
              case AFTER_DELIMITER, AFTER_DELIMITER_CR, AFTER_DELIMITER_DASH ->
                  afterDelimiter(b, i);
              case HEADERS -> headers(b, i, end);
              case EPILOGUE -> end;
              case FAILED -> throw new IllegalStateException();
            };
      }
    } catch (UploadRejectedException | RuntimeException e) {
      state = State.FAILED;
      throw e;
    }
  }

  /** The body ended: it must have ended with the closing delimiter. */
  public void finish() throws UploadRejectedException {
    if (state != State.EPILOGUE) {
      state = State.FAILED;
      throw new UploadRejectedException(Reason.MALFORMED);
    }
  }

  /** Body or preamble: looks for the delimiter, hands the bytes before it on. */
  private int scan(byte[] b, int i, int end) throws UploadRejectedException {
    final byte[] d = delimiter;
    if (matched > 0) {
      // A delimiter prefix was carried over from the previous feed.
      while (i < end && matched < d.length && b[i] == d[matched]) {
        matched++;
        i++;
      }
      if (matched == d.length) {
        matched = 0;
        delimiterFound();
        return i;
      }
      if (i == end) {
        return i;
      }
      // Not a delimiter after all: the carried prefix was data. CR occurs in the delimiter only
      // at its start, so matching restarts at the current byte.
      data(d, 0, matched);
      matched = 0;
    }
    int start = i;
    while (i < end) {
      i = indexOfCr(b, i, end);
      if (i == end) {
        break;
      }
      int n = 1;
      while (n < d.length && i + n < end && b[i + n] == d[n]) {
        n++;
      }
      if (n == d.length) {
        data(b, start, i - start);
        delimiterFound();
        return i + n;
      }
      if (i + n == end) {
        data(b, start, i - start);
        matched = n;
        return end;
      }
      i++;
    }
    data(b, start, i - start);
    return i;
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long CRS = 0x0D0D0D0D0D0D0D0DL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * The index of the first CR in {@code b[i..end)}, or {@code end}. The delimiter search spends
   * nearly all its time here (file bytes are almost never CR), so it looks at eight bytes at a
   * time: after XOR with eight CRs a CR byte is zero, and {@code (x - 0x01..01) & ~x & 0x80..80}
   * flags zero bytes; its lowest flag is always a true zero byte (a borrow only runs upwards), and
   * in little-endian order the lowest byte is the first in the array.
   */
  static int indexOfCr(byte[] b, int i, int end) {
    for (; i <= end - Long.BYTES; i += Long.BYTES) {
      long x = (long) LONGS.get(b, i) ^ CRS;
      long zeros = (x - ONES) & ~x & HIGHS;
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < end; i++) {
      if (b[i] == '\r') {
        return i;
      }
    }
    return end;
  }

  private void data(byte[] b, int off, int len) throws UploadRejectedException {
    if (len == 0) {
      return;
    }
    if (state == State.BODY) {
      handler.partData(b, off, len);
    } else {
      preamble += len;
      if (preamble > MAX_PREAMBLE_BYTES) {
        throw new UploadRejectedException(Reason.MALFORMED);
      }
    }
  }

  private void delimiterFound() throws UploadRejectedException {
    if (state == State.BODY) {
      handler.partEnd();
    }
    state = State.AFTER_DELIMITER;
    padding = 0;
  }

  /** After a delimiter: "--" closes the body, CRLF starts a part's headers. */
  private int afterDelimiter(byte[] b, int i) throws UploadRejectedException {
    byte c = b[i];
    switch (state) {
      case AFTER_DELIMITER -> {
        if (c == '-' && padding == 0) {
          state = State.AFTER_DELIMITER_DASH;
        } else if (c == '\r') {
          state = State.AFTER_DELIMITER_CR;
        } else if ((c == ' ' || c == '\t') && ++padding <= MAX_PADDING) {
          // transport padding
        } else {
          throw new UploadRejectedException(Reason.MALFORMED);
        }
      }
      case AFTER_DELIMITER_DASH -> {
        if (c != '-') {
          throw new UploadRejectedException(Reason.MALFORMED);
        }
        state = State.EPILOGUE;
      }
      case AFTER_DELIMITER_CR -> {
        if (c != '\n') {
          throw new UploadRejectedException(Reason.MALFORMED);
        }
        if (++parts > limits.maxParts()) {
          throw new UploadRejectedException(Reason.TOO_MANY_PARTS);
        }
        state = State.HEADERS;
        headerLength = 0;
      }
      default -> throw new IllegalStateException();
    }
    return i + 1;
  }

  /** Collects a header block up to its empty line, bounded. */
  private int headers(byte[] b, int i, int end) throws UploadRejectedException {
    while (i < end) {
      if (headerLength == header.length) {
        throw new UploadRejectedException(Reason.HEADERS_TOO_LARGE);
      }
      header[headerLength++] = b[i++];
      int n = headerLength;
      boolean emptyBlock = n == 2 && header[0] == '\r' && header[1] == '\n';
      boolean blockEnd =
          n >= 4
              && header[n - 4] == '\r'
              && header[n - 3] == '\n'
              && header[n - 2] == '\r'
              && header[n - 1] == '\n';
      if (emptyBlock || blockEnd) {
        Part part = parseHeaders(new String(header, 0, n, StandardCharsets.UTF_8));
        state = State.BODY;
        matched = 0;
        handler.partStart(part);
        return i;
      }
    }
    return i;
  }

  /** The headers RFC 7578 §4.2 and §4.4 define; others are ignored. */
  static Part parseHeaders(String block) throws UploadRejectedException {
    String name = null;
    String filename = null;
    String contentType = null;
    boolean disposition = false;
    for (String line : block.split("\r\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t' || line.indexOf('\n') >= 0) {
        throw new UploadRejectedException(Reason.MALFORMED); // folding or a bare LF
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new UploadRejectedException(Reason.MALFORMED);
      }
      String field = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (field.equals("content-disposition")) {
        if (disposition) {
          throw new UploadRejectedException(Reason.MALFORMED);
        }
        disposition = true;
        Params p = new Params(value);
        if (!p.token().equalsIgnoreCase("form-data")) {
          throw new UploadRejectedException(Reason.MALFORMED);
        }
        while (p.more()) {
          String key = p.key();
          String v = p.value();
          if (key.equals("name")) {
            name = v;
          } else if (key.equals("filename")) {
            filename = v;
          }
        }
      } else if (field.equals("content-type")) {
        contentType = value;
      }
    }
    if (!disposition || name == null) {
      throw new UploadRejectedException(Reason.MALFORMED);
    }
    return new Part(name, filename, contentType);
  }

  /** {@code token *( ";" key "=" (token | quoted-string) )}. */
  private static final class Params {
    private final String s;
    private int i;

    Params(String s) {
      this.s = s;
    }

    private void spaces() {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
        i++;
      }
    }

    String token() {
      spaces();
      int start = i;
      while (i < s.length() && s.charAt(i) != ';' && s.charAt(i) != '=' && s.charAt(i) != ' ') {
        i++;
      }
      return s.substring(start, i);
    }

    boolean more() throws UploadRejectedException {
      spaces();
      if (i == s.length()) {
        return false;
      }
      if (s.charAt(i) != ';') {
        throw new UploadRejectedException(Reason.MALFORMED);
      }
      i++;
      spaces();
      return i < s.length();
    }

    String key() throws UploadRejectedException {
      String k = token().toLowerCase(Locale.ROOT);
      spaces();
      if (k.isEmpty() || i == s.length() || s.charAt(i) != '=') {
        throw new UploadRejectedException(Reason.MALFORMED);
      }
      i++;
      spaces();
      return k;
    }

    String value() throws UploadRejectedException {
      if (i < s.length() && s.charAt(i) == '"') {
        i++;
        StringBuilder v = new StringBuilder();
        while (i < s.length()) {
          char c = s.charAt(i++);
          if (c == '"') {
            return v.toString();
          }
          if (c == '\\' && i < s.length()) {
            c = s.charAt(i++);
          }
          v.append(c);
        }
        throw new UploadRejectedException(Reason.MALFORMED);
      }
      return token();
    }
  }
}
