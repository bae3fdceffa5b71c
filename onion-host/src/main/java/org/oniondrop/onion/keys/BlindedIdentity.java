package org.oniondrop.onion.keys;

import org.oniondrop.onion.crypto.ExpandedEd25519Key;
import org.oniondrop.onion.crypto.HsCrypto;
import org.oniondrop.onion.hsdir.TimePeriod;

/**
 * KP_hs_blind_id / KS_hs_blind_id for one time period, with the values derived from it: the
 * credential and subcredential (rend-spec-v3 §2.1) that key the descriptor and hs-ntor.
 */
public final class BlindedIdentity {

  private final byte[] identityPublicKey;
  private final ExpandedEd25519Key blinded;
  private final TimePeriod period;

  BlindedIdentity(byte[] identityPublicKey, ExpandedEd25519Key blinded, TimePeriod period) {
    this.identityPublicKey = identityPublicKey.clone();
    this.blinded = blinded;
    this.period = period;
  }

  /** KP_hs_blind_id. */
  public byte[] publicKey() {
    return blinded.publicKey();
  }

  /** The key that signs the descriptor-signing-key certificate. */
  public ExpandedEd25519Key signingKey() {
    return blinded;
  }

  public TimePeriod period() {
    return period;
  }

  /** N_hs_subcred for this period. */
  public byte[] subcredential() {
    return subcredential(identityPublicKey, blinded.publicKey());
  }

  /** N_hs_cred = H("credential" | KP_hs_id). */
  public static byte[] credential(byte[] identityPublicKey) {
    return HsCrypto.sha3(HsCrypto.ascii("credential"), identityPublicKey);
  }

  /** N_hs_subcred = H("subcredential" | N_hs_cred | KP_hs_blind_id). */
  public static byte[] subcredential(byte[] identityPublicKey, byte[] blindedPublicKey) {
    return HsCrypto.sha3(
        HsCrypto.ascii("subcredential"), credential(identityPublicKey), blindedPublicKey);
  }
}
