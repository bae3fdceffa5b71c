package org.oniondrop.crypto.pgp;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKeyReader;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * A validated OpenPGP certificate (public key) that messages can be encrypted to.
 *
 * <p>Validation, each failure with its own {@link KeyRejectedException.Reason}: the input holds
 * exactly one public certificate (a secret key is refused: the server must never hold the
 * submission private key); the primary key is not revoked, not expired, and its newest valid
 * self-signature does not use SHA-1; at least one subkey (or the primary key) is marked for
 * encryption, has a valid binding signature not made with SHA-1, and is neither revoked nor
 * expired; RSA keys have at least {@value #MIN_RSA_BITS} bits (a warning below {@value
 * #RECOMMENDED_RSA_BITS}). Every signature counted is cryptographically verified.
 */
public final class EncryptionCertificate {

  /** RSA keys under this many bits are refused (NIST SP 800-131A disallows them). */
  public static final int MIN_RSA_BITS = 2048;

  /** RSA keys under this many bits are accepted with a warning (128-bit security needs 3072). */
  public static final int RECOMMENDED_RSA_BITS = 3072;

  /** Key input larger than this is refused unread: a certificate is a few KiB. */
  public static final int MAX_INPUT_BYTES = 1024 * 1024;

  private static final int ENCRYPT_FLAGS = KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE;

  private final OpenPGPCertificate certificate;
  private final PGPPublicKey encryptionKey;
  private final List<String> warnings;

  private EncryptionCertificate(
      OpenPGPCertificate certificate, PGPPublicKey encryptionKey, List<String> warnings) {
    this.certificate = certificate;
    this.encryptionKey = encryptionKey;
    this.warnings = List.copyOf(warnings);
  }

  /** Parses and validates an armored or binary certificate, with expiry checked at now. */
  public static EncryptionCertificate parse(byte[] input) throws KeyRejectedException {
    return parse(input, Instant.now());
  }

  /** Parses and validates an armored or binary certificate, with expiry checked at {@code now}. */
  public static EncryptionCertificate parse(byte[] input, Instant now) throws KeyRejectedException {
    Objects.requireNonNull(input, "input");
    if (input.length > MAX_INPUT_BYTES) {
      throw new KeyRejectedException(
          KeyRejectedException.Reason.MALFORMED,
          "key input is larger than " + MAX_INPUT_BYTES + " bytes");
    }
    List<OpenPGPCertificate> parsed;
    try {
      parsed = new OpenPGPKeyReader().parseKeysOrCertificates(input);
    } catch (IOException | RuntimeException e) {
      // Bouncy Castle signals malformed packets with several unchecked types as well.
      throw new KeyRejectedException(
          KeyRejectedException.Reason.MALFORMED, "not an OpenPGP public key: " + e.getMessage(), e);
    }
    if (parsed.isEmpty()) {
      throw new KeyRejectedException(
          KeyRejectedException.Reason.MALFORMED, "no OpenPGP key found in the input");
    }
    for (OpenPGPCertificate c : parsed) {
      if (c.isSecretKey()) {
        throw new KeyRejectedException(
            KeyRejectedException.Reason.SECRET_KEY_GIVEN,
            "this is a secret key; give the public key only (gpg --export, not"
                + " --export-secret-keys): the server must never hold the private key");
      }
    }
    if (parsed.size() > 1) {
      throw new KeyRejectedException(
          KeyRejectedException.Reason.MULTIPLE_KEYS,
          "the input holds " + parsed.size() + " keys; give exactly one");
    }
    return validate(parsed.get(0), now);
  }

  /** Validates an already parsed certificate (for keys this module generated). */
  static EncryptionCertificate validate(OpenPGPCertificate certificate, Instant now)
      throws KeyRejectedException {
    PGPPublicKeyRing ring = certificate.getPGPPublicKeyRing();
    PGPPublicKey primary = ring.getPublicKey();
    List<String> warnings = new ArrayList<>();

    rsaStrength(primary, "primary key", warnings);
    if (hasValidRevocation(primary, primary, PGPSignature.KEY_REVOCATION)) {
      throw new KeyRejectedException(KeyRejectedException.Reason.REVOKED, "the key is revoked");
    }
    PGPSignature selfSig = newestSelfSignature(primary);
    if (selfSig == null) {
      throw new KeyRejectedException(
          KeyRejectedException.Reason.MALFORMED, "the key has no valid self-signature");
    }
    if (isExpired(primary, selfSig, now)) {
      throw new KeyRejectedException(KeyRejectedException.Reason.EXPIRED, "the key has expired");
    }
    if (selfSig.getHashAlgorithm() == HashAlgorithmTags.SHA1) {
      throw new KeyRejectedException(
          KeyRejectedException.Reason.SHA1_BINDING,
          "the key's self-signature uses SHA-1; re-sign it with SHA-256 or better");
    }

    PGPPublicKey best = null;
    KeyRejectedException firstProblem = null;
    if (canEncrypt(primary, selfSig)) {
      best = primary;
    }
    Iterator<PGPPublicKey> keys = ring.getPublicKeys();
    while (keys.hasNext()) {
      PGPPublicKey subkey = keys.next();
      if (subkey.isMasterKey()) {
        continue;
      }
      PGPSignature binding = newestBinding(primary, subkey);
      if (binding == null || !canEncrypt(subkey, binding)) {
        continue;
      }
      KeyRejectedException problem = subkeyProblem(primary, subkey, binding, now);
      if (problem != null) {
        firstProblem = firstProblem == null ? problem : firstProblem;
        continue;
      }
      if (best == null || subkey.getCreationTime().after(best.getCreationTime())) {
        best = subkey;
      }
    }
    if (best == null) {
      if (firstProblem != null) {
        throw firstProblem;
      }
      throw new KeyRejectedException(
          KeyRejectedException.Reason.NO_ENCRYPTION_KEY,
          "the key has no valid subkey marked for encryption");
    }
    rsaStrength(best, "encryption subkey", warnings);
    return new EncryptionCertificate(certificate, best, warnings);
  }

  private static KeyRejectedException subkeyProblem(
      PGPPublicKey primary, PGPPublicKey subkey, PGPSignature binding, Instant now) {
    if (hasValidRevocation(primary, subkey, PGPSignature.SUBKEY_REVOCATION)) {
      return new KeyRejectedException(
          KeyRejectedException.Reason.REVOKED, "the encryption subkey is revoked");
    }
    if (isExpired(subkey, binding, now)) {
      return new KeyRejectedException(
          KeyRejectedException.Reason.EXPIRED, "the encryption subkey has expired");
    }
    if (binding.getHashAlgorithm() == HashAlgorithmTags.SHA1) {
      return new KeyRejectedException(
          KeyRejectedException.Reason.SHA1_BINDING,
          "the encryption subkey's binding signature uses SHA-1");
    }
    try {
      rsaStrength(subkey, "encryption subkey", new ArrayList<>());
    } catch (KeyRejectedException e) {
      return e;
    }
    return null;
  }

  private static void rsaStrength(PGPPublicKey key, String what, List<String> warnings)
      throws KeyRejectedException {
    int algorithm = key.getAlgorithm();
    boolean rsa =
        algorithm == PublicKeyAlgorithmTags.RSA_GENERAL
            || algorithm == PublicKeyAlgorithmTags.RSA_ENCRYPT
            || algorithm == PublicKeyAlgorithmTags.RSA_SIGN;
    if (!rsa) {
      return;
    }
    int bits = key.getBitStrength();
    if (bits < MIN_RSA_BITS) {
      throw new KeyRejectedException(
          KeyRejectedException.Reason.WEAK_RSA,
          "the " + what + " is RSA-" + bits + "; at least RSA-" + MIN_RSA_BITS + " is required");
    }
    if (bits < RECOMMENDED_RSA_BITS) {
      warnings.add(
          "the "
              + what
              + " is RSA-"
              + bits
              + "; RSA-"
              + RECOMMENDED_RSA_BITS
              + " or more is advised");
    }
  }

  private static boolean canEncrypt(PGPPublicKey key, PGPSignature sig) {
    PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
    int flags = hashed == null ? 0 : hashed.getKeyFlags();
    if (flags != 0) {
      return (flags & ENCRYPT_FLAGS) != 0;
    }
    return key.isEncryptionKey() && !key.isMasterKey();
  }

  private static boolean isExpired(PGPPublicKey key, PGPSignature sig, Instant now) {
    PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
    long seconds = hashed == null ? 0 : hashed.getKeyExpirationTime();
    if (seconds <= 0) {
      return false;
    }
    Instant expires = key.getCreationTime().toInstant().plusSeconds(seconds);
    return !now.isBefore(expires);
  }

  private static PGPSignature newestSelfSignature(PGPPublicKey primary) {
    PGPSignature newest = null;
    Iterator<PGPSignature> direct = primary.getSignaturesOfType(PGPSignature.DIRECT_KEY);
    while (direct.hasNext()) {
      PGPSignature sig = direct.next();
      if (issuedBy(sig, primary)
          && verifies(() -> sig.verifyCertification(primary), sig, primary)) {
        newest = newer(newest, sig);
      }
    }
    Iterator<byte[]> ids = primary.getRawUserIDs();
    while (ids.hasNext()) {
      byte[] id = ids.next();
      Iterator<PGPSignature> sigs = primary.getSignaturesForID(id);
      while (sigs != null && sigs.hasNext()) {
        PGPSignature sig = sigs.next();
        if (sig.isCertification()
            && issuedBy(sig, primary)
            && verifies(() -> sig.verifyCertification(id, primary), sig, primary)) {
          newest = newer(newest, sig);
        }
      }
    }
    return newest;
  }

  private static PGPSignature newestBinding(PGPPublicKey primary, PGPPublicKey subkey) {
    PGPSignature newest = null;
    Iterator<PGPSignature> sigs = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
    while (sigs.hasNext()) {
      PGPSignature sig = sigs.next();
      if (issuedBy(sig, primary)
          && verifies(() -> sig.verifyCertification(primary, subkey), sig, primary)) {
        newest = newer(newest, sig);
      }
    }
    return newest;
  }

  private static boolean hasValidRevocation(PGPPublicKey primary, PGPPublicKey key, int type) {
    Iterator<PGPSignature> sigs = key.getSignaturesOfType(type);
    while (sigs.hasNext()) {
      PGPSignature sig = sigs.next();
      Check check =
          key == primary
              ? () -> sig.verifyCertification(primary)
              : () -> sig.verifyCertification(primary, key);
      if (issuedBy(sig, primary) && verifies(check, sig, primary)) {
        return true;
      }
    }
    return false;
  }

  private static PGPSignature newer(PGPSignature a, PGPSignature b) {
    return a == null || b.getCreationTime().after(a.getCreationTime()) ? b : a;
  }

  private static boolean issuedBy(PGPSignature sig, PGPPublicKey primary) {
    return sig.getKeyID() == 0 || sig.getKeyID() == primary.getKeyID();
  }

  @FunctionalInterface
  private interface Check {
    boolean run() throws PGPException;
  }

  private static boolean verifies(Check check, PGPSignature sig, PGPPublicKey signer) {
    try {
      sig.init(new BcPGPContentVerifierBuilderProvider(), signer);
      return check.run();
    } catch (PGPException | RuntimeException e) {
      // A signature that cannot be checked (unknown algorithm, bad encoding) does not count.
      return false;
    }
  }

  /** The primary key's fingerprint: how admins and journalists identify the key. */
  public Fingerprint fingerprint() {
    return Fingerprint.of(certificate.getFingerprint());
  }

  /** The fingerprint of the (sub)key messages are encrypted to. */
  public Fingerprint encryptionKeyFingerprint() {
    return Fingerprint.of(encryptionKey.getFingerprint());
  }

  /** Key format version: 4 or 6. */
  public int version() {
    return encryptionKey.getVersion();
  }

  /** Whether this is a v6 (RFC 9580) key, which may be sent SEIPD v2 messages. */
  boolean isV6() {
    return encryptionKey.getVersion() == PublicKeyPacket.VERSION_6;
  }

  /** Accepted-with-caution notes for the admin (e.g. RSA-2048). */
  public List<String> warnings() {
    return warnings;
  }

  /** ASCII-armored certificate, as SecureDrop serves it at {@code /public-key}. */
  public String armored() {
    try {
      return certificate.toAsciiArmoredString();
    } catch (IOException e) {
      throw new IllegalStateException("encoding a parsed certificate failed", e);
    }
  }

  /** Binary certificate. */
  public byte[] encoded() {
    try {
      return certificate.getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("encoding a parsed certificate failed", e);
    }
  }

  PGPPublicKey encryptionKey() {
    return encryptionKey;
  }

  @Override
  public String toString() {
    return "EncryptionCertificate[" + fingerprint().hex() + "]";
  }
}
