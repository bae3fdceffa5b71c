package org.oniondrop.dropbox.journalist.web;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import javax.imageio.ImageIO;

/** QR codes for TOTP enrollment, rendered on the server as PNG (ZXing), no JavaScript. */
public final class Qr {

  /** Pixels per side. */
  static final int SIZE = 256;

  private Qr() {}

  /**
   * The QR code as text for a terminal: two modules per character cell using Unicode half blocks,
   * dark modules printed as spaces on a light background so phone cameras read it on dark terminals
   * too. One module per matrix cell (ZXing's minimum size) with a 2-module quiet zone.
   */
  public static String terminal(String text) {
    try {
      BitMatrix m =
          new QRCodeWriter()
              .encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(EncodeHintType.MARGIN, 2));
      StringBuilder out = new StringBuilder();
      for (int y = 0; y < m.getHeight(); y += 2) {
        for (int x = 0; x < m.getWidth(); x++) {
          boolean top = m.get(x, y);
          boolean bottom = y + 1 < m.getHeight() && m.get(x, y + 1);
          // Light is drawn, dark is left blank: full block, upper half, lower half, or space.
          out.append(!top && !bottom ? '\u2588' : !top ? '\u2580' : !bottom ? '\u2584' : ' ');
        }
        out.append('\n');
      }
      return out.toString();
    } catch (WriterException e) {
      throw new IllegalStateException("QR rendering failed", e);
    }
  }

  public static byte[] png(String text) {
    try {
      BitMatrix m =
          new QRCodeWriter()
              .encode(text, BarcodeFormat.QR_CODE, SIZE, SIZE, Map.of(EncodeHintType.MARGIN, 2));
      BufferedImage img =
          new BufferedImage(m.getWidth(), m.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
      for (int y = 0; y < m.getHeight(); y++) {
        for (int x = 0; x < m.getWidth(); x++) {
          img.setRGB(x, y, m.get(x, y) ? 0x000000 : 0xFFFFFF);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "png", out);
      return out.toByteArray();
    } catch (WriterException | IOException e) {
      throw new IllegalStateException("QR rendering failed", e);
    }
  }
}
