package org.oniondrop.onion.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.encodings.PKCS1Encoding;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/**
 * Tor's RSA usages, which are older than its Ed25519 ones: identity keys named by the SHA-1 of
 * their PKCS#1 DER encoding (tor-spec §1.1, "fingerprint"), and signatures that are PKCS#1 v1.5
 * type-1 padding around a bare digest, with no DigestInfo (tor-spec §0.3 / §4.2 cross-certificate,
 * dir-spec §1.3 document signatures). Verification only: we never hold an RSA private key.
 */
public final class TorRsa {

  /** Keys larger than this are refused (tor's identity keys are 1024, signing keys 2048). */
  public static final int MAX_MODULUS_BITS = 4096;

  private final BigInteger modulus;
  private final BigInteger exponent;
  private final byte[] pkcs1Der;

  private TorRsa(BigInteger modulus, BigInteger exponent, byte[] pkcs1Der) {
    this.modulus = modulus;
    this.exponent = exponent;
    this.pkcs1Der = pkcs1Der;
  }

  /**
   * A key from its PKCS#1 {@code RSAPublicKey} DER (the body of a {@code -----BEGIN RSA PUBLIC
   * KEY-----} block).
   */
  public static TorRsa fromPkcs1(byte[] der) throws CryptoException {
    try {
      RSAPublicKey key = RSAPublicKey.getInstance(der);
      if (key.getModulus().bitLength() > MAX_MODULUS_BITS) {
        throw new CryptoException("RSA key larger than " + MAX_MODULUS_BITS + " bits");
      }
      byte[] canonical = key.getEncoded("DER");
      if (!Arrays.equals(canonical, der)) {
        throw new CryptoException("RSA key is not in canonical DER");
      }
      return new TorRsa(key.getModulus(), key.getPublicExponent(), canonical);
    } catch (IOException | IllegalArgumentException e) {
      throw new CryptoException("malformed RSA public key");
    }
  }

  /** A key from a JCA public key (for example an X.509 certificate's). */
  public static TorRsa fromJca(java.security.PublicKey key) throws CryptoException {
    if (!(key instanceof java.security.interfaces.RSAPublicKey rsa)) {
      throw new CryptoException("not an RSA key: " + key.getAlgorithm());
    }
    try {
      byte[] der = new RSAPublicKey(rsa.getModulus(), rsa.getPublicExponent()).getEncoded("DER");
      return fromPkcs1(der);
    } catch (IOException e) {
      throw new CryptoException("cannot encode RSA key");
    }
  }

  public int bits() {
    return modulus.bitLength();
  }

  public byte[] pkcs1Der() {
    return pkcs1Der.clone();
  }

  /** SHA-1 of the PKCS#1 DER: a relay's fingerprint, an authority's v3ident. */
  public byte[] fingerprint() {
    return sha1(pkcs1Der);
  }

  /**
   * Whether {@code signature} is this key's PKCS#1 v1.5 type-1 padding of exactly {@code digest}
   * (no DigestInfo), as tor signs.
   */
  public boolean verifyBareDigest(byte[] digest, byte[] signature) {
    try {
      PKCS1Encoding engine = new PKCS1Encoding(new RSAEngine());
      engine.init(false, new RSAKeyParameters(false, modulus, exponent));
      byte[] recovered = engine.processBlock(signature, 0, signature.length);
      return MessageDigest.isEqual(recovered, digest);
    } catch (InvalidCipherTextException | RuntimeException e) {
      return false;
    }
  }

  public static byte[] sha1(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 missing from the JDK", e);
    }
  }
}
