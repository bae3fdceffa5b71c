package org.oniondrop.onion.descriptor;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.oniondrop.onion.cert.CertException;
import org.oniondrop.onion.cert.Ed25519Cert;
import org.oniondrop.onion.crypto.ExpandedEd25519Key;
import org.oniondrop.onion.crypto.HsCrypto;

/**
 * The descriptor's plaintext outer layer (rend-spec-v3 §2.4):
 *
 * <pre>
 * hs-descriptor 3
 * descriptor-lifetime MINUTES
 * descriptor-signing-key-cert + ED25519 CERT (type 08)
 * revision-counter N
 * superencrypted + MESSAGE
 * signature SIG
 * </pre>
 *
 * The signature by the descriptor signing key covers {@code "Tor onion service descriptor sig v3"}
 * and the text up to and including the newline before {@code "signature "}.
 */
public record OuterLayer(
    int lifetimeMinutes,
    Ed25519Cert signingKeyCert,
    long revisionCounter,
    byte[] superencrypted,
    byte[] signature,
    byte[] signedText) {

  public static final String SIG_PREFIX = "Tor onion service descriptor sig v3";

  /** Lifetime C tor writes, and the range accepted (rend-spec-v3 §2.4: 30..720). */
  public static final int DEFAULT_LIFETIME_MINUTES = 180;

  public static final int MIN_LIFETIME_MINUTES = 30;
  public static final int MAX_LIFETIME_MINUTES = 720;

  private static final List<String> ORDER =
      List.of(
          "hs-descriptor",
          "descriptor-lifetime",
          "descriptor-signing-key-cert",
          "revision-counter",
          "superencrypted",
          "signature");

  /**
   * Parses the outer layer (signature not checked: see {@link #verifySignature}).
   *
   * @throws DescriptorException MALFORMED for syntax, order, counts or sizes
   */
  public static OuterLayer parse(String text) throws DescriptorException {
    List<NetDoc.Item> items = NetDoc.parse(text);
    if (items.size() != ORDER.size()) {
      throw NetDoc.malformed(
          "outer layer must have exactly " + ORDER.size() + " items, has " + items.size());
    }
    for (int i = 0; i < ORDER.size(); i++) {
      if (!items.get(i).keyword().equals(ORDER.get(i))) {
        throw NetDoc.malformed(
            "outer layer item "
                + (i + 1)
                + " must be '"
                + ORDER.get(i)
                + "', is '"
                + items.get(i).keyword()
                + "'");
      }
    }
    if (!items.get(0).arg(0).equals("3") || items.get(0).args().size() != 1) {
      throw NetDoc.malformed("unsupported descriptor version");
    }
    int lifetime = parseInt(items.get(1).arg(0), "descriptor-lifetime");
    if (lifetime < MIN_LIFETIME_MINUTES || lifetime > MAX_LIFETIME_MINUTES) {
      throw NetDoc.malformed("descriptor-lifetime " + lifetime + " outside 30..720");
    }
    Ed25519Cert cert;
    try {
      cert = Ed25519Cert.decode(items.get(2).object("ED25519 CERT"));
    } catch (CertException e) {
      throw NetDoc.malformed("descriptor-signing-key-cert: " + e.getMessage());
    }
    long revision;
    try {
      revision = Long.parseUnsignedLong(items.get(3).arg(0));
    } catch (NumberFormatException e) {
      throw NetDoc.malformed("revision-counter is not an unsigned 64-bit number");
    }
    byte[] blob = items.get(4).object("MESSAGE");
    NetDoc.Item sigItem = items.get(5);
    if (sigItem.args().size() != 1 || sigItem.object() != null) {
      throw NetDoc.malformed("malformed signature line");
    }
    byte[] sig = NetDoc.base64(sigItem.arg(0), "signature");
    if (sig.length != 64) {
      throw NetDoc.malformed("signature is not 64 bytes");
    }
    byte[] signed = text.substring(0, sigItem.start()).getBytes(StandardCharsets.US_ASCII);
    return new OuterLayer(lifetime, cert, revision, blob, sig, signed);
  }

  static int parseInt(String s, String what) throws DescriptorException {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw NetDoc.malformed(what + " is not a number");
    }
  }

  /** Verifies the signature against the signing key certified in the type-08 cert. */
  public void verifySignature() throws DescriptorException {
    byte[] message = HsCrypto.concat(HsCrypto.ascii(SIG_PREFIX), signedText);
    if (!ExpandedEd25519Key.verify(signingKeyCert.certifiedKey(), message, signature)) {
      throw new DescriptorException(
          DescriptorException.Reason.BAD_SIGNATURE, "descriptor signature does not verify");
    }
  }

  /** Writes and signs an outer layer with {@code signingKey}. */
  public static String encode(
      int lifetimeMinutes,
      Ed25519Cert signingKeyCert,
      long revisionCounter,
      byte[] superencrypted,
      ExpandedEd25519Key signingKey) {
    String body =
        "hs-descriptor 3\n"
            + "descriptor-lifetime "
            + lifetimeMinutes
            + "\n"
            + "descriptor-signing-key-cert\n"
            + NetDoc.object("ED25519 CERT", signingKeyCert.encode())
            + "\n"
            + "revision-counter "
            + Long.toUnsignedString(revisionCounter)
            + "\n"
            + "superencrypted\n"
            + NetDoc.object("MESSAGE", superencrypted)
            + "\n";
    byte[] sig = signingKey.sign(HsCrypto.concat(HsCrypto.ascii(SIG_PREFIX), HsCrypto.ascii(body)));
    return body + "signature " + NetDoc.base64NoPad(sig) + "\n";
  }
}
