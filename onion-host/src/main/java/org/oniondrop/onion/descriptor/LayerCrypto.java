package org.oniondrop.onion.descriptor;

import java.security.SecureRandom;
import java.util.Arrays;
import org.oniondrop.onion.crypto.AesCtr;
import org.oniondrop.onion.crypto.HsCrypto;

/**
 * Descriptor layer encryption (rend-spec-v3 §2.5.3):
 *
 * <pre>
 * keys = KDF(SECRET_DATA | N_hs_subcred | INT_8(revision_counter) | salt | STRING_CONSTANT, 80)
 * SECRET_KEY = keys[0:32], SECRET_IV = keys[32:48], MAC_KEY = keys[48:80]
 * blob = salt(16) | AES-256-CTR(SECRET_KEY, SECRET_IV, plaintext) | D_MAC
 * D_MAC = H(INT_8(32) | MAC_KEY | INT_8(16) | salt | ciphertext)
 * </pre>
 */
public final class LayerCrypto {

  /** Layer 1, SECRET_DATA = KP_hs_blind_id. */
  public static final String SUPERENCRYPTED = "hsdir-superencrypted-data";

  /** Layer 2, SECRET_DATA = KP_hs_blind_id | descriptor_cookie (if client auth). */
  public static final String ENCRYPTED = "hsdir-encrypted-data";

  public static final int SALT_LENGTH = 16;
  public static final int MAC_LENGTH = 32;

  private LayerCrypto() {}

  /** The three derived values, exposed for known-answer tests. */
  public record Keys(byte[] secretKey, byte[] secretIv, byte[] macKey) {}

  public static Keys keys(
      byte[] secretData, byte[] subcredential, long revision, byte[] salt, String constant) {
    byte[] k =
        HsCrypto.shake256(
            80, secretData, subcredential, HsCrypto.int8(revision), salt, HsCrypto.ascii(constant));
    return new Keys(
        Arrays.copyOfRange(k, 0, 32), Arrays.copyOfRange(k, 32, 48), Arrays.copyOfRange(k, 48, 80));
  }

  static byte[] mac(byte[] macKey, byte[] salt, byte[] ciphertext) {
    return HsCrypto.sha3(
        HsCrypto.int8(macKey.length), macKey, HsCrypto.int8(salt.length), salt, ciphertext);
  }

  public static byte[] encrypt(
      byte[] plaintext,
      byte[] secretData,
      byte[] subcredential,
      long revision,
      String constant,
      SecureRandom random) {
    byte[] salt = new byte[SALT_LENGTH];
    random.nextBytes(salt);
    Keys k = keys(secretData, subcredential, revision, salt, constant);
    byte[] ciphertext = AesCtr.crypt(k.secretKey(), k.secretIv(), plaintext);
    return HsCrypto.concat(salt, ciphertext, mac(k.macKey(), salt, ciphertext));
  }

  /**
   * Decrypts a layer blob.
   *
   * @throws DescriptorException with reason BAD_SIGNATURE if the MAC does not match (wrong keys or
   *     tampering), MALFORMED if the blob is too short
   */
  public static byte[] decrypt(
      byte[] blob, byte[] secretData, byte[] subcredential, long revision, String constant)
      throws DescriptorException {
    if (blob.length < SALT_LENGTH + MAC_LENGTH) {
      throw NetDoc.malformed("encrypted layer shorter than salt and MAC");
    }
    byte[] salt = Arrays.copyOf(blob, SALT_LENGTH);
    byte[] ciphertext = Arrays.copyOfRange(blob, SALT_LENGTH, blob.length - MAC_LENGTH);
    byte[] mac = Arrays.copyOfRange(blob, blob.length - MAC_LENGTH, blob.length);
    Keys k = keys(secretData, subcredential, revision, salt, constant);
    if (!HsCrypto.equal(mac, mac(k.macKey(), salt, ciphertext))) {
      throw new DescriptorException(
          DescriptorException.Reason.BAD_SIGNATURE, "layer MAC does not match (" + constant + ")");
    }
    return AesCtr.crypt(k.secretKey(), k.secretIv(), ciphertext);
  }
}
