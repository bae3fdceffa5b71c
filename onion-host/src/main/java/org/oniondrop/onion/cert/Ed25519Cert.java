package org.oniondrop.onion.cert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.crypto.ExpandedEd25519Key;

/**
 * An Ed25519 certificate (cert-spec §2.1):
 *
 * <pre>
 * VERSION(1)=01 | CERT_TYPE(1) | EXPIRATION_DATE(4, hours since epoch) | CERT_KEY_TYPE(1)
 * | CERTIFIED_KEY(32) | N_EXTENSIONS(1) | {ExtLength(2) ExtType(1) ExtFlags(1) ExtData}*
 * | SIGNATURE(64) over everything before it
 * </pre>
 */
public final class Ed25519Cert {

  /** Descriptor signing key, signed by the blinded identity key. */
  public static final int TYPE_HS_DESC_SIGNING = 0x08;

  /** Intro point authentication key, signed by the descriptor signing key. */
  public static final int TYPE_HS_IPT_AUTH = 0x09;

  /** Intro point encryption key (ed25519 form of the x25519 key), signed likewise. */
  public static final int TYPE_HS_IPT_ENC = 0x0B;

  /** CERT_KEY_TYPE for an ed25519 certified key. */
  public static final int KEY_TYPE_ED25519 = 0x01;

  /** Extension 04: the ed25519 key that signed this certificate. */
  public static final int EXT_SIGNED_WITH_ED25519_KEY = 0x04;

  /** Extension flag: a verifier that does not know the extension must reject the cert. */
  public static final int FLAG_AFFECTS_VALIDATION = 0x01;

  /** Certificates are small; anything larger is refused unread. */
  public static final int MAX_ENCODED_LENGTH = 1024;

  /** Lifetime C tor gives onion-service certificates (HS_DESC_CERT_LIFETIME). */
  public static final long HS_CERT_LIFETIME_HOURS = 54;

  /** One extension. */
  public record Extension(int type, int flags, byte[] data) {}

  private final int certType;
  private final long expirationHours;
  private final int certKeyType;
  private final byte[] certifiedKey;
  private final List<Extension> extensions;
  private final byte[] signature;
  private final byte[] signedPart;

  private Ed25519Cert(
      int certType,
      long expirationHours,
      int certKeyType,
      byte[] certifiedKey,
      List<Extension> extensions,
      byte[] signature,
      byte[] signedPart) {
    this.certType = certType;
    this.expirationHours = expirationHours;
    this.certKeyType = certKeyType;
    this.certifiedKey = certifiedKey;
    this.extensions = List.copyOf(extensions);
    this.signature = signature;
    this.signedPart = signedPart;
  }

  /**
   * Makes and signs a certificate of {@code certType} for {@code certifiedKey}, expiring at the
   * first whole hour at or after {@code expires}, with extension 04 naming the signer.
   */
  public static Ed25519Cert create(
      int certType, byte[] certifiedKey, Instant expires, ExpandedEd25519Key signer) {
    if (certifiedKey.length != 32) {
      throw new IllegalArgumentException("certified key must be 32 bytes");
    }
    long hours = Math.floorDiv(expires.getEpochSecond() + 3599, 3600);
    List<Extension> ext =
        List.of(new Extension(EXT_SIGNED_WITH_ED25519_KEY, 0, signer.publicKey()));
    byte[] signed = encodeSignedPart(certType, hours, KEY_TYPE_ED25519, certifiedKey, ext);
    return new Ed25519Cert(
        certType, hours, KEY_TYPE_ED25519, certifiedKey.clone(), ext, signer.sign(signed), signed);
  }

  private static byte[] encodeSignedPart(
      int certType, long hours, int keyType, byte[] key, List<Extension> extensions) {
    ByteWriter w = new ByteWriter(128);
    w.u8(1).u8(certType).u32(hours).u8(keyType).bytes(key).u8(extensions.size());
    for (Extension e : extensions) {
      w.u16(e.data().length).u8(e.type()).u8(e.flags()).bytes(e.data());
    }
    return w.toByteArray();
  }

  /**
   * Decodes a certificate (signature not checked: see {@link #verify}).
   *
   * @throws CertException if it is truncated, has trailing bytes, a version other than 1, or an
   *     extension 04 whose length is not 32
   */
  public static Ed25519Cert decode(byte[] encoded) throws CertException {
    if (encoded.length > MAX_ENCODED_LENGTH) {
      throw new CertException("certificate longer than " + MAX_ENCODED_LENGTH + " bytes");
    }
    try {
      ByteReader r = ByteReader.of(encoded);
      int version = r.u8("version");
      if (version != 1) {
        throw new CertException("unsupported certificate version " + version);
      }
      int type = r.u8("cert type");
      long hours = r.u32("expiration");
      int keyType = r.u8("cert key type");
      byte[] key = r.bytes(32, "certified key");
      int n = r.u8("extension count");
      List<Extension> extensions = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int len = r.u16("extension length");
        int extType = r.u8("extension type");
        int flags = r.u8("extension flags");
        byte[] data = r.bytes(len, "extension data");
        if (extType == EXT_SIGNED_WITH_ED25519_KEY && len != 32) {
          throw new CertException("signed-with-key extension must hold 32 bytes, has " + len);
        }
        extensions.add(new Extension(extType, flags, data));
      }
      int signedLength = encoded.length - r.remaining();
      byte[] sig = r.bytes(64, "signature");
      r.expectEnd("certificate");
      return new Ed25519Cert(
          type, hours, keyType, key, extensions, sig, Arrays.copyOf(encoded, signedLength));
    } catch (DecodeException e) {
      throw new CertException("malformed certificate: " + e.getMessage(), e);
    }
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter(signedPart.length + 64);
    return w.bytes(signedPart).bytes(signature).toByteArray();
  }

  /**
   * Checks that the certificate is of {@code expectedType}, unexpired at {@code now}, has no
   * unknown extension that affects validation, and is signed by {@code signer} (which, when
   * extension 04 is present, must also be the key it names).
   *
   * @throws CertException saying which check failed
   */
  public void verify(int expectedType, byte[] signer, Instant now) throws CertException {
    if (certType != expectedType) {
      throw new CertException("certificate type is " + certType + ", expected " + expectedType);
    }
    if (!now.isBefore(expiration())) {
      throw new CertException("certificate expired at " + expiration());
    }
    for (Extension e : extensions) {
      if (e.type() != EXT_SIGNED_WITH_ED25519_KEY && (e.flags() & FLAG_AFFECTS_VALIDATION) != 0) {
        throw new CertException(
            "unknown certificate extension " + e.type() + " affects validation");
      }
    }
    Optional<byte[]> named = signingKey();
    if (named.isPresent() && !Arrays.equals(named.get(), signer)) {
      throw new CertException("certificate names a different signing key");
    }
    if (!ExpandedEd25519Key.verify(signer, signedPart, signature)) {
      throw new CertException("certificate signature does not verify");
    }
  }

  public int certType() {
    return certType;
  }

  public int certKeyType() {
    return certKeyType;
  }

  public byte[] certifiedKey() {
    return certifiedKey.clone();
  }

  public List<Extension> extensions() {
    return extensions;
  }

  /** The key extension 04 names, if present. */
  public Optional<byte[]> signingKey() {
    return extensions.stream()
        .filter(e -> e.type() == EXT_SIGNED_WITH_ED25519_KEY)
        .map(e -> e.data().clone())
        .findFirst();
  }

  public Instant expiration() {
    return Instant.ofEpochSecond(expirationHours * 3600);
  }

  public long expirationHours() {
    return expirationHours;
  }
}
