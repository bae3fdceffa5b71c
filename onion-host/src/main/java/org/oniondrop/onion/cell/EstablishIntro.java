package org.oniondrop.onion.cell;

import java.util.Arrays;
import java.util.List;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.crypto.ExpandedEd25519Key;
import org.oniondrop.onion.crypto.HsCrypto;

/**
 * ESTABLISH_INTRO (rend-spec-v3 §3.1.1), relay command 32:
 *
 * <pre>
 * AUTH_KEY_TYPE(1)=02 | AUTH_KEY_LEN(2) | AUTH_KEY | N_EXTENSIONS(1) | extensions
 * | HANDSHAKE_AUTH(32) = MAC(KH, all preceding bytes)
 * | SIG_LEN(2) | SIG = Ed25519_KS_hs_ipt_sid("Tor establish-intro cell v1" | all bytes before SIG_LEN)
 * </pre>
 *
 * KH is the 20-byte nonce from the last hop's ntor handshake (tor-spec §5.2.2).
 */
public record EstablishIntro(
    byte[] authKey,
    List<Extension> extensions,
    byte[] handshakeAuth,
    byte[] signature,
    byte[] signedPart) {

  public static final int AUTH_KEY_TYPE_ED25519 = 2;
  public static final int EXT_DOS_PARAMS = 1;
  private static final byte[] SIG_PREFIX = HsCrypto.ascii("Tor establish-intro cell v1");

  public EstablishIntro {
    extensions = List.copyOf(extensions);
  }

  /** Builds and signs an ESTABLISH_INTRO for the intro circuit whose KH is {@code kh}. */
  public static EstablishIntro create(
      ExpandedEd25519Key authKey, byte[] kh, List<Extension> extensions) {
    ByteWriter w = new ByteWriter(200);
    w.u8(AUTH_KEY_TYPE_ED25519).u16(32).bytes(authKey.publicKey());
    Extension.encodeList(w, extensions);
    byte[] macInput = w.toByteArray();
    byte[] auth = HsCrypto.mac(kh, macInput);
    w.bytes(auth);
    byte[] signed = w.toByteArray();
    byte[] sig = authKey.sign(HsCrypto.concat(SIG_PREFIX, signed));
    return new EstablishIntro(authKey.publicKey(), extensions, auth, sig, signed);
  }

  public static EstablishIntro decode(ByteReader r) throws DecodeException {
    int start = r.position();
    int type = r.u8("auth key type");
    if (type != AUTH_KEY_TYPE_ED25519) {
      throw new DecodeException("ESTABLISH_INTRO auth key type " + type + " is not ed25519 (2)");
    }
    int len = r.u16("auth key length");
    if (len != 32) {
      throw new DecodeException("ESTABLISH_INTRO auth key length " + len + " is not 32");
    }
    byte[] key = r.bytes(32, "auth key");
    List<Extension> ext = Extension.decodeList(r);
    byte[] auth = r.bytes(32, "handshake auth");
    int signedEnd = r.position();
    int sigLen = r.u16("signature length");
    if (sigLen != 64) {
      throw new DecodeException("ESTABLISH_INTRO signature length " + sigLen + " is not 64");
    }
    byte[] sig = r.bytes(64, "signature");
    return new EstablishIntro(key, ext, auth, sig, r.copyRange(start, signedEnd));
  }

  public void encode(ByteWriter w) {
    w.bytes(signedPart).u16(signature.length).bytes(signature);
  }

  /**
   * Checks HANDSHAKE_AUTH with this circuit's {@code kh} and the signature with AUTH_KEY: what an
   * introduction point does before accepting the circuit.
   */
  public boolean verify(byte[] kh) {
    byte[] macInput = Arrays.copyOf(signedPart, signedPart.length - 32);
    return HsCrypto.equal(HsCrypto.mac(kh, macInput), handshakeAuth)
        && ExpandedEd25519Key.verify(authKey, HsCrypto.concat(SIG_PREFIX, signedPart), signature);
  }
}
