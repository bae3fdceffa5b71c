package org.oniondrop.dropbox.journalist.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Ciphertext downloads: whole or ranged (RFC 9110 §14), and ZIPs streamed to the client. */
public final class Downloads {

  /** Longest Range header accepted. */
  static final int MAX_RANGE_HEADER = 64;

  private Downloads() {}

  /**
   * The file as stored, {@code application/pgp-encrypted}, with {@code ETag: "sha256:<hex>"} and
   * {@code Accept-Ranges: bytes}; a single {@code bytes=a-b}, {@code a-} or {@code -n} range gets
   * 206, an unsatisfiable one 416.
   */
  public static Response file(Path file, String sha256, String downloadName, String range)
      throws IOException {
    long size = Files.size(file);
    String etag = "\"sha256:" + sha256 + "\"";
    long start = 0;
    long end = size - 1;
    boolean partial = false;
    if (range != null && !range.isBlank()) {
      long[] r = parseRange(range, size);
      if (r == null) {
        return Response.status(416).header("Content-Range", "bytes */" + size).build();
      }
      start = r[0];
      end = r[1];
      partial = true;
    }
    long length = size == 0 ? 0 : end - start + 1;
    StreamingOutput body = slice(file, start, length);
    Response.ResponseBuilder b =
        Response.status(partial ? 206 : 200)
            .entity(body)
            .type("application/pgp-encrypted")
            .header("ETag", etag)
            .header("Accept-Ranges", "bytes")
            .header("Content-Length", length)
            .header("Content-Disposition", "attachment; filename=\"" + downloadName + "\"");
    if (partial) {
      b.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
    }
    return b.build();
  }

  /**
   * {@code length} bytes of {@code file} from {@code offset}, streamed as the client reads them
   * (the pages and the API serve ranges alike).
   */
  public static StreamingOutput slice(Path file, long offset, long length) {
    return out -> {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        ch.position(offset);
        copy(Channels.newInputStream(ch), out, length);
      }
    };
  }

  /** {start, end} inclusive, or null if not satisfiable or not understood. */
  static long[] parseRange(String header, long size) {
    if (header.length() > MAX_RANGE_HEADER
        || !header.startsWith("bytes=")
        || header.contains(",")) {
      return null;
    }
    String spec = header.substring(6).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String a = spec.substring(0, dash).strip();
      String b = spec.substring(dash + 1).strip();
      long start;
      long end;
      if (a.isEmpty()) {
        long n = Long.parseLong(b);
        if (n <= 0) {
          return null;
        }
        start = Math.max(0, size - n);
        end = size - 1;
      } else {
        start = Long.parseLong(a);
        end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
      }
      if (start < 0 || start >= size || end < start) {
        return null;
      }
      return new long[] {start, end};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = length;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        break;
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  /** An entry of a ZIP: its name and the stored file. */
  public record Entry(String name, Path file) {}

  /** A ZIP of ciphertexts, streamed (stored without compression: ciphertext does not shrink). */
  public static Response zip(List<Entry> entries, String zipName) {
    StreamingOutput body =
        out -> {
          ZipOutputStream zip = new ZipOutputStream(out);
          zip.setLevel(Deflater.NO_COMPRESSION);
          for (Entry e : entries) {
            zip.putNextEntry(new ZipEntry(e.name()));
            Files.copy(e.file(), zip);
            zip.closeEntry();
          }
          zip.finish();
          zip.flush();
        };
    return Response.ok(body)
        .type("application/zip")
        .header("Content-Disposition", "attachment; filename=\"" + zipName + "\"")
        .build();
  }
}
