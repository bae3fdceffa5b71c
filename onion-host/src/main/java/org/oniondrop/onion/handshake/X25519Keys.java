package org.oniondrop.onion.handshake;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.oniondrop.onion.crypto.CryptoException;
import org.oniondrop.onion.crypto.HsCrypto;

/** An x25519 key pair and the checked DH tor uses. */
public record X25519Keys(byte[] secret, byte[] publicKey) {

  public static X25519Keys generate(SecureRandom random) {
    byte[] secret = new byte[32];
    X25519.generatePrivateKey(random, secret);
    return fromSecret(secret);
  }

  public static X25519Keys fromSecret(byte[] secret) {
    byte[] pub = new byte[32];
    X25519.generatePublicKey(secret, 0, pub, 0);
    return new X25519Keys(secret.clone(), pub);
  }

  /** EXP(peer, secret), refusing the all-zero result of a low-order peer key. */
  public static byte[] dh(byte[] secret, byte[] peer) throws CryptoException {
    byte[] out = new byte[32];
    if (!X25519.calculateAgreement(secret, 0, peer, 0, out, 0) || HsCrypto.isAllZero(out)) {
      throw new CryptoException("x25519 result is the point at infinity");
    }
    return out;
  }
}
