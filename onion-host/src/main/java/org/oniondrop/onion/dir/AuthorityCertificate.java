package org.oniondrop.onion.dir;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.oniondrop.onion.crypto.CryptoException;
import org.oniondrop.onion.crypto.TorRsa;

/**
 * An authority key certificate (dir-spec §3.1): the authority's long-term identity key certifies a
 * medium-term signing key, which signs consensuses. Checked here: the fingerprint is the SHA-1 of
 * the identity key, the identity key signs the document ({@code dir-key-certification}, over the
 * SHA-1 of everything up to and including that line's newline), the signing key cross-signs the
 * SHA-1 of the identity key ({@code dir-key-crosscert}), and the validity dates.
 */
public record AuthorityCertificate(
    byte[] fingerprint, TorRsa identityKey, TorRsa signingKey, Instant published, Instant expires) {

  /** {@code /tor/keys/all} for 9 authorities is about 20 KB. */
  public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

  /** SHA-1 of the signing key, as a consensus signature names it. */
  public byte[] signingKeyDigest() {
    return signingKey.fingerprint();
  }

  /** Parses and checks every certificate in {@code text} (one or more, concatenated). */
  public static List<AuthorityCertificate> parseAll(String text) throws DirException {
    if (text.length() > MAX_DOCUMENT_BYTES) {
      throw new DirException("key certificates larger than " + MAX_DOCUMENT_BYTES + " bytes");
    }
    List<AuthorityCertificate> out = new ArrayList<>();
    int start = text.indexOf("dir-key-certificate-version ");
    while (start >= 0) {
      int next = text.indexOf("\ndir-key-certificate-version ", start + 1);
      int end = next < 0 ? text.length() : next + 1;
      out.add(parse(text.substring(start, end)));
      start = next < 0 ? -1 : next + 1;
    }
    return out;
  }

  /** Parses one certificate and checks its signatures (not its dates: see {@link #check}). */
  public static AuthorityCertificate parse(String doc) throws DirException {
    List<NetDocLines.Item> items = NetDocLines.parse(doc);
    if (items.isEmpty()
        || !items.get(0).keyword().equals("dir-key-certificate-version")
        || !items.get(0).arg(0).equals("3")) {
      throw new DirException("not a version 3 authority key certificate");
    }
    byte[] fingerprint = null;
    TorRsa identity = null;
    TorRsa signing = null;
    Instant published = null;
    Instant expires = null;
    byte[] crosscert = null;
    byte[] certification = null;
    int certificationEnd = -1;
    for (NetDocLines.Item item : items) {
      switch (item.keyword()) {
        case "fingerprint" -> fingerprint = NetDocLines.hex(item.arg(0), 20, "fingerprint");
        case "dir-key-published" -> published = NetDocLines.time(item);
        case "dir-key-expires" -> expires = NetDocLines.time(item);
        case "dir-identity-key" -> identity = rsa(item);
        case "dir-signing-key" -> signing = rsa(item);
        case "dir-key-crosscert" -> crosscert = object(item, "ID SIGNATURE");
        case "dir-key-certification" -> {
          certification = object(item, "SIGNATURE");
          certificationEnd = doc.indexOf('\n', item.start()) + 1;
        }
        default -> {
          // dir-address and future fields
        }
      }
    }
    if (fingerprint == null
        || identity == null
        || signing == null
        || published == null
        || expires == null
        || crosscert == null
        || certification == null) {
      throw new DirException("authority key certificate lacks a required field");
    }
    if (!Arrays.equals(identity.fingerprint(), fingerprint)) {
      throw new DirException("authority certificate fingerprint is not its identity key's");
    }
    if (!signing.verifyBareDigest(identity.fingerprint(), crosscert)) {
      throw new DirException("authority signing key's cross-certificate does not verify");
    }
    byte[] signed = doc.substring(0, certificationEnd).getBytes(StandardCharsets.ISO_8859_1);
    if (!identity.verifyBareDigest(TorRsa.sha1(signed), certification)) {
      throw new DirException("authority key certificate signature does not verify");
    }
    return new AuthorityCertificate(fingerprint, identity, signing, published, expires);
  }

  /** Whether the certificate is in force at {@code now}. */
  public void check(Instant now) throws DirException {
    if (now.isBefore(published) || !now.isBefore(expires)) {
      throw new DirException(
          "authority key certificate is not valid now (expires " + expires + ")");
    }
  }

  private static TorRsa rsa(NetDocLines.Item item) throws DirException {
    byte[] der = object(item, "RSA PUBLIC KEY");
    try {
      return TorRsa.fromPkcs1(der);
    } catch (CryptoException e) {
      throw new DirException(item.keyword() + ": " + e.getMessage());
    }
  }

  private static byte[] object(NetDocLines.Item item, String type) throws DirException {
    if (item.object() == null || !type.equals(item.objectType())) {
      throw new DirException("'" + item.keyword() + "' needs a " + type + " object");
    }
    return item.object();
  }
}
