package org.oniondrop.onion.descriptor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.cell.LinkSpecifier;
import org.oniondrop.onion.cert.CertException;
import org.oniondrop.onion.cert.Ed25519Cert;

/**
 * The decrypted second layer (rend-spec-v3 §2.5.2.2): {@code create2-formats 2}, optional {@code
 * single-onion-service}, {@code flow-control} and {@code pow-params} lines (kept as written), then
 * the introduction points.
 */
public record InnerLayer(
    boolean singleOnionService,
    String flowControl,
    String powParams,
    List<IntroPoint> introPoints) {

  /** rend-spec-v3 allows 0..20 introduction points. */
  public static final int MAX_INTRO_POINTS = 20;

  public InnerLayer {
    introPoints = List.copyOf(introPoints);
  }

  /** A plain inner layer: no flow control, no PoW. */
  public static InnerLayer of(List<IntroPoint> introPoints) {
    return new InnerLayer(false, null, null, introPoints);
  }

  public static InnerLayer parse(byte[] plaintext) throws DescriptorException {
    String text = new String(plaintext, StandardCharsets.US_ASCII);
    List<NetDoc.Item> items = NetDoc.parse(text);
    if (items.isEmpty() || !items.get(0).keyword().equals("create2-formats")) {
      throw NetDoc.malformed("inner layer must start with create2-formats");
    }
    if (!items.get(0).args().contains("2")) {
      throw NetDoc.malformed("create2-formats does not include ntor (2)");
    }
    boolean single = false;
    String flow = null;
    String pow = null;
    List<IntroPoint> points = new ArrayList<>();
    int i = 1;
    while (i < items.size() && !items.get(i).keyword().equals("introduction-point")) {
      NetDoc.Item item = items.get(i++);
      switch (item.keyword()) {
        case "single-onion-service" -> single = true;
        case "flow-control" -> flow = item.arg(0) + " " + item.arg(1);
        case "pow-params" ->
            pow = item.arg(0) + " " + String.join(" ", item.args().subList(1, item.args().size()));
        default -> {
          // intro-auth-required (obsolete) and unknown keywords are ignored.
        }
      }
    }
    while (i < items.size()) {
      if (points.size() == MAX_INTRO_POINTS) {
        throw NetDoc.malformed("more than " + MAX_INTRO_POINTS + " introduction points");
      }
      NetDoc.Item start = items.get(i++);
      if (!start.keyword().equals("introduction-point")) {
        throw NetDoc.malformed("unexpected '" + start.keyword() + "' before introduction-point");
      }
      List<LinkSpecifier> specs;
      try {
        ByteReader r = ByteReader.of(NetDoc.base64(start.arg(0), "introduction-point"));
        specs = LinkSpecifier.decodeList(r);
        r.expectEnd("link specifiers");
      } catch (DecodeException e) {
        throw NetDoc.malformed("introduction-point link specifiers: " + e.getMessage());
      }
      byte[] onionKey = null;
      byte[] encKey = null;
      Ed25519Cert authCert = null;
      Ed25519Cert encCert = null;
      while (i < items.size() && !items.get(i).keyword().equals("introduction-point")) {
        NetDoc.Item item = items.get(i++);
        switch (item.keyword()) {
          case "onion-key" -> {
            if (item.arg(0).equals("ntor") && onionKey == null) {
              onionKey =
                  MiddleLayer.exact(NetDoc.base64(item.arg(1), "onion-key"), 32, "onion-key");
            }
          }
          case "auth-key" -> authCert = cert(item, Ed25519Cert.TYPE_HS_IPT_AUTH);
          case "enc-key" -> {
            if (item.arg(0).equals("ntor") && encKey == null) {
              encKey = MiddleLayer.exact(NetDoc.base64(item.arg(1), "enc-key"), 32, "enc-key");
            }
          }
          case "enc-key-cert" -> encCert = cert(item, Ed25519Cert.TYPE_HS_IPT_ENC);
          default -> {
            // legacy-key, legacy-key-cert and unknown keywords are ignored.
          }
        }
      }
      if (onionKey == null || encKey == null || authCert == null || encCert == null) {
        throw NetDoc.malformed(
            "introduction point "
                + (points.size() + 1)
                + " lacks onion-key, auth-key, enc-key or enc-key-cert");
      }
      points.add(new IntroPoint(specs, onionKey, authCert, encKey, encCert));
    }
    return new InnerLayer(single, flow, pow, points);
  }

  private static Ed25519Cert cert(NetDoc.Item item, int type) throws DescriptorException {
    try {
      Ed25519Cert cert = Ed25519Cert.decode(item.object("ED25519 CERT"));
      if (cert.certType() != type) {
        throw NetDoc.malformed(item.keyword() + " certificate has type " + cert.certType());
      }
      return cert;
    } catch (CertException e) {
      throw NetDoc.malformed(item.keyword() + ": " + e.getMessage());
    }
  }

  public byte[] encode() {
    StringBuilder out = new StringBuilder("create2-formats 2\n");
    if (flowControl != null) {
      out.append("flow-control ").append(flowControl).append('\n');
    }
    if (powParams != null) {
      out.append("pow-params ").append(powParams).append('\n');
    }
    if (singleOnionService) {
      out.append("single-onion-service\n");
    }
    for (IntroPoint p : introPoints) {
      ByteWriter w = new ByteWriter();
      LinkSpecifier.encodeList(w, p.linkSpecifiers());
      out.append("introduction-point ").append(NetDoc.base64Padded(w.toByteArray())).append('\n');
      out.append("onion-key ntor ").append(NetDoc.base64Padded(p.onionKey())).append('\n');
      out.append("auth-key\n")
          .append(NetDoc.object("ED25519 CERT", p.authKeyCert().encode()))
          .append('\n');
      out.append("enc-key ntor ").append(NetDoc.base64Padded(p.encKey())).append('\n');
      out.append("enc-key-cert\n")
          .append(NetDoc.object("ED25519 CERT", p.encKeyCert().encode()))
          .append('\n');
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
