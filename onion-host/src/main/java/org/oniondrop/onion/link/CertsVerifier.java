package org.oniondrop.onion.link;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.cert.CertException;
import org.oniondrop.onion.cert.Ed25519Cert;
import org.oniondrop.onion.crypto.CryptoException;
import org.oniondrop.onion.crypto.HsCrypto;
import org.oniondrop.onion.crypto.TorRsa;

/**
 * Checks a responder's CERTS cell as an initiator that does not authenticate itself (tor-spec §4.2,
 * "validating a responder's CERTS"; cert-spec §2.1, §2.3), on the Ed25519 path:
 *
 * <ol>
 *   <li>type 2: a self-signed X.509 certificate of a 1024-bit RSA identity key, currently valid;
 *   <li>type 7: that RSA key cross-certifies an Ed25519 identity key, unexpired;
 *   <li>type 4: the Ed25519 identity key certifies a signing key (extension 04 names the identity);
 *   <li>type 5: the signing key certifies the SHA-256 of the TLS certificate this connection
 *       presented (certified-key type 03), which binds the chain to this TLS session;
 *   <li>the RSA fingerprint and the Ed25519 identity equal the ones the consensus lists.
 * </ol>
 *
 * No I/O: the TLS certificate arrives as bytes.
 */
public final class CertsVerifier {

  /** tor-spec §4.2: the RSA identity key is 1024 bits. */
  public static final int RSA_IDENTITY_BITS = 1024;

  /** cert-spec §2.1: the certified key is the SHA-256 digest of an X.509 certificate. */
  static final int KEY_TYPE_SHA256_OF_X509 = 0x03;

  private static final byte[] CROSSCERT_PREFIX =
      "Tor TLS RSA/Ed25519 cross-certificate".getBytes(StandardCharsets.US_ASCII);

  /** The longest RSA signature a cross-certificate may carry (1024-bit key: 128 bytes). */
  static final int MAX_CROSSCERT_SIGNATURE = 512;

  private CertsVerifier() {}

  /** The identities a relay proved on this link. */
  public record Verified(byte[] rsaId, byte[] ed25519Id) {}

  /**
   * Verifies {@code certs} for a TLS session whose peer certificate is {@code tlsCertDer}.
   *
   * @param expectedRsaId the fingerprint the consensus lists (20 bytes)
   * @param expectedEd25519Id the Ed25519 identity its microdescriptor lists, or null if none
   * @throws LinkException naming the first check that failed
   */
  public static Verified verify(
      Certs certs, byte[] tlsCertDer, byte[] expectedRsaId, byte[] expectedEd25519Id, Instant now)
      throws LinkException {
    // 1. RSA identity, self-signed X.509.
    X509Certificate idCert = x509(certs.only(Certs.RSA_ID_X509));
    TorRsa rsa;
    try {
      idCert.checkValidity(Date.from(now));
      idCert.verify(idCert.getPublicKey());
      rsa = TorRsa.fromJca(idCert.getPublicKey());
    } catch (GeneralSecurityException | CryptoException e) {
      throw new LinkException("RSA identity certificate invalid: " + e.getMessage());
    }
    if (rsa.bits() != RSA_IDENTITY_BITS) {
      throw new LinkException("RSA identity key has " + rsa.bits() + " bits, not 1024");
    }
    byte[] rsaId = rsa.fingerprint();
    if (!Arrays.equals(rsaId, expectedRsaId)) {
      throw new LinkException(
          "relay RSA identity "
              + hex(rsaId)
              + " does not match the consensus identity "
              + hex(expectedRsaId));
    }

    // 2. RSA -> Ed25519 cross-certificate.
    byte[] edId = crossCertified(rsa, certs.only(Certs.RSA_ED_CROSSCERT), now);

    // 3. Ed25519 identity -> signing key.
    Ed25519Cert signing = ed(certs.only(Certs.ED_ID_SIGNING));
    if (signing.signingKey().isEmpty()) {
      throw new LinkException("identity->signing certificate does not name its signer");
    }
    byte[] named = signing.signingKey().get();
    if (!Arrays.equals(named, edId)) {
      throw new LinkException("identity->signing certificate is signed by another Ed25519 key");
    }
    try {
      signing.verify(Certs.ED_ID_SIGNING, edId, now);
    } catch (CertException e) {
      throw new LinkException("identity->signing certificate: " + e.getMessage());
    }
    if (signing.certKeyType() != Ed25519Cert.KEY_TYPE_ED25519) {
      throw new LinkException("identity->signing certificate does not certify an Ed25519 key");
    }

    // 4. Signing key -> SHA-256 of this TLS certificate.
    Ed25519Cert link = ed(certs.only(Certs.ED_SIGNING_LINK));
    try {
      link.verify(Certs.ED_SIGNING_LINK, signing.certifiedKey(), now);
    } catch (CertException e) {
      throw new LinkException("signing->link certificate: " + e.getMessage());
    }
    if (link.certKeyType() != KEY_TYPE_SHA256_OF_X509) {
      throw new LinkException("signing->link certificate does not certify a TLS certificate");
    }
    if (!HsCrypto.equal(link.certifiedKey(), HsCrypto.sha256(tlsCertDer))) {
      throw new LinkException(
          "signing->link certificate names another TLS certificate than this connection's");
    }

    // 5. The consensus's Ed25519 identity.
    if (expectedEd25519Id != null && !Arrays.equals(edId, expectedEd25519Id)) {
      throw new LinkException("relay Ed25519 identity does not match its microdescriptor");
    }
    return new Verified(rsaId, edId);
  }

  /** cert-spec §2.3: {@code ED25519_KEY(32) | EXPIRATION(4, hours) | SIGLEN(1) | SIGNATURE}. */
  static byte[] crossCertified(TorRsa rsa, byte[] body, Instant now) throws LinkException {
    byte[] edKey;
    long hours;
    byte[] sig;
    int signedLength;
    try {
      ByteReader r = ByteReader.of(body);
      edKey = r.bytes(32, "cross-certified Ed25519 key");
      hours = r.u32("cross-certificate expiration");
      signedLength = r.position();
      int siglen = r.u8("cross-certificate signature length");
      if (siglen > MAX_CROSSCERT_SIGNATURE) {
        throw new LinkException("cross-certificate signature too long");
      }
      sig = r.bytes(siglen, "cross-certificate signature");
      r.expectEnd("cross-certificate");
    } catch (DecodeException e) {
      throw new LinkException("malformed RSA->Ed25519 cross-certificate: " + e.getMessage());
    }
    if (!now.isBefore(Instant.ofEpochSecond(hours * 3600))) {
      throw new LinkException("RSA->Ed25519 cross-certificate expired");
    }
    byte[] digest = HsCrypto.sha256(CROSSCERT_PREFIX, Arrays.copyOfRange(body, 0, signedLength));
    if (!rsa.verifyBareDigest(digest, sig)) {
      throw new LinkException("RSA->Ed25519 cross-certificate signature does not verify");
    }
    return edKey;
  }

  private static X509Certificate x509(byte[] der) throws LinkException {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new LinkException("RSA identity certificate is not X.509");
    }
  }

  private static Ed25519Cert ed(byte[] body) throws LinkException {
    try {
      return Ed25519Cert.decode(body);
    } catch (CertException e) {
      throw new LinkException("Ed25519 link certificate: " + e.getMessage());
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().withUpperCase().formatHex(b);
  }
}
