package org.oniondrop.dropbox.core.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The {@code .gz} container SecureDrop's clients expect inside a document's OpenPGP message (RFC
 * 1952, with the original file name in the header's FNAME field and mtime 0).
 *
 * <p>Adaptive: the first {@value #PROBE_BYTES} bytes are deflated at level 1; if they shrink by
 * less than 10% (PDFs, images, video, archives) the rest is written as stored blocks: compressing
 * incompressible data is ten times slower and also leaks size patterns.
 *
 * <p>Stored blocks are written here, not by zlib: after a sync flush the deflate stream is byte
 * aligned (RFC 1951 §3.2.4), so each block is a 5-byte header (BFINAL=0, BTYPE=00, LEN, NLEN)
 * followed by the caller's bytes passed straight on, without the copy through zlib. Writes smaller
 * than {@value #SMALL_WRITE} bytes are gathered into one block first, so a caller writing byte by
 * byte does not get a header per byte. The stream ends with an empty final stored block.
 */
public final class GzipContainer extends OutputStream {

  /** Input looked at before deciding whether compression pays. */
  static final int PROBE_BYTES = 256 * 1024;

  /** Compressed/input ratio above which the rest is stored. */
  static final double STORE_RATIO = 0.9;

  private static final int BUFFER = 64 * 1024;

  /** Largest stored block (LEN is 16 bits). */
  static final int MAX_STORED_BLOCK = 65_535;

  /** Writes below this size are gathered before they become a stored block. */
  static final int SMALL_WRITE = 8 * 1024;

  private final OutputStream out;
  private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
  private final CRC32 crc = new CRC32();
  private final byte[] buffer = new byte[BUFFER];
  private long total;
  private boolean decided;
  private boolean storing;
  private int gathered;
  private boolean closed;

  /** Writes the header; {@code name} is stored as ISO-8859-1 with '?' for other characters. */
  public GzipContainer(OutputStream out, String name) throws IOException {
    this.out = out;
    byte[] header = {
      0x1f, (byte) 0x8b, 8, (byte) (name.isEmpty() ? 0 : 0x08), 0, 0, 0, 0, 0, (byte) 255
    };
    out.write(header);
    if (!name.isEmpty()) {
      out.write(name.replace('\0', '_').getBytes(StandardCharsets.ISO_8859_1));
      out.write(0);
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    crc.update(b, off, len);
    total += len;
    if (storing) {
      writeStored(b, off, len);
      return;
    }
    deflater.setInput(b, off, len);
    while (!deflater.needsInput()) {
      drain(Deflater.NO_FLUSH);
    }
    if (!decided && total >= PROBE_BYTES) {
      decided = true;
      if (deflater.getBytesWritten() > STORE_RATIO * deflater.getBytesRead()) {
        // Everything so far leaves zlib, ending on a byte boundary; zlib is done.
        drain(Deflater.SYNC_FLUSH);
        storing = true;
        deflater.end();
      }
    }
  }

  /** Stored blocks of the caller's bytes; small writes are gathered in {@link #buffer} first. */
  private void writeStored(byte[] b, int off, int len) throws IOException {
    if (len < SMALL_WRITE) {
      if (gathered + len > MAX_STORED_BLOCK) {
        flushGathered();
      }
      System.arraycopy(b, off, buffer, gathered, len);
      gathered += len;
      return;
    }
    flushGathered();
    while (len > 0) {
      int n = Math.min(len, MAX_STORED_BLOCK);
      storedBlock(b, off, n, false);
      off += n;
      len -= n;
    }
  }

  private void flushGathered() throws IOException {
    if (gathered > 0) {
      storedBlock(buffer, 0, gathered, false);
      gathered = 0;
    }
  }

  private void storedBlock(byte[] b, int off, int n, boolean last) throws IOException {
    out.write(
        new byte[] {
          (byte) (last ? 1 : 0), (byte) n, (byte) (n >>> 8), (byte) ~n, (byte) (~n >>> 8)
        });
    if (n > 0) {
      out.write(b, off, n);
    }
  }

  private void drain(int flush) throws IOException {
    int n;
    do {
      n = deflater.deflate(buffer, 0, buffer.length, flush);
      if (n > 0) {
        out.write(buffer, 0, n);
      }
    } while (n == buffer.length);
  }

  /** Whether the rest of the input is being stored rather than compressed. */
  public boolean storing() {
    return storing;
  }

  /** Finishes the deflate stream and writes the trailer; does not close the target. */
  public void finish() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (storing) {
      flushGathered();
      storedBlock(buffer, 0, 0, true);
    } else {
      deflater.finish();
      while (!deflater.finished()) {
        int n = deflater.deflate(buffer);
        out.write(buffer, 0, n);
      }
    }
    long c = crc.getValue();
    byte[] trailer = new byte[8];
    for (int i = 0; i < 4; i++) {
      trailer[i] = (byte) (c >>> (8 * i));
      trailer[4 + i] = (byte) (total >>> (8 * i));
    }
    out.write(trailer);
    deflater.end(); // a second end() is harmless
  }

  @Override
  public void close() throws IOException {
    finish();
    out.close();
  }
}
