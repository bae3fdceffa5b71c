package org.oniondrop.dropbox.core.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The logo check refuses a decompression bomb from its header, before decoding a pixel. */
class PngLogoTest {

  static byte[] chunk(String type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    b.put(t).put(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /** A PNG that declares width x height RGBA pixels, with one deflated row of zeros. */
  static byte[] declaring(int width, int height) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0);
    ihdr.put((byte) 0);
    out.write(chunk("IHDR", ihdr.array()));
    Deflater d = new Deflater();
    d.setInput(new byte[1 + Math.min(width, 4096) * 4]);
    d.finish();
    byte[] z = new byte[65536];
    int n = d.deflate(z);
    out.write(chunk("IDAT", java.util.Arrays.copyOf(z, n)));
    out.write(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  @Test
  void aDecompressionBombIsRefusedFromItsHeader() throws IOException {
    // 100,000 x 100,000 RGBA would be a 40 GB raster; the file is under 200 bytes
    byte[] bomb = declaring(100_000, 100_000);
    assertThatThrownBy(() -> PngLogo.check(bomb))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the logo is not a readable PNG of at most 2048x2048 pixels");
    assertThatThrownBy(() -> PngLogo.check(declaring(2049, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRealSmallPngPassesAndGarbageIsRefused() throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(64, 32, BufferedImage.TYPE_INT_ARGB), "png", png);
    assertThatCode(() -> PngLogo.check(png.toByteArray())).doesNotThrowAnyException();
    assertThatThrownBy(() -> PngLogo.check(new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the logo is not a PNG file");
    byte[] truncated = java.util.Arrays.copyOf(png.toByteArray(), 40);
    assertThatThrownBy(() -> PngLogo.check(truncated)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PngLogo.check(new byte[PngLogo.MAX_BYTES + 1]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
