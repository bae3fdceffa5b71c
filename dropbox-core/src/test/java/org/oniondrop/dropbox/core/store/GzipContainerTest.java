package org.oniondrop.dropbox.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The gzip container decompresses (JDK's GZIPInputStream, which checks CRC and length) to exactly
 * what was written, whichever path it took: compressed, or the hand-written stored blocks after the
 * probe, for every write split (byte by byte, small gathered writes, large pass-through writes
 * longer than one stored block).
 */
class GzipContainerTest {

  private static final int MIB = 1 << 20;

  @Test
  void incompressibleDataIsStoredAndRoundTripsForEverySplit() throws IOException {
    byte[] data = random(3 * MIB + 12_345, 1);
    for (int maxWrite : new int[] {1, 100, 8 * 1024 - 1, 8 * 1024, 65_535, 65_536, 256 * 1024}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      GzipContainer gzip = new GzipContainer(out, "leak.pdf");
      write(gzip, data, maxWrite, new Random(maxWrite));
      assertTrue(gzip.storing(), "stores incompressible data, writes <= " + maxWrite);
      gzip.finish();
      assertArrayEquals(data, gunzip(out.toByteArray()), "writes <= " + maxWrite);
      // Stored: at most the input, a 5-byte header per block, the probe's deflate overhead.
      long overhead = out.size() - (long) data.length;
      assertTrue(overhead < 2 * 1024 + 5L * (data.length / 1024), "overhead " + overhead);
    }
  }

  @Test
  void compressibleDataIsCompressedAndRoundTrips() throws IOException {
    byte[] data = "The quick brown fox jumps over the lazy dog.\n".repeat(60_000).getBytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GzipContainer gzip = new GzipContainer(out, "notes.txt");
    write(gzip, data, 300_000, new Random(7));
    assertFalse(gzip.storing());
    gzip.finish();
    assertArrayEquals(data, gunzip(out.toByteArray()));
    assertTrue(out.size() < data.length / 20, "compressed to " + out.size());
  }

  @Test
  void shortAndEmptyInputsRoundTrip() throws IOException {
    for (int size :
        new int[] {0, 1, 1000, GzipContainer.PROBE_BYTES - 1, GzipContainer.PROBE_BYTES}) {
      byte[] data = random(size, size);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      GzipContainer gzip = new GzipContainer(out, "");
      write(gzip, data, 70_000, new Random(size));
      gzip.finish();
      assertArrayEquals(data, gunzip(out.toByteArray()), "size " + size);
    }
  }

  @Test
  void headerCarriesTheNameAndNoTime() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GzipContainer gzip = new GzipContainer(out, "report.pdf");
    gzip.finish();
    byte[] b = out.toByteArray();
    assertEquals(0x08, b[3], "FNAME flag only");
    assertArrayEquals(new byte[4], java.util.Arrays.copyOfRange(b, 4, 8), "mtime 0");
    assertEquals(
        "report.pdf", new String(b, 10, "report.pdf".length(), StandardCharsets.ISO_8859_1));
  }

  private static void write(GzipContainer gzip, byte[] data, int maxWrite, Random random)
      throws IOException {
    int off = 0;
    while (off < data.length) {
      int n = Math.min(data.length - off, 1 + random.nextInt(maxWrite));
      if (n == 1) {
        gzip.write(data[off]);
      } else {
        gzip.write(data, off, n);
      }
      off += n;
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
