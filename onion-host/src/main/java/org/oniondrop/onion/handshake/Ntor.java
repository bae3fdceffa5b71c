package org.oniondrop.onion.handshake;

import java.security.SecureRandom;
import java.util.Arrays;
import org.oniondrop.onion.crypto.CryptoException;
import org.oniondrop.onion.crypto.HsCrypto;

/**
 * The ntor handshake (tor-spec §5.1.4), CREATE2 handshake type 2, with KDF-RFC5869 key expansion
 * (tor-spec §5.2.2) to {@code Df(20) | Db(20) | Kf(16) | Kb(16) | KH(20)}.
 *
 * <pre>
 * client onionskin = ID(20) | B(32) | X(32);   server reply = Y(32) | AUTH(32)
 * secret_input = EXP(Y,x) | EXP(B,x) | ID | B | X | Y | PROTOID
 * verify = H(secret_input, t_verify); AUTH = H(verify | ID | B | Y | X | PROTOID | "Server", t_mac)
 * keys = HKDF-SHA256(salt = t_key, ikm = secret_input, info = m_expand)
 * </pre>
 */
public final class Ntor {

  public static final String PROTOID = "ntor-curve25519-sha256-1";
  private static final byte[] T_MAC = HsCrypto.ascii(PROTOID + ":mac");
  private static final byte[] T_KEY = HsCrypto.ascii(PROTOID + ":key_extract");
  private static final byte[] T_VERIFY = HsCrypto.ascii(PROTOID + ":verify");
  private static final byte[] M_EXPAND = HsCrypto.ascii(PROTOID + ":key_expand");

  /** Bytes of key material a tor1 hop needs. */
  public static final int KEY_MATERIAL = 92;

  public static final int ONIONSKIN_LENGTH = 84;
  public static final int REPLY_LENGTH = 64;

  private Ntor() {}

  /** The client's state between sending CREATE2 and receiving CREATED2. */
  public record ClientState(byte[] relayId, byte[] relayB, X25519Keys x) {

    /** The CREATE2 handshake data. */
    public byte[] onionskin() {
      return HsCrypto.concat(relayId, relayB, x.publicKey());
    }

    /**
     * Completes the handshake with the server's reply.
     *
     * @return {@value #KEY_MATERIAL} bytes of key material
     * @throws CryptoException if the reply is malformed or AUTH does not verify
     */
    public byte[] complete(byte[] reply) throws CryptoException {
      if (reply.length != REPLY_LENGTH) {
        throw new CryptoException("ntor reply must be 64 bytes, is " + reply.length);
      }
      byte[] y = Arrays.copyOf(reply, 32);
      byte[] auth = Arrays.copyOfRange(reply, 32, 64);
      byte[] secretInput =
          HsCrypto.concat(
              X25519Keys.dh(x.secret(), y),
              X25519Keys.dh(x.secret(), relayB),
              relayId,
              relayB,
              x.publicKey(),
              y,
              HsCrypto.ascii(PROTOID));
      if (!HsCrypto.equal(auth, authFor(secretInput, relayId, relayB, x.publicKey(), y))) {
        throw new CryptoException("ntor AUTH does not verify");
      }
      return HsCrypto.hkdfSha256(secretInput, T_KEY, M_EXPAND, KEY_MATERIAL);
    }
  }

  public static ClientState client(byte[] relayId, byte[] relayB, SecureRandom random) {
    return client(relayId, relayB, X25519Keys.generate(random));
  }

  static ClientState client(byte[] relayId, byte[] relayB, X25519Keys x) {
    if (relayId.length != 20 || relayB.length != 32) {
      throw new IllegalArgumentException("relay id is 20 bytes, ntor key 32");
    }
    return new ClientState(relayId.clone(), relayB.clone(), x);
  }

  /** What the relay computes: the reply to send and the key material. */
  public record ServerResult(byte[] reply, byte[] keyMaterial) {}

  /**
   * The relay's side: checks that the onionskin names this relay, answers it.
   *
   * @throws CryptoException if the onionskin is for another relay or key, or X is low-order
   */
  public static ServerResult server(
      byte[] onionskin, byte[] relayId, X25519Keys relayKeys, SecureRandom random)
      throws CryptoException {
    return server(onionskin, relayId, relayKeys, X25519Keys.generate(random));
  }

  static ServerResult server(byte[] onionskin, byte[] relayId, X25519Keys b, X25519Keys y)
      throws CryptoException {
    if (onionskin.length != ONIONSKIN_LENGTH) {
      throw new CryptoException("ntor onionskin must be 84 bytes, is " + onionskin.length);
    }
    if (!HsCrypto.equal(Arrays.copyOf(onionskin, 20), relayId)
        || !HsCrypto.equal(Arrays.copyOfRange(onionskin, 20, 52), b.publicKey())) {
      throw new CryptoException("ntor onionskin is for another relay or onion key");
    }
    byte[] x = Arrays.copyOfRange(onionskin, 52, 84);
    byte[] secretInput =
        HsCrypto.concat(
            X25519Keys.dh(y.secret(), x),
            X25519Keys.dh(b.secret(), x),
            relayId,
            b.publicKey(),
            x,
            y.publicKey(),
            HsCrypto.ascii(PROTOID));
    byte[] auth = authFor(secretInput, relayId, b.publicKey(), x, y.publicKey());
    return new ServerResult(
        HsCrypto.concat(y.publicKey(), auth),
        HsCrypto.hkdfSha256(secretInput, T_KEY, M_EXPAND, KEY_MATERIAL));
  }

  private static byte[] authFor(byte[] secretInput, byte[] id, byte[] b, byte[] x, byte[] y) {
    byte[] verify = HsCrypto.hmacSha256(T_VERIFY, secretInput);
    byte[] authInput =
        HsCrypto.concat(verify, id, b, y, x, HsCrypto.ascii(PROTOID), HsCrypto.ascii("Server"));
    return HsCrypto.hmacSha256(T_MAC, authInput);
  }
}
