package org.oniondrop.onion.keys;

import java.security.SecureRandom;
import javax.security.auth.Destroyable;
import org.oniondrop.onion.crypto.CryptoException;
import org.oniondrop.onion.crypto.ExpandedEd25519Key;
import org.oniondrop.onion.hsdir.TimePeriod;

/**
 * An onion service's long-term identity key pair, KP_hs_id / KS_hs_id (rend-spec-v3 §1.9), held in
 * C tor's expanded form so that keys from tor's {@code hs_ed25519_secret_key} keep their address.
 * It never signs anything itself: it only derives the blinded key of each time period.
 */
public final class HsIdentity implements Destroyable {

  private final ExpandedEd25519Key key;

  private HsIdentity(ExpandedEd25519Key key) {
    this.key = key;
  }

  /** A new random identity. */
  public static HsIdentity generate(SecureRandom random) {
    return new HsIdentity(ExpandedEd25519Key.generate(random));
  }

  /** From a 64-byte expanded secret key (tor's key file body). */
  public static HsIdentity fromExpandedSecret(byte[] expanded) {
    return new HsIdentity(ExpandedEd25519Key.fromExpanded(expanded));
  }

  /** KP_hs_id. */
  public byte[] publicKey() {
    return key.publicKey();
  }

  /** The expanded secret, for writing tor's key file; wipe it after use. */
  public byte[] expandedSecret() {
    return key.expandedSecret();
  }

  public OnionAddress address() {
    return OnionAddress.of(key.publicKey());
  }

  /** The blinded key pair for {@code period} (App. A.2). */
  public BlindedIdentity blind(TimePeriod period) {
    byte[] param =
        ExpandedEd25519Key.blindingFactor(key.publicKey(), period.number(), period.lengthMinutes());
    return new BlindedIdentity(key.publicKey(), key.blind(param), period);
  }

  /**
   * The blinded public key for {@code period} from the public identity alone, as a client computes
   * it from an onion address.
   */
  public static byte[] blindedPublicKey(byte[] identityPublicKey, TimePeriod period)
      throws CryptoException {
    byte[] param =
        ExpandedEd25519Key.blindingFactor(
            identityPublicKey, period.number(), period.lengthMinutes());
    return ExpandedEd25519Key.blindPublicKey(identityPublicKey, param);
  }

  @Override
  public void destroy() {
    key.destroy();
  }

  @Override
  public boolean isDestroyed() {
    return key.isDestroyed();
  }

  @Override
  public String toString() {
    return "HsIdentity[" + address() + "]";
  }
}
