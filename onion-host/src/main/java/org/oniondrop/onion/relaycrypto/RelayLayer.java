package org.oniondrop.onion.relaycrypto;

import java.util.Arrays;
import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.util.Memoable;
import org.oniondrop.onion.cell.Cell;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.crypto.AesCtr;

/**
 * One hop's relay crypto, seen from one end: {@code send} encrypts and digests what this end
 * originates, {@code receive} decrypts and recognizes what it gets. A client's hop uses (Kf, Df) to
 * send and (Kb, Db) to receive; a relay, and the service end of the virtual hop, the reverse.
 */
public final class RelayLayer {

  private final AesCtr sendCipher;
  private final Digest sendDigest;
  private final AesCtr receiveCipher;

  /** The running receive digest; swapped with {@link #trial} when a cell is recognized. */
  private Digest receiveDigest;

  /**
   * Scratch state, allocated once per layer so that no cell allocates a digest: {@code trial} is
   * the receive digest with one candidate cell absorbed (it becomes the running digest only if the
   * cell is ours: tor-spec §6.1 keeps the pre-cell state for cells that are not), {@code peek} a
   * copy finalized to read a running digest without ending it.
   */
  private Digest trial;

  private final Digest peek;

  private RelayLayer(
      AesCtr sendCipher,
      Digest sendDigest,
      AesCtr receiveCipher,
      Digest receiveDigest,
      Supplier<Digest> digests) {
    this.sendCipher = sendCipher;
    this.sendDigest = sendDigest;
    this.receiveCipher = receiveCipher;
    this.receiveDigest = receiveDigest;
    this.trial = digests.get();
    this.peek = digests.get();
  }

  /** Which end of the hop this layer is. */
  public enum Side {
    /** The circuit's origin (client, or service on its own circuits): sends with Kf/Df. */
    ORIGIN,
    /** The relay at this hop (or the service end of the virtual hop): sends with Kb/Db. */
    RESPONDER
  }

  /** A tor1 hop from ntor key material {@code Df(20) | Db(20) | Kf(16) | Kb(16) | KH(20)}. */
  public static RelayLayer tor1(byte[] keys, Side side) {
    if (keys.length < 72) {
      throw new IllegalArgumentException("tor1 needs 72 bytes of key material");
    }
    return build(keys, 20, 16, side, SHA1Digest::new);
  }

  /** The onion-service virtual hop from hs-ntor key material {@code Df | Db | Kf | Kb}, 32 each. */
  public static RelayLayer hsVirtualHop(byte[] keys, Side side) {
    if (keys.length != 128) {
      throw new IllegalArgumentException("the virtual hop needs 128 bytes of key material");
    }
    return build(keys, 32, 32, side, RunningSha3::new);
  }

  private static RelayLayer build(
      byte[] keys, int digestLen, int keyLen, Side side, Supplier<Digest> digests) {
    byte[] df = Arrays.copyOfRange(keys, 0, digestLen);
    byte[] db = Arrays.copyOfRange(keys, digestLen, 2 * digestLen);
    byte[] kf = Arrays.copyOfRange(keys, 2 * digestLen, 2 * digestLen + keyLen);
    byte[] kb = Arrays.copyOfRange(keys, 2 * digestLen + keyLen, 2 * digestLen + 2 * keyLen);
    Digest forward = digests.get();
    forward.update(df, 0, df.length);
    Digest backward = digests.get();
    backward.update(db, 0, db.length);
    AesCtr fc = AesCtr.zeroIv(kf);
    AesCtr bc = AesCtr.zeroIv(kb);
    return side == Side.ORIGIN
        ? new RelayLayer(fc, forward, bc, backward, digests)
        : new RelayLayer(bc, backward, fc, forward, digests);
  }

  /**
   * Makes {@code body} (a relay cell with recognized = 0 and digest = 0) ours: absorbs it into the
   * send digest and writes the first 4 bytes of the digest into it. Returns the full running
   * digest, whose first 20 bytes an authenticated SENDME would carry.
   */
  public byte[] stamp(byte[] body) {
    checkBody(body);
    Arrays.fill(body, RelayCell.DIGEST_OFFSET, RelayCell.DIGEST_OFFSET + 4, (byte) 0);
    sendDigest.update(body, 0, body.length);
    byte[] d = new byte[peek.getDigestSize()];
    copyState(peek, sendDigest);
    peek.doFinal(d, 0);
    System.arraycopy(d, 0, body, RelayCell.DIGEST_OFFSET, 4);
    return d;
  }

  /** Encrypts {@code body} in place with this hop's send cipher. */
  public void encrypt(byte[] body) {
    checkBody(body);
    sendCipher.apply(body, 0, body.length);
  }

  /** Decrypts {@code body} in place with this hop's receive cipher. */
  public void decrypt(byte[] body) {
    checkBody(body);
    receiveCipher.apply(body, 0, body.length);
  }

  /**
   * Whether a decrypted {@code body} is addressed to this end: recognized is zero and the digest
   * matches. On a match the receive digest is advanced and the full digest is returned; otherwise
   * nothing changes and {@code null} is returned. Either way {@code body} is left as it came.
   */
  public byte[] recognize(byte[] body) {
    checkBody(body);
    if (body[1] != 0 || body[2] != 0) {
      return null;
    }
    int at = RelayCell.DIGEST_OFFSET;
    byte c0 = body[at];
    byte c1 = body[at + 1];
    byte c2 = body[at + 2];
    byte c3 = body[at + 3];
    body[at] = 0;
    body[at + 1] = 0;
    body[at + 2] = 0;
    body[at + 3] = 0;
    copyState(trial, receiveDigest);
    trial.update(body, 0, body.length);
    byte[] d = new byte[peek.getDigestSize()];
    copyState(peek, trial);
    peek.doFinal(d, 0);
    body[at] = c0;
    body[at + 1] = c1;
    body[at + 2] = c2;
    body[at + 3] = c3;
    if (d[0] != c0 || d[1] != c1 || d[2] != c2 || d[3] != c3) {
      return null;
    }
    // The cell is ours: the trial state, which absorbed it, becomes the running digest.
    Digest advanced = trial;
    trial = receiveDigest;
    receiveDigest = advanced;
    return d;
  }

  /** Copies {@code source}'s state into {@code target} without allocating. */
  private static void copyState(Digest target, Digest source) {
    ((Memoable) target).reset((Memoable) source);
  }

  private static void checkBody(byte[] body) {
    if (body.length != Cell.PAYLOAD_LENGTH) {
      throw new IllegalArgumentException("relay body must be 509 bytes");
    }
  }
}
