package org.oniondrop.onion.handshake;

import java.security.SecureRandom;
import java.util.Arrays;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.cell.Introduce1;
import org.oniondrop.onion.cell.IntroducePlaintext;
import org.oniondrop.onion.crypto.AesCtr;
import org.oniondrop.onion.crypto.CryptoException;
import org.oniondrop.onion.crypto.HsCrypto;

/**
 * hs-ntor (rend-spec-v3 §3.3.2, §4.2; App. G), PROTOID {@value #PROTOID}.
 *
 * <pre>
 * intro_secret = EXP(B,x) | AUTH_KEY | X | B | PROTOID              (client; service: EXP(X,b))
 * hs_keys = KDF(intro_secret | t_hsenc | m_hsexpand | N_hs_subcred, 64) = ENC_KEY | MAC_KEY
 * ENCRYPTED = X | AES-256-CTR(ENC_KEY, 0, plaintext) | MAC(MAC_KEY, whole INTRODUCE1 up to here)
 * rend_secret = EXP(X,y) | EXP(X,b) | AUTH_KEY | B | X | Y | PROTOID
 * NTOR_KEY_SEED = MAC(rend_secret, t_hsenc); verify = MAC(rend_secret, t_hsverify)
 * AUTH_INPUT_MAC = MAC(verify | AUTH_KEY | B | Y | X | PROTOID | "Server", t_hsmac)
 * K = KDF(NTOR_KEY_SEED | m_hsexpand, 128) = Df | Db | Kf | Kb
 * </pre>
 *
 * The INTRODUCE1 MAC covers the whole cell from LEGACY_KEY_ID, client key included (C tor and App.
 * G; the §3.3.2 prose says "from AUTH_KEY").
 */
public final class HsNtor {

  public static final String PROTOID = "tor-hs-ntor-curve25519-sha3-256-1";
  private static final byte[] PROTO = HsCrypto.ascii(PROTOID);
  private static final byte[] T_HSENC = HsCrypto.ascii(PROTOID + ":hs_key_extract");
  private static final byte[] T_HSVERIFY = HsCrypto.ascii(PROTOID + ":hs_verify");
  private static final byte[] T_HSMAC = HsCrypto.ascii(PROTOID + ":hs_mac");
  private static final byte[] M_HSEXPAND = HsCrypto.ascii(PROTOID + ":hs_key_expand");

  /** Bytes of virtual-hop key material: Df | Db | Kf | Kb, 32 each. */
  public static final int KEY_MATERIAL = 128;

  /** HANDSHAKE_INFO in RENDEZVOUS1/2: Y | AUTH_INPUT_MAC. */
  public static final int HANDSHAKE_INFO_LENGTH = 64;

  private HsNtor() {}

  /** ENC_KEY | MAC_KEY for the introduction. */
  static byte[] introKeys(byte[] dh, byte[] authKey, byte[] x, byte[] b, byte[] subcredential) {
    byte[] introSecret = HsCrypto.concat(dh, authKey, x, b, PROTO);
    return HsCrypto.shake256(64, introSecret, T_HSENC, M_HSEXPAND, subcredential);
  }

  /** A client's state between INTRODUCE1 and RENDEZVOUS2. */
  public record ClientState(X25519Keys x, byte[] authKey, byte[] b, Introduce1 introduce1) {

    /**
     * Completes the handshake with RENDEZVOUS2's HANDSHAKE_INFO.
     *
     * @return the {@value #KEY_MATERIAL} bytes of virtual-hop key material
     * @throws CryptoException if the service's AUTH does not verify
     */
    public byte[] complete(byte[] handshakeInfo) throws CryptoException {
      if (handshakeInfo.length < HANDSHAKE_INFO_LENGTH) {
        throw new CryptoException("RENDEZVOUS2 handshake info shorter than 64 bytes");
      }
      byte[] y = Arrays.copyOf(handshakeInfo, 32);
      byte[] auth = Arrays.copyOfRange(handshakeInfo, 32, 64);
      byte[] rendSecret =
          HsCrypto.concat(
              X25519Keys.dh(x.secret(), y),
              X25519Keys.dh(x.secret(), b),
              authKey,
              b,
              x.publicKey(),
              y,
              PROTO);
      byte[][] seedAndAuth = seedAndAuth(rendSecret, authKey, b, x.publicKey(), y);
      if (!HsCrypto.equal(auth, seedAndAuth[1])) {
        throw new CryptoException("hs-ntor AUTH_INPUT_MAC does not verify");
      }
      return HsCrypto.shake256(KEY_MATERIAL, seedAndAuth[0], M_HSEXPAND);
    }
  }

  /**
   * Builds INTRODUCE1 for an intro point with auth key {@code authKey} and service enc key {@code
   * b}, encrypting {@code plaintext} (padded so the cell reaches C tor's minimum).
   */
  public static ClientState client(
      byte[] authKey,
      byte[] b,
      byte[] subcredential,
      IntroducePlaintext plaintext,
      SecureRandom random)
      throws CryptoException {
    return client(authKey, b, subcredential, plaintext, X25519Keys.generate(random));
  }

  static ClientState client(
      byte[] authKey, byte[] b, byte[] subcredential, IntroducePlaintext plaintext, X25519Keys x)
      throws CryptoException {
    int overhead =
        new Introduce1(2, authKey, java.util.List.of(), new byte[0]).header().length + 64;
    ByteWriter pw = new ByteWriter(256);
    plaintext.encode(pw, Math.max(0, IntroducePlaintext.MIN_INTRODUCE1_LENGTH - overhead));
    return clientWithPlaintext(authKey, b, subcredential, pw.toByteArray(), x);
  }

  /** As {@link #client}, with the plaintext already encoded and padded (known-answer tests). */
  static ClientState clientWithPlaintext(
      byte[] authKey, byte[] b, byte[] subcredential, byte[] encodedPlaintext, X25519Keys x)
      throws CryptoException {
    byte[] header = new Introduce1(2, authKey, java.util.List.of(), new byte[0]).header();
    byte[] keys = introKeys(X25519Keys.dh(x.secret(), b), authKey, x.publicKey(), b, subcredential);
    byte[] encryptedData = AesCtr.zeroIv(Arrays.copyOf(keys, 32)).apply(encodedPlaintext);
    byte[] macInput = HsCrypto.concat(header, x.publicKey(), encryptedData);
    byte[] mac = HsCrypto.mac(Arrays.copyOfRange(keys, 32, 64), macInput);
    Introduce1 cell =
        new Introduce1(
            2, authKey, java.util.List.of(), HsCrypto.concat(x.publicKey(), encryptedData, mac));
    return new ClientState(x, authKey.clone(), b.clone(), cell);
  }

  /** What the service learns from a valid INTRODUCE2 and what it sends back. */
  public record ServiceResult(
      IntroducePlaintext plaintext, byte[] clientKey, byte[] handshakeInfo, byte[] keyMaterial) {}

  /**
   * The service's side: checks the MAC with each candidate subcredential (one per live descriptor),
   * decrypts, and completes the rendezvous half of the handshake.
   *
   * @throws CryptoException if no subcredential gives a valid MAC, or X is low-order
   * @throws DecodeException if the decrypted plaintext is malformed
   */
  public static ServiceResult service(
      Introduce1 introduce2, X25519Keys b, byte[][] subcredentials, SecureRandom random)
      throws CryptoException, DecodeException {
    return service(introduce2, b, subcredentials, X25519Keys.generate(random));
  }

  static ServiceResult service(
      Introduce1 introduce2, X25519Keys b, byte[][] subcredentials, X25519Keys y)
      throws CryptoException, DecodeException {
    byte[] encrypted = introduce2.encrypted();
    if (encrypted.length < Introduce1.MIN_ENCRYPTED) {
      throw new DecodeException("INTRODUCE2 encrypted part shorter than 64 bytes");
    }
    byte[] x = Arrays.copyOf(encrypted, 32);
    byte[] data = Arrays.copyOfRange(encrypted, 32, encrypted.length - 32);
    byte[] mac = Arrays.copyOfRange(encrypted, encrypted.length - 32, encrypted.length);
    byte[] authKey = introduce2.authKey();
    byte[] dh = X25519Keys.dh(b.secret(), x);
    byte[] macInput = HsCrypto.concat(introduce2.header(), x, data);
    byte[] keys = null;
    for (byte[] subcredential : subcredentials) {
      byte[] candidate = introKeys(dh, authKey, x, b.publicKey(), subcredential);
      if (HsCrypto.equal(mac, HsCrypto.mac(Arrays.copyOfRange(candidate, 32, 64), macInput))) {
        keys = candidate;
        break;
      }
    }
    if (keys == null) {
      throw new CryptoException("INTRODUCE2 MAC does not verify with any subcredential");
    }
    byte[] plain = AesCtr.zeroIv(Arrays.copyOf(keys, 32)).apply(data);
    IntroducePlaintext parsed = IntroducePlaintext.decode(ByteReader.of(plain));
    byte[] rendSecret =
        HsCrypto.concat(
            X25519Keys.dh(y.secret(), x), dh, authKey, b.publicKey(), x, y.publicKey(), PROTO);
    byte[][] seedAndAuth = seedAndAuth(rendSecret, authKey, b.publicKey(), x, y.publicKey());
    return new ServiceResult(
        parsed,
        x,
        HsCrypto.concat(y.publicKey(), seedAndAuth[1]),
        HsCrypto.shake256(KEY_MATERIAL, seedAndAuth[0], M_HSEXPAND));
  }

  /** {NTOR_KEY_SEED, AUTH_INPUT_MAC}. */
  private static byte[][] seedAndAuth(
      byte[] rendSecret, byte[] authKey, byte[] b, byte[] x, byte[] y) {
    byte[] seed = HsCrypto.mac(rendSecret, T_HSENC);
    byte[] verify = HsCrypto.mac(rendSecret, T_HSVERIFY);
    byte[] authInput = HsCrypto.concat(verify, authKey, b, y, x, PROTO, HsCrypto.ascii("Server"));
    return new byte[][] {seed, HsCrypto.mac(authInput, T_HSMAC)};
  }
}
