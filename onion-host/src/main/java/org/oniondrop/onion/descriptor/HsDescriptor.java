package org.oniondrop.onion.descriptor;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.oniondrop.onion.cell.LinkSpecifier;
import org.oniondrop.onion.cert.CertException;
import org.oniondrop.onion.cert.Ed25519Cert;
import org.oniondrop.onion.crypto.AesCtr;
import org.oniondrop.onion.crypto.Ed25519Math;
import org.oniondrop.onion.crypto.ExpandedEd25519Key;
import org.oniondrop.onion.crypto.HsCrypto;
import org.oniondrop.onion.keys.BlindedIdentity;
import org.oniondrop.onion.keys.ClientAuthKey;

/**
 * Builds a service's v3 descriptor and opens one as a client (rend-spec-v3 §2.4-§2.5).
 *
 * <p>Opening checks, in order: outer syntax; the type-08 certificate (signed by the blinded key,
 * unexpired); the descriptor signature; the first layer's MAC; the client-authorization entry (when
 * a key is given); the second layer's MAC; each introduction point's 09 and 0B certificates. Each
 * failure maps to a {@link DescriptorException.Reason}.
 */
public final class HsDescriptor {

  /** Descriptor cookie length (C tor HS_DESC_DESCRIPTOR_COOKIE_LEN). */
  public static final int COOKIE_LENGTH = 16;

  private HsDescriptor() {}

  /** What a client learns from a descriptor. */
  public record Opened(OuterLayer outer, MiddleLayer middle, InnerLayer inner) {}

  /**
   * An introduction point entry with its two certificates signed by {@code signingKey} (C tor:
   * expiring with the descriptor signing certificate).
   */
  public static IntroPoint introPoint(
      List<LinkSpecifier> linkSpecifiers,
      byte[] relayOntorKey,
      byte[] authKey,
      byte[] encKey,
      ExpandedEd25519Key signingKey,
      Instant expires) {
    Ed25519Cert auth =
        Ed25519Cert.create(Ed25519Cert.TYPE_HS_IPT_AUTH, authKey, expires, signingKey);
    Ed25519Cert enc =
        Ed25519Cert.create(
            Ed25519Cert.TYPE_HS_IPT_ENC,
            Ed25519Math.fromCurve25519(encKey, 0),
            expires,
            signingKey);
    return new IntroPoint(linkSpecifiers, relayOntorKey, auth, encKey, enc);
  }

  /** When certificates made at {@code now} expire: C tor's 54 hours. */
  public static Instant certExpiry(Instant now) {
    return now.plus(Duration.ofHours(Ed25519Cert.HS_CERT_LIFETIME_HOURS));
  }

  /**
   * Builds, encrypts and signs a descriptor.
   *
   * @param blinded the service's blinded identity for the descriptor's time period
   * @param signingKey KP_hs_desc_sign, which also signed the intro points' certificates
   * @param authorizedClients x25519 public keys allowed to decrypt the inner layer; empty for none
   * @throws DescriptorException MALFORMED if the result exceeds {@value NetDoc#MAX_DOCUMENT_BYTES}
   *     bytes
   */
  public static String build(
      BlindedIdentity blinded,
      ExpandedEd25519Key signingKey,
      long revisionCounter,
      InnerLayer inner,
      List<byte[]> authorizedClients,
      Instant now,
      SecureRandom random)
      throws DescriptorException {
    byte[] blindedKey = blinded.publicKey();
    byte[] subcredential = blinded.subcredential();
    byte[] ephemeralSecret = new byte[32];
    X25519.generatePrivateKey(random, ephemeralSecret);
    byte[] ephemeralPublic = new byte[32];
    X25519.generatePublicKey(ephemeralSecret, 0, ephemeralPublic, 0);

    List<MiddleLayer.AuthClient> entries = new ArrayList<>();
    byte[] secretData = blindedKey;
    if (!authorizedClients.isEmpty()) {
      byte[] cookie = new byte[COOKIE_LENGTH];
      random.nextBytes(cookie);
      for (byte[] client : authorizedClients) {
        entries.add(authClient(ephemeralSecret, client, subcredential, cookie, random));
      }
      secretData = HsCrypto.concat(blindedKey, cookie);
      Arrays.fill(cookie, (byte) 0);
    }
    while (entries.isEmpty() || entries.size() % MiddleLayer.AUTH_CLIENT_MULTIPLE != 0) {
      entries.add(
          new MiddleLayer.AuthClient(random(8, random), random(16, random), random(16, random)));
    }
    java.util.Collections.shuffle(entries, random);
    Arrays.fill(ephemeralSecret, (byte) 0);

    byte[] encrypted =
        LayerCrypto.encrypt(
            inner.encode(),
            secretData,
            subcredential,
            revisionCounter,
            LayerCrypto.ENCRYPTED,
            random);
    byte[] middle = new MiddleLayer(ephemeralPublic, entries, encrypted).encode();
    byte[] superencrypted =
        LayerCrypto.encrypt(
            middle, blindedKey, subcredential, revisionCounter, LayerCrypto.SUPERENCRYPTED, random);
    Ed25519Cert cert =
        Ed25519Cert.create(
            Ed25519Cert.TYPE_HS_DESC_SIGNING,
            signingKey.publicKey(),
            certExpiry(now),
            blinded.signingKey());
    String text =
        OuterLayer.encode(
            OuterLayer.DEFAULT_LIFETIME_MINUTES, cert, revisionCounter, superencrypted, signingKey);
    if (text.length() > NetDoc.MAX_DOCUMENT_BYTES) {
      throw NetDoc.malformed("descriptor would be " + text.length() + " bytes, over the limit");
    }
    return text;
  }

  private static MiddleLayer.AuthClient authClient(
      byte[] ephemeralSecret,
      byte[] clientPublic,
      byte[] subcredential,
      byte[] cookie,
      SecureRandom random) {
    byte[] seed = new byte[32];
    if (!X25519.calculateAgreement(ephemeralSecret, 0, clientPublic, 0, seed, 0)) {
      throw new IllegalArgumentException("authorized client key is a low-order point");
    }
    byte[] keys = HsCrypto.shake256(40, subcredential, seed);
    byte[] iv = random(16, random);
    byte[] encryptedCookie = AesCtr.crypt(Arrays.copyOfRange(keys, 8, 40), iv, cookie);
    return new MiddleLayer.AuthClient(Arrays.copyOf(keys, 8), iv, encryptedCookie);
  }

  private static byte[] random(int n, SecureRandom random) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /**
   * Opens a descriptor fetched for {@code blindedKey}.
   *
   * @param clientKey the client's restricted-discovery key, or {@code null}
   * @param now the time to check certificates against
   */
  public static Opened open(
      String text, byte[] blindedKey, byte[] subcredential, ClientAuthKey clientKey, Instant now)
      throws DescriptorException {
    OuterLayer outer = OuterLayer.parse(text);
    Ed25519Cert cert = outer.signingKeyCert();
    if (!now.isBefore(cert.expiration())) {
      throw new DescriptorException(
          DescriptorException.Reason.EXPIRED,
          "descriptor signing certificate expired at " + cert.expiration());
    }
    try {
      cert.verify(Ed25519Cert.TYPE_HS_DESC_SIGNING, blindedKey, now);
    } catch (CertException e) {
      throw new DescriptorException(
          DescriptorException.Reason.BAD_SIGNATURE,
          "descriptor signing certificate: " + e.getMessage());
    }
    outer.verifySignature();
    byte[] middlePlain =
        LayerCrypto.decrypt(
            outer.superencrypted(),
            blindedKey,
            subcredential,
            outer.revisionCounter(),
            LayerCrypto.SUPERENCRYPTED);
    MiddleLayer middle = MiddleLayer.parse(middlePlain);

    byte[] cookie = clientKey == null ? null : findCookie(middle, clientKey, subcredential);
    byte[] innerPlain;
    try {
      byte[] secretData = cookie == null ? blindedKey : HsCrypto.concat(blindedKey, cookie);
      innerPlain =
          LayerCrypto.decrypt(
              middle.encrypted(),
              secretData,
              subcredential,
              outer.revisionCounter(),
              LayerCrypto.ENCRYPTED);
    } catch (DescriptorException e) {
      if (clientKey == null) {
        throw new DescriptorException(
            DescriptorException.Reason.CLIENT_AUTH_MISSING,
            "descriptor needs client authorization and no key was given");
      }
      throw new DescriptorException(
          DescriptorException.Reason.CLIENT_AUTH_WRONG,
          "client authorization key does not open the descriptor");
    }
    InnerLayer inner = InnerLayer.parse(innerPlain);
    byte[] signer = cert.certifiedKey();
    for (IntroPoint p : inner.introPoints()) {
      try {
        p.authKeyCert().verify(Ed25519Cert.TYPE_HS_IPT_AUTH, signer, now);
        p.encKeyCert().verify(Ed25519Cert.TYPE_HS_IPT_ENC, signer, now);
      } catch (CertException e) {
        throw new DescriptorException(
            DescriptorException.Reason.BAD_SIGNATURE,
            "introduction point certificate: " + e.getMessage());
      }
      if (!Arrays.equals(
          p.encKeyCert().certifiedKey(), Ed25519Math.fromCurve25519(p.encKey(), 0))) {
        throw new DescriptorException(
            DescriptorException.Reason.BAD_SIGNATURE, "enc-key-cert does not certify the enc-key");
      }
    }
    return new Opened(outer, middle, inner);
  }

  /** The descriptor cookie for {@code clientKey}, or {@code null} if no entry is for it. */
  private static byte[] findCookie(
      MiddleLayer middle, ClientAuthKey clientKey, byte[] subcredential) {
    byte[] secret = clientKey.secretKey();
    byte[] seed = new byte[32];
    boolean ok = X25519.calculateAgreement(secret, 0, middle.ephemeralKey(), 0, seed, 0);
    Arrays.fill(secret, (byte) 0);
    if (!ok) {
      return null;
    }
    byte[] keys = HsCrypto.shake256(40, subcredential, seed);
    byte[] id = Arrays.copyOf(keys, 8);
    for (MiddleLayer.AuthClient entry : middle.authClients()) {
      if (HsCrypto.equal(entry.clientId(), id)) {
        return AesCtr.crypt(Arrays.copyOfRange(keys, 8, 40), entry.iv(), entry.encryptedCookie());
      }
    }
    return null;
  }

  /** The descriptor text as bytes for upload. */
  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
