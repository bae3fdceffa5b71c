package org.oniondrop.dropbox.core.service;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Checks an uploaded logo before it is stored: PNG signature, size, and dimensions read from the
 * header <em>before</em> any pixel is decoded. Decoding first (as {@code ImageIO.read} does) lets a
 * 512 KB file that declares 100,000 x 100,000 pixels allocate a 40 GB raster: a decompression bomb
 * that takes the JVM down with an OutOfMemoryError.
 */
public final class PngLogo {

  /** Largest logo accepted. */
  public static final int MAX_BYTES = 512 * 1024;

  /** Largest logo width and height accepted (16 MiB of ARGB pixels at most). */
  public static final int MAX_PIXELS = 2048;

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private PngLogo() {}

  /**
   * Returns normally if {@code png} is a decodable PNG within the limits.
   *
   * @throws IllegalArgumentException otherwise, with a message a person can read
   */
  public static void check(byte[] png) {
    if (png == null || png.length == 0 || png.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "the logo must be a PNG of at most " + (MAX_BYTES / 1024) + " KB");
    }
    if (!Arrays.equals(Arrays.copyOf(png, SIGNATURE.length), SIGNATURE)) {
      throw new IllegalArgumentException("the logo is not a PNG file");
    }
    IllegalArgumentException unreadable =
        new IllegalArgumentException("the logo is not a readable PNG of at most 2048x2048 pixels");
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
      if (!readers.hasNext()) {
        throw unreadable;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width < 1 || height < 1 || width > MAX_PIXELS || height > MAX_PIXELS) {
          throw unreadable;
        }
        BufferedImage img = reader.read(0);
        if (img == null) {
          throw unreadable;
        }
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      // ImageIO reports damage as IOException, and some as runtime exceptions
      // (IllegalStateException, ArrayIndexOutOfBounds...): every one means "not a usable PNG".
      if (e instanceof IllegalArgumentException iae && iae == unreadable) {
        throw iae;
      }
      throw unreadable;
    }
  }
}
