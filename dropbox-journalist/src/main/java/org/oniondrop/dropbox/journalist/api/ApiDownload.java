package org.oniondrop.dropbox.journalist.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.oniondrop.dropbox.journalist.web.Downloads;

/**
 * An item's ciphertext as SecureDrop's {@code serve_file_with_etag} sends it: {@code
 * application/pgp-encrypted}, the header spelt {@code Etag: sha256:<hex>} (the Python SDK reads
 * that exact key), {@code Accept-Ranges: bytes}, {@code Content-Disposition: attachment;
 * filename=<name>} unquoted (our names are {@code [a-z0-9_-.]} only, a token that needs no quotes),
 * and one byte range honoured as Werkzeug does: an end past the file is clamped, a start past it is
 * 416, a header it cannot parse is ignored (whole file).
 */
final class ApiDownload {

  /** Longest Range header considered; longer ones are ignored like unparseable ones. */
  static final int MAX_RANGE_HEADER = 64;

  private ApiDownload() {}

  static Response file(Path file, String sha256, String filename, String range) throws IOException {
    long size = Files.size(file);
    long start = 0;
    long end = size - 1;
    boolean partial = false;
    long[] r = parseRange(range);
    if (r != null) {
      long from = r[0] >= 0 ? r[0] : Math.max(0, size + r[0]);
      long to = r[0] >= 0 ? (r[1] < 0 ? size - 1 : Math.min(r[1], size - 1)) : size - 1;
      if (from >= size || to < from) {
        return Response.status(416)
            .type("application/json")
            .entity(
                ApiJson.bytes(
                    new ApiJson.Error(
                        "Requested Range Not Satisfiable",
                        "The server cannot provide the requested range.")))
            .header("Content-Range", "bytes */" + size)
            .build();
      }
      start = from;
      end = to;
      partial = true;
    }
    long offset = start;
    long length = size == 0 ? 0 : end - start + 1;
    StreamingOutput body = Downloads.slice(file, offset, length);
    Response.ResponseBuilder b =
        Response.status(partial ? 206 : 200)
            .entity(body)
            .type("application/pgp-encrypted")
            .header("Content-Length", length)
            .header("Content-Disposition", "attachment; filename=" + filename)
            .header("Etag", "sha256:" + sha256)
            .header("Accept-Ranges", "bytes");
    if (partial) {
      b.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
    }
    return b.build();
  }

  /**
   * One {@code bytes=a-b}, {@code a-} or {@code -n}: {a, b} with b = -1 for open, or {-n, 0} for a
   * suffix; null when absent or not understood (then the whole file is sent).
   */
  static long[] parseRange(String header) {
    if (header == null || header.length() > MAX_RANGE_HEADER) {
      return null;
    }
    String h = header.strip();
    if (!h.startsWith("bytes=") || h.contains(",")) {
      return null;
    }
    String spec = h.substring(6).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    String a = spec.substring(0, dash).strip();
    String b = spec.substring(dash + 1).strip();
    try {
      if (a.isEmpty()) {
        long n = Long.parseLong(b);
        return n > 0 ? new long[] {-n, 0} : null;
      }
      long from = Long.parseLong(a);
      long to = b.isEmpty() ? -1 : Long.parseLong(b);
      if (from < 0 || (to >= 0 && to < from)) {
        return null;
      }
      return new long[] {from, to};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
